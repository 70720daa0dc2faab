import type { Ref } from 'react';
import { parseTypedDate } from '../../../../shared/dates';
import { dateExample, formatLongDay, minutesOf, parseTypedTime, timeOf, typedDate } from '../../ui/dates';
import { Field } from '../../ui/Field';
import { useSignedIn } from '../../ui/useSignedIn';
import { DoctorSelect } from '../appointments/DoctorSelect';

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
}

/** When a visit typed so ends ("10:45"), or null while the time or length cannot be read or it runs past midnight. */
function endOf(values: SlotValues): string | null {
  const start = parseTypedTime(values.time);
  const length = Number(values.duration_minutes);
  if (!start || !Number.isInteger(length) || length <= 0) return null;
  const end = minutesOf(start) + length;
  return end < 24 * 60 ? timeOf(end) : null;
}

/** The length is the caller's: a new booking's follows its type, a moved one keeps its own, whoever sees the patient. */
export function SlotFields({ values, onChange, errors, timeRef }: SlotFieldsProps) {
  const { clinic } = useSignedIn();
  const date = parseTypedDate(values.date, clinic.language);
  const end = endOf(values);

  return (
    <div className="form-grid">
      <DoctorSelect
        value={values.doctor_id}
        onChange={(doctorId) => onChange({ ...values, doctor_id: doctorId })}
        error={errors.doctor_id}
        className="span-3"
      />
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
        className="field-hint-below"
        hint={end ? `Ends at ${end}` : undefined}
        type="number"
        min={5}
        max={480}
        step={5}
        value={values.duration_minutes}
        onChange={(event) => onChange({ ...values, duration_minutes: event.target.value })}
        error={errors.duration_minutes}
      />
    </div>
  );
}
