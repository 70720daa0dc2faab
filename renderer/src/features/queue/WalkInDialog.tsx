import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { walkInInput, type AppointmentType } from '../../../../shared/appointments';
import { formErrorsOf, NO_ERRORS } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { Dialog, DialogFooter } from '../../ui/Dialog';
import { Field } from '../../ui/Field';
import { DoctorSelect } from '../appointments/DoctorSelect';
import { TypeSelect } from '../appointments/TypeSelect';
import { PatientPicker } from '../patients/PatientPicker';
import type { ChosenPatient } from '../patients/patientsDesk';

/** A patient who arrives without a booking: added to the doctor's waiting queue as arrived now. */
export function WalkInDialog({ patient: given, onClose }: { patient?: ChosenPatient; onClose(): void }) {
  const [patient, setPatient] = useState<ChosenPatient | null>(given ?? null);
  const [doctorId, setDoctorId] = useState('');
  const [type, setType] = useState<AppointmentType>('consultation');
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const doctorSelect = useRef<HTMLSelectElement>(null);
  const form = useRef<HTMLFormElement>(null);
  // Each refused submit takes the desk to the first field to correct.
  const [attempts, setAttempts] = useState(0);
  const trpc = useTRPC();
  const refresh = useRefresh(trpc.appointments);
  const walkIn = useMutation(trpc.appointments.walkIn.mutationOptions({ onSuccess: refresh }));
  const server = walkIn.isError ? formErrorsOf(walkIn.error) : NO_ERRORS;
  const errors = { ...server.fields, ...problems };

  useEffect(() => {
    if (attempts > 0) form.current?.querySelector<HTMLElement>('[aria-invalid="true"], [data-invalid="true"]')?.focus();
  }, [attempts]);

  /** A field that changes is no longer wrong: its message goes (the server's too). */
  function changed(field: string) {
    setProblems(({ [field]: _gone, ...rest }) => rest);
    if (server.fields[field]) walkIn.reset();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkForm(walkInInput, {
      patient_id: patient?.id ?? '',
      doctor_id: doctorId,
      appointment_type: type,
      reason: reason || undefined,
    });
    setProblems(checked.fields);
    if (!checked.ok) setAttempts((n) => n + 1);
    else if (!walkIn.isPending) walkIn.mutate(checked.value, { onSuccess: onClose, onError: () => setAttempts((n) => n + 1) });
  }

  return (
    <Dialog title="Walk-in" onClose={onClose}>
      <form ref={form} onSubmit={submit} noValidate>
        <PatientPicker
          value={patient}
          onChange={(chosen) => {
            setPatient(chosen);
            changed('patient_id');
          }}
          error={errors.patient_id}
          autoFocus={!given}
          onPicked={() => doctorSelect.current?.focus()}
        />
        <DoctorSelect
          ref={doctorSelect}
          value={doctorId}
          onChange={(id) => {
            setDoctorId(id);
            changed('doctor_id');
          }}
          error={errors.doctor_id}
          autoFocus={!!given}
        />
        <TypeSelect
          value={type}
          onChange={(chosen) => {
            setType(chosen);
            changed('appointment_type');
          }}
          error={errors.appointment_type}
        />
        <Field label="Reason" value={reason} onChange={(event) => setReason(event.target.value)} error={errors.reason} />
        <DialogFooter problem={server.general} busy={walkIn.isPending} label="Add to the queue" busyLabel="Adding…" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
