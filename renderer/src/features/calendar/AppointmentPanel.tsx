import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { cancelAppointmentInput, moveAppointmentInput, STATUS_LABELS, type CalendarAppointment } from '../../../../shared/appointments';
import { formErrorsOf, NO_ERRORS } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { formatLongDay } from '../../ui/dates';
import { Dialog, DialogFooter } from '../../ui/Dialog';
import { TextAreaField } from '../../ui/Field';
import { useCan, useSignedIn } from '../../ui/useSignedIn';
import { APPOINTMENT_TYPE_LABELS } from '../appointments/labels';
import { useStatusChanges } from '../appointments/useStatusChanges';
import { StatusTag } from '../appointments/VisitList';
import { SlotFields, slotInput, slotValues, type SlotValues } from './SlotFields';

interface AppointmentPanelProps {
  appointment: CalendarAppointment;
  onClose(): void;
  /** What was done, for the calendar's status line. */
  onDone(what: string): void;
  onOpenPatient(patientId: string): void;
}

/** One appointment: its details and what may be done with it now, given its status and the user's role. */
export function AppointmentPanel({ appointment, onClose, onDone, onOpenPatient }: AppointmentPanelProps) {
  const { clinic } = useSignedIn();
  const can = useCan();
  const status = useStatusChanges();
  const [form, setForm] = useState<'move' | 'cancel' | null>(null);
  const steps = status.stepsFor(appointment);
  const who = appointment.patient_name;

  return (
    <Dialog title={`${who} · ${appointment.local_start}–${appointment.local_end}`} onClose={onClose} wide={form === 'move'}>
      <dl className="details-list">
        <dt>Patient</dt>
        <dd>
          {who} <span className="patient-number">{appointment.patient_number}</span>
          {appointment.has_allergies && <span className="allergy-dot">Allergies</span>}
        </dd>
        <dt>When</dt>
        <dd>
          {formatLongDay(appointment.local_date, clinic.language)}, {appointment.local_start}–{appointment.local_end} (
          {appointment.duration_minutes} min)
        </dd>
        <dt>Doctor</dt>
        <dd>{appointment.doctor_name}</dd>
        <dt>Visit</dt>
        <dd>
          {APPOINTMENT_TYPE_LABELS[appointment.appointment_type]}
          {appointment.is_walk_in && ' (walk-in)'}
          {appointment.reason && ` · ${appointment.reason}`}
        </dd>
        <dt>Status</dt>
        <dd>
          <StatusTag status={appointment.status} />
        </dd>
      </dl>

      {form === null && (
        <div className="dialog-actions" role="group" aria-label="Actions">
          {steps.map((step, index) => (
            <button
              key={step.to}
              type="button"
              className={index === 0 ? 'button-primary' : 'button-secondary'}
              autoFocus={index === 0}
              aria-disabled={status.change.isPending}
              onClick={() =>
                status.change.isPending ||
                status.change.mutate(
                  { step, id: appointment.id },
                  { onSuccess: () => onDone(`${who}: ${STATUS_LABELS[step.to].toLowerCase()}.`) },
                )
              }
            >
              {step.label}
            </button>
          ))}
          {status.canReschedule(appointment.status) && (
            <button type="button" className="button-secondary" onClick={() => setForm('move')}>
              Move…
            </button>
          )}
          {status.canCancel(appointment.status) && (
            <button type="button" className="button-secondary button-danger" onClick={() => setForm('cancel')}>
              Cancel appointment…
            </button>
          )}
          {can('patients.read') && appointment.patient_number !== '' && (
            <button type="button" className="button-quiet" onClick={() => onOpenPatient(appointment.patient_id)}>
              Open patient record
            </button>
          )}
        </div>
      )}
      {status.change.isError && (
        <p className="form-problem" role="alert">
          {formErrorsOf(status.change.error).general}
        </p>
      )}
      {form === 'move' && <MoveForm appointment={appointment} onBack={() => setForm(null)} onDone={onDone} />}
      {form === 'cancel' && <CancelForm appointment={appointment} onBack={() => setForm(null)} onDone={onDone} />}
    </Dialog>
  );
}

interface ChangeFormProps {
  appointment: CalendarAppointment;
  onBack(): void;
  onDone(what: string): void;
}

function MoveForm({ appointment, onBack, onDone }: ChangeFormProps) {
  const { clinic } = useSignedIn();
  const [slot, setSlot] = useState<SlotValues>(() =>
    slotValues(
      {
        doctor_id: appointment.doctor_id,
        date: appointment.local_date,
        time: appointment.local_start,
        duration_minutes: appointment.duration_minutes,
      },
      clinic.language,
    ),
  );
  const [problems, setProblems] = useState<Record<string, string>>({});
  const timeInput = useRef<HTMLInputElement>(null);
  const trpc = useTRPC();
  const refresh = useRefresh(trpc.appointments);
  const move = useMutation(trpc.appointments.move.mutationOptions({ onSuccess: refresh }));
  const server = move.isError ? formErrorsOf(move.error) : NO_ERRORS;

  // Start in the time, the usual change; come back to it when the new time clashes.
  useEffect(() => timeInput.current?.focus(), []);
  useEffect(() => {
    if (server.fields.time) timeInput.current?.focus();
  }, [move.error, server.fields.time]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const { input, problems: typed } = slotInput(slot, clinic.language);
    const checked = checkForm(moveAppointmentInput, { id: appointment.id, ...input });
    setProblems({ ...checked.fields, ...typed });
    if (checked.ok && Object.keys(typed).length === 0 && !move.isPending) {
      move.mutate(checked.value, {
        onSuccess: (moved) =>
          onDone(`${moved.patient_name} moved to ${formatLongDay(moved.local_date, clinic.language)} at ${moved.local_start}.`),
      });
    }
  }

  return (
    <form onSubmit={submit} noValidate className="panel-form">
      <h3>Move to</h3>
      <SlotFields
        values={slot}
        onChange={(next) => {
          setSlot(next);
          move.reset();
        }}
        errors={{ ...server.fields, ...problems }}
        timeRef={timeInput}
      />
      <DialogFooter
        problem={server.general}
        busy={move.isPending}
        label="Move appointment"
        busyLabel="Moving…"
        onCancel={onBack}
        cancelLabel="Back"
      />
    </form>
  );
}

function CancelForm({ appointment, onBack, onDone }: ChangeFormProps) {
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const trpc = useTRPC();
  const refresh = useRefresh(trpc.appointments);
  const cancel = useMutation(trpc.appointments.cancel.mutationOptions({ onSuccess: refresh }));
  const server = cancel.isError ? formErrorsOf(cancel.error) : NO_ERRORS;

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkForm(cancelAppointmentInput, { id: appointment.id, reason });
    setProblems(checked.fields);
    if (checked.ok && !cancel.isPending) {
      cancel.mutate(checked.value, { onSuccess: () => onDone(`${appointment.patient_name}'s appointment was cancelled.`) });
    }
  }

  return (
    <form onSubmit={submit} noValidate className="panel-form">
      <TextAreaField
        label="Why is it cancelled?"
        hint="For example: patient phoned, feeling better."
        rows={2}
        autoFocus
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        error={problems.reason ?? server.fields.reason}
      />
      <DialogFooter
        problem={server.general}
        busy={cancel.isPending}
        label="Cancel appointment"
        busyLabel="Cancelling…"
        onCancel={onBack}
        cancelLabel="Keep it"
        danger
      />
    </form>
  );
}
