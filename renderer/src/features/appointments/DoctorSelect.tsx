import type { ChangeEvent, Ref } from 'react';
import { SelectField } from '../../ui/Field';
import { useDoctors } from './useDoctors';

interface DoctorSelectProps {
  value: string;
  onChange(doctorId: string): void;
  error?: string;
  label?: string;
  /** The choice meaning "no one in particular", e.g. "All doctors"; without it a doctor must be chosen. */
  anyLabel?: string;
  className?: string;
  autoFocus?: boolean;
  ref?: Ref<HTMLSelectElement>;
}

export function DoctorSelect({ value, onChange, error, label = 'Doctor', anyLabel, className, autoFocus, ref }: DoctorSelectProps) {
  const doctors = useDoctors();
  return (
    <SelectField
      ref={ref}
      label={label}
      value={value}
      onChange={(event: ChangeEvent<HTMLSelectElement>) => onChange(event.target.value)}
      error={error}
      className={className}
      autoFocus={autoFocus}
    >
      <option value="">{anyLabel ?? (doctors.isPending ? 'Loading…' : 'Choose a doctor')}</option>
      {doctors.data?.map((doctor) => (
        <option key={doctor.id} value={doctor.id}>
          {doctor.name}
          {doctor.specialization ? ` · ${doctor.specialization}` : ''}
        </option>
      ))}
    </SelectField>
  );
}
