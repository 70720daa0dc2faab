import type { ActivePrescription, PrescribingWarning, RecordedAllergy } from '../../../shared/prescribing-checks';
import type { Prescription, PrescriptionDraft } from '../../../shared/prescriptions';
import { maybeOne, one } from '../db/rows';
import type { Queryable } from '../db/types';

/** Active and not past its end date (a finished course no longer counts as being taken). */
const IS_ACTIVE = `(rx.status = 'active' AND (rx.end_date IS NULL OR rx.end_date >= current_date))`;

const PRESCRIPTION_COLUMNS = `
  rx.id, rx.patient_id, rx.doctor_id,
  nullif(concat_ws(' ', doctor.title, doctor.first_name, doctor.last_name), '') AS doctor_name,
  rx.medication_name, rx.generic_name, rx.strength, rx.dosage_form, rx.dosage, rx.route, rx.frequency,
  rx.duration_days, rx.quantity, rx.refills_allowed, rx.instructions, rx.start_date, rx.end_date, rx.status,
  ${IS_ACTIVE} AS is_active, rx.discontinued_reason, rx.warnings_overridden, rx.override_reason,
  rx.prescribed_at, rx.updated_at`;

const FROM_PRESCRIPTIONS = `
  FROM prescriptions rx
  LEFT JOIN users doctor ON doctor.tenant_id = rx.tenant_id AND doctor.id = rx.doctor_id`;

/** The allergies on a live patient's chart, or null when the request cannot see the patient. */
export async function patientAllergies(tx: Queryable, patientId: string): Promise<RecordedAllergy[] | null> {
  const patient = await maybeOne<{ allergies: RecordedAllergy[] }>(tx, `SELECT allergies FROM patients WHERE id = $1`, [patientId]);
  return patient ? patient.allergies : null;
}

/** The patient's prescriptions that are being taken now. */
export async function activePrescriptions(tx: Queryable, patientId: string): Promise<ActivePrescription[]> {
  const { rows } = await tx.query<ActivePrescription>(
    `SELECT rx.id, rx.medication_name, rx.generic_name FROM prescriptions rx
     WHERE rx.patient_id = $1 AND ${IS_ACTIVE} ORDER BY rx.prescribed_at`,
    [patientId],
  );
  return rows;
}

export async function findPrescription(tx: Queryable, id: string): Promise<Prescription | null> {
  return (await maybeOne<Prescription>(tx, `SELECT ${PRESCRIPTION_COLUMNS} ${FROM_PRESCRIPTIONS} WHERE rx.id = $1`, [id])) ?? null;
}

/** Active first, then the latest first. */
export async function prescriptionsForPatient(tx: Queryable, patientId: string): Promise<Prescription[]> {
  const { rows } = await tx.query<Prescription>(
    `SELECT ${PRESCRIPTION_COLUMNS} ${FROM_PRESCRIPTIONS}
     WHERE rx.patient_id = $1
     ORDER BY ${IS_ACTIVE} DESC, rx.prescribed_at DESC, rx.id`,
    [patientId],
  );
  return rows;
}

/**
 * Writes a prescription by the request's user (stamped by the database), starting today and
 * ending after its duration; the warnings overridden and the reason go with it. Returns the id.
 */
export async function insertPrescription(
  tx: Queryable,
  draft: PrescriptionDraft,
  genericName: string | null,
  overridden: { warnings: PrescribingWarning[]; reason: string } | null,
): Promise<string> {
  const { id } = await one<{ id: string }>(
    tx,
    `INSERT INTO prescriptions (tenant_id, patient_id, doctor_id, medication_name, generic_name, strength, dosage_form,
       dosage, route, frequency, duration_days, quantity, refills_allowed, instructions, start_date, end_date,
       warnings_overridden, override_reason)
     VALUES (current_tenant_id(), $1, current_app_user_id(), $2, $3, $4, $5, $6, $7, $8, $9, $10::numeric, $11, $12,
       current_date, current_date + $9::integer - 1, $13::jsonb, $14)
     RETURNING id`,
    [
      draft.patientId,
      draft.medication,
      genericName,
      draft.strength ?? null,
      draft.form ?? null,
      draft.dose,
      draft.route,
      draft.frequency,
      draft.durationDays ?? null,
      draft.quantity ?? null,
      draft.repeats,
      draft.instructions ?? null,
      overridden ? JSON.stringify(overridden.warnings) : null,
      overridden?.reason ?? null,
    ],
  );
  return id;
}

/** Stops an active (or paused) prescription today, with the reason; false if there is none such. */
export async function discontinuePrescription(tx: Queryable, id: string, reason: string): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE prescriptions SET status = 'discontinued', discontinued_reason = $2,
       end_date = greatest(start_date, least(coalesce(end_date, current_date), current_date))
     WHERE id = $1 AND status IN ('active', 'on_hold')`,
    [id, reason],
  );
  return rowCount === 1;
}

/** A prescription with who it is for and who wrote it, as the printed sheet shows them. */
export interface PrintedItem extends Prescription {
  patient_number: string;
  patient_name: string;
  patient_date_of_birth: string;
  prescriber_registration: string | null;
  prescriber_qualification: string | null;
}

/** The prescriptions asked for that the request can see, in the order they were written. */
export async function itemsToPrint(tx: Queryable, ids: string[]): Promise<PrintedItem[]> {
  const { rows } = await tx.query<PrintedItem>(
    `SELECT ${PRESCRIPTION_COLUMNS}, p.patient_number, concat_ws(' ', p.first_name, p.middle_name, p.last_name) AS patient_name,
       p.date_of_birth AS patient_date_of_birth, nullif(btrim(doctor.license_number), '') AS prescriber_registration,
       nullif(btrim(doctor.qualification), '') AS prescriber_qualification
     ${FROM_PRESCRIPTIONS}
     JOIN patients p ON p.tenant_id = rx.tenant_id AND p.id = rx.patient_id
     WHERE rx.id = ANY($1::uuid[])
     ORDER BY rx.prescribed_at, rx.id`,
    [ids],
  );
  return rows;
}
