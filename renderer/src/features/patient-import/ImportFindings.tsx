import { IMPORT_FIELD_LABELS, type ColumnMapping, type ImportDuplicate } from '../../../../shared/patient-import';
import { formatDate } from '../../ui/dates';
import type { CsvFile } from './readCsv';
import { LISTED, type Findings } from './useImport';

const REASONS: Record<ImportDuplicate['reason'], string> = {
  same_phone: 'Same phone',
  similar_name_same_birth_date: 'Same name and date of birth',
};

const more = (listed: number, rows: number) => (rows > listed ? ` The first ${LISTED} are listed.` : '');

/** The rows with errors, beside their row number and column, and the rows that may be patients already registered. */
export function ImportFindings({
  findings,
  file,
  mapping,
  language,
}: {
  findings: Findings;
  file: CsvFile;
  mapping: ColumnMapping;
  language: string;
}) {
  const nameInFile = (row: number) => {
    const cells = file.rows[row - 2] ?? [];
    return [mapping.first_name, mapping.last_name].map((column) => (column === null ? '' : (cells[column] ?? ''))).join(' ');
  };
  return (
    <>
      {findings.errors.length > 0 && (
        <section aria-labelledby="import-errors-title">
          <h3 id="import-errors-title">{findings.errorRows.toLocaleString(language)} rows with errors</h3>
          <p className="muted">
            Correct them in the file and choose it again, or leave them out below.{more(findings.errors.length, findings.errorRows)}
          </p>
          <table className="data-table import-errors">
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col">Column</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {findings.errors.map((error) => {
                const column = mapping[error.field];
                return (
                  <tr key={`${error.row}:${error.field}`}>
                    <td>{error.row}</td>
                    <td>
                      {column === null ? IMPORT_FIELD_LABELS[error.field] : `${file.headers[column]} (${IMPORT_FIELD_LABELS[error.field]})`}
                    </td>
                    <td>{error.message}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}
      {findings.duplicates.length > 0 && (
        <section aria-labelledby="import-duplicates-title">
          <h3 id="import-duplicates-title">{findings.duplicateRows.toLocaleString(language)} possible duplicates</h3>
          <p className="muted">
            These rows may be patients already registered, or repeat an earlier row of the file.
            {more(findings.duplicates.length, findings.duplicateRows)}
          </p>
          <table className="data-table import-duplicates">
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col">In the file</th>
                <th scope="col">May be</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {findings.duplicates.map((duplicate) => (
                <tr key={`${duplicate.row}:${duplicate.patient?.id ?? duplicate.same_as_row}`}>
                  <td>{duplicate.row}</td>
                  <td>{nameInFile(duplicate.row)}</td>
                  <td>
                    {duplicate.patient
                      ? `${duplicate.patient.first_name} ${duplicate.patient.last_name} (${duplicate.patient.patient_number}, born ${formatDate(duplicate.patient.date_of_birth, language)})`
                      : `Row ${duplicate.same_as_row} of this file`}
                  </td>
                  <td>{REASONS[duplicate.reason]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
