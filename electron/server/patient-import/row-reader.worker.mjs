// Reads rows of a file being imported off the main thread (reading.ts hands it half of each chunk).
// Plain JavaScript so the same path works under tsx (which the thread inherits) and, bundled, in
// the built app.
import { parentPort } from 'node:worker_threads';
import { readImportRows } from '../../../shared/patient-import.ts';

parentPort?.on('message', ({ id, rows, firstRow, locale, today }) => {
  try {
    parentPort?.postMessage({ id, read: readImportRows(rows, firstRow, locale, today) });
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
