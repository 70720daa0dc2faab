import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db, QueryResult, SqlParam, Transaction } from './types';

/**
 * What each PGlite host provides (in this thread or in a worker): PGlite is one PostgreSQL
 * session, so everything above this line takes turns; the turn-taking lives in `pgliteDb` only.
 */
export interface PgliteSession {
  run<Row>(sql: string, params?: readonly SqlParam[]): Promise<QueryResult<Row>>;
  runScript(sql: string): Promise<void>;
  dumpDataDir(compression: DataDirCompression): Promise<Blob>;
  close(): Promise<void>;
}

export type DataDirCompression = 'gzip' | 'none';

/** The offline database: a Db that can also be saved whole (backup, test templates). */
export interface PgliteDb extends Db {
  readonly engine: 'pglite';
  /** A tarball of the data directory, taken between transactions; `openPglite({ loadDataDir })` restores it. */
  dumpDataDir(compression?: DataDirCompression): Promise<Blob>;
}

// PGlite never checkpoints by itself (its WAL grew to 2.2 GB in a probe), so a file-backed
// database checkpoints this often while it is in use, and once more on close.
const CHECKPOINT_EVERY_MS = 60_000;

export function pgliteDb(session: PgliteSession, options: { fileBacked: boolean; afterClose: () => void }): PgliteDb {
  const inTransaction = new AsyncLocalStorage<true>();
  let queueTail: Promise<unknown> = Promise.resolve();
  let closing: Promise<void> | null = null;
  // Reads count too: telling them apart costs more than a CHECKPOINT with nothing to write.
  let usedSinceCheckpoint = false;

  // One statement or transaction at a time, in arrival order.
  function takeTurn<T>(work: () => Promise<T>): Promise<T> {
    if (inTransaction.getStore()) {
      // Waiting for the transaction we are inside of would hang forever.
      return Promise.reject(new Error('db.query/db.transaction called inside db.transaction: use the tx handle'));
    }
    if (closing) return Promise.reject(new Error('the offline database is closed'));
    const turn = queueTail.then(work);
    queueTail = turn.catch(() => undefined);
    return turn;
  }

  function run<Row>(sql: string, params?: readonly SqlParam[]): Promise<QueryResult<Row>> {
    usedSinceCheckpoint = true;
    return session.run<Row>(sql, params);
  }

  function runScript(sql: string): Promise<void> {
    usedSinceCheckpoint = true;
    return session.runScript(sql);
  }

  async function checkpoint(): Promise<void> {
    usedSinceCheckpoint = false;
    await session.run('CHECKPOINT');
  }

  const checkpointTimer = options.fileBacked
    ? setInterval(() => {
        if (!usedSinceCheckpoint || closing) return;
        takeTurn(checkpoint).catch((error: unknown) => {
          usedSinceCheckpoint = true;
          console.warn('offline database checkpoint failed; will retry', error);
        });
      }, CHECKPOINT_EVERY_MS)
    : null;
  checkpointTimer?.unref();

  return {
    engine: 'pglite',

    query: (sql, params) => takeTurn(() => run(sql, params)),

    exec: (sql) => takeTurn(() => runScript(sql)),

    transaction: (work) =>
      takeTurn(async () => {
        let ended = false;
        const whileOpen = <T>(statement: () => Promise<T>): Promise<T> =>
          ended ? Promise.reject(new Error('transaction already ended')) : statement();
        const tx: Transaction = {
          query: (sql, params) => whileOpen(() => run(sql, params)),
          exec: (sql) => whileOpen(() => runScript(sql)),
        };
        await run('BEGIN');
        let result;
        try {
          result = await inTransaction.run(true, () => work(tx));
        } catch (error) {
          ended = true;
          await run('ROLLBACK').catch(() => undefined);
          throw error;
        }
        ended = true;
        await run('COMMIT');
        return result;
      }),

    dumpDataDir: (compression = 'gzip') => takeTurn(() => session.dumpDataDir(compression)),

    close() {
      if (inTransaction.getStore()) return Promise.reject(new Error('db.close called inside db.transaction'));
      closing ??= (async () => {
        if (checkpointTimer) clearInterval(checkpointTimer);
        await queueTail;
        try {
          if (options.fileBacked) await checkpoint();
        } finally {
          try {
            await session.close();
          } finally {
            options.afterClose();
          }
        }
      })();
      return closing;
    },
  };
}
