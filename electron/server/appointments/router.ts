import {
  appointmentId,
  bookAppointmentInput,
  calendarInput,
  cancelAppointmentInput,
  canMove,
  moveAppointmentInput,
  patientAppointmentsInput,
  queueInput,
  reminderIdInput,
  removeFromQueueInput,
  STATUS_LABELS,
  walkInInput,
  type AppointmentStatus,
  type CalendarAppointment,
  type CalendarView,
  type AppointmentType,
  type Doctor,
  type QueueView,
} from '../../../shared/appointments';
import { addDays } from '../../../shared/dates';
import type { Permission } from '../../../shared/permissions';
import type { z } from 'zod';
import type { Queryable } from '../db/types';
import { DomainError } from '../errors';
import { lockPatient } from '../patients/queries';
import { permitted, router } from '../trpc';
import {
  calendarAppointments,
  clinicClock,
  clinicDoctors,
  clinicSlot,
  dueReminders,
  findClash,
  insertBooking,
  insertWalkIn,
  loadAppointment,
  openVisitToday,
  lockAppointment,
  markReminderSent,
  patientAppointments,
  patientOnFile,
  queueReminder,
  reschedule,
  setStatus,
  todaysQueue,
  visitLengths,
  withdrawReminders,
  type ClinicClock,
  type DoctorRow,
  type NewAppointment,
  type Slot,
} from './queries';
import { describeHours, refusedChange, weekdayOf, weekHours, withinHours, type StatusChange } from './rules';

type BookAppointmentInput = z.infer<typeof bookAppointmentInput>;
type WalkInInput = z.infer<typeof walkInInput>;

const NOT_FOUND = 'This appointment was not found. Refresh the calendar.';

/** A visit that will not happen needs no reminder: why its pending one is withdrawn. */
const WITHDRAWN_BECAUSE: Partial<Record<StatusChange, string>> = {
  cancelled: 'Appointment cancelled',
  no_show: 'Patient did not attend',
};

function publicDoctor({ working_hours: _hours, ...doctor }: DoctorRow): Doctor {
  return doctor;
}

function newVisit(clinicId: string, input: BookAppointmentInput | WalkInInput): NewAppointment {
  const { patient_id, doctor_id, appointment_type, reason } = input;
  return { clinicId, patientId: patient_id, doctorId: doctor_id, type: appointment_type, reason: reason || null };
}

async function requireDoctor(tx: Queryable, clinicId: string, doctorId: string): Promise<DoctorRow> {
  const [doctor] = await clinicDoctors(tx, clinicId, doctorId);
  if (!doctor) throw new DomainError('BAD_REQUEST', 'Choose one of the clinic’s doctors.', 'doctor_id');
  return doctor;
}

async function requirePatient(tx: Queryable, patientId: string): Promise<void> {
  if (!(await patientOnFile(tx, patientId))) {
    throw new DomainError('NOT_FOUND', 'This patient is not on file (unknown or archived). Search again.', 'patient_id');
  }
}

interface WallClockSlot {
  date: string;
  time: string;
  duration_minutes: number;
}

/** The slot as instants, if it is not past and both the clinic and the doctor work then. */
async function bookableSlot(tx: Queryable, clinicId: string, doctor: DoctorRow, wanted: WallClockSlot): Promise<Slot> {
  const slot = await clinicSlot(tx, clinicId, wanted.date, wanted.time, wanted.duration_minutes);
  const clock = await clinicClock(tx, clinicId);
  if (slot.has_passed) throw new DomainError('BAD_REQUEST', 'This time has passed.', 'time');
  const day = weekdayOf(wanted.date);
  const clinicHours = weekHours(clock.opening_hours)[day.key];
  if (!withinHours(clinicHours, wanted.time, wanted.duration_minutes)) {
    throw new DomainError('BAD_REQUEST', `The clinic is closed then. ${describeHours(day.name, clinicHours)}`, 'time');
  }
  if (doctor.working_hours) {
    const doctorHours = weekHours(doctor.working_hours)[day.key];
    if (!withinHours(doctorHours, wanted.time, wanted.duration_minutes)) {
      throw new DomainError('BAD_REQUEST', `${doctor.name} does not work then. ${describeHours(day.name, doctorHours)}`, 'time');
    }
  }
  return slot;
}

/**
 * Runs a write that the exclusion constraint appointments_no_double_booking may refuse.
 * The constraint, not an earlier look, decides: of two receptionists taking the same slot at
 * once, the second waits for the first to commit and is refused. The savepoint keeps the
 * transaction usable so the refusal can name the appointment in the way.
 */
async function withoutDoubleBooking<T>(
  tx: Queryable,
  doctor: DoctorRow,
  slot: Slot,
  movingId: string | null,
  write: () => Promise<T>,
): Promise<T> {
  await tx.query('SAVEPOINT booking');
  try {
    const result = await write();
    await tx.query('RELEASE SAVEPOINT booking');
    return result;
  } catch (error) {
    if ((error as { code?: unknown }).code !== '23P01') throw error;
    await tx.query('ROLLBACK TO SAVEPOINT booking');
    const clash = await findClash(tx, doctor.id, slot, movingId);
    const what = clash
      ? `an appointment ${clash.local_start}–${clash.local_end} (${clash.patient_number} ${clash.patient_name})`
      : 'an appointment at this time';
    throw new DomainError('CONFLICT', `${doctor.name} already has ${what}. Choose another time.`, 'time');
  }
}

/** Out of opening hours only an emergency joins the queue: nobody else should be seen then. */
function refuseClosedWalkIn(clock: ClinicClock, type: AppointmentType): void {
  const day = weekdayOf(clock.local_date);
  const hours = weekHours(clock.opening_hours)[day.key];
  if (type === 'emergency' || withinHours(hours, clock.local_time, 1)) return;
  throw new DomainError(
    'BAD_REQUEST',
    `The clinic is closed now. ${describeHours(day.name, hours)} Out of hours, only an emergency can be walked in.`,
    'appointment_type',
  );
}

/**
 * Moves an appointment along STATUS_TRANSITIONS; the database trigger enforces the same list.
 * `onlyFrom` narrows a change to one starting status (taking someone off the queue cancels only an arrival).
 */
async function changeStatus(
  tx: Queryable,
  id: string,
  to: StatusChange,
  cancellationReason?: string,
  onlyFrom?: AppointmentStatus,
): Promise<CalendarAppointment> {
  const current = await lockAppointment(tx, id);
  if (!current) throw new DomainError('NOT_FOUND', NOT_FOUND);
  if (!canMove(current.status, to)) throw new DomainError('BAD_REQUEST', refusedChange(current.status, to));
  if (onlyFrom && current.status !== onlyFrom) {
    throw new DomainError(
      'BAD_REQUEST',
      `Only a patient who is waiting can be taken off the queue: this visit is “${STATUS_LABELS[current.status]}”.`,
    );
  }
  if (to === 'checked_in' && !current.is_today) {
    const day = new Date(`${current.local_date}T12:00:00Z`).toLocaleDateString('en-GB', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      timeZone: 'UTC',
    });
    throw new DomainError('BAD_REQUEST', `Only today’s appointments can be checked in: this one is on ${day} at ${current.local_start}.`);
  }
  if (to === 'no_show' && !current.has_started) {
    throw new DomainError(
      'BAD_REQUEST',
      `A no-show can be marked only once the appointment has started (${current.local_start} on ${current.local_date}).`,
    );
  }
  await setStatus(tx, id, to, cancellationReason);
  const withdrawal = WITHDRAWN_BECAUSE[to];
  if (withdrawal) await withdrawReminders(tx, id, withdrawal);
  return loadAppointment(tx, id);
}

function statusChange(permission: Permission, to: StatusChange) {
  return permitted(permission)
    .input(appointmentId)
    .mutation(({ ctx, input }) => changeStatus(ctx.tx, input.id, to));
}

export const appointmentsRouter = router({
  /** Minutes per type of visit: the booking dialog prefills the length (and so the end) from the chosen type. */
  visitLengths: permitted('appointments.read').query(({ ctx }) => visitLengths(ctx.tx, ctx.session.clinicId)),
  doctors: permitted('appointments.read').query(async ({ ctx }) => (await clinicDoctors(ctx.tx, ctx.session.clinicId)).map(publicDoctor)),

  calendar: permitted('appointments.read')
    .input(calendarInput)
    .query(async ({ ctx, input }): Promise<CalendarView> => {
      const { tx } = ctx;
      const { clinicId } = ctx.session;
      const doctors = await clinicDoctors(tx, clinicId, input.doctor_id);
      if (input.doctor_id && doctors.length === 0) {
        throw new DomainError('NOT_FOUND', 'This doctor is not on the clinic’s calendar.', 'doctor_id');
      }
      const clock = await clinicClock(tx, clinicId);
      return {
        timezone: clock.timezone,
        opening_hours: weekHours(clock.opening_hours),
        days: Array.from({ length: input.days }, (_, i) => addDays(input.from, i)),
        doctors: doctors.map(publicDoctor),
        appointments: await calendarAppointments(tx, clinicId, input.from, input.days, input.doctor_id),
      };
    }),

  book: permitted('appointments.write')
    .input(bookAppointmentInput)
    .mutation(async ({ ctx, input }) => {
      const { tx } = ctx;
      const { clinicId } = ctx.session;
      const doctor = await requireDoctor(tx, clinicId, input.doctor_id);
      await requirePatient(tx, input.patient_id);
      const slot = await bookableSlot(tx, clinicId, doctor, input);
      const id = await withoutDoubleBooking(tx, doctor, slot, null, () => insertBooking(tx, newVisit(clinicId, input), slot));
      await queueReminder(tx, id);
      return loadAppointment(tx, id);
    }),

  move: permitted('appointments.write')
    .input(moveAppointmentInput)
    .mutation(async ({ ctx, input }) => {
      const { tx } = ctx;
      const current = await lockAppointment(tx, input.id);
      if (!current) throw new DomainError('NOT_FOUND', NOT_FOUND);
      if (current.status !== 'scheduled' && current.status !== 'confirmed') {
        throw new DomainError('BAD_REQUEST', refusedChange(current.status, 'moved'));
      }
      const doctor = await requireDoctor(tx, ctx.session.clinicId, input.doctor_id);
      const slot = await bookableSlot(tx, ctx.session.clinicId, doctor, input);
      await withoutDoubleBooking(tx, doctor, slot, input.id, () => reschedule(tx, input.id, doctor.id, slot));
      await queueReminder(tx, input.id);
      return loadAppointment(tx, input.id);
    }),

  cancel: permitted('appointments.write')
    .input(cancelAppointmentInput)
    .mutation(({ ctx, input }) => changeStatus(ctx.tx, input.id, 'cancelled', input.reason)),
  /** The desk takes an arrived patient off the queue (they left): the visit is cancelled with the reason. */
  removeFromQueue: permitted('appointments.checkin')
    .input(removeFromQueueInput)
    .mutation(({ ctx, input }) => changeStatus(ctx.tx, input.id, 'cancelled', input.reason, 'checked_in')),
  markNoShow: statusChange('appointments.write', 'no_show'),
  confirm: statusChange('appointments.write', 'confirmed'),
  checkIn: statusChange('appointments.checkin', 'checked_in'),
  start: statusChange('clinical.write', 'in_progress'),
  complete: statusChange('clinical.write', 'completed'),

  walkIn: permitted('appointments.checkin')
    .input(walkInInput)
    .mutation(async ({ ctx, input }) => {
      const { tx } = ctx;
      const { clinicId } = ctx.session;
      await requireDoctor(tx, clinicId, input.doctor_id);
      await requirePatient(tx, input.patient_id);
      refuseClosedWalkIn(await clinicClock(tx, clinicId), input.appointment_type);
      // Two desks walking the same patient in at once are taken in turn: the second sees the first.
      await lockPatient(tx, input.patient_id);
      const open = await openVisitToday(tx, clinicId, input.patient_id);
      if (open) {
        const where = open.status === 'in_progress' ? `is with ${open.doctor_name}` : `is already waiting for ${open.doctor_name}`;
        throw new DomainError('CONFLICT', `This patient ${where} today.`, 'patient_id');
      }
      // As long as a visit of its type usually lasts at this clinic.
      const minutes = (await visitLengths(tx, clinicId))[input.appointment_type];
      return loadAppointment(tx, await insertWalkIn(tx, newVisit(clinicId, input), minutes));
    }),

  queue: permitted('queue.read')
    .input(queueInput)
    .query(async ({ ctx, input }): Promise<QueueView> => {
      const { tx } = ctx;
      const { now, entries } = await todaysQueue(tx, ctx.session.clinicId, input.doctor_id);
      return {
        now,
        waiting: entries.filter((e) => e.status === 'checked_in'),
        with_doctor: entries.filter((e) => e.status === 'in_progress'),
        upcoming: entries.filter((e) => e.status === 'scheduled' || e.status === 'confirmed'),
      };
    }),

  forPatient: permitted('appointments.read')
    .input(patientAppointmentsInput)
    .query(({ ctx, input }) => patientAppointments(ctx.tx, ctx.session.clinicId, input.patient_id)),

  dueReminders: permitted('notifications.read').query(({ ctx }) => dueReminders(ctx.tx)),

  markReminderSent: permitted('appointments.write')
    .input(reminderIdInput)
    .mutation(async ({ ctx, input }) => {
      const { tx } = ctx;
      const sent = await markReminderSent(tx, input.id);
      if (!sent) throw new DomainError('NOT_FOUND', 'This reminder was not found. Refresh the list.');
      return sent;
    }),
});
