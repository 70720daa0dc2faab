import { useId, useState } from 'react';
import { todayIn } from '../../../../shared/dates';
import { fullName } from '../../ui/names';
import { comboboxAttributes, OptionList } from '../../ui/OptionList';
import { useActiveOption } from '../../ui/useActiveOption';
import { useSignedIn } from '../../ui/useSignedIn';
import { usePatientSearch } from './patientQueries';
import type { ChosenPatient } from './patientsDesk';
import { PatientSummary } from './PatientSummary';

interface PatientPickerProps {
  value: ChosenPatient | null;
  onChange(patient: ChosenPatient | null): void;
  error?: string;
  autoFocus?: boolean;
  /** Where the keyboard goes next once a patient is chosen; by default to "Change patient". */
  onPicked?(): void;
  label?: string;
}

/** "Patient" in a dialog: the same search as the desk's, chosen with ↑/↓ and Enter. */
export function PatientPicker({ value, onChange, error, autoFocus, onPicked, label = 'Patient' }: PatientPickerProps) {
  const { clinic } = useSignedIn();
  const [text, setText] = useState('');
  // The box and the chosen patient replace each other: focus follows so it is never lost.
  const [focusOn, setFocusOn] = useState<'change' | 'box' | null>(null);
  const id = useId();
  const search = usePatientSearch(text, 8);
  const typed = text.trim();
  const results = typed === '' ? [] : (search.data ?? []);
  const choose = (index: number) => {
    const patient = results[index];
    if (!patient) return;
    onChange({ id: patient.id, name: fullName(patient), patient_number: patient.patient_number });
    setText('');
    if (onPicked) onPicked();
    else setFocusOn('change');
  };
  const { activeIndex, setActiveIndex, onKeyDown } = useActiveOption(results.length, typed, choose);
  const errorId = `${id}-error`;

  if (value) {
    return (
      <div className="field">
        <span className="field-label" id={`${id}-label`}>
          {label}
        </span>
        <div className="picked" role="group" aria-labelledby={`${id}-label`}>
          <span>
            <strong>{value.name}</strong> <span className="muted">{value.patient_number}</span>
          </span>
          <button
            type="button"
            className="button-quiet"
            autoFocus={focusOn === 'change'}
            // A refusal about this patient (already in the queue) is read here, where it is changed.
            aria-describedby={error ? errorId : undefined}
            data-invalid={error ? true : undefined}
            onClick={() => {
              setFocusOn('box');
              onChange(null);
            }}
          >
            Change patient
          </button>
        </div>
        {error && (
          <p className="field-error" id={errorId}>
            {error}
          </p>
        )}
      </div>
    );
  }

  const today = todayIn(clinic.timezone);
  return (
    <div className="field picker">
      <label htmlFor={id}>{label}</label>
      <input
        type="search"
        {...comboboxAttributes(id, results.length, activeIndex, error)}
        autoFocus={autoFocus || focusOn === 'box'}
        placeholder="Type a name, phone or patient number"
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          // Esc clears what was typed first; a second Esc closes the dialog.
          if (event.key === 'Escape' && text !== '') {
            event.preventDefault();
            setText('');
          } else onKeyDown(event);
        }}
      />
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
      {results.length > 0 && (
        <OptionList
          id={`${id}-list`}
          label="Patients found"
          options={results}
          keyOf={(patient) => patient.id}
          activeIndex={activeIndex}
          setActiveIndex={setActiveIndex}
          choose={choose}
          className="search-result"
        >
          {(patient) => <PatientSummary patient={patient} today={today} language={clinic.language} />}
        </OptionList>
      )}
      {typed !== '' && search.data?.length === 0 && !search.isPlaceholderData && (
        <p className="field-hint">No patient found. Register them under Patients first.</p>
      )}
    </div>
  );
}
