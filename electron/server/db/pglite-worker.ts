import { Worker } from 'node:worker_threads';
import { acquireDataDirLock } from './data-dir-lock';
import { pgliteDb, type DataDirCompression, type PgliteDb } from './pglite-session';
import type { QueryResult, SqlParam } from './types';

type WorkerRequest =
  | { op: 'query'; sql: string; params: readonly SqlParam[] | undefined }
  | { op: 'exec'; sql: string }
  | { op: 'dump'; compression: DataDirCompression }
  | { op: 'close' };

type WorkerReply = { id: number; ok: true; result?: unknown } | { id: number; ok: false; error: DescribedError };

type OpenReply = { opened: true } | { opened: false; error: DescribedError };

/** A PostgreSQL error as the worker sends it: the message plus fields such as code and constraint. */
type DescribedError = { message: string } & Record<string, unknown>;

/**
 * PGlite in a worker thread behind the same Db: its synchronous queries then never stall
 * Electron's main thread, which drives every window.
 */
export async function openPgliteInWorker({
  dataDir,
  loadDataDir,
  syncCommits,
}: {
  dataDir?: string;
  /** A `dumpDataDir` tarball to start from (a restore, a backup's verification). */
  loadDataDir?: Uint8Array;
  syncCommits?: boolean;
}): Promise<PgliteDb> {
  const lock = dataDir === undefined ? null : acquireDataDirLock(dataDir);
  const worker = new Worker(new URL('./pglite-worker-entry.mjs', import.meta.url), {
    workerData: { clinicDeskPglite: { dataDir, loadDataDir } },
  });
  const waiting = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let stopped: Error | null = null;

  const opened = new Promise<void>((resolve, reject) => {
    worker.once('message', (reply: OpenReply) => (reply.opened ? resolve() : reject(rebuildError(reply.error))));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the offline database worker exited while opening (code ${code})`)));
  });

  const stop = (reason: Error) => {
    stopped ??= reason;
    for (const { reject } of waiting.values()) reject(reason);
    waiting.clear();
  };
  worker.on('error', (error) => stop(error));
  worker.on('exit', (code) => stop(new Error(`the offline database worker stopped (exit code ${code})`)));

  try {
    await opened;
  } catch (error) {
    await worker.terminate();
    lock?.release();
    throw error;
  }
  worker.on('message', (reply: WorkerReply) => {
    const request = waiting.get(reply.id);
    if (!request) return;
    waiting.delete(reply.id);
    if (reply.ok) request.resolve(reply.result);
    else request.reject(rebuildError(reply.error));
  });

  function ask(request: WorkerRequest): Promise<unknown> {
    if (stopped) return Promise.reject(stopped);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, ...request });
    });
  }

  return pgliteDb(
    {
      run: async <Row>(sql: string, params?: readonly SqlParam[]) => (await ask({ op: 'query', sql, params })) as QueryResult<Row>,
      runScript: async (sql) => {
        await ask({ op: 'exec', sql });
      },
      dumpDataDir: async (compression) => new Blob([(await ask({ op: 'dump', compression })) as ArrayBuffer]),
      close: async () => {
        await ask({ op: 'close' });
        await worker.terminate();
      },
    },
    { dataDir, syncCommits, afterClose: () => lock?.release() },
  );
}

function rebuildError({ message, ...fields }: DescribedError): Error {
  return Object.assign(new Error(message), fields);
}
