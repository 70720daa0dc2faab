import { APPOINTMENT_TYPES, type AppointmentType } from '../../../../shared/appointments';
import { SelectField } from '../../ui/Field';
import { APPOINTMENT_TYPE_LABELS } from './labels';

interface TypeSelectProps {
  value: AppointmentType;
  onChange(type: AppointmentType): void;
  error?: string;
  autoFocus?: boolean;
}

export function TypeSelect({ value, onChange, error, autoFocus }: TypeSelectProps) {
  return (
    <SelectField
      label="Type of visit"
      value={value}
      onChange={(event) => onChange(event.target.value as AppointmentType)}
      error={error}
      autoFocus={autoFocus}
    >
      {APPOINTMENT_TYPES.map((type) => (
        <option key={type} value={type}>
          {APPOINTMENT_TYPE_LABELS[type]}
        </option>
      ))}
    </SelectField>
  );
}
