import type { Medication } from '../../../shared/patients';
import type { AppointmentStatus } from '../../../shared/appointments';
import {
  bodyMassIndex,
  readVitals,
  type Addendum,
  type Chart,
  type ConsultationNote,
  type DayVisit,
  type Diagnosis,
  type LatestVitals,
  type Note,
  type PrescribedMedication,
  type TimelineEntry,
} from '../../../shared/clinical';
import { maybeOne, one } from '../db/rows';
import type { Queryable } from '../db/types';

/** The clinic's date today and its timezone: every "today" and every shown time is the clinic's. */
export function clinicToday(tx: Queryable, clinicId: string): Promise<{ date: string; timezone: string }> {
  return one(tx, `SELECT to_char(now() AT TIME ZONE timezone, 'YYYY-MM-DD') AS date, timezone FROM clinics WHERE id = $1`, [clinicId]);
}

/** The doctor's visits today in the order booked, cancelled ones left out, with their note if started. */
export async function doctorsDay(tx: Queryable, clinicId: string, doctorId: string): Promise<DayVisit[]> {
  const { rows } = await tx.query<DayVisit>(
    `SELECT v.id AS appointment_id, v.patient_id, v.patient_number, v.patient_name, v.local_start, v.status, v.reason,
            v.has_allergies,
            CASE WHEN v.status = 'checked_in' THEN floor(extract(epoch FROM now() - v.checked_in_at) / 60)::integer END
              AS waiting_minutes,
            (SELECT m.id FROM medical_records m WHERE m.appointment_id = v.id ORDER BY m.created_at, m.id LIMIT 1) AS record_id
     FROM clinic_days($1, NULL, 1) d
     JOIN appointment_calendar v ON v.starts_at >= d.from_at AND v.starts_at < d.until_at
     WHERE v.clinic_id = $1 AND v.doctor_id = $2 AND v.status <> 'cancelled'
     ORDER BY v.starts_at, v.id`,
    [clinicId, doctorId],
  );
  return rows;
}

export interface Visit {
  id: string;
  patient_id: string;
  status: AppointmentStatus;
  presenting: string | null;
  vital_signs: unknown;
}

/** A visit of the request's clinic, locked for the status change that follows (RLS hides the rest). */
export function lockVisit(tx: Queryable, appointmentId: string): Promise<Visit | undefined> {
  return maybeOne<Visit>(
    tx,
    `SELECT id, patient_id, status, coalesce(nullif(btrim(symptoms), ''), reason) AS presenting, vital_signs
     FROM appointments WHERE id = $1 FOR UPDATE`,
    [appointmentId],
  );
}

export async function setVisitStatus(tx: Queryable, appointmentId: string, status: AppointmentStatus): Promise<void> {
  await tx.query(`UPDATE appointments SET status = $2 WHERE id = $1`, [appointmentId, status]);
}

/** Completes a visit; with a follow-up, its date is that many days after today in the clinic. */
export async function completeVisit(
  tx: Queryable,
  appointmentId: string,
  clinicToday: string,
  followUpDays: number | null,
): Promise<string | null> {
  const { follow_up_date } = await one<{ follow_up_date: string | null }>(
    tx,
    `UPDATE appointments
     SET status = 'completed', follow_up_required = $3::integer IS NOT NULL,
         follow_up_date = $2::date + $3::integer,
         follow_up_notes = CASE WHEN $3::integer IS NOT NULL THEN 'Review in ' || $3::integer || ' days' ELSE follow_up_notes END
     WHERE id = $1
     RETURNING to_char(follow_up_date, 'YYYY-MM-DD') AS follow_up_date`,
    [appointmentId, clinicToday, followUpDays],
  );
  return follow_up_date;
}

/** How long a follow-up lasts at the visit's clinic (its usual length, migration 028); undefined for a visit not seen. */
export async function visitSlotMinutes(tx: Queryable, appointmentId: string): Promise<number | undefined> {
  const row = await maybeOne<{ minutes: number }>(
    tx,
    `SELECT d.duration_minutes AS minutes FROM appointments a
     JOIN appointment_type_durations d ON d.clinic_id = a.clinic_id AND d.appointment_type = 'follow_up'
     WHERE a.id = $1`,
    [appointmentId],
  );
  return row?.minutes;
}

/** Free times of the visit's doctor on the first open day from `fromDate`, looking a fortnight ahead. */
export async function followUpSlots(
  tx: Queryable,
  appointmentId: string,
  fromDate: string,
  minutes: number,
): Promise<{ starts_at: string; local_date: string; local_time: string }[]> {
  const { rows } = await tx.query<{ starts_at: string; local_date: string; local_time: string }>(
    `SELECT starts_at, local_date, local_time FROM follow_up_slots($1, $2::date, 14, $3)`,
    [appointmentId, fromDate, minutes],
  );
  return rows;
}

/** Books the follow-up through the database's checks (who, hours, double booking); the new appointment's id. */
export async function bookFollowUp(tx: Queryable, appointmentId: string, startsAt: string, minutes: number): Promise<string> {
  const { id } = await one<{ id: string }>(tx, `SELECT book_follow_up($1, $2, $3, 'Follow-up') AS id`, [appointmentId, startsAt, minutes]);
  return id;
}

/** The first note of a visit (the one the consultation writes), signed or not. */
export async function visitNoteId(tx: Queryable, appointmentId: string): Promise<string | undefined> {
  const note = await maybeOne<{ id: string }>(
    tx,
    `SELECT id FROM medical_records WHERE appointment_id = $1 ORDER BY created_at, id LIMIT 1`,
    [appointmentId],
  );
  return note?.id;
}

/** A draft by the signed-in person for the visit, opened with what reception and the nurse recorded. */
export async function insertDraft(tx: Queryable, visit: Visit): Promise<string> {
  const { id } = await one<{ id: string }>(
    tx,
    `INSERT INTO medical_records (tenant_id, patient_id, doctor_id, appointment_id, record_type, chief_complaint, vital_signs)
     VALUES (current_tenant_id(), $1, current_app_user_id(), $2, 'consultation', $3, $4)
     RETURNING id`,
    [visit.patient_id, visit.id, visit.presenting, JSON.stringify(readVitals(visit.vital_signs))],
  );
  return id;
}

export interface NoteState {
  id: string;
  doctor_id: string;
  signed_at: string | null;
  appointment_id: string | null;
}

/** Where a note stands, locked for the change that follows; undefined when the request cannot see it. */
export function lockNote(tx: Queryable, recordId: string): Promise<NoteState | undefined> {
  return maybeOne<NoteState>(tx, `SELECT id, doctor_id, signed_at, appointment_id FROM medical_records WHERE id = $1 FOR UPDATE`, [
    recordId,
  ]);
}

/** Writes the draft's content; the database refuses it if the note was signed meanwhile. */
export async function updateDraft(tx: Queryable, recordId: string, note: ConsultationNote): Promise<void> {
  await tx.query(
    `UPDATE medical_records
     SET chief_complaint = nullif($2, ''), history_of_present_illness = nullif($3, ''),
         physical_examination = $4, assessment = nullif($5, ''), treatment_plan = nullif($6, ''),
         vital_signs = $7, diagnosis = $8, clinical_data = clinical_data || $9::jsonb, is_confidential = $10
     WHERE id = $1`,
    [
      recordId,
      note.chief_complaint,
      note.history,
      JSON.stringify({ version: 1, text: note.examination }),
      note.assessment,
      note.plan,
      JSON.stringify(note.vitals),
      JSON.stringify(note.diagnoses),
      JSON.stringify({ version: 1, follow_up_days: note.follow_up_days }),
      note.is_confidential,
    ],
  );
}

export async function signNote(tx: Queryable, recordId: string): Promise<void> {
  await tx.query(`UPDATE medical_records SET signed_at = now() WHERE id = $1`, [recordId]);
}

export async function insertAddendum(tx: Queryable, recordId: string, text: string): Promise<void> {
  // doctor_id and written_by are set by the database (attach_addendum in migrations/012).
  await tx.query(
    `INSERT INTO medical_record_addenda (tenant_id, medical_record_id, doctor_id, written_by, addendum)
     VALUES (current_tenant_id(), $1, current_app_user_id(), current_app_user_id(), $2)`,
    [recordId, text],
  );
}

/** A note's row as stored: the shown note's identity fields, and the seed's columns it is read from. */
interface NoteRow extends Omit<Note, 'note' | 'addenda'> {
  chief_complaint: string | null;
  history_of_present_illness: string | null;
  physical_examination: { text?: unknown };
  assessment: string | null;
  treatment_plan: string | null;
  vital_signs: unknown;
  diagnosis: unknown;
  clinical_data: { follow_up_days?: unknown };
  is_confidential: boolean;
}

/** Diagnoses as stored, read leniently: the seed's {code, description, type} entries with a description. */
function readDiagnoses(stored: unknown): Diagnosis[] {
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((entry: Record<string, unknown>) =>
    typeof entry?.description === 'string'
      ? [
          {
            code: typeof entry.code === 'string' ? entry.code : null,
            description: entry.description,
            type: entry.type === 'primary' ? ('primary' as const) : ('secondary' as const),
          },
        ]
      : [],
  );
}

function noteOf(row: NoteRow, addenda: Addendum[]): Note {
  const followUp = row.clinical_data.follow_up_days;
  return {
    id: row.id,
    patient_id: row.patient_id,
    appointment_id: row.appointment_id,
    doctor_id: row.doctor_id,
    doctor_name: row.doctor_name,
    record_date: row.record_date,
    local_date: row.local_date,
    signed_at: row.signed_at,
    note: {
      version: 1,
      chief_complaint: row.chief_complaint ?? '',
      history: row.history_of_present_illness ?? '',
      examination: typeof row.physical_examination.text === 'string' ? row.physical_examination.text : '',
      assessment: row.assessment ?? '',
      plan: row.treatment_plan ?? '',
      vitals: readVitals(row.vital_signs),
      diagnoses: readDiagnoses(row.diagnosis),
      follow_up_days: typeof followUp === 'number' ? followUp : null,
      is_confidential: row.is_confidential,
    },
    addenda,
  };
}

const NOTE_COLUMNS = `m.id, m.patient_id, m.appointment_id, m.doctor_id,
  doctor_display_name(u.title, u.first_name, u.last_name) AS doctor_name, m.record_date,
  to_char(m.record_date AT TIME ZONE c.timezone, 'YYYY-MM-DD HH24:MI') AS local_date, m.signed_at,
  m.chief_complaint, m.history_of_present_illness, m.physical_examination, m.assessment, m.treatment_plan,
  m.vital_signs, m.diagnosis, m.clinical_data, m.is_confidential`;

/** Notes the request can see (confidential ones of others are hidden by RLS), newest first, with addenda. */
async function notesWhere(tx: Queryable, clinicId: string, where: string, params: string[]): Promise<Note[]> {
  const { rows } = await tx.query<NoteRow>(
    `SELECT ${NOTE_COLUMNS}
     FROM medical_records m
     JOIN users u ON u.tenant_id = m.tenant_id AND u.id = m.doctor_id
     CROSS JOIN (SELECT timezone FROM clinics WHERE id = $1) c
     WHERE ${where}
     ORDER BY m.record_date DESC, m.id
     LIMIT 100`,
    [clinicId, ...params],
  );
  if (rows.length === 0) return [];
  const { rows: addenda } = await tx.query<Addendum & { medical_record_id: string }>(
    `SELECT a.id, a.medical_record_id, concat_ws(' ', w.title, w.first_name, w.last_name) AS written_by_name, a.addendum,
            a.created_at, to_char(a.created_at AT TIME ZONE c.timezone, 'YYYY-MM-DD HH24:MI') AS local_date
     FROM medical_record_addenda a
     JOIN users w ON w.tenant_id = a.tenant_id AND w.id = a.written_by
     CROSS JOIN (SELECT timezone FROM clinics WHERE id = $1) c
     WHERE a.medical_record_id = ANY ($2::uuid[])
     ORDER BY a.created_at, a.id`,
    [clinicId, rows.map((row) => row.id)],
  );
  return rows.map((row) =>
    noteOf(
      row,
      addenda.filter((a) => a.medical_record_id === row.id).map(({ medical_record_id: _record, ...addendum }) => addendum),
    ),
  );
}

export async function loadNote(tx: Queryable, clinicId: string, recordId: string): Promise<Note> {
  const [note] = await notesWhere(tx, clinicId, 'm.id = $2', [recordId]);
  if (!note) throw new Error('A note the request just wrote is not visible to it');
  return note;
}

export function patientNotes(tx: Queryable, clinicId: string, patientId: string): Promise<Note[]> {
  return notesWhere(tx, clinicId, 'm.patient_id = $2', [patientId]);
}

/** The chart's header as read, with what the patient reports taking (shown among the medications). */
export type ChartPatient = Chart['patient'] & { current_medications: Medication[] };

export function chartPatient(tx: Queryable, patientId: string): Promise<ChartPatient | undefined> {
  return maybeOne<ChartPatient>(
    tx,
    `SELECT id, patient_number, concat_ws(' ', first_name, middle_name, last_name) AS name, date_of_birth, gender,
            allergies, nullif(btrim(alerts), '') AS alerts, current_medications
     FROM patients WHERE id = $1`,
    [patientId],
  );
}

export async function activePrescriptions(tx: Queryable, patientId: string): Promise<PrescribedMedication[]> {
  const { rows } = await tx.query<PrescribedMedication>(
    `SELECT medication_name, strength, dosage, frequency, start_date
     FROM prescriptions WHERE patient_id = $1 AND status = 'active'
     ORDER BY prescribed_at DESC, id`,
    [patientId],
  );
  return rows;
}

/**
 * The vitals last measured (in a note, signed or not), with the BMI they give; an adult's
 * height is measured now and then, so the last height known serves.
 */
export function latestVitals(notes: Note[]): LatestVitals | null {
  const measured = notes.find((note) => Object.keys(note.note.vitals).some((key) => key !== 'version'));
  if (!measured) return null;
  const { vitals } = measured.note;
  const height = vitals.height_cm ?? notes.find((note) => note.note.vitals.height_cm !== undefined)?.note.vitals.height_cm;
  return { vitals, bmi: bodyMassIndex(vitals.weight_kg, height) ?? null, local_date: measured.local_date };
}

/** Diagnoses of signed notes, each once (by code, else by wording), most recent first. */
export function problemList(notes: Note[]): { code: string | null; description: string; local_date: string }[] {
  const seen = new Set<string>();
  const problems = [];
  for (const note of notes) {
    if (!note.signed_at) continue;
    for (const { code, description } of note.note.diagnoses) {
      const key = code ?? description.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push({ code, description, local_date: note.local_date.slice(0, 10) });
    }
  }
  return problems;
}

/** The patient's notes, prescriptions, tests and documents, newest first: what the caller may see (chart_timeline). */
export async function chartTimeline(tx: Queryable, clinicId: string, patientId: string): Promise<TimelineEntry[]> {
  const { rows } = await tx.query<TimelineEntry>(
    `SELECT t.kind, t.id, t.occurred_at, to_char(t.occurred_at AT TIME ZONE c.timezone, 'YYYY-MM-DD HH24:MI') AS local_date,
            t.title, t.detail, t.status, t.is_confidential, coalesce(doctor_display_name(u.title, u.first_name, u.last_name), '') AS author_name
     FROM chart_timeline t
     JOIN clinics c ON c.id = $1
     LEFT JOIN users u ON u.id = t.author_id
     WHERE t.patient_id = $2
     ORDER BY t.occurred_at DESC, t.kind, t.id
     LIMIT 200`,
    [clinicId, patientId],
  );
  return rows;
}
