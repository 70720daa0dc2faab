import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { IMPORT_CHUNK_ROWS, mappedRow, type ColumnMapping, type ImportDuplicate, type RowError } from '../../../../shared/patient-import';
import { useTRPC, useTRPCClient } from '../../trpc';
import type { CsvFile } from './readCsv';

/** At most this many errors and duplicates are listed (all are counted): enough to see what to correct. */
export const LISTED = 500;

export interface Findings {
  importId: string;
  rows: number;
  checked: number;
  done: boolean;
  errors: RowError[];
  errorRows: number;
  duplicates: ImportDuplicate[];
  duplicateRows: number;
}

/**
 * Checking the file chunk by chunk (each chunk's errors and duplicates shown as they come, with
 * the count of rows checked), then importing it with the rows written so far polled from the backend.
 */
export function useImport() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const [findings, setFindings] = useState<Findings | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const importing = useMutation(trpc.patientImport.import.mutationOptions());
  const progress = useQuery(
    trpc.patientImport.progress.queryOptions(
      { import_id: findings?.importId ?? '00000000-0000-4000-8000-000000000000' },
      { enabled: importing.isPending && findings !== null, refetchInterval: 500 },
    ),
  );

  async function check(file: CsvFile, mapping: ColumnMapping) {
    importing.reset();
    setFailure(null);
    const importId = crypto.randomUUID();
    let found: Findings = {
      importId,
      rows: file.rows.length,
      checked: 0,
      done: false,
      errors: [],
      errorRows: 0,
      duplicates: [],
      duplicateRows: 0,
    };
    setFindings(found);
    try {
      for (let start = 0; start < file.rows.length; start += IMPORT_CHUNK_ROWS) {
        const rows = file.rows.slice(start, start + IMPORT_CHUNK_ROWS).map((cells) => mappedRow(cells, mapping));
        const chunk = await client.patientImport.stage.mutate({ import_id: importId, first_row: start + 2, rows });
        found = {
          ...found,
          checked: found.checked + chunk.checked,
          errors: [...found.errors, ...chunk.errors].slice(0, LISTED),
          errorRows: found.errorRows + new Set(chunk.errors.map((error) => error.row)).size,
          duplicates: [...found.duplicates, ...chunk.duplicates].slice(0, LISTED),
          duplicateRows: found.duplicateRows + new Set(chunk.duplicates.map((duplicate) => duplicate.row)).size,
        };
        setFindings(found);
      }
      setFindings({ ...found, done: true });
    } catch (error) {
      setFailure(error);
      setFindings(null);
    }
  }

  function forget() {
    setFindings(null);
    setFailure(null);
    importing.reset();
  }

  return { findings, failure, check, forget, importing, written: progress.data?.written ?? 0 };
}
