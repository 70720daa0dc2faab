import type { Allergy, HistoryEntry, Medication } from '../../../shared/patients';
import type { Diagnosis } from '../../../shared/clinical';
import type { ResultEntry } from '../../../shared/results';
import type { Queryable } from '../db/types';

/**
 * A clinic's records as the Bundle carries them: the columns of each table that travel, named as
 * in the database. Export reads them (as the signed-in person, so row-level security decides what
 * they may take) and maps them to FHIR; import maps a Bundle back to the same shape and writes it.
 */
export interface StaffRow {
  id: string;
  email: string;
  title: string | null;
  first_name: string;
  last_name: string;
  phone: string | null;
  gender: string | null;
  date_of_birth: string | null;
  specialization: string | null;
  license_number: string | null;
  qualification: string | null;
  is_active: boolean;
  role: string;
}

export interface PatientRow {
  id: string;
  patient_number: string;
  first_name: string;
  middle_name: string | null;
  last_name: string;
  date_of_birth: string;
  gender: string;
  blood_group: string | null;
  marital_status: string | null;
  occupation: string | null;
  preferred_language: string | null;
  national_id: string | null;
  email: string | null;
  phone: string | null;
  alternate_phone: string | null;
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  country: string | null;
  emergency_contact_name: string | null;
  emergency_contact_phone: string | null;
  emergency_contact_relationship: string | null;
  allergies: Allergy[];
  medical_history: HistoryEntry[];
  current_medications: Medication[];
  alerts: string | null;
  primary_care_physician_id: string | null;
  notes: string | null;
  is_active: boolean;
}

export interface AppointmentRow {
  id: string;
  appointment_number: string;
  patient_id: string;
  doctor_id: string;
  appointment_type: string;
  starts_at: string;
  ends_at: string;
  status: string;
  is_walk_in: boolean;
  reason: string | null;
  notes: string | null;
  cancellation_reason: string | null;
  created_at: string;
}

export interface RecordRow {
  id: string;
  patient_id: string;
  doctor_id: string;
  appointment_id: string | null;
  record_type: string;
  record_date: string;
  chief_complaint: string | null;
  history_of_present_illness: string | null;
  examination: string | null;
  assessment: string | null;
  treatment_plan: string | null;
  follow_up_days: number | null;
  vital_signs: Record<string, unknown>;
  diagnosis: Diagnosis[];
  is_confidential: boolean;
  signed_at: string | null;
}

export interface PrescriptionRow {
  id: string;
  patient_id: string;
  doctor_id: string;
  appointment_id: string | null;
  medical_record_id: string | null;
  medication_name: string;
  generic_name: string | null;
  strength: string | null;
  dosage_form: string | null;
  dosage: string;
  frequency: string;
  route: string;
  duration_days: number | null;
  quantity: string | null;
  refills_allowed: number;
  refills_used: number;
  instructions: string | null;
  start_date: string;
  end_date: string | null;
  status: string;
  discontinued_reason: string | null;
  prescribed_at: string;
  warnings_overridden: unknown[] | null;
  override_reason: string | null;
}

export interface TestRow {
  id: string;
  test_number: string;
  patient_id: string;
  doctor_id: string;
  appointment_id: string | null;
  test_name: string;
  test_code: string | null;
  test_category: string;
  specimen_type: string | null;
  priority: string;
  status: string;
  ordered_at: string;
  scheduled_at: string | null;
  sample_collected_at: string | null;
  completed_at: string | null;
  instructions: string | null;
  clinical_notes: string | null;
  performing_lab: string | null;
}

export interface ReportRow {
  id: string;
  report_number: string;
  diagnostic_test_id: string;
  patient_id: string;
  findings: string | null;
  interpretation: string | null;
  recommendations: string | null;
  result_values: ResultEntry[];
  abnormal_findings: string[];
  is_abnormal: boolean;
  is_critical: boolean;
  report_status: string;
  reported_by: string | null;
  reported_at: string | null;
  verified_by: string | null;
  verified_at: string | null;
}

export interface DocumentRow {
  id: string;
  patient_id: string | null;
  user_id: string;
  appointment_id: string | null;
  document_type: string;
  title: string;
  description: string | null;
  file_name: string;
  storage_key: string;
  mime_type: string;
  file_size: string;
  checksum_sha256: string | null;
  version: number;
  is_confidential: boolean;
  access_level: string;
  tags: string[];
  created_at: string;
}

export interface ClinicRecords {
  staff: StaffRow[];
  patients: PatientRow[];
  appointments: AppointmentRow[];
  records: RecordRow[];
  prescriptions: PrescriptionRow[];
  tests: TestRow[];
  reports: ReportRow[];
  documents: DocumentRow[];
}

/** Confidential notes and documents leave the clinic only with records.confidential, even their author's. */
const NOT_CONFIDENTIAL = `(NOT is_confidential OR app_user_has_permission('records.confidential'))`;

/**
 * One patient's records, or the whole clinic's (`patientId` null), as the request's user may read
 * them: row-level security leaves out what their role may not see (a receptionist gets no notes,
 * prescriptions or results) and every other clinic's rows. Oldest first, so an import numbers
 * records in the same order.
 */
export async function readClinicRecords(tx: Queryable, patientId: string | null): Promise<ClinicRecords> {
  const params = [patientId];
  const ofPatient = (column = 'patient_id') => `($1::uuid IS NULL OR ${column} = $1::uuid)`;
  const rows = async <Row>(sql: string) => (await tx.query<Row>(sql, params)).rows;
  // One after another: the request's transaction is one connection.
  const patients = await rows<PatientRow>(
    `SELECT id, patient_number, first_name, middle_name, last_name, date_of_birth, gender, blood_group, marital_status,
              occupation, preferred_language, national_id, email, phone, alternate_phone, address_line1, address_line2, city,
              state, postal_code, country, emergency_contact_name, emergency_contact_phone, emergency_contact_relationship,
              allergies, medical_history, current_medications, alerts, primary_care_physician_id, notes, is_active
       FROM patients WHERE ${ofPatient('id')} ORDER BY patient_number`,
  );
  const appointments = await rows<AppointmentRow>(
    `SELECT id, appointment_number, patient_id, doctor_id, appointment_type, starts_at, ends_at, status, is_walk_in, reason,
              notes, cancellation_reason, created_at
       FROM appointments WHERE ${ofPatient()} ORDER BY appointment_number`,
  );
  const records = await rows<RecordRow>(
    `SELECT id, patient_id, doctor_id, appointment_id, record_type, record_date, chief_complaint, history_of_present_illness,
              physical_examination ->> 'text' AS examination, assessment, treatment_plan,
              CASE WHEN jsonb_typeof(clinical_data -> 'follow_up_days') = 'number' THEN (clinical_data ->> 'follow_up_days')::int END
                AS follow_up_days,
              vital_signs, diagnosis, is_confidential, signed_at
       FROM medical_records WHERE ${ofPatient()} AND ${NOT_CONFIDENTIAL} ORDER BY record_date, id`,
  );
  const prescriptions = await rows<PrescriptionRow>(
    `SELECT id, patient_id, doctor_id, appointment_id, medical_record_id, medication_name, generic_name, strength, dosage_form,
              dosage, frequency, route, duration_days, quantity, refills_allowed, refills_used, instructions, start_date, end_date,
              status, discontinued_reason, prescribed_at, warnings_overridden, override_reason
       FROM prescriptions WHERE ${ofPatient()} ORDER BY prescribed_at, id`,
  );
  const tests = await rows<TestRow>(
    `SELECT id, test_number, patient_id, doctor_id, appointment_id, test_name, test_code, test_category, specimen_type, priority,
              status, ordered_at, scheduled_at, sample_collected_at, completed_at, instructions, clinical_notes, performing_lab
       FROM diagnostic_tests WHERE ${ofPatient()} ORDER BY test_number`,
  );
  const reports = await rows<ReportRow>(
    `SELECT id, report_number, diagnostic_test_id, patient_id, findings, interpretation, recommendations, result_values,
              abnormal_findings, is_abnormal, is_critical, report_status, reported_by, reported_at, verified_by, verified_at
       FROM test_reports WHERE ${ofPatient()} ORDER BY report_number`,
  );
  const documents = await rows<DocumentRow>(
    `SELECT id, patient_id, user_id, appointment_id, document_type, title, description, file_name, storage_key, mime_type,
              file_size, checksum_sha256, version, is_confidential, access_level, tags, created_at
       FROM documents WHERE ${ofPatient()} AND ${NOT_CONFIDENTIAL} ORDER BY created_at, id`,
  );
  return linked({ staff: [], patients, appointments, records, prescriptions, tests, reports, documents }, tx, patientId === null);
}

/**
 * Keeps the Bundle's references whole: rows of archived patients stay out, a prescription of a
 * confidential note left out stays out with it, and a link to an archived visit is dropped.
 */
async function linked(all: ClinicRecords, tx: Queryable, everyone: boolean): Promise<ClinicRecords> {
  const patients = new Set(all.patients.map((p) => p.id));
  const visits = new Set(all.appointments.filter((a) => patients.has(a.patient_id)).map((a) => a.id));
  const notes = new Set(all.records.filter((r) => patients.has(r.patient_id)).map((r) => r.id));
  const ofPatient = <Row extends { patient_id: string | null; appointment_id?: string | null }>(rows: Row[]) =>
    rows
      .filter((row) => row.patient_id === null || patients.has(row.patient_id))
      .map((row) => (row.appointment_id && !visits.has(row.appointment_id) ? { ...row, appointment_id: null } : row));
  const tests = ofPatient(all.tests);
  const testIds = new Set(tests.map((t) => t.id));
  const kept: ClinicRecords = {
    staff: [],
    patients: all.patients,
    appointments: ofPatient(all.appointments),
    records: ofPatient(all.records),
    prescriptions: ofPatient(all.prescriptions).filter((p) => p.medical_record_id === null || notes.has(p.medical_record_id)),
    tests,
    reports: ofPatient(all.reports).filter((r) => testIds.has(r.diagnostic_test_id)),
    documents: ofPatient(all.documents),
  };
  return { ...kept, staff: await staffOf(tx, kept, everyone) };
}

/** The whole staff for a clinic export; for one patient, only the people their records name. */
async function staffOf(tx: Queryable, records: ClinicRecords, everyone: boolean): Promise<StaffRow[]> {
  const { rows } = await tx.query<StaffRow>(
    `SELECT u.id, u.email, u.title, u.first_name, u.last_name, u.phone, u.gender, u.date_of_birth, u.specialization,
            u.license_number, u.qualification, u.is_active, r.name AS role
     FROM users u JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id
     ORDER BY u.created_at, u.id`,
  );
  if (everyone) return rows;
  const named = new Set(
    [
      ...records.patients.map((p) => p.primary_care_physician_id),
      ...records.appointments.map((a) => a.doctor_id),
      ...records.records.map((r) => r.doctor_id),
      ...records.prescriptions.map((p) => p.doctor_id),
      ...records.tests.map((t) => t.doctor_id),
      ...records.reports.flatMap((r) => [r.reported_by, r.verified_by]),
      ...records.documents.map((d) => d.user_id),
    ].filter((id): id is string => id !== null),
  );
  return rows.filter((s) => named.has(s.id));
}
