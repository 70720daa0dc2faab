import { mappedRow, readImportRow, type ColumnMapping, type ImportLocale } from '../../../../shared/patient-import';
import { formatDate } from '../../ui/dates';
import type { CsvFile } from './readCsv';

const PREVIEW_ROWS = 6;

/** The first rows as they will be stored, read the clinic's way, or what is wrong with them. */
export function ImportPreview({
  file,
  mapping,
  locale,
}: {
  file: CsvFile;
  mapping: ColumnMapping;
  locale: ImportLocale & { today: string };
}) {
  return (
    <section className="panel" aria-labelledby="import-preview-title">
      <h2 id="import-preview-title">Preview</h2>
      <p className="muted">
        The first rows of {file.name} ({file.rows.length.toLocaleString(locale.language)} rows) as they will be stored.
      </p>
      <table className="data-table import-preview">
        <thead>
          <tr>
            <th scope="col">Row</th>
            <th scope="col">Name</th>
            <th scope="col">Born</th>
            <th scope="col">Sex</th>
            <th scope="col">Phone</th>
            <th scope="col">Email</th>
            <th scope="col">Postcode</th>
          </tr>
        </thead>
        <tbody>
          {file.rows.slice(0, PREVIEW_ROWS).map((cells, i) => {
            const read = readImportRow(mappedRow(cells, mapping), i + 2, locale, locale.today);
            if (!read.patient) {
              return (
                <tr key={i} className="import-row-problem">
                  <td>{i + 2}</td>
                  <td colSpan={6}>{read.errors.map((error) => error.message).join(' ')}</td>
                </tr>
              );
            }
            const { details } = read.patient;
            return (
              <tr key={i}>
                <td>{i + 2}</td>
                <td>{[details.first_name, details.middle_name, details.last_name].filter(Boolean).join(' ')}</td>
                <td>{formatDate(details.date_of_birth, locale.language)}</td>
                <td>{details.gender}</td>
                <td>{details.phone ?? ''}</td>
                <td>{details.email ?? ''}</td>
                <td>{details.postal_code ?? ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
