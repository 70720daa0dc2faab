import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { DayVisit } from '../../../../shared/clinical';
import { STATUS_LABELS } from '../../../../shared/appointments';
import { formErrorsOf } from '../../errors';
import { useTRPC } from '../../trpc';

const REFRESH_MS = 15_000;
/** A wait this long is shown in red: someone should look up. */
const LONG_WAIT_MINUTES = 20;

/** The doctor's own visits today in order: start the next patient who has arrived, or go back to one in progress. */
export function MyDayList(props: { openVisitId: string | null; starting: boolean; onStart(visit: DayVisit): void }) {
  const trpc = useTRPC();
  const day = useQuery(trpc.clinical.myDay.queryOptions(undefined, { refetchInterval: REFRESH_MS, placeholderData: keepPreviousData }));
  const visits = day.data?.visits ?? [];
  return (
    <section className="panel my-day" aria-labelledby="my-day-title">
      <h2 id="my-day-title">Your patients today</h2>
      {day.isError && <p className="form-problem">{formErrorsOf(day.error).general}</p>}
      {day.isSuccess && visits.length === 0 && <p className="muted">No visits booked with you today.</p>}
      <ol className="my-day-list">
        {visits.map((visit) => (
          <li key={visit.appointment_id} className={visit.appointment_id === props.openVisitId ? 'my-day-item open' : 'my-day-item'}>
            <span className="queue-time">{visit.local_start}</span>
            <span className="my-day-who">
              <strong>{visit.patient_name}</strong> <span className="patient-number">{visit.patient_number}</span>
              {visit.has_allergies && <span className="allergy-dot">Allergies</span>}
              <span className="muted">{visit.reason}</span>
            </span>
            <span className="my-day-state">
              {visit.waiting_minutes !== null ? (
                <span className={visit.waiting_minutes >= LONG_WAIT_MINUTES ? 'wait wait-long' : 'wait'}>
                  waiting {visit.waiting_minutes} min
                </span>
              ) : (
                <span className="muted">{STATUS_LABELS[visit.status]}</span>
              )}
              {(visit.status === 'checked_in' || visit.status === 'in_progress') && (
                <button
                  type="button"
                  className={visit.status === 'checked_in' ? 'button-primary button-small' : 'button-secondary button-small'}
                  aria-label={`${visit.status === 'checked_in' ? 'Start' : 'Open'} ${visit.patient_name}`}
                  aria-disabled={props.starting}
                  onClick={() => props.starting || props.onStart(visit)}
                >
                  {visit.status === 'checked_in' ? 'Start' : 'Open'}
                </button>
              )}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
