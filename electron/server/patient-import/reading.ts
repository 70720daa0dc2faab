import { Worker } from 'node:worker_threads';
import { readImportRows, type ImportLocale, type ImportRowText } from '../../../shared/patient-import';

type Read = ReturnType<typeof readImportRows>;
type Reply = { id: number; read: Read; error?: never } | { id: number; error: string; read?: never };

/** Below this many rows a chunk is read on this thread alone: handing half over costs more than it saves. */
const SHARED_FROM_ROWS = 1000;

interface RowReader {
  worker: Worker;
  waiting: Map<number, { resolve: (read: Read) => void; reject: (error: Error) => void }>;
}

let reader: RowReader | null = null;
let nextId = 1;

/** The thread that reads half of each large chunk, started on first use and kept (it holds no data between chunks). */
function rowReader(): RowReader {
  if (reader) return reader;
  const entry = new URL('./row-reader.worker.mjs', import.meta.url);
  // Run from source (tsx, the tests), a worker thread does not get tsx's hooks on Node 20, so it
  // registers them before loading the entry; in the built app the entry is bundled JavaScript.
  const worker = import.meta.url.endsWith('.ts')
    ? new Worker(
        `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); });`,
        { eval: true },
      )
    : new Worker(entry);
  const started: RowReader = { worker, waiting: new Map() };
  const stop = (error: Error) => {
    for (const { reject } of started.waiting.values()) reject(error);
    started.waiting.clear();
    if (reader === started) reader = null;
  };
  worker.on('message', (reply: Reply) => {
    const waiting = started.waiting.get(reply.id);
    started.waiting.delete(reply.id);
    if (started.waiting.size === 0) worker.unref();
    if (reply.error !== undefined) waiting?.reject(new Error(`reading the file's rows failed: ${reply.error}`));
    else waiting?.resolve(reply.read);
  });
  worker.on('error', stop);
  worker.on('exit', (code) => stop(new Error(`the thread reading the file's rows stopped (exit code ${code})`)));
  // Idle, it never keeps the process (or a test run) alive; unref after the listeners, which ref it.
  worker.unref();
  reader = started;
  return started;
}

/** Starts the reading thread ahead of the file (the import page asks for the clinic's locale first): it takes a moment to load. */
export function prepareRowReading(): void {
  rowReader();
}

/**
 * Reads a chunk of the file as `readImportRows` does, on two cores: a worker thread reads the
 * first half while this thread reads the second (libphonenumber and zod take most of an import's
 * checking time, and the database waits meanwhile).
 */
export async function readRowsOnTwoThreads(
  rows: readonly ImportRowText[],
  firstRow: number,
  locale: ImportLocale,
  today: string,
): Promise<Read> {
  if (rows.length < SHARED_FROM_ROWS) return readImportRows(rows, firstRow, locale, today);
  const half = Math.ceil(rows.length / 2);
  const { worker, waiting } = rowReader();
  const id = nextId++;
  const firstHalf = new Promise<Read>((resolve, reject) => waiting.set(id, { resolve, reject }));
  worker.ref();
  worker.postMessage({ id, rows: rows.slice(0, half), firstRow, locale, today });
  const secondHalf = readImportRows(rows.slice(half), firstRow + half, locale, today);
  const first = await firstHalf;
  return { patients: [...first.patients, ...secondHalf.patients], errors: [...first.errors, ...secondHalf.errors] };
}
