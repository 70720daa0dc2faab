import { z } from 'zod';
import { isoDate, localTime } from './dates';

export const APPOINTMENT_STATUSES = ['scheduled', 'confirmed', 'checked_in', 'in_progress', 'completed', 'cancelled', 'no_show'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export const APPOINTMENT_TYPES = [
  'consultation',
  'follow_up',
  'check_up',
  'procedure',
  'vaccination',
  'emergency',
  'telemedicine',
] as const;
export type AppointmentType = (typeof APPOINTMENT_TYPES)[number];

/**
 * The only status changes a visit can make (the database enforces the same list):
 * booked → confirmed → arrived → with the doctor → done; a booking that never happens is
 * cancelled (with a reason) or marked no-show.
 */
export const STATUS_TRANSITIONS: Record<AppointmentStatus, readonly AppointmentStatus[]> = {
  scheduled: ['confirmed', 'checked_in', 'cancelled', 'no_show'],
  confirmed: ['checked_in', 'cancelled', 'no_show'],
  checked_in: ['in_progress', 'cancelled'],
  in_progress: ['completed'],
  completed: [],
  cancelled: [],
  no_show: [],
};

export function canMove(from: AppointmentStatus, to: AppointmentStatus): boolean {
  return STATUS_TRANSITIONS[from].includes(to);
}

export const STATUS_LABELS: Record<AppointmentStatus, string> = {
  scheduled: 'Booked',
  confirmed: 'Confirmed',
  checked_in: 'Arrived',
  in_progress: 'With doctor',
  completed: 'Completed',
  cancelled: 'Cancelled',
  no_show: 'No-show',
};

const duration = z
  .number()
  .int('Use whole minutes.')
  .min(5, 'An appointment lasts at least 5 minutes.')
  .max(480, 'An appointment lasts at most 8 hours.');

/** Bookings go at most two years ahead: "2090" is a typo, not a plan. Compared as text in UTC, a day's slack. */
const bookingDate = isoDate.refine(
  (value) => value <= new Date(Date.now() + (2 * 366 + 1) * 86_400_000).toISOString().slice(0, 10),
  'Book at most two years ahead. Check the year.',
);

/** Times are wall-clock times in the clinic's timezone; the server turns them into instants. */
export const bookAppointmentInput = z.object({
  patient_id: z.uuid('Choose a patient.'),
  doctor_id: z.uuid('Choose a doctor.'),
  date: bookingDate,
  time: localTime,
  duration_minutes: duration,
  appointment_type: z.enum(APPOINTMENT_TYPES, { message: 'Choose the type of visit.' }),
  reason: z.string().trim().max(500, 'The reason is too long.').optional(),
});

export const moveAppointmentInput = z.object({
  id: z.uuid('Unknown appointment.'),
  doctor_id: z.uuid('Choose a doctor.'),
  date: bookingDate,
  time: localTime,
  duration_minutes: duration,
});

export const walkInInput = z.object({
  patient_id: z.uuid('Choose a patient.'),
  doctor_id: z.uuid('Choose a doctor.'),
  appointment_type: z.enum(APPOINTMENT_TYPES).default('consultation'),
  reason: z.string().trim().max(500, 'The reason is too long.').optional(),
});

export const appointmentId = z.object({ id: z.uuid('Unknown appointment.') });

export const cancelAppointmentInput = z.object({
  id: z.uuid('Unknown appointment.'),
  reason: z.string().trim().min(3, 'Say why the appointment is cancelled.').max(500, 'The reason is too long.'),
});

/** Taking an arrived patient off today's queue (they left, or were added by mistake). */
export const removeFromQueueInput = z.object({
  id: z.uuid('Unknown appointment.'),
  reason: z.string().trim().min(3, 'Say why the patient leaves the queue, e.g. “Patient left”.').max(500, 'The reason is too long.'),
});

export const calendarInput = z.object({
  /** First day shown, in the clinic's timezone. */
  from: isoDate,
  days: z.union([z.literal(1), z.literal(7)]),
  /** One doctor's calendar, or the whole clinic's when absent. */
  doctor_id: z.uuid().optional(),
});

export const queueInput = z.object({ doctor_id: z.uuid().optional() });

export const patientAppointmentsInput = z.object({ patient_id: z.uuid('Choose a patient.') });

export const reminderIdInput = z.object({ id: z.uuid('Unknown reminder.') });

export interface Doctor {
  id: string;
  name: string;
  specialization: string | null;
  default_slot_minutes: number;
  calendar_color: string | null;
}

export interface CalendarAppointment {
  id: string;
  appointment_number: string;
  patient_id: string;
  patient_name: string;
  patient_number: string;
  doctor_id: string;
  /** "Dr Priya Patel": for lists that show several doctors (queue, a patient's visits). */
  doctor_name: string;
  /** Instants (ISO, UTC); the screen shows them in the clinic's timezone. */
  starts_at: string;
  ends_at: string;
  /** The same, as the clinic's wall clock: date YYYY-MM-DD and HH:MM. */
  local_date: string;
  local_start: string;
  local_end: string;
  duration_minutes: number;
  status: AppointmentStatus;
  appointment_type: AppointmentType;
  is_walk_in: boolean;
  reason: string | null;
  has_allergies: boolean;
  checked_in_at: string | null;
}

/** Opening hours per weekday (mon…sun): [[open, close], …] in HH:MM clinic time. */
export type OpeningHours = Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', [string, string][]>;

export interface CalendarView {
  timezone: string;
  opening_hours: OpeningHours;
  days: string[];
  doctors: Doctor[];
  appointments: CalendarAppointment[];
}

export interface QueueEntry extends CalendarAppointment {
  /** Minutes since arrival (checked in), for the waiting list. */
  waiting_minutes: number | null;
}

/** Today in the clinic, for the front desk and the doctor's screen. */
export interface QueueView {
  /** The server's clock (ISO, UTC) when the queue was read. */
  now: string;
  /** Arrived, longest wait first. */
  waiting: QueueEntry[];
  with_doctor: QueueEntry[];
  /** Booked or confirmed for today and not arrived yet, by start time. */
  upcoming: QueueEntry[];
}

export interface PatientAppointments {
  /** Still to happen (booked, confirmed, arrived or with the doctor), from today on, soonest first. */
  upcoming: CalendarAppointment[];
  /** Everything else, newest first (the last 20). */
  past: CalendarAppointment[];
}

export interface DueReminder {
  id: string;
  title: string;
  message: string;
  scheduled_for: string;
  appointment_id: string | null;
  /** The patient's phone (their other one when there is no main one): reminders are sent by hand. */
  patient_phone: string | null;
}

export interface SentReminder {
  id: string;
  sent_at: string;
}
