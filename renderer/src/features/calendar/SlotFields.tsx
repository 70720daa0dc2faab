import type { Ref } from 'react';
import { parseTypedDate } from '../../../../shared/dates';
import { dateExample, formatLongDay, parseTypedTime, typedDate } from '../../ui/dates';
import { Field } from '../../ui/Field';
import { useSignedIn } from '../../ui/useSignedIn';
import { DoctorSelect } from '../appointments/DoctorSelect';
import { useDoctors } from '../appointments/useDoctors';

/**
 * Doctor, day, time and length of an appointment as typed. Date and time are plain text in
 * the clinic's own format, not the browser's date widgets: those follow the PC's locale, and a
 * UK desk must never read 12/03 as December the 3rd.
 */
export interface SlotValues {
  doctor_id: string;
  date: string;
  time: string;
  duration_minutes: string;
}

export function slotValues(
  slot: { doctor_id: string; date: string; time: string; duration_minutes: number },
  language: string,
): SlotValues {
  return { ...slot, date: typedDate(slot.date, language), duration_minutes: String(slot.duration_minutes) };
}

/**
 * The slot as the schemas read it (`bookAppointmentInput`, `moveAppointmentInput`), with
 * messages for a date or time that cannot be read at all.
 */
export function slotInput(values: SlotValues, language: string) {
  const date = parseTypedDate(values.date, language);
  const time = parseTypedTime(values.time);
  const problems: Record<string, string> = {};
  if (!date) problems.date = values.date.trim() ? `Use a date like ${dateExample(language)}.` : 'Enter the date.';
  if (!time) problems.time = values.time.trim() ? 'Use a time like 09:30.' : 'Enter the time.';
  return {
    input: { doctor_id: values.doctor_id, date: date ?? '', time: time ?? '', duration_minutes: Number(values.duration_minutes) },
    problems,
  };
}

interface SlotFieldsProps {
  values: SlotValues;
  onChange(values: SlotValues): void;
  errors: Record<string, string>;
  /** The time field, where a double booking is explained: focus goes there to fix it. */
  timeRef?: Ref<HTMLInputElement>;
  /** Moving an appointment keeps the length it was booked for, whoever sees the patient. */
  keepLength?: boolean;
}

export function SlotFields({ values, onChange, errors, timeRef, keepLength = false }: SlotFieldsProps) {
  const { clinic } = useSignedIn();
  const doctors = useDoctors();
  const slotOf = (id: string) => doctors.data?.find((doctor) => doctor.id === id)?.default_slot_minutes;
  const date = parseTypedDate(values.date, clinic.language);

  function chooseDoctor(doctorId: string) {
    // A new booking's length follows the doctor's usual slot unless someone typed another.
    const untouched = !keepLength && values.duration_minutes === String(slotOf(values.doctor_id) ?? '');
    const slot = slotOf(doctorId);
    onChange({ ...values, doctor_id: doctorId, duration_minutes: untouched && slot ? String(slot) : values.duration_minutes });
  }

  return (
    <div className="form-grid">
      <DoctorSelect value={values.doctor_id} onChange={chooseDoctor} error={errors.doctor_id} className="span-3" />
      <Field
        label="Date"
        className="field-hint-below"
        autoComplete="off"
        placeholder={dateExample(clinic.language)}
        hint={date ? formatLongDay(date, clinic.language) : undefined}
        value={values.date}
        onChange={(event) => onChange({ ...values, date: event.target.value })}
        error={errors.date}
      />
      <Field
        ref={timeRef}
        label="Time"
        autoComplete="off"
        inputMode="numeric"
        placeholder="09:30"
        value={values.time}
        onChange={(event) => onChange({ ...values, time: event.target.value })}
        error={errors.time}
      />
      <Field
        label="Minutes"
        type="number"
        min={5}
        max={240}
        step={5}
        value={values.duration_minutes}
        onChange={(event) => onChange({ ...values, duration_minutes: event.target.value })}
        error={errors.duration_minutes}
      />
    </div>
  );
}
