import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { archivePatientInput, type Patient } from '../../../../shared/patients';
import { formErrorsOf, NO_ERRORS } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { Dialog, DialogFooter } from '../../ui/Dialog';
import { TextAreaField } from '../../ui/Field';
import { fullName } from '../../ui/names';
import { usePatientsDesk } from './patientsDesk';

/** Archiving hides the record from search and lists; an administrator can restore it. */
export function ArchiveDialog({ patient, onClose }: { patient: Patient; onClose(): void }) {
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const backToSearch = usePatientsDesk((s) => s.backToSearch);
  const trpc = useTRPC();
  // An archived patient leaves search, lists and the calendar's bookings alike.
  const refresh = useRefresh(trpc.patients, trpc.appointments);
  const archive = useMutation(trpc.patients.archive.mutationOptions({ onSuccess: refresh }));
  const errors = archive.isError ? formErrorsOf(archive.error) : NO_ERRORS;
  const name = fullName(patient);

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = archivePatientInput.safeParse({ id: patient.id, reason });
    setProblem(checked.success ? undefined : checked.error.issues[0]?.message);
    if (checked.success && !archive.isPending) {
      archive.mutate(checked.data, { onSuccess: () => backToSearch(`${name} (${patient.patient_number}) was archived.`) });
    }
  }

  return (
    <Dialog title={`Archive ${name}?`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p className="dialog-text">
          The record of {name}, {patient.patient_number}, will no longer appear in search or on new bookings. An administrator can restore
          it.
        </p>
        <TextAreaField
          label="Reason"
          hint="For example: registered twice, moved away."
          autoFocus
          rows={3}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          error={problem ?? errors.fields.reason}
        />
        <DialogFooter
          problem={errors.general}
          busy={archive.isPending}
          label="Archive record"
          busyLabel="Archiving…"
          onCancel={onClose}
          cancelLabel="Keep record"
          danger
        />
      </form>
    </Dialog>
  );
}
