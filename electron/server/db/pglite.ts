import { acquireDataDirLock } from './data-dir-lock';
import { pgliteDb, type PgliteDb } from './pglite-session';
import { openPgliteEngine, runStatement } from './pglite-worker-entry.mjs';

export interface PgliteOptions {
  /** A directory on disk; undefined keeps the database in memory (tests). */
  dataDir?: string;
  /** Start from a `dumpDataDir` tarball instead of an empty database (restore, test templates). */
  loadDataDir?: Blob;
  /** false only to measure what fsync before acknowledging costs (the commit benchmark). */
  syncCommits?: boolean;
}

/**
 * PGlite in this thread. Its queries block the thread while they run, so Electron's main
 * process uses `openPgliteInWorker` instead; tests, the CLI and the benchmark use this.
 */
export async function openPglite({ dataDir, loadDataDir, syncCommits }: PgliteOptions = {}): Promise<PgliteDb> {
  const lock = dataDir === undefined ? null : acquireDataDirLock(dataDir);
  try {
    const pglite = await openPgliteEngine(dataDir, loadDataDir);
    return pgliteDb(
      {
        run: (sql, params) => runStatement(pglite, sql, params),
        runScript: async (sql) => {
          await pglite.exec(sql);
        },
        dumpDataDir: (compression) => pglite.dumpDataDir(compression),
        close: () => pglite.close(),
      },
      { dataDir, syncCommits, afterClose: () => lock?.release() },
    );
  } catch (error) {
    lock?.release();
    throw error;
  }
}
