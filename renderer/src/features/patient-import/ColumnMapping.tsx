import { IMPORT_FIELD_LABELS, IMPORT_FIELDS, type ColumnMapping as Mapping, type ImportField } from '../../../../shared/patient-import';

/** Which column of the file fills each field of the patient record: guessed from the headers, changed here. */
export function ColumnMapping({ headers, mapping, onChange }: { headers: string[]; mapping: Mapping; onChange(mapping: Mapping): void }) {
  const choose = (field: ImportField, value: string) => onChange({ ...mapping, [field]: value === '' ? null : Number(value) });
  return (
    <section className="panel" aria-labelledby="import-mapping-title">
      <h2 id="import-mapping-title">Columns</h2>
      <p className="muted">Guessed from the file’s headers. First name, last name and date of birth are needed.</p>
      <table className="data-table import-mapping">
        <thead>
          <tr>
            <th scope="col">Patient record</th>
            <th scope="col">Column of the file</th>
          </tr>
        </thead>
        <tbody>
          {IMPORT_FIELDS.map((field) => (
            <tr key={field}>
              <th scope="row">
                <label htmlFor={`import-column-${field}`}>{IMPORT_FIELD_LABELS[field]}</label>
              </th>
              <td>
                <select id={`import-column-${field}`} value={mapping[field] ?? ''} onChange={(event) => choose(field, event.target.value)}>
                  <option value="">— not in the file —</option>
                  {headers.map((header, column) => (
                    <option key={column} value={column}>
                      {header || `Column ${column + 1}`}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
