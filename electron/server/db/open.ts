import { openPglite } from './pglite';
import { openPgliteInWorker } from './pglite-worker';
import { openPostgres } from './postgres';
import type { Db } from './types';

export type DatabaseConfig =
  /** Offline clinic. `worker: true` is what Electron's main process uses; dataDir undefined = in memory. */
  | { kind: 'pglite'; dataDir?: string; worker?: boolean }
  /** A tenant of a hosted PostgreSQL 15+. */
  | { kind: 'postgres'; connectionString: string };

export function openDatabase(config: DatabaseConfig): Promise<Db> {
  if (config.kind === 'postgres') return openPostgres({ connectionString: config.connectionString });
  return config.worker ? openPgliteInWorker({ dataDir: config.dataDir }) : openPglite({ dataDir: config.dataDir });
}
