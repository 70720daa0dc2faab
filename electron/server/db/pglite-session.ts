import { AsyncLocalStorage } from 'node:async_hooks';
import { durability } from './commit-durability';
import type { Db, Queryable, QueryResult, SqlParam, Transaction } from './types';

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
  /**
   * A checkpoint, then `read` as the owner and the tarball in the same turn, so nothing commits
   * between them: what `read` found is exactly what the tarball holds (a backup's checksums).
   */
  snapshot<T>(read: (owner: Queryable) => Promise<T>, compression?: DataDirCompression): Promise<{ read: T; tarball: Blob }>;
  /** VACUUM (ANALYZE), between transactions: what autovacuum does on a server. */
  vacuum(): Promise<void>;
}

// PGlite never checkpoints by itself (its WAL grew to 2.2 GB in a probe), so a file-backed
// database checkpoints this often while it is in use, and once more on close.
const CHECKPOINT_EVERY_MS = 60_000;
// Nor does it vacuum by itself (no autovacuum in a single session): dead row versions would pile up
// for ever, and index-only scans (search) would read the table for want of a visibility map. A
// file-backed database vacuums five minutes after opening, then every six hours.
const VACUUM_FIRST_AFTER_MS = 5 * 60_000;
const VACUUM_EVERY_MS = 6 * 60 * 60_000;

export interface PgliteDbOptions {
  /** The data directory of a file-backed database; undefined in memory. */
  dataDir?: string;
  /**
   * fsync before a commit is acknowledged (default for a file-backed database). Off only to
   * measure what it costs (the commit benchmark).
   */
  syncCommits?: boolean;
  afterClose: () => void;
}

export function pgliteDb(session: PgliteSession, options: PgliteDbOptions): PgliteDb {
  const fileBacked = options.dataDir !== undefined;
  const disk = options.dataDir !== undefined && options.syncCommits !== false ? durability(options.dataDir) : null;
  // A statement or transaction is acknowledged only once what it committed is on disk.
  const onDisk = async <T>(acknowledged: Promise<T>): Promise<T> => {
    const result = await acknowledged;
    await disk?.commitsOnDisk();
    return result;
  };
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
    // The checkpoint's data pages and pg_control must be on disk before its WAL is recycled.
    await disk?.everythingOnDisk();
  }

  const checkpointTimer = fileBacked
    ? setInterval(() => {
        if (!usedSinceCheckpoint || closing) return;
        takeTurn(checkpoint).catch((error: unknown) => {
          usedSinceCheckpoint = true;
          console.warn('offline database checkpoint failed; will retry', error);
        });
      }, CHECKPOINT_EVERY_MS)
    : null;
  checkpointTimer?.unref();

  const vacuum = () => takeTurn(() => runScript('VACUUM (ANALYZE)'));
  const vacuumNow = () => {
    if (!closing) vacuum().catch((error: unknown) => console.warn('offline database vacuum failed; will retry', error));
  };
  let vacuumTimer: NodeJS.Timeout | null = fileBacked
    ? setTimeout(() => {
        vacuumNow();
        vacuumTimer = setInterval(vacuumNow, VACUUM_EVERY_MS).unref();
      }, VACUUM_FIRST_AFTER_MS).unref()
    : null;

  return {
    engine: 'pglite',

    query: (sql, params) => onDisk(takeTurn(() => run(sql, params))),

    exec: (sql) => onDisk(takeTurn(() => runScript(sql))),

    transaction: (work) =>
      onDisk(
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
      ),

    vacuum,

    dumpDataDir: (compression = 'gzip') => takeTurn(() => session.dumpDataDir(compression)),

    snapshot: (read, compression = 'gzip') =>
      takeTurn(async () => {
        await checkpoint();
        const found = await read({ query: run });
        return { read: found, tarball: await session.dumpDataDir(compression) };
      }),

    close() {
      if (inTransaction.getStore()) return Promise.reject(new Error('db.close called inside db.transaction'));
      closing ??= (async () => {
        if (checkpointTimer) clearInterval(checkpointTimer);
        // clearTimeout clears an interval too: either may be pending.
        if (vacuumTimer) clearTimeout(vacuumTimer);
        await queueTail;
        try {
          if (fileBacked) await checkpoint();
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
