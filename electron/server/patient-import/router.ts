import {
  duplicatesWithinFile,
  importPatientsInput,
  importProgressInput,
  stageImportInput,
  type ImportedPatient,
  type ImportProgress,
  type ImportResult,
  type StagedChunk,
} from '../../../shared/patient-import';
import type { Session } from '../auth/sessions';
import { DomainError } from '../errors';
import { permitted, router, unlockedSessionProcedure } from '../trpc';
import { beginPatientImport, existingDuplicates, importLocale, insertPatients } from './queries';
import { prepareRowReading, readRowsOnTwoThreads } from './reading';

/** A clinic holds at most this many patients (clinics.max_patients' default): a bigger file is refused while checking it. */
const MAX_IMPORT_ROWS = 200_000;
/** Rows per INSERT: big enough to make a 100,000-row import quick, small enough to report progress as it goes. */
const WRITE_BATCH_ROWS = 10_000;

/**
 * A file being imported, held by the backend between the screen's requests: checked chunk by
 * chunk (nothing is written then), and written only when confirmed, in one transaction.
 * One per signed-in session; choosing another file starts another.
 */
interface Draft {
  id: string;
  nextRow: number;
  patients: ImportedPatient[];
  errorRows: Set<number>;
  duplicateRows: Set<number>;
  /** Keys of the rows seen so far (name and birth date, phones), for duplicates within the file. */
  seen: Map<string, number>;
  checked: number;
  writing: number;
  written: number;
}

const drafts = new WeakMap<Session, Draft>();

function draftOf(session: Session, importId: string): Draft {
  const draft = drafts.get(session);
  if (!draft || draft.id !== importId) {
    throw new DomainError('CONFLICT', 'This import is no longer held (signed out, or another file was chosen). Choose the file again.');
  }
  return draft;
}

function newDraft(id: string): Draft {
  return {
    id,
    nextRow: 2,
    patients: [],
    errorRows: new Set(),
    duplicateRows: new Set(),
    seen: new Map(),
    checked: 0,
    writing: 0,
    written: 0,
  };
}

export const patientImportRouter = router({
  /** How the clinic reads dates and phones, for the screen's preview (the backend reads them again). */
  locale: permitted('patients.write').query(({ ctx }) => {
    prepareRowReading();
    return importLocale(ctx.tx, ctx.session.clinicId);
  }),

  /** Checks a chunk of the file, in order, and keeps its good rows: errors and possible duplicates come back. */
  stage: permitted('patients.write')
    .input(stageImportInput)
    .mutation(async ({ ctx, input }): Promise<StagedChunk> => {
      if (input.first_row === 2) drafts.set(ctx.session, newDraft(input.import_id));
      const draft = draftOf(ctx.session, input.import_id);
      if (input.first_row !== draft.nextRow) throw new DomainError('CONFLICT', 'Part of the file was not checked. Choose the file again.');
      if (draft.checked + input.rows.length > MAX_IMPORT_ROWS) {
        throw new DomainError('BAD_REQUEST', `A file may hold at most ${MAX_IMPORT_ROWS.toLocaleString('en')} patients. Split it.`, 'file');
      }
      const locale = await importLocale(ctx.tx, ctx.session.clinicId);
      const { patients: good, errors } = await readRowsOnTwoThreads(input.rows, input.first_row, locale, locale.today);
      const duplicates = [...duplicatesWithinFile(good, draft.seen), ...(await existingDuplicates(ctx.tx, good))];
      for (const error of errors) draft.errorRows.add(error.row);
      for (const duplicate of duplicates) draft.duplicateRows.add(duplicate.row);
      draft.patients.push(...good);
      draft.checked += input.rows.length;
      draft.nextRow += input.rows.length;
      return { checked: input.rows.length, errors, duplicates: duplicates.sort((a, b) => a.row - b.row) };
    }),

  /**
   * Writes the checked rows in one transaction: all of them or, on any failure, none. Rows with
   * errors are refused unless the user chose to leave them out; possible duplicates are
   * imported unless they chose to leave those out.
   */
  import: permitted('patients.write')
    .input(importPatientsInput)
    .mutation(async ({ ctx, input }): Promise<ImportResult> => {
      const draft = draftOf(ctx.session, input.import_id);
      if (draft.checked !== input.rows) throw new DomainError('CONFLICT', 'Not all of the file was checked yet. Choose the file again.');
      if (draft.errorRows.size > 0 && !input.skip_errors) {
        throw new DomainError(
          'BAD_REQUEST',
          `${draft.errorRows.size} rows have errors: correct them in the file and choose it again, or leave them out.`,
          'skip_errors',
        );
      }
      const patients = input.skip_duplicates ? draft.patients.filter((patient) => !draft.duplicateRows.has(patient.row)) : draft.patients;
      if (patients.length === 0) throw new DomainError('BAD_REQUEST', 'No rows are left to import.', 'skip_duplicates');
      draft.writing = patients.length;
      draft.written = 0;
      let first: string | null = null;
      let last: string | null = null;
      try {
        await beginPatientImport(ctx.tx, patients.length);
        for (let start = 0; start < patients.length; start += WRITE_BATCH_ROWS) {
          const batch = await insertPatients(ctx.tx, draft.id, patients.slice(start, start + WRITE_BATCH_ROWS));
          first ??= batch.first_number;
          last = batch.last_number;
          draft.written += batch.imported;
        }
      } catch (error) {
        // Rolled back with the request: nothing of it was written.
        draft.writing = 0;
        draft.written = 0;
        throw error;
      }
      drafts.delete(ctx.session);
      return {
        imported: patients.length,
        skipped_errors: draft.errorRows.size,
        skipped_duplicates: draft.patients.length - patients.length,
        first_number: first,
        last_number: last,
      };
    }),

  /** How far the import has gone; reads no database, so it answers while the import's transaction runs. */
  progress: unlockedSessionProcedure.input(importProgressInput).query(({ ctx, input }): ImportProgress => {
    const draft = drafts.get(ctx.session);
    if (!draft || draft.id !== input.import_id) return { checked: 0, writing: 0, written: 0 };
    return { checked: draft.checked, writing: draft.writing, written: draft.written };
  }),
});
