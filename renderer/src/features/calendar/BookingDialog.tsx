import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { bookAppointmentInput, type AppointmentType, type CalendarAppointment } from '../../../../shared/appointments';
import { formErrorsOf, NO_ERRORS } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { Dialog, DialogFooter } from '../../ui/Dialog';
import { Field } from '../../ui/Field';
import { useSignedIn } from '../../ui/useSignedIn';
import { TypeSelect } from '../appointments/TypeSelect';
import { useVisitLengths } from '../appointments/useVisitLengths';
import { PatientPicker } from '../patients/PatientPicker';
import type { ChosenPatient } from '../patients/patientsDesk';
import { SlotFields, slotInput, type SlotValues } from './SlotFields';

interface BookingDialogProps {
  slot: SlotValues;
  patient: ChosenPatient | null;
  onClose(): void;
  onBooked(appointment: CalendarAppointment): void;
}

/** Book appointment: the slot chosen on the calendar, a patient, and what the visit is for. */
export function BookingDialog({ slot: chosenSlot, patient: chosenPatient, onClose, onBooked }: BookingDialogProps) {
  const { clinic } = useSignedIn();
  const [patient, setPatient] = useState(chosenPatient);
  const [slot, setSlot] = useState(chosenSlot);
  const [type, setType] = useState<AppointmentType>('consultation');
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const timeInput = useRef<HTMLInputElement>(null);
  const reasonInput = useRef<HTMLInputElement>(null);
  const lengths = useVisitLengths();
  const trpc = useTRPC();
  const refresh = useRefresh(trpc.appointments);
  const book = useMutation(trpc.appointments.book.mutationOptions({ onSuccess: refresh }));
  const server = book.isError ? formErrorsOf(book.error) : NO_ERRORS;
  const errors = { ...server.fields, ...problems };

  // A clash (or a closed hour) is explained beside the time: go there to choose another.
  useEffect(() => {
    if (server.fields.time) timeInput.current?.focus();
  }, [book.error, server.fields.time]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const { input, problems: typed } = slotInput(slot, clinic.language);
    const checked = checkForm(bookAppointmentInput, {
      ...input,
      patient_id: patient?.id ?? '',
      appointment_type: type,
      reason: reason || undefined,
    });
    setProblems({ ...checked.fields, ...typed });
    if (checked.ok && Object.keys(typed).length === 0 && !book.isPending) book.mutate(checked.value, { onSuccess: onBooked });
  }

  return (
    <Dialog title="Book appointment" onClose={onClose} wide>
      <form onSubmit={submit} noValidate>
        {/* With the slot already chosen, a patient and Enter (in Reason) is a booking. */}
        <PatientPicker
          value={patient}
          onChange={setPatient}
          error={errors.patient_id}
          autoFocus={!patient}
          onPicked={() => reasonInput.current?.focus()}
        />
        <SlotFields
          values={slot}
          onChange={(next) => {
            setSlot(next);
            // The server's answer was about the old slot.
            book.reset();
          }}
          errors={errors}
          timeRef={timeInput}
        />
        <div className="form-grid">
          <TypeSelect
            value={type}
            onChange={(chosen) => {
              setType(chosen);
              // A visit of this type usually lasts so long (Admin → clinic settings): the end time follows.
              if (lengths) {
                setSlot({ ...slot, duration_minutes: String(lengths[chosen]) });
                book.reset();
              }
            }}
            error={errors.appointment_type}
          />
          <Field
            ref={reasonInput}
            label="Reason"
            className="span-2"
            autoFocus={!!patient}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            error={errors.reason}
          />
        </div>
        <DialogFooter problem={server.general} busy={book.isPending} label="Book" busyLabel="Booking…" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
