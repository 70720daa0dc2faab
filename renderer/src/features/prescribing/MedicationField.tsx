import { useId, useState } from 'react';
import { comboboxAttributes, OptionList } from '../../ui/OptionList';
import { useActiveOption } from '../../ui/useActiveOption';
import { findMedications } from './medicationSearch';

interface MedicationFieldProps {
  value: string;
  onChange(value: string): void;
  error?: string;
}

/**
 * "Medication": free text, with the curated table's medicines offered as the prescriber types
 * (↑/↓ and Enter, or a click). A medicine it does not list is typed in full.
 */
export function MedicationField({ value, onChange, error }: MedicationFieldProps) {
  const id = useId();
  // The list is offered while typing, and put away once a medicine is chosen.
  const [offering, setOffering] = useState(false);
  const options = offering ? findMedications(value) : [];
  const choose = (index: number) => {
    const option = options[index];
    if (!option) return;
    onChange(option.name);
    setOffering(false);
  };
  const { activeIndex, setActiveIndex, onKeyDown } = useActiveOption(options.length, value, choose);
  return (
    <div className="field picker medication-field">
      <label htmlFor={id}>Medication</label>
      <input
        {...comboboxAttributes(id, options.length, activeIndex, error)}
        autoFocus
        placeholder="Type a generic or brand name"
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
          setOffering(true);
        }}
        onBlur={() => setOffering(false)}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && options.length > 0) {
            event.preventDefault();
            setOffering(false);
          } else onKeyDown(event);
        }}
      />
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
      {options.length > 0 && (
        <OptionList
          id={`${id}-list`}
          label="Medicines"
          options={options}
          keyOf={(option) => option.name}
          activeIndex={activeIndex}
          setActiveIndex={setActiveIndex}
          choose={choose}
          className="search-result medication-option"
        >
          {(option) => (
            <>
              <strong>{option.name}</strong>
              {option.matched && <span> ({option.matched})</span>}
              <span className="muted"> · {option.classes.join(', ')}</span>
            </>
          )}
        </OptionList>
      )}
    </div>
  );
}
