import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { plainQuantity, type Prescription } from '../../../../shared/prescriptions';
import { formErrorsOf } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { formatDate } from '../../ui/dates';
import { Dialog, DialogFooter } from '../../ui/Dialog';
import { TextAreaField } from '../../ui/Field';
import { savePdf } from '../../ui/savePdf';
import { useCan, useSignedIn } from '../../ui/useSignedIn';
import { PrescriptionDialog } from './PrescriptionDialog';

const medicineOf = (rx: Prescription) => [rx.medication_name, rx.strength, rx.dosage_form].filter(Boolean).join(' ');
const directionsOf = (rx: Prescription) =>
  [rx.dosage, rx.route, rx.frequency, rx.duration_days && `${rx.duration_days} days`].filter(Boolean).join(', ');

/**
 * The patient's prescriptions in the consultation: the active ones (ticked to print on one
 * sheet), a new one with its safety checks, stopping one with a reason; then the ended ones.
 */
export function PrescriptionsPanel({ patientId }: { patientId: string }) {
  const trpc = useTRPC();
  const can = useCan();
  const { clinic } = useSignedIn();
  const list = useQuery(trpc.prescriptions.forPatient.queryOptions({ patientId }));
  // What the chart header lists as prescribed changes with every prescription written or stopped.
  const refresh = useRefresh(trpc.prescriptions.forPatient, trpc.clinical.chart);
  const [writing, setWriting] = useState(false);
  const [stopping, setStopping] = useState<Prescription | null>(null);
  const [ticked, setTicked] = useState<ReadonlySet<string>>(new Set());
  const print = useMutation(trpc.prescriptions.print.mutationOptions({ onSuccess: savePdf }));

  const active = list.data?.filter((rx) => rx.is_active) ?? [];
  const ended = list.data?.filter((rx) => !rx.is_active) ?? [];
  const toPrint = active.filter((rx) => ticked.has(rx.id)).map((rx) => rx.id);
  const tick = (id: string, on: boolean) =>
    setTicked((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <section className="panel prescriptions-panel" aria-labelledby="prescriptions-title">
      <div className="note-title-row">
        <h2 id="prescriptions-title">Prescriptions</h2>
        {can('prescriptions.write') && (
          <button type="button" className="button-secondary" onClick={() => setWriting(true)}>
            New prescription
          </button>
        )}
      </div>
      {list.isError && <p className="form-problem">{formErrorsOf(list.error).general}</p>}
      {active.length === 0 && list.isSuccess && <p className="muted">No active prescriptions.</p>}
      {active.length > 0 && (
        <table className="data-table prescriptions-table">
          <thead>
            <tr>
              <th scope="col">Print</th>
              <th scope="col">Medication</th>
              <th scope="col">Directions</th>
              <th scope="col">Since</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {active.map((rx) => (
              <tr key={rx.id}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Print ${rx.medication_name}`}
                    checked={ticked.has(rx.id)}
                    onChange={(event) => tick(rx.id, event.target.checked)}
                  />
                </td>
                <td>
                  <strong>{medicineOf(rx)}</strong>
                  {rx.override_reason && <p className="muted overridden">Warnings overridden: {rx.override_reason}</p>}
                </td>
                <td>
                  {directionsOf(rx)}
                  {rx.quantity && <span className="muted"> · qty {plainQuantity(rx.quantity)}</span>}
                </td>
                <td>
                  {formatDate(rx.start_date, clinic.language)}
                  <span className="muted"> · {rx.doctor_name}</span>
                </td>
                <td>
                  {can('prescriptions.write') && (
                    <button type="button" className="button-quiet" onClick={() => setStopping(rx)}>
                      Discontinue
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {active.length > 0 && (
        <div className="panel-actions">
          <button
            type="button"
            className="button-primary"
            aria-disabled={toPrint.length === 0 || print.isPending}
            onClick={() => toPrint.length > 0 && !print.isPending && print.mutate({ ids: toPrint })}
          >
            {print.isPending ? 'Printing…' : `Print prescription${toPrint.length > 0 ? ` (${toPrint.length})` : ''}`}
          </button>
          <span className="muted" role="status">
            {print.isError
              ? (formErrorsOf(print.error).fields.ids ?? formErrorsOf(print.error).general)
              : toPrint.length === 0
                ? 'Tick what goes on the printed prescription.'
                : ''}
          </span>
        </div>
      )}
      {ended.length > 0 && (
        <details className="ended-prescriptions">
          <summary>Ended ({ended.length})</summary>
          <ul>
            {ended.map((rx) => (
              <li key={rx.id}>
                {medicineOf(rx)} <span className="muted">· {rx.status.replace('_', ' ')}</span>
                {rx.discontinued_reason && <span className="muted"> — {rx.discontinued_reason}</span>}
              </li>
            ))}
          </ul>
        </details>
      )}
      {writing && (
        <PrescriptionDialog
          patientId={patientId}
          onClose={() => setWriting(false)}
          onWritten={async (written) => {
            tick(written.id, true);
            await refresh();
            setWriting(false);
          }}
        />
      )}
      {stopping && (
        <DiscontinueDialog
          prescription={stopping}
          onClose={() => setStopping(null)}
          onStopped={async () => {
            tick(stopping.id, false);
            await refresh();
            setStopping(null);
          }}
        />
      )}
    </section>
  );
}

function DiscontinueDialog({
  prescription,
  onClose,
  onStopped,
}: {
  prescription: Prescription;
  onClose(): void;
  onStopped(): Promise<void>;
}) {
  const trpc = useTRPC();
  const [reason, setReason] = useState('');
  const stop = useMutation(trpc.prescriptions.discontinue.mutationOptions({ onSuccess: onStopped }));
  const errors = stop.isError ? formErrorsOf(stop.error) : undefined;
  return (
    <Dialog title={`Discontinue ${prescription.medication_name}`} onClose={onClose}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!stop.isPending) stop.mutate({ id: prescription.id, reason });
        }}
      >
        <TextAreaField
          label="Reason"
          rows={2}
          autoFocus
          value={reason}
          error={errors?.fields.reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <DialogFooter
          problem={errors?.general ?? null}
          busy={stop.isPending}
          label="Discontinue"
          busyLabel="Stopping…"
          onCancel={onClose}
          danger
        />
      </form>
    </Dialog>
  );
}
