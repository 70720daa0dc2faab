import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId, useState, type ReactNode } from 'react';
import type { QueueEntry } from '../../../../shared/appointments';
import { formErrorsOf } from '../../errors';
import { useTRPC } from '../../trpc';
import { formatClock } from '../../ui/dates';
import { useCan, useSignedIn } from '../../ui/useSignedIn';
import { DoctorSelect } from '../appointments/DoctorSelect';
import { APPOINTMENT_TYPE_LABELS } from '../appointments/labels';
import { useDoctors } from '../appointments/useDoctors';
import { useStatusChanges } from '../appointments/useStatusChanges';
import { StatusTag } from '../appointments/VisitList';
import { RemoveFromQueueDialog } from './RemoveFromQueueDialog';
import { WalkInDialog } from './WalkInDialog';

const REFRESH_MS = 15_000;
/** A wait this long is shown in red: someone should look up. */
const LONG_WAIT_MINUTES = 20;

/**
 * Today's queue: who is still to arrive, who is waiting (and for how long), who is with the
 * doctor. Reception sees every doctor; in the consultation room (`ownQueue`) a doctor starts on
 * their own list.
 */
export function QueueBoard({ ownQueue = false }: { ownQueue?: boolean }) {
  const { user, clinic } = useSignedIn();
  const can = useCan();
  const doctors = useDoctors();
  const isDoctor = doctors.data?.some((doctor) => doctor.id === user.id) ?? false;
  const [chosenDoctor, setChosenDoctor] = useState<string | null>(null);
  const doctorId = chosenDoctor ?? (ownQueue && isDoctor ? user.id : '');
  const [walkIn, setWalkIn] = useState(false);
  const [leaving, setLeaving] = useState<QueueEntry | null>(null);
  const status = useStatusChanges();
  const trpc = useTRPC();

  const queue = useQuery(
    trpc.appointments.queue.queryOptions(doctorId ? { doctor_id: doctorId } : {}, {
      // A doctor's own list waits until we know they are one, rather than flashing everyone's.
      enabled: !ownQueue || chosenDoctor !== null || doctors.isSuccess,
      refetchInterval: REFRESH_MS,
      placeholderData: keepPreviousData,
    }),
  );
  const everyone = doctorId === '';

  const entry = (visit: QueueEntry, primary: boolean) => (
    <QueueItem
      key={visit.id}
      visit={visit}
      showDoctor={everyone}
      timezone={clinic.timezone}
      actions={status
        .stepsFor(visit)
        .filter((step) => step.to !== 'confirmed')
        .map((step) => (
          <button
            key={step.to}
            type="button"
            className={primary && step.to !== 'no_show' ? 'button-primary button-small' : 'button-secondary button-small'}
            aria-label={`${step.label} ${visit.patient_name}`}
            aria-disabled={status.change.isPending}
            onClick={() => status.change.isPending || status.change.mutate({ step, id: visit.id })}
          >
            {step.label}
          </button>
        ))
        .concat(
          visit.status === 'checked_in' && can('appointments.checkin') ? (
            <button
              key="remove"
              type="button"
              className="button-secondary button-small"
              aria-label={`Remove ${visit.patient_name} from the queue`}
              onClick={() => setLeaving(visit)}
            >
              Remove…
            </button>
          ) : (
            []
          ),
        )}
    />
  );

  return (
    // Busy while another doctor's queue is still shown in place of the one just chosen.
    <section className="queue" aria-labelledby="queue-title" aria-busy={queue.isPlaceholderData}>
      <div className="queue-toolbar">
        <h2 id="queue-title">{ownQueue ? 'Your patients today' : "Today's queue"}</h2>
        <DoctorSelect label="Doctor" anyLabel="All doctors" value={doctorId} onChange={setChosenDoctor} className="field-inline" />
        <p className="muted queue-updated" aria-live="off">
          {queue.dataUpdatedAt > 0 && `Updated ${formatClock(new Date(queue.dataUpdatedAt).toISOString(), clinic.timezone)} · `}
          refreshes every {REFRESH_MS / 1000} s
        </p>
        {can('appointments.checkin') && (
          <button type="button" className="button-primary" onClick={() => setWalkIn(true)}>
            Walk-in…
          </button>
        )}
      </div>
      {queue.isError && <p className="form-problem">{formErrorsOf(queue.error).general}</p>}
      {status.change.isError && (
        <p className="form-problem" role="alert">
          {formErrorsOf(status.change.error).general}
        </p>
      )}
      <div className="queue-columns">
        <QueueColumn title="Waiting" entries={queue.data?.waiting} empty="Nobody is waiting." render={(v) => entry(v, true)} />
        <QueueColumn
          title="With doctor"
          entries={queue.data?.with_doctor}
          empty="Nobody is with a doctor."
          render={(v) => entry(v, true)}
        />
        <QueueColumn
          title="Still to arrive"
          entries={queue.data?.upcoming}
          empty="No more bookings today."
          render={(v) => entry(v, false)}
        />
      </div>
      {walkIn && <WalkInDialog onClose={() => setWalkIn(false)} />}
      {leaving && <RemoveFromQueueDialog visit={leaving} onClose={() => setLeaving(null)} />}
    </section>
  );
}

function QueueColumn(props: { title: string; entries: QueueEntry[] | undefined; empty: string; render(visit: QueueEntry): ReactNode }) {
  const titleId = useId();
  return (
    <section className="queue-column" aria-labelledby={titleId}>
      <h3 id={titleId}>
        {props.title} <span className="count">{props.entries?.length ?? ''}</span>
      </h3>
      {props.entries?.length === 0 && <p className="muted">{props.empty}</p>}
      <ol>{props.entries?.map(props.render)}</ol>
    </section>
  );
}

function QueueItem(props: { visit: QueueEntry; showDoctor: boolean; timezone: string; actions: ReactNode[] }) {
  const { visit } = props;
  const waited = visit.waiting_minutes;
  return (
    <li className="queue-item">
      <div className="queue-when">
        <span className="queue-time">{visit.is_walk_in ? 'Walk-in' : visit.local_start}</span>
        {visit.checked_in_at && <span className="muted">arrived {formatClock(visit.checked_in_at, props.timezone)}</span>}
      </div>
      <div className="queue-who">
        <p>
          <strong>{visit.patient_name}</strong> <span className="patient-number">{visit.patient_number}</span>
          {visit.has_allergies && (
            <span className="allergy-dot" title="Has allergies: check the record">
              Allergies
            </span>
          )}
        </p>
        <p className="muted">
          {props.showDoctor && `${visit.doctor_name} · `}
          {APPOINTMENT_TYPE_LABELS[visit.appointment_type]}
          {visit.reason && ` · ${visit.reason}`}
        </p>
      </div>
      <div className="queue-state">
        {waited !== null ? (
          <span className={waited >= LONG_WAIT_MINUTES ? 'wait wait-long' : 'wait'}>waiting {waited} min</span>
        ) : (
          <StatusTag status={visit.status} />
        )}
      </div>
      <div className="queue-actions">{props.actions}</div>
    </li>
  );
}
