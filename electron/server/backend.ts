import type { DatabaseStatus } from '../../shared/auth';
import { SessionStore } from './auth/sessions';
import type { Backend, BackendConfig, DesktopServices } from './context';
import { findMigrationsDir, migrate } from './db/migrate';
import { openDatabase, type DatabaseConfig } from './db/open';
import type { Db } from './db/types';

export type { DatabaseConfig };

export interface BackendOptions {
  database: DatabaseConfig;
  /** Offline only: on a new database, create the demo clinic. */
  demo: boolean;
  idleLockMinutes?: number;
  clinicCode?: string;
  desktop?: DesktopServices;
}

export const DEFAULT_CONFIG: BackendConfig = { maxFailedSignIns: 5, lockoutMinutes: 15 };
const DEFAULT_IDLE_LOCK_MINUTES = 5;

function describe(database: DatabaseConfig): DatabaseStatus {
  if (database.kind === 'pglite') return { kind: 'pglite', label: 'Offline database on this PC' };
  const url = new URL(database.connectionString);
  return { kind: 'postgres', label: `Remote database ${url.hostname}${url.pathname}` };
}

async function schemaIsPresent(db: Db): Promise<boolean> {
  const { rows } = await db.query<{ present: boolean }>(`SELECT to_regclass('public.schema_migrations') IS NOT NULL AS present`);
  return rows[0]?.present === true;
}

/**
 * Opens the database and everything the router needs. The offline database is migrated here
 * (this process owns it); a remote one is migrated by the operator CLI, since the app's
 * login role may not change the schema.
 */
export async function openBackend(options: BackendOptions): Promise<{ backend: Backend; close(): Promise<void> }> {
  const db = await openDatabase(options.database);
  try {
    if (options.database.kind === 'pglite') {
      const fresh = !(await schemaIsPresent(db));
      await migrate(db, { dir: findMigrationsDir(), demo: options.demo && fresh });
    } else {
      const { rows } = await db.query<{ ready: boolean }>(`SELECT to_regclass('public.patients') IS NOT NULL AS ready`);
      if (!rows[0]?.ready) {
        throw new Error('The remote database has no ClinicDesk schema yet. Run `npm run clinicdesk-admin -- migrate` first.');
      }
    }
  } catch (error) {
    await db.close();
    throw error;
  }
  const idleLockMs = (options.idleLockMinutes ?? DEFAULT_IDLE_LOCK_MINUTES) * 60_000;
  const backend: Backend = {
    db,
    sessions: new SessionStore(idleLockMs),
    config: { ...DEFAULT_CONFIG, defaultClinicCode: options.clinicCode },
    status: describe(options.database),
    desktop: options.desktop,
  };
  return { backend, close: () => db.close() };
}
