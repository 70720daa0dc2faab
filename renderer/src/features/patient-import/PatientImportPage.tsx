import { useQuery } from '@tanstack/react-query';
import { useState, type ChangeEvent } from 'react';
import { guessMapping, type ColumnMapping as Mapping } from '../../../../shared/patient-import';
import { formErrorsOf } from '../../errors';
import { useTRPC } from '../../trpc';
import { ColumnMapping } from './ColumnMapping';
import { ImportFindings } from './ImportFindings';
import { ImportPreview } from './ImportPreview';
import { readCsv, type CsvFile } from './readCsv';
import { useImport, type Findings } from './useImport';

/**
 * Patients from a spreadsheet or an old system: choose the CSV, check the columns and the preview,
 * check every row (errors and possible duplicates listed), then import it all at once.
 */
export function PatientImportPage() {
  const trpc = useTRPC();
  const locale = useQuery(trpc.patientImport.locale.queryOptions());
  const [file, setFile] = useState<CsvFile | null>(null);
  const [mapping, setMapping] = useState<Mapping | null>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const run = useImport();

  async function choose(event: ChangeEvent<HTMLInputElement>) {
    const chosen = event.target.files?.[0];
    // The same file may be chosen again after correcting it.
    event.target.value = '';
    if (!chosen) return;
    run.forget();
    try {
      const read = await readCsv(chosen);
      setFile(read);
      setMapping(guessMapping(read.headers));
      setFileProblem(read.rows.length === 0 ? 'This file has a header row but no patients under it.' : null);
    } catch (error) {
      setFile(null);
      setFileProblem(error instanceof Error ? error.message : 'This file could not be read as CSV.');
    }
  }

  function remap(next: Mapping) {
    run.forget();
    setMapping(next);
  }

  const language = locale.data?.language ?? 'en-GB';
  return (
    <div className="patient-import">
      <section className="panel" aria-labelledby="import-file-title">
        <h2 id="import-file-title">Import patients from a file</h2>
        <p className="muted">
          A spreadsheet or an old system’s export saved as CSV, with a header row. Nothing is stored until you import, and then all the rows
          are stored or none.
        </p>
        <label className="import-file">
          <span>{file ? 'Choose the file again, or another' : 'Choose a CSV file'}</span>
          <input type="file" accept=".csv,text/csv" onChange={(event) => void choose(event)} />
        </label>
        {file && <span className="muted"> {file.name}</span>}
        {fileProblem && (
          <p className="form-problem" role="alert">
            {fileProblem}
          </p>
        )}
      </section>
      {file && mapping && locale.data && file.rows.length > 0 && (
        <>
          <div className="import-columns">
            <ColumnMapping headers={file.headers} mapping={mapping} onChange={remap} />
            <ImportPreview file={file} mapping={mapping} locale={locale.data} />
          </div>
          <section className="panel" aria-labelledby="import-check-title">
            <h2 id="import-check-title">Check and import</h2>
            <div className="panel-actions">
              <button type="button" onClick={() => void run.check(file, mapping)} disabled={run.findings !== null && !run.findings.done}>
                Check {file.rows.length.toLocaleString(language)} rows
              </button>
            </div>
            {run.failure !== null && (
              <p className="form-problem" role="alert">
                {formErrorsOf(run.failure).general ?? Object.values(formErrorsOf(run.failure).fields)[0]}
              </p>
            )}
            {run.findings && <CheckProgress findings={run.findings} language={language} />}
            {run.findings?.done && (
              <>
                <ImportFindings findings={run.findings} file={file} mapping={mapping} language={language} />
                <ImportChoice findings={run.findings} run={run} language={language} />
              </>
            )}
          </section>
        </>
      )}
    </div>
  );
}

function CheckProgress({ findings, language }: { findings: Findings; language: string }) {
  return (
    <div className="job-progress" role="status">
      <progress max={findings.rows} value={findings.checked} aria-label="Rows checked" />
      <span>
        {findings.checked.toLocaleString(language)} of {findings.rows.toLocaleString(language)} rows checked
        {findings.done && (findings.errorRows === 0 && findings.duplicateRows === 0 ? ': no errors, no duplicates.' : '.')}
      </span>
    </div>
  );
}

/** Leaving out rows with errors or possible duplicates is the user's explicit choice; then the import, with its progress. */
function ImportChoice({ findings, run, language }: { findings: Findings; run: ReturnType<typeof useImport>; language: string }) {
  const [skipErrors, setSkipErrors] = useState(false);
  const [skipDuplicates, setSkipDuplicates] = useState(false);
  const { importing } = run;
  const problem = importing.error ? formErrorsOf(importing.error) : null;
  const count = (n: number) => n.toLocaleString(language);
  if (importing.data) {
    const { imported, first_number, last_number, skipped_errors, skipped_duplicates } = importing.data;
    return (
      <p className="notice" role="status">
        Imported {count(imported)} patients{first_number && `, numbered ${first_number} to ${last_number}`}.
        {skipped_errors > 0 && ` Left out ${count(skipped_errors)} rows with errors.`}
        {skipped_duplicates > 0 && ` Left out ${count(skipped_duplicates)} possible duplicates.`}
      </p>
    );
  }
  const writing = findings.rows - (skipErrors ? findings.errorRows : 0) - (skipDuplicates ? findings.duplicateRows : 0);
  return (
    <div className="import-choice">
      {findings.errorRows > 0 && (
        <label className="check">
          <input type="checkbox" checked={skipErrors} onChange={(event) => setSkipErrors(event.target.checked)} />
          Leave out the {count(findings.errorRows)} rows with errors
        </label>
      )}
      {problem?.fields.skip_errors && <p className="field-error">{problem.fields.skip_errors}</p>}
      {findings.duplicateRows > 0 && (
        <label className="check">
          <input type="checkbox" checked={skipDuplicates} onChange={(event) => setSkipDuplicates(event.target.checked)} />
          Leave out the {count(findings.duplicateRows)} possible duplicates (otherwise they are imported as new patients)
        </label>
      )}
      {problem?.general && (
        <p className="form-problem" role="alert">
          The import failed and nothing was stored: {problem.general}
        </p>
      )}
      {importing.isPending ? (
        <div className="job-progress" role="status">
          <progress max={writing} value={run.written} aria-label="Patients written" />
          <span>
            {count(run.written)} of {count(writing)} patients written…
          </span>
        </div>
      ) : (
        <div className="panel-actions">
          <button
            type="button"
            onClick={() =>
              importing.mutate({
                import_id: findings.importId,
                rows: findings.rows,
                skip_errors: skipErrors,
                skip_duplicates: skipDuplicates,
              })
            }
          >
            Import {count(writing)} patients
          </button>
        </div>
      )}
    </div>
  );
}
