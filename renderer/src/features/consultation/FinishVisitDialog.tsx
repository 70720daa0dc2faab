import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { CalendarAppointment } from '../../../../shared/appointments';
import { formErrorsOf, NO_ERRORS } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { formatLongDay, minutesOf, timeOf } from '../../ui/dates';
import { Dialog, DialogFooter } from '../../ui/Dialog';
import { useSignedIn } from '../../ui/useSignedIn';

/** The usual intervals to see a patient again, in days. */
const QUICK_PICKS: [number, string][] = [
  [7, '1 week'],
  [14, '2 weeks'],
  [28, '4 weeks'],
  [91, '3 months'],
];

export interface FinishedVisit {
  follow_up_date: string | null;
  follow_up: CalendarAppointment | null;
}

/**
 * Ends the visit: no follow-up, or one in a usual interval (or the note's), booked at once in one
 * of the doctor's free times that day shows. A time taken meanwhile is refused beside the times.
 */
export function FinishVisitDialog(props: {
  appointmentId: string;
  noteFollowUpDays: number | null;
  onClose(): void;
  onFinished(visit: FinishedVisit): void;
}) {
  const trpc = useTRPC();
  const { clinic } = useSignedIn();
  const refresh = useRefresh(trpc.clinical.myDay, trpc.clinical.followUpSlots, trpc.appointments);
  const picks =
    props.noteFollowUpDays && !QUICK_PICKS.some(([days]) => days === props.noteFollowUpDays)
      ? [...QUICK_PICKS, [props.noteFollowUpDays, `${props.noteFollowUpDays} days (the note’s)`] as [number, string]]
      : QUICK_PICKS;
  const [afterDays, setAfterDays] = useState<number | null>(props.noteFollowUpDays);
  const [startsAt, setStartsAt] = useState<string | null>(null);
  const slots = useQuery({
    ...trpc.clinical.followUpSlots.queryOptions({ appointmentId: props.appointmentId, afterDays: afterDays ?? 1 }),
    enabled: afterDays !== null,
    placeholderData: keepPreviousData,
  });
  const finish = useMutation(
    trpc.clinical.finish.mutationOptions({
      onSuccess: async (visit) => {
        props.onFinished(visit);
        await refresh();
      },
      // A time taken meanwhile: show the times as they are now.
      onError: () => void slots.refetch(),
    }),
  );
  const server = finish.isError ? formErrorsOf(finish.error) : NO_ERRORS;

  const choose = (days: number | null) => {
    setAfterDays(days);
    setStartsAt(null);
    finish.reset();
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    if (finish.isPending) return;
    finish.mutate({
      appointmentId: props.appointmentId,
      ...(startsAt ? { followUp: { startsAt } } : afterDays !== null ? { followUpDays: afterDays } : {}),
    });
  }

  const free = afterDays !== null ? slots.data : undefined;
  // The previous day's times stand in while the new day's load: shown, never clickable.
  const stale = slots.isPlaceholderData;
  const chosen = free?.slots.find((slot) => slot.starts_at === startsAt);
  return (
    <Dialog title="Finish the visit" onClose={props.onClose} wide>
      <form onSubmit={submit} noValidate className="finish-visit">
        <div className="segmented" role="group" aria-label="Follow-up">
          <button type="button" aria-pressed={afterDays === null} onClick={() => choose(null)} autoFocus>
            No follow-up
          </button>
          {picks.map(([days, label]) => (
            <button key={days} type="button" aria-pressed={afterDays === days} onClick={() => choose(days)}>
              {label}
            </button>
          ))}
        </div>
        {free && (
          <fieldset className="follow-up-slots" aria-describedby="follow-up-problem" aria-busy={stale} disabled={stale}>
            <legend>
              {stale
                ? 'Finding your free times on the new day…'
                : free.date
                  ? `Free with you on ${formatLongDay(free.date, clinic.language)} (${free.minutes} minutes)`
                  : 'Nothing free in the fortnight from then: the date is noted for reception to book.'}
            </legend>
            <div className="slot-grid">
              {free.slots.map((slot) => (
                <button
                  key={slot.starts_at}
                  type="button"
                  aria-pressed={startsAt === slot.starts_at}
                  onClick={() => setStartsAt(startsAt === slot.starts_at ? null : slot.starts_at)}
                >
                  {slot.local_time}
                </button>
              ))}
            </div>
            <p id="follow-up-problem" className="field-error" role="alert">
              {server.fields.followUp}
            </p>
            {!startsAt && free.date && <p className="field-hint">Choose a time to book it now, or finish and let reception book it.</p>}
            {chosen && (
              <p className="field-hint">
                A follow-up from {chosen.local_time} to {timeOf(minutesOf(chosen.local_time) + free.minutes)}, as long as the clinic’s
                follow-ups usually last.
              </p>
            )}
          </fieldset>
        )}
        <DialogFooter
          problem={server.general}
          busy={finish.isPending}
          label={startsAt ? 'Finish and book the follow-up' : 'Finish visit'}
          busyLabel="Finishing…"
          onCancel={props.onClose}
        />
      </form>
    </Dialog>
  );
}
