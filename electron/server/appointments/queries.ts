import type {
  AppointmentStatus,
  AppointmentType,
  CalendarAppointment,
  Doctor,
  DueReminder,
  OpeningHours,
  PatientAppointments,
  QueueEntry,
  SentReminder,
} from '../../../shared/appointments';
import type { VisitLengths } from '../../../shared/clinic-settings';
import { maybeOne, one } from '../db/rows';
import type { Queryable } from '../db/types';

/** Columns of the appointment_calendar view that make a CalendarAppointment. */
const APPOINTMENT_COLUMNS = `v.id, v.appointment_number, v.patient_id, v.patient_name, v.patient_number, v.doctor_id,
  v.doctor_name, v.starts_at, v.ends_at, v.local_date, v.local_start, v.local_end, v.duration_minutes, v.status,
  v.appointment_type, v.is_walk_in, v.reason, v.has_allergies, v.checked_in_at`;

export interface ClinicClock {
  timezone: string;
  opening_hours: OpeningHours;
  /** Now on the clinic's wall clock: YYYY-MM-DD and HH:MM. */
  local_date: string;
  local_time: string;
}

export function clinicClock(tx: Queryable, clinicId: string): Promise<ClinicClock> {
  return one<ClinicClock>(
    tx,
    `SELECT timezone, opening_hours, to_char(now() AT TIME ZONE timezone, 'YYYY-MM-DD') AS local_date,
            to_char(now() AT TIME ZONE timezone, 'HH24:MI') AS local_time
     FROM clinics WHERE id = $1`,
    [clinicId],
  );
}

/** How long each type of visit usually lasts at the clinic (every clinic has every type: migration 028). */
export async function visitLengths(tx: Queryable, clinicId: string): Promise<VisitLengths> {
  const { lengths } = await one<{ lengths: VisitLengths }>(
    tx,
    `SELECT coalesce(jsonb_object_agg(appointment_type, duration_minutes), '{}') AS lengths
     FROM appointment_type_durations WHERE clinic_id = $1`,
    [clinicId],
  );
  return lengths;
}

export interface DoctorRow extends Doctor {
  working_hours: Partial<OpeningHours> | null;
}

/** The clinic's doctors (active users whose role is doctor), by surname; one when `doctorId` is given. */
export async function clinicDoctors(tx: Queryable, clinicId: string, doctorId?: string): Promise<DoctorRow[]> {
  const { rows } = await tx.query<DoctorRow>(
    `SELECT id, name, specialization, default_slot_minutes, calendar_color, working_hours
     FROM clinic_doctors
     WHERE clinic_id = $1 AND ($2::uuid IS NULL OR id = $2)
     ORDER BY sort_key, id`,
    [clinicId, doctorId ?? null],
  );
  return rows;
}

/** Whether a patient is on file (archived and other clinics' patients are invisible to the app role). */
export async function patientOnFile(tx: Queryable, patientId: string): Promise<boolean> {
  const { rows } = await tx.query(`SELECT 1 FROM patients WHERE id = $1`, [patientId]);
  return rows.length > 0;
}

export interface Slot {
  starts_at: string;
  ends_at: string;
  /** Started more than five minutes ago: too late to book. */
  has_passed: boolean;
}

/** A wall-clock date and time in the clinic's timezone as instants, for `minutes` minutes. */
export function clinicSlot(tx: Queryable, clinicId: string, date: string, time: string, minutes: number): Promise<Slot> {
  return one<Slot>(
    tx,
    `SELECT s.starts_at, s.starts_at + make_interval(mins => $4) AS ends_at,
            s.starts_at < now() - interval '5 minutes' AS has_passed
     FROM clinics c CROSS JOIN LATERAL (SELECT clinic_instant($2::date, $3::time, c.timezone) AS starts_at) s
     WHERE c.id = $1`,
    [clinicId, date, time, minutes],
  );
}

export interface NewAppointment {
  clinicId: string;
  patientId: string;
  doctorId: string;
  type: AppointmentType;
  reason: string | null;
}

export async function insertBooking(tx: Queryable, visit: NewAppointment, slot: Slot): Promise<string> {
  const { id } = await one<{ id: string }>(
    tx,
    `INSERT INTO appointments (tenant_id, clinic_id, patient_id, doctor_id, appointment_type, starts_at, ends_at, reason, created_by)
     VALUES (current_tenant_id(), $1, $2, $3, $4, $5, $6, $7, current_app_user_id())
     RETURNING id`,
    [visit.clinicId, visit.patientId, visit.doctorId, visit.type, slot.starts_at, slot.ends_at, visit.reason],
  );
  return id;
}

/** A walk-in: arrived now, one default slot long, outside the no-double-booking rule (walk-ins queue). */
export async function insertWalkIn(tx: Queryable, visit: NewAppointment, minutes: number): Promise<string> {
  const { id } = await one<{ id: string }>(
    tx,
    `INSERT INTO appointments (tenant_id, clinic_id, patient_id, doctor_id, appointment_type, starts_at, ends_at, reason,
                               status, is_walk_in, checked_in_at, created_by)
     VALUES (current_tenant_id(), $1, $2, $3, $4, now(), now() + make_interval(mins => $6), $5,
             'checked_in', true, now(), current_app_user_id())
     RETURNING id`,
    [visit.clinicId, visit.patientId, visit.doctorId, visit.type, visit.reason, minutes],
  );
  return id;
}

export interface OpenVisit {
  status: AppointmentStatus;
  doctor_name: string;
}

/** The patient's visit already in today's queue (arrived or with a doctor), if any. */
export async function openVisitToday(tx: Queryable, clinicId: string, patientId: string): Promise<OpenVisit | undefined> {
  return maybeOne<OpenVisit>(
    tx,
    `SELECT a.status, concat_ws(' ', u.title, u.first_name, u.last_name) AS doctor_name
     FROM appointments a
     JOIN clinics c ON c.tenant_id = a.tenant_id AND c.id = a.clinic_id
     JOIN users u ON u.tenant_id = a.tenant_id AND u.id = a.doctor_id
     WHERE a.clinic_id = $1 AND a.patient_id = $2 AND a.status IN ('checked_in', 'in_progress')
       AND (a.starts_at AT TIME ZONE c.timezone)::date = (now() AT TIME ZONE c.timezone)::date
     ORDER BY a.starts_at LIMIT 1`,
    [clinicId, patientId],
  );
}

export async function reschedule(tx: Queryable, id: string, doctorId: string, slot: Slot): Promise<void> {
  await tx.query(`UPDATE appointments SET doctor_id = $2, starts_at = $3, ends_at = $4 WHERE id = $1`, [
    id,
    doctorId,
    slot.starts_at,
    slot.ends_at,
  ]);
}

export interface LockedAppointment {
  status: AppointmentStatus;
  has_started: boolean;
  /** On the clinic's calendar day today: only then can the patient arrive for it. */
  is_today: boolean;
  local_date: string;
  local_start: string;
}

/** The appointment's current state, locked until the transaction ends so no other change interleaves. */
export async function lockAppointment(tx: Queryable, id: string): Promise<LockedAppointment | null> {
  const appointment = await maybeOne<LockedAppointment>(
    tx,
    `SELECT a.status, a.starts_at <= now() AS has_started,
            (a.starts_at AT TIME ZONE c.timezone)::date = (now() AT TIME ZONE c.timezone)::date AS is_today,
            to_char(a.starts_at AT TIME ZONE c.timezone, 'YYYY-MM-DD') AS local_date,
            to_char(a.starts_at AT TIME ZONE c.timezone, 'HH24:MI') AS local_start
     FROM appointments a JOIN clinics c ON c.tenant_id = a.tenant_id AND c.id = a.clinic_id
     WHERE a.id = $1
     FOR UPDATE OF a`,
    [id],
  );
  return appointment ?? null;
}

/** The status trigger (migration 007) checks the change and stamps when it happened. */
export async function setStatus(tx: Queryable, id: string, status: AppointmentStatus, cancellationReason?: string): Promise<void> {
  await tx.query(`UPDATE appointments SET status = $2, cancellation_reason = coalesce($3, cancellation_reason) WHERE id = $1`, [
    id,
    status,
    cancellationReason ?? null,
  ]);
}

export interface Clash {
  local_start: string;
  local_end: string;
  patient_number: string;
  patient_name: string;
}

/** The booked appointment of the doctor that overlaps the slot (the one the exclusion constraint hit). */
export async function findClash(tx: Queryable, doctorId: string, slot: Slot, exceptId: string | null): Promise<Clash | null> {
  const clash = await maybeOne<Clash>(
    tx,
    `SELECT v.local_start, v.local_end, v.patient_number, v.patient_name
     FROM appointment_calendar v
     WHERE v.doctor_id = $1 AND v.starts_at < $3 AND v.ends_at > $2 AND v.id IS DISTINCT FROM $4::uuid
       AND NOT v.is_walk_in AND v.status NOT IN ('cancelled', 'no_show')
     ORDER BY v.starts_at
     LIMIT 1`,
    [doctorId, slot.starts_at, slot.ends_at, exceptId],
  );
  return clash ?? null;
}

export function loadAppointment(tx: Queryable, id: string): Promise<CalendarAppointment> {
  return one<CalendarAppointment>(tx, `SELECT ${APPOINTMENT_COLUMNS} FROM appointment_calendar v WHERE v.id = $1`, [id]);
}

/** Appointments starting within `days` clinic days from midnight of `from`, any status. */
export async function calendarAppointments(
  tx: Queryable,
  clinicId: string,
  from: string,
  days: number,
  doctorId?: string,
): Promise<CalendarAppointment[]> {
  const { rows } = await tx.query<CalendarAppointment>(
    `SELECT ${APPOINTMENT_COLUMNS}
     FROM clinic_days($1, $2::date, $3) d
     JOIN appointment_calendar v ON v.starts_at >= d.from_at AND v.starts_at < d.until_at
     WHERE v.clinic_id = $1 AND ($4::uuid IS NULL OR v.doctor_id = $4)
     ORDER BY v.starts_at, v.doctor_name, v.id`,
    [clinicId, from, days, doctorId ?? null],
  );
  return rows;
}

/** Today's appointments still to be seen or being seen, arrivals first in order of arrival. */
export async function todaysQueue(tx: Queryable, clinicId: string, doctorId?: string): Promise<{ now: string; entries: QueueEntry[] }> {
  const { rows: entries } = await tx.query<QueueEntry>(
    `SELECT ${APPOINTMENT_COLUMNS},
            CASE WHEN v.status = 'checked_in' THEN floor(extract(epoch FROM now() - v.checked_in_at) / 60)::integer END
              AS waiting_minutes
     FROM clinic_days($1, NULL, 1) d
     JOIN appointment_calendar v ON v.starts_at >= d.from_at AND v.starts_at < d.until_at
     WHERE v.clinic_id = $1 AND ($2::uuid IS NULL OR v.doctor_id = $2)
       AND v.status IN ('scheduled', 'confirmed', 'checked_in', 'in_progress')
     ORDER BY v.checked_in_at NULLS LAST, v.starts_at, v.id`,
    [clinicId, doctorId ?? null],
  );
  const { now } = await one<{ now: string }>(tx, `SELECT now() AS now`);
  return { now, entries };
}

export async function patientAppointments(tx: Queryable, clinicId: string, patientId: string): Promise<PatientAppointments> {
  const { rows } = await tx.query<CalendarAppointment & { upcoming: boolean }>(
    `SELECT ${APPOINTMENT_COLUMNS},
            -- From today on, unless it has happened: a cancelled future booking stays there, marked so.
            v.status NOT IN ('completed', 'no_show') AND v.starts_at >= d.from_at AS upcoming
     FROM appointment_calendar v CROSS JOIN clinic_days($1, NULL, 1) d
     WHERE v.patient_id = $2
     ORDER BY v.starts_at`,
    [clinicId, patientId],
  );
  const mapped = rows.map(({ upcoming, ...appointment }) => ({ upcoming, appointment }));
  return {
    upcoming: mapped.filter((r) => r.upcoming).map((r) => r.appointment),
    past: mapped
      .filter((r) => !r.upcoming)
      .reverse()
      .slice(0, 20)
      .map((r) => r.appointment),
  };
}

export async function queueReminder(tx: Queryable, appointmentId: string): Promise<void> {
  await tx.query(`SELECT queue_appointment_reminder($1)`, [appointmentId]);
}

export async function withdrawReminders(tx: Queryable, appointmentId: string, reason: string): Promise<void> {
  await tx.query(`SELECT withdraw_appointment_reminders($1, $2)`, [appointmentId, reason]);
}

/** Reminders not sent yet that fall due within the next 24 hours (or are overdue), oldest first, with the number to call. */
export async function dueReminders(tx: Queryable): Promise<DueReminder[]> {
  const { rows } = await tx.query<DueReminder>(
    `SELECT n.id, n.title, n.message, coalesce(n.scheduled_for, n.created_at) AS scheduled_for, a.id AS appointment_id,
            coalesce(p.phone, p.alternate_phone) AS patient_phone
     FROM notifications n
     LEFT JOIN appointments a ON n.related_entity_type = 'appointment' AND a.tenant_id = n.tenant_id AND a.id = n.related_entity_id
     LEFT JOIN patients p ON p.tenant_id = a.tenant_id AND p.id = a.patient_id
     WHERE n.type = 'reminder' AND n.sent_at IS NULL AND (n.expires_at IS NULL OR n.expires_at > now())
       AND coalesce(n.scheduled_for, n.created_at) <= now() + interval '24 hours'
     ORDER BY coalesce(n.scheduled_for, n.created_at), n.id`,
  );
  return rows;
}

/** Marks a reminder sent (once: a second call keeps the first time). Null when there is no such reminder. */
export async function markReminderSent(tx: Queryable, id: string): Promise<SentReminder | null> {
  const sent = await maybeOne<SentReminder>(
    tx,
    `UPDATE notifications SET sent_at = coalesce(sent_at, now()) WHERE id = $1 AND type = 'reminder' RETURNING id, sent_at`,
    [id],
  );
  return sent ?? null;
}
