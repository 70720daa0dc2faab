import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { restorePatientInput, type ArchivedPatient } from '../../../../shared/patients';
import { formErrorsOf, NO_ERRORS } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { formatDate, formatInstant } from '../../ui/dates';
import { Dialog, DialogFooter } from '../../ui/Dialog';
import { TextAreaField } from '../../ui/Field';
import { useSignedIn } from '../../ui/useSignedIn';
import { usePatientsDesk } from './patientsDesk';

/** The administrator's list of archived records, each with the reason it was archived. */
export function ArchivedPatients() {
  const { clinic } = useSignedIn();
  const backToSearch = usePatientsDesk((s) => s.backToSearch);
  const [restoring, setRestoring] = useState<ArchivedPatient | null>(null);
  const trpc = useTRPC();
  const archived = useQuery(trpc.patients.archived.queryOptions());

  return (
    <section className="archived" aria-labelledby="archived-title">
      <button type="button" className="button-quiet back-link" onClick={() => backToSearch()}>
        ← Back to search
      </button>
      <h2 id="archived-title">Archived patients</h2>
      {archived.isError && <p className="form-problem">{formErrorsOf(archived.error).general}</p>}
      {archived.data?.length === 0 && <p className="muted">No archived records.</p>}
      {archived.data && archived.data.length > 0 && (
        <table className="plain-table">
          <thead>
            <tr>
              <th scope="col">Patient</th>
              <th scope="col">Born</th>
              <th scope="col">Archived</th>
              <th scope="col">Reason</th>
              <th scope="col">
                <span className="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {archived.data.map((patient) => (
              <tr key={patient.id}>
                <td>
                  <strong>
                    {patient.first_name} {patient.last_name}
                  </strong>{' '}
                  <span className="patient-number">{patient.patient_number}</span>
                </td>
                <td>{formatDate(patient.date_of_birth, clinic.language)}</td>
                <td>{formatInstant(patient.archived_at, clinic.language, clinic.timezone)}</td>
                <td>{patient.reason}</td>
                <td>
                  <button
                    type="button"
                    className="button-secondary button-small"
                    aria-label={`Restore ${patient.first_name} ${patient.last_name}, ${patient.patient_number}`}
                    onClick={() => setRestoring(patient)}
                  >
                    Restore…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {restoring && <RestoreDialog patient={restoring} onClose={() => setRestoring(null)} />}
    </section>
  );
}

function RestoreDialog({ patient, onClose }: { patient: ArchivedPatient; onClose(): void }) {
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const openPatient = usePatientsDesk((s) => s.openPatient);
  const trpc = useTRPC();
  const refresh = useRefresh(trpc.patients, trpc.appointments);
  const restore = useMutation(trpc.patients.restore.mutationOptions({ onSuccess: refresh }));
  const server = restore.isError ? formErrorsOf(restore.error) : NO_ERRORS;
  const name = `${patient.first_name} ${patient.last_name}`;

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkForm(restorePatientInput, { id: patient.id, reason: reason.trim() || undefined });
    setProblems(checked.fields);
    if (checked.ok && !restore.isPending) restore.mutate(checked.value, { onSuccess: (restored) => openPatient(restored.id) });
  }

  return (
    <Dialog title={`Restore ${name}?`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p className="dialog-text">
          {name} ({patient.patient_number}) will appear in search again and can be booked.
        </p>
        <TextAreaField
          label="Reason (optional)"
          rows={2}
          autoFocus
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          error={problems.reason ?? server.fields.reason}
        />
        <DialogFooter problem={server.general} busy={restore.isPending} label="Restore record" busyLabel="Restoring…" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
