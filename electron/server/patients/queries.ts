import type { CountryCode } from 'libphonenumber-js';
import type { z } from 'zod';
import {
  patientDetails,
  type ArchivedPatient,
  type DuplicateCandidate,
  type findDuplicatesInput,
  type Patient,
  type PatientDetails,
  type PatientSearchResult,
} from '../../../shared/patients';
import { phoneCountry } from '../../../shared/phones';
import { maybeOne, one } from '../db/rows';
import type { Queryable, SqlParam } from '../db/types';

export type DuplicateQuestion = z.output<typeof findDuplicatesInput>;

/** The columns reception edits: named as in the form, so the contract and the table stay in step. */
const DETAIL_COLUMNS = Object.keys(patientDetails.shape) as (keyof PatientDetails)[];
const JSON_COLUMNS: ReadonlySet<keyof PatientDetails> = new Set(['allergies', 'medical_history', 'current_medications', 'insurance_info']);

/** The phones in E.164, as search and the duplicate check compare them (017_patient_search.sql). */
export interface PhoneKeys {
  phone_e164: string | null;
  alternate_phone_e164: string | null;
}

/** Written with the details, after them. */
const WRITTEN_COLUMNS = [...DETAIL_COLUMNS, 'phone_e164', 'alternate_phone_e164'] as const;

/** $2, $3, …: the insert and the update both pass one other parameter first. */
const WRITTEN_PLACEHOLDERS = WRITTEN_COLUMNS.map((_, i) => `$${i + 2}`);

/** In WRITTEN_COLUMNS order. JSON goes as text: pg would send a JavaScript array as a SQL array. */
function writtenParams(details: PatientDetails, keys: PhoneKeys): SqlParam[] {
  return [
    ...DETAIL_COLUMNS.map((column) =>
      JSON_COLUMNS.has(column) ? JSON.stringify(details[column]) : ((details[column] ?? null) as SqlParam),
    ),
    keys.phone_e164,
    keys.alternate_phone_e164,
  ];
}

/** A live patient of the request's tenant with the doctor's name, or null (RLS hides the rest). */
export async function findPatient(tx: Queryable, id: string): Promise<Patient | null> {
  const patient = await maybeOne<Patient>(
    tx,
    `SELECT p.id, p.patient_number, ${DETAIL_COLUMNS.map((column) => `p.${column}`).join(', ')},
            p.created_at, p.updated_at,
            nullif(concat_ws(' ', doctor.title, doctor.first_name, doctor.last_name), '') AS primary_care_physician_name
     FROM patients p
     LEFT JOIN users doctor ON doctor.tenant_id = p.tenant_id AND doctor.id = p.primary_care_physician_id
     WHERE p.id = $1`,
    [id],
  );
  return patient ?? null;
}

/** "Reads of a patient's chart are logged": who opened which chart, in the read's transaction. */
export async function logChartView(tx: Queryable, patient: Pick<Patient, 'id' | 'patient_number'>, userAgent?: string): Promise<void> {
  await tx.query(`SELECT log_activity('patient.view', $2, 'patient', $1, '{}', $3)`, [
    patient.id,
    `Opened the chart of ${patient.patient_number}`,
    userAgent ?? null,
  ]);
}

/** Registers a patient at the session's clinic, created by the request's user; returns the new id. */
/**
 * Holds the patient's row until the transaction ends: a change that first checks what the
 * patient already has (today's queue, active prescriptions) is taken in turn across desks.
 */
export async function lockPatient(tx: Queryable, id: string): Promise<void> {
  await tx.query(`SELECT 1 FROM patients WHERE id = $1 FOR NO KEY UPDATE`, [id]);
}

export async function insertPatient(tx: Queryable, clinicId: string, details: PatientDetails, keys: PhoneKeys): Promise<string> {
  const { id } = await one<{ id: string }>(
    tx,
    `INSERT INTO patients (tenant_id, clinic_id, created_by, ${WRITTEN_COLUMNS.join(', ')})
     VALUES (current_tenant_id(), $1, current_app_user_id(), ${WRITTEN_PLACEHOLDERS.join(', ')})
     RETURNING id`,
    [clinicId, ...writtenParams(details, keys)],
  );
  return id;
}

/** Replaces a live patient's details; false when there is no such patient for this tenant. */
export async function updatePatient(tx: Queryable, id: string, details: PatientDetails, keys: PhoneKeys): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE patients SET ${WRITTEN_COLUMNS.map((column, i) => `${column} = ${WRITTEN_PLACEHOLDERS[i]}`).join(', ')}
     WHERE id = $1`,
    [id, ...writtenParams(details, keys)],
  );
  return rowCount === 1;
}

/** An active user of this tenant with the doctor role (who may be a patient's primary care physician). */
export async function isActiveDoctor(tx: Queryable, userId: string): Promise<boolean> {
  const { rows } = await tx.query(
    `SELECT 1 FROM users u JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id
     WHERE u.id = $1 AND u.is_active AND r.name = 'doctor'`,
    [userId],
  );
  return rows.length === 1;
}

/** How the clinic writes dates (its language) and reads phone numbers typed without a country code. */
export async function clinicLocale(tx: Queryable, clinicId: string): Promise<{ language: string; phoneCountry: CountryCode | undefined }> {
  const clinic = await maybeOne<{ language: string; country_code: string | null }>(
    tx,
    `SELECT language, country_code FROM clinics WHERE id = $1`,
    [clinicId],
  );
  const language = clinic?.language ?? 'en';
  return { language, phoneCountry: phoneCountry(clinic?.country_code ?? null, language) };
}

/**
 * Reception search (search_patients in 017): patient number, ISO date of birth, phone or name;
 * `phone` is what was typed read as (the start of) an E.164 number, when it looks like a phone.
 */
export async function searchPatients(tx: Queryable, text: string, limit: number, phone: string | null): Promise<PatientSearchResult[]> {
  const { rows } = await tx.query<PatientSearchResult>(`SELECT * FROM search_patients($1, $2, $3)`, [text, limit, phone]);
  return rows;
}

/** Live patients who may be this person (find_duplicate_patients in 006 and 017), best match first; `phone` in E.164. */
export async function findDuplicates(tx: Queryable, question: DuplicateQuestion, phone: string | null): Promise<DuplicateCandidate[]> {
  const { rows } = await tx.query<DuplicateCandidate>(`SELECT * FROM find_duplicate_patients($1, $2, $3, $4, $5)`, [
    question.first_name,
    question.last_name,
    question.date_of_birth ?? null,
    phone,
    question.exclude_id ?? null,
  ]);
  return rows;
}

/** Archives (soft-deletes) a live patient with the reason kept in the audit entry; false if none. */
export async function archivePatient(tx: Queryable, id: string, reason: string): Promise<boolean> {
  const { archived } = await one<{ archived: boolean }>(tx, `SELECT soft_delete('patients', $1, $2) AS archived`, [id, reason]);
  return archived;
}

/** Brings an archived patient back; false if there is no archived patient with this id. */
export async function restorePatient(tx: Queryable, id: string, reason: string | null): Promise<boolean> {
  const { restored } = await one<{ restored: boolean }>(tx, `SELECT restore_deleted('patients', $1, $2) AS restored`, [id, reason]);
  return restored;
}

export async function archivedPatients(tx: Queryable): Promise<ArchivedPatient[]> {
  const { rows } = await tx.query<ArchivedPatient>(
    `SELECT id, patient_number, first_name, last_name, date_of_birth, deleted_at AS archived_at, reason
     FROM archived_patients()`,
  );
  return rows;
}

/**
 * Merges the duplicate into the survivor (merge_patients in 019: the database checks the permission
 * and moves every row that refers to the duplicate). Null when either is not a live patient here.
 */
export async function mergePatients(
  tx: Queryable,
  survivorId: string,
  duplicateId: string,
  reason: string,
): Promise<Record<string, number> | null> {
  const { moved } = await one<{ moved: Record<string, number> | null }>(tx, `SELECT merge_patients($1, $2, $3) AS moved`, [
    survivorId,
    duplicateId,
    reason,
  ]);
  return moved;
}
