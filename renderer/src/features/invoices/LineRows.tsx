import { blankLine, type LineDraft } from './lineForm';

interface LineRowsProps {
  lines: LineDraft[];
  onChange(lines: LineDraft[]): void;
  /** Field messages by the server's names: lines.0.unitPrice, … */
  errors: Record<string, string>;
}

const COLUMNS: readonly { key: keyof LineDraft; label: string; size: number }[] = [
  { key: 'code', label: 'Code', size: 12 },
  { key: 'description', label: 'Description', size: 26 },
  { key: 'quantity', label: 'Qty', size: 4 },
  { key: 'unitPrice', label: 'Unit price', size: 8 },
  { key: 'discount', label: 'Discount', size: 7 },
  { key: 'taxRate', label: 'Tax %', size: 5 },
];

/**
 * The lines of an invoice or credit note as typed. Amounts and totals are the database's: they
 * are shown once it has priced the lines, never added up here.
 */
export function LineRows({ lines, onChange, errors }: LineRowsProps) {
  const set = (index: number, key: keyof LineDraft, value: string) =>
    onChange(lines.map((line, n) => (n === index ? { ...line, [key]: value } : line)));
  const lineErrors = (index: number) => COLUMNS.map((column) => errors[`lines.${index}.${column.key}`]).filter(Boolean);
  return (
    <div className="line-rows">
      <table className="data-table">
        <thead>
          <tr>
            {COLUMNS.map((column) => (
              <th key={column.key} scope="col">
                {column.label}
              </th>
            ))}
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line, index) => (
            <tr key={index}>
              {COLUMNS.map((column) => (
                <td key={column.key}>
                  <input
                    aria-label={`Line ${index + 1} ${column.label.toLowerCase()}`}
                    aria-invalid={errors[`lines.${index}.${column.key}`] ? true : undefined}
                    size={column.size}
                    inputMode={column.key === 'code' || column.key === 'description' ? undefined : 'decimal'}
                    value={line[column.key]}
                    onChange={(event) => set(index, column.key, event.target.value)}
                  />
                </td>
              ))}
              <td>
                <button
                  type="button"
                  className="button-quiet"
                  aria-label={`Remove line ${index + 1}`}
                  onClick={() => onChange(lines.filter((_, n) => n !== index))}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {lines.map((_, index) =>
        lineErrors(index).map((message) => (
          <p key={`${index}-${message}`} className="field-error">
            Line {index + 1}: {message}
          </p>
        )),
      )}
      {errors.lines && <p className="field-error">{errors.lines}</p>}
      <button type="button" className="button-secondary button-small" onClick={() => onChange([...lines, blankLine()])}>
        Add line
      </button>
    </div>
  );
}
