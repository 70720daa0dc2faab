import { STATUS_LABELS, type CalendarAppointment } from '../../../shared/appointments';
import {
  addAddendumInput,
  appointmentInput,
  finishInput,
  followUpSlotsInput,
  patientInput,
  recordInput,
  saveDraftInput,
  type Chart,
  type FollowUpSlots,
  type MyDay,
  type Note,
  type TimelineEntry,
} from '../../../shared/clinical';
import { addDays, daysBetween } from '../../../shared/dates';
import { loadAppointment } from '../appointments/queries';
import type { Queryable } from '../db/types';
import { DomainError } from '../errors';
import { logChartView } from '../patients/queries';
import { permitted, router } from '../trpc';
import {
  activePrescriptions,
  bookFollowUp,
  chartPatient,
  chartTimeline,
  clinicToday,
  completeVisit,
  doctorsDay,
  followUpSlots,
  insertAddendum,
  insertDraft,
  latestVitals,
  loadNote,
  lockNote,
  lockVisit,
  patientNotes,
  problemList,
  setVisitStatus,
  signNote,
  updateDraft,
  visitNoteId,
  visitSlotMinutes,
  type NoteState,
  type Visit,
} from './queries';

const NO_SUCH_VISIT = 'This visit was not found. Refresh your list.';
const NO_SUCH_NOTE = 'This note does not exist, or you may not see it.';
const SIGNED = 'This note is signed and can no longer be changed. Add an addendum instead.';

async function existingVisit(tx: Queryable, appointmentId: string): Promise<Visit> {
  const visit = await lockVisit(tx, appointmentId);
  if (!visit) throw new DomainError('NOT_FOUND', NO_SUCH_VISIT);
  return visit;
}

async function existingNote(tx: Queryable, recordId: string): Promise<NoteState> {
  const note = await lockNote(tx, recordId);
  if (!note) throw new DomainError('NOT_FOUND', NO_SUCH_NOTE);
  return note;
}

async function slotMinutes(tx: Queryable, appointmentId: string): Promise<number> {
  const minutes = await visitSlotMinutes(tx, appointmentId);
  if (minutes === undefined) throw new DomainError('NOT_FOUND', NO_SUCH_VISIT);
  return minutes;
}

/**
 * Books the follow-up with the visit's doctor. The database decides (book_follow_up): who may,
 * the hours, and a time another desk took a moment ago; its refusal is shown beside the times.
 */
async function bookedFollowUp(tx: Queryable, appointmentId: string, startsAt: string): Promise<CalendarAppointment> {
  try {
    return await loadAppointment(tx, await bookFollowUp(tx, appointmentId, startsAt, await slotMinutes(tx, appointmentId)));
  } catch (error) {
    const { code, hint, message } = error as { code?: unknown; hint?: unknown; message?: unknown };
    if (code === '23P01') throw new DomainError('CONFLICT', 'This time has just been taken. Choose another.', 'followUp');
    if (hint === 'clinicdesk:user-message' && typeof message === 'string') {
      throw new DomainError(code === '42501' ? 'FORBIDDEN' : 'BAD_REQUEST', message, 'followUp');
    }
    throw error;
  }
}

export const clinicalRouter = router({
  /** The signed-in doctor's visits today (clinic time), in order, with minutes waiting since arrival. */
  myDay: permitted('clinical.read').query(async ({ ctx }): Promise<MyDay> => {
    const { date } = await clinicToday(ctx.tx, ctx.session.clinicId);
    return { date, visits: await doctorsDay(ctx.tx, ctx.session.clinicId, ctx.session.userId) };
  }),

  /** Calls the patient in: an arrived visit goes in progress with a draft note. Calling again returns the same note. */
  start: permitted('clinical.write')
    .input(appointmentInput)
    .mutation(async ({ ctx, input }): Promise<Note> => {
      const { tx } = ctx;
      const visit = await existingVisit(tx, input.appointmentId);
      if (visit.status === 'checked_in') await setVisitStatus(tx, visit.id, 'in_progress');
      else if (visit.status !== 'in_progress') {
        throw new DomainError('BAD_REQUEST', `Only a patient who has arrived can be seen (this visit is: ${STATUS_LABELS[visit.status]}).`);
      }
      const recordId = (await visitNoteId(tx, visit.id)) ?? (await insertDraft(tx, visit));
      return loadNote(tx, ctx.session.clinicId, recordId);
    }),

  /**
   * The chart: who, allergies and alerts, medications, problems, last vitals, then the notes.
   * Each opening is logged; a re-read within minutes (after signing) is the same opening.
   */
  chart: permitted('clinical.read')
    .input(patientInput)
    .query(async ({ ctx, input }): Promise<Chart> => {
      const { tx } = ctx;
      const patient = await chartPatient(tx, input.patientId);
      if (!patient) throw new DomainError('NOT_FOUND', 'This patient record does not exist or was archived.');
      if (ctx.backend.sessions.opensChart(ctx.session, patient.id)) await logChartView(tx, patient, ctx.userAgent);
      const notes = await patientNotes(tx, ctx.session.clinicId, patient.id);
      const { current_medications: reported, ...header } = patient;
      return {
        patient: header,
        medications: { prescribed: await activePrescriptions(tx, patient.id), reported },
        problems: problemList(notes),
        last_vitals: latestVitals(notes),
        notes,
      };
    }),

  /** Notes, prescriptions, tests and documents in one list by date; confidential ones only for those who may see them. */
  timeline: permitted('clinical.read')
    .input(patientInput)
    .query(({ ctx, input }): Promise<TimelineEntry[]> => chartTimeline(ctx.tx, ctx.session.clinicId, input.patientId)),

  /** Autosave of a draft; a signed note is refused (and the database would refuse it too). */
  saveDraft: permitted('clinical.write')
    .input(saveDraftInput)
    .mutation(async ({ ctx, input }): Promise<Note> => {
      const { tx } = ctx;
      const note = await existingNote(tx, input.recordId);
      if (note.signed_at) throw new DomainError('CONFLICT', SIGNED);
      await updateDraft(tx, note.id, input.note);
      return loadNote(tx, ctx.session.clinicId, note.id);
    }),

  /** Signs the note as its author; it is locked from then on. */
  sign: permitted('clinical.write')
    .input(recordInput)
    .mutation(async ({ ctx, input }): Promise<Note> => {
      const { tx } = ctx;
      const state = await existingNote(tx, input.recordId);
      if (state.signed_at) throw new DomainError('CONFLICT', 'This note is already signed.');
      if (state.doctor_id !== ctx.session.userId) throw new DomainError('FORBIDDEN', 'Only the author of a note can sign it.');
      const { note } = await loadNote(tx, ctx.session.clinicId, state.id);
      if (note.assessment === '' && note.diagnoses.length === 0) {
        throw new DomainError('BAD_REQUEST', 'Write an assessment or a diagnosis before signing.', 'note.assessment');
      }
      await signNote(tx, state.id);
      return loadNote(tx, ctx.session.clinicId, state.id);
    }),

  /** A later word on a signed note, kept beside it with who wrote it and when. */
  addAddendum: permitted('clinical.write')
    .input(addAddendumInput)
    .mutation(async ({ ctx, input }): Promise<Note> => {
      const { tx } = ctx;
      const note = await existingNote(tx, input.recordId);
      if (!note.signed_at) throw new DomainError('BAD_REQUEST', 'This note is still a draft: change it directly.', 'text');
      await insertAddendum(tx, note.id, input.text);
      return loadNote(tx, ctx.session.clinicId, note.id);
    }),

  /** The free times of the visit's doctor from a number of days on: the follow-up's quick picks. */
  followUpSlots: permitted('clinical.write')
    .input(followUpSlotsInput)
    .query(async ({ ctx, input }): Promise<FollowUpSlots> => {
      const { tx } = ctx;
      const minutes = await slotMinutes(tx, input.appointmentId);
      const { date } = await clinicToday(tx, ctx.session.clinicId);
      const rows = await followUpSlots(tx, input.appointmentId, addDays(date, input.afterDays), minutes);
      return { date: rows[0]?.local_date ?? null, minutes, slots: rows.map(({ starts_at, local_time }) => ({ starts_at, local_time })) };
    }),

  /**
   * Ends the visit (completed) once its note is signed. A follow-up is either booked here, in the
   * same step (a time from followUpSlots), or given a date to book later. All or nothing.
   */
  finish: permitted('clinical.write')
    .input(finishInput)
    .mutation(async ({ ctx, input }): Promise<{ follow_up_date: string | null; follow_up: CalendarAppointment | null }> => {
      const { tx } = ctx;
      const visit = await existingVisit(tx, input.appointmentId);
      if (visit.status !== 'in_progress') {
        throw new DomainError('BAD_REQUEST', `Only a visit in progress can be finished (this visit is: ${STATUS_LABELS[visit.status]}).`);
      }
      const recordId = await visitNoteId(tx, visit.id);
      const note = recordId ? await loadNote(tx, ctx.session.clinicId, recordId) : undefined;
      if (note && !note.signed_at) throw new DomainError('BAD_REQUEST', 'Sign the note before finishing the visit.');
      const { date } = await clinicToday(tx, ctx.session.clinicId);
      const followUp = input.followUp ? await bookedFollowUp(tx, visit.id, input.followUp.startsAt) : null;
      const followUpDays = followUp ? daysBetween(date, followUp.local_date) : (input.followUpDays ?? note?.note.follow_up_days ?? null);
      return { follow_up_date: await completeVisit(tx, visit.id, date, followUpDays), follow_up: followUp };
    }),
});
