import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { CalendarAppointment } from '../../../../shared/appointments';
import { formErrorsOf } from '../../errors';
import { addDays } from '../../../../shared/dates';
import { useTRPC } from '../../trpc';
import { formatDay, formatLongDay, mondayOf, timeOf } from '../../ui/dates';
import { useCan, useSignedIn } from '../../ui/useSignedIn';
import { useClinicNow } from '../../ui/useClinicNow';
import { DoctorSelect } from '../appointments/DoctorSelect';
import { useVisitLengths } from '../appointments/useVisitLengths';
import { AppointmentPanel } from './AppointmentPanel';
import { BookingDialog } from './BookingDialog';
import { useCalendarDesk } from './calendarDesk';
import { CalendarGrid } from './CalendarGrid';
import { lanesOf, spanOf, type Lane } from './calendarLanes';
import { slotValues, type SlotValues } from './SlotFields';

/** Keys that page the calendar when focus is not in a field: PgUp/PgDn, or [ and ]. */
const PAGE_KEYS: Record<string, -1 | 1> = { PageUp: -1, PageDown: 1, '[': -1, ']': 1 };

function typingIn(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('input, textarea, select, dialog') !== null;
}

/** The appointment calendar; `onOpenPatient` takes the desk to a patient's record. */
export function CalendarPage({ onOpenPatient }: { onOpenPatient(patientId: string): void }) {
  const { clinic } = useSignedIn();
  const can = useCan();
  const now = useClinicNow(clinic.timezone);
  const choice = useCalendarDesk((s) => s.choice);
  const bookingFor = useCalendarDesk((s) => s.bookingFor);
  const { show: showCalendar, bookFor } = useCalendarDesk.getState();
  const trpc = useTRPC();
  const lengths = useVisitLengths();
  const [booking, setBooking] = useState<SlotValues | null>(null);
  const [openedId, setOpenedId] = useState<string | null>(null);
  const [showCancelled, setShowCancelled] = useState(false);
  const [done, setDone] = useState<{ text: string; focusKey: string } | null>(null);

  const date = choice.date ?? now.date;
  const week = choice.mode === 'week';
  const from = week ? mondayOf(date) : date;
  const calendar = useQuery(
    trpc.appointments.calendar.queryOptions(
      { from, days: week ? 7 : 1, doctor_id: choice.doctorId || undefined },
      { placeholderData: keepPreviousData },
    ),
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const step = PAGE_KEYS[event.key];
      if (!step || event.altKey || event.ctrlKey || typingIn(event.target)) return;
      event.preventDefault();
      showCalendar({ date: addDays(date, step * (week ? 7 : 1)) });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [date, week, showCalendar]);

  const lanes = calendar.data ? lanesOf({ view: calendar.data, now, showCancelled }) : [];
  const span = spanOf(lanes);
  const opened = calendar.data?.appointments.find((a) => a.id === openedId);
  const heading = week
    ? `${formatDay(from, clinic.language)} – ${formatDay(addDays(from, 6), clinic.language)} ${addDays(from, 6).slice(0, 4)}`
    : formatLongDay(date, clinic.language);
  const cancelledCount = calendar.data?.appointments.filter((a) => a.status === 'cancelled').length ?? 0;

  function startBooking(lane: Lane, start: number) {
    setDone(null);
    setBooking(
      slotValues(
        // A consultation, as long as the clinic's usually last (the doctor's slot until that is known).
        {
          doctor_id: lane.doctor.id,
          date: lane.date,
          time: timeOf(start),
          duration_minutes: lengths?.consultation ?? lane.doctor.default_slot_minutes,
        },
        clinic.language,
      ),
    );
  }

  function booked(appointment: CalendarAppointment) {
    setBooking(null);
    bookFor(null);
    setDone({
      text: `Booked ${appointment.patient_name} with ${appointment.doctor_name}, ${formatDay(appointment.local_date, clinic.language)} at ${appointment.local_start}.`,
      focusKey: `appointment:${appointment.id}`,
    });
    showCalendar({ date: appointment.local_date });
  }

  return (
    <section className="calendar" aria-labelledby="calendar-title">
      <div className="calendar-toolbar">
        <div className="segmented" role="group" aria-label="View">
          {(['day', 'week'] as const).map((mode) => (
            <button key={mode} type="button" aria-pressed={choice.mode === mode} onClick={() => showCalendar({ mode })}>
              {mode === 'day' ? 'Day' : 'Week'}
            </button>
          ))}
        </div>
        <DoctorSelect
          label="Doctor"
          anyLabel="All doctors"
          value={choice.doctorId}
          onChange={(doctorId) => showCalendar({ doctorId })}
          className="field-inline"
        />
        <div className="pager" role="group" aria-label="Move through the calendar">
          <button
            type="button"
            className="button-secondary"
            aria-keyshortcuts="PageUp ["
            title="Previous (PgUp or [)"
            onClick={() => showCalendar({ date: addDays(date, week ? -7 : -1) })}
          >
            ‹ Previous
          </button>
          <button type="button" className="button-secondary" onClick={() => showCalendar({ date: null })}>
            Today
          </button>
          <button
            type="button"
            className="button-secondary"
            aria-keyshortcuts="PageDown ]"
            title="Next (PgDn or ])"
            onClick={() => showCalendar({ date: addDays(date, week ? 7 : 1) })}
          >
            Next ›
          </button>
        </div>
        <h2 id="calendar-title" aria-live="polite">
          {heading}
        </h2>
      </div>
      <div className="calendar-subbar">
        <p className="field-hint">
          <kbd>PgUp</kbd> <kbd>PgDn</kbd> or <kbd>[</kbd> <kbd>]</kbd> previous/next · arrow keys move between slots · <kbd>Enter</kbd>{' '}
          books a free slot or opens an appointment
        </p>
        {cancelledCount > 0 && (
          <label className="check">
            <input type="checkbox" checked={showCancelled} onChange={(event) => setShowCancelled(event.target.checked)} />
            Show {cancelledCount} cancelled
          </label>
        )}
      </div>

      {bookingFor && (
        <p className="notice booking-for" role="status">
          Booking for <strong>{bookingFor.name}</strong> ({bookingFor.patient_number}): choose a free slot.
          <button type="button" className="button-quiet" onClick={() => bookFor(null)}>
            Stop booking for them
          </button>
        </p>
      )}
      {done && (
        <p className="done-note" role="status">
          {done.text}
        </p>
      )}
      {calendar.isError && <p className="form-problem">{formErrorsOf(calendar.error).general}</p>}

      {calendar.data && (
        <CalendarGrid
          lanes={lanes}
          span={span}
          now={now}
          language={clinic.language}
          canBook={can('appointments.write')}
          onBook={startBooking}
          onOpen={(appointment) => setOpenedId(appointment.id)}
          focusKey={done?.focusKey ?? null}
        />
      )}

      {booking && <BookingDialog slot={booking} patient={bookingFor} onClose={() => setBooking(null)} onBooked={booked} />}
      {opened && (
        <AppointmentPanel
          appointment={opened}
          onClose={() => setOpenedId(null)}
          onOpenPatient={onOpenPatient}
          onDone={(text) => {
            setOpenedId(null);
            setDone({ text, focusKey: `appointment:${opened.id}` });
          }}
        />
      )}
    </section>
  );
}
