import fs from 'node:fs';
import { openPglite } from './pglite';
import type { PgliteDb } from './pglite-session';
import { tarballBlob } from './pglite-worker-entry.mjs';
import { openPgliteInWorker } from './pglite-worker';
import { openPostgres } from './postgres';
import type { Db } from './types';

/** Offline clinic. `worker: true` is what Electron's main process uses; dataDir undefined = in memory. */
export type OfflineDatabaseConfig = { kind: 'pglite'; dataDir?: string; worker?: boolean; loadDataDir?: Uint8Array };

export type DatabaseConfig =
  | OfflineDatabaseConfig
  /** A tenant of a hosted PostgreSQL. */
  | { kind: 'postgres'; connectionString: string };

/**
 * The offline data directory, private to this OS user: the folder 0700, so nobody else can
 * reach any file in it, and its files 0600 (PGlite creates them 0666 whatever the umask), set
 * when it opens and again when it closes. A symlinked folder is followed to the real one, so
 * two paths to it share one lock.
 */
function privateDataDir(dataDir: string): string {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const real = fs.realpathSync(dataDir);
  makePrivate(real);
  return real;
}

function makePrivate(dir: string): void {
  fs.chmodSync(dir, 0o700);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = `${dir}/${entry.name}`;
    if (entry.isDirectory()) makePrivate(full);
    else if (entry.isFile()) fs.chmodSync(full, 0o600);
  }
}

export async function openDatabase(config: OfflineDatabaseConfig): Promise<PgliteDb>;
export async function openDatabase(config: DatabaseConfig): Promise<Db>;
export async function openDatabase(config: DatabaseConfig): Promise<Db> {
  if (config.kind === 'postgres') return openPostgres({ connectionString: config.connectionString });
  const { loadDataDir } = config;
  const open = (dataDir?: string) =>
    config.worker
      ? openPgliteInWorker({ dataDir, loadDataDir })
      : openPglite({ dataDir, loadDataDir: loadDataDir && tarballBlob(loadDataDir) });
  if (config.dataDir === undefined) return open();
  const dataDir = privateDataDir(config.dataDir);
  const db = await open(dataDir);
  makePrivate(dataDir);
  const close = db.close.bind(db);
  return Object.assign(db, {
    async close() {
      await close();
      makePrivate(dataDir);
    },
  });
}
