import { WEEKDAYS, type WeekHoursText } from '../../../shared/clinic-settings';
import { Field } from './Field';

interface WeekHoursFieldsProps {
  legend: string;
  value: WeekHoursText;
  onChange(value: WeekHoursText): void;
  /** Field messages, named as the server names them: `${prefix}.mon` … */
  errors: Record<string, string>;
  prefix: string;
}

/** A week of hours, one box per day: "08:00-12:30, 13:30-18:00", empty when closed. */
export function WeekHoursFields({ legend, value, onChange, errors, prefix }: WeekHoursFieldsProps) {
  return (
    <fieldset className="week-hours">
      <legend>{legend}</legend>
      <p className="field-hint">Periods like 08:00-12:30, 13:30-18:00; leave a day empty when closed.</p>
      {WEEKDAYS.map((day) => (
        <Field
          key={day.key}
          label={day.label}
          value={value[day.key]}
          placeholder="Closed"
          onChange={(event) => onChange({ ...value, [day.key]: event.target.value })}
          error={errors[`${prefix}.${day.key}`]}
        />
      ))}
    </fieldset>
  );
}
