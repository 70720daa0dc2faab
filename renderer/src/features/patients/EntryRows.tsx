import { useRef, useState } from 'react';
import { Field, SelectField } from '../../ui/Field';

interface EntryColumn<Row> {
  key: keyof Row & string;
  label: string;
  /** A fixed list to choose from (severity); otherwise free text. */
  choices?: readonly string[];
  hint?: string;
}

interface EntryRowsProps<Row extends Record<string, string>> {
  legend: string;
  /** What one row is called: "allergy" gives "Add allergy", "Allergy 2". */
  itemName: string;
  /** The schema's name for the list, so "allergies.1.substance" finds its message. */
  path: string;
  rows: Row[];
  blank: Row;
  columns: EntryColumn<Row>[];
  errors: Record<string, string>;
  none: string;
  onChange(rows: Row[]): void;
}

/** A list the desk records entry by entry (allergies, history, medications): rows to add and remove. */
export function EntryRows<Row extends Record<string, string>>(props: EntryRowsProps<Row>) {
  const { legend, itemName, path, rows, blank, columns, errors, none, onChange } = props;
  // The row just added takes focus in its first field; after a removal focus goes to "Add".
  const [added, setAdded] = useState<number | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const title = itemName.charAt(0).toUpperCase() + itemName.slice(1);

  const update = (index: number, key: keyof Row, value: string) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, [key]: value } : row)));

  return (
    <fieldset className="form-group">
      <legend>{legend}</legend>
      {rows.length === 0 && <p className="muted entry-none">{none}</p>}
      {errors[path] && <p className="field-error">{errors[path]}</p>}
      {rows.length > 0 && (
        <ol className="entry-rows">
          {rows.map((row, index) => (
            <li key={index} className="entry-row" role="group" aria-label={`${title} ${index + 1}`}>
              {columns.map((column, columnIndex) => {
                const common = {
                  label: column.label,
                  hint: column.hint,
                  value: row[column.key],
                  error: errors[`${path}.${index}.${column.key}`],
                  autoFocus: added === index && columnIndex === 0,
                };
                return column.choices ? (
                  <SelectField key={column.key} {...common} onChange={(event) => update(index, column.key, event.target.value)}>
                    <option value="">Choose…</option>
                    {column.choices.map((choice) => (
                      <option key={choice} value={choice}>
                        {choice.charAt(0).toUpperCase() + choice.slice(1)}
                      </option>
                    ))}
                  </SelectField>
                ) : (
                  <Field key={column.key} {...common} onChange={(event) => update(index, column.key, event.target.value)} />
                );
              })}
              <button
                type="button"
                className="button-quiet entry-remove"
                aria-label={`Remove ${itemName} ${index + 1}`}
                onClick={() => {
                  onChange(rows.filter((_, i) => i !== index));
                  setAdded(null);
                  addButton.current?.focus();
                }}
              >
                Remove
              </button>
            </li>
          ))}
        </ol>
      )}
      <button
        ref={addButton}
        type="button"
        className="button-secondary button-small"
        onClick={() => {
          onChange([...rows, { ...blank }]);
          setAdded(rows.length);
        }}
      >
        Add {itemName}
      </button>
    </fieldset>
  );
}
