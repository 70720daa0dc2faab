import type { DatabaseStatus } from '../../shared/auth';
import { offlineAccess } from './access/offline';
import { remoteAccess } from './access/remote';
import { SessionStore } from './auth/sessions';
import { switchToRestoredData } from './backups/restore-switch';
import { backupService } from './backups/service';
import type { Backend, DesktopServices } from './context';
import { loadDemoClinic } from './db/demo-clinic';
import { findMigrationsDir, migrate } from './db/migrate';
import { fillPhoneKeys } from './db/phone-keys';
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

/** The server's address without any login in it: each staff member brings their own. */
export function serverAddress(connectionString: string): string {
  const url = new URL(connectionString);
  url.username = '';
  url.password = '';
  return url.href;
}

/**
 * Opens the database and everything the router needs. The offline database is migrated here
 * (this process owns it); a remote one is migrated by the operator CLI, and this process holds
 * no login to it until a staff member signs in.
 */
export async function openBackend(options: BackendOptions): Promise<{ backend: Backend; close(): Promise<void> }> {
  const idleLockMs = (options.idleLockMinutes ?? DEFAULT_IDLE_LOCK_MINUTES) * 60_000;
  const sessions = new SessionStore(idleLockMs);
  const base = { sessions, status: describe(options.database), desktop: options.desktop };
  if (options.database.kind === 'postgres') {
    const backend: Backend = { ...base, access: remoteAccess(serverAddress(options.database.connectionString), options.clinicCode) };
    return { backend, close: () => sessions.endAll() };
  }
  const offline = options.database;
  if (offline.dataDir !== undefined) {
    const switched = switchToRestoredData(offline.dataDir);
    if (switched) console.log(`[clinicdesk] ${switched}`);
  }
  const db = await openDatabase(offline);
  try {
    const fresh = !(await schemaIsPresent(db));
    await migrate(db, { dir: findMigrationsDir() });
    await db.transaction(fillPhoneKeys);
    if (options.demo && fresh) await loadDemoClinic(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  let demoDb: Promise<Db> | undefined;
  const backups =
    offline.dataDir === undefined
      ? undefined
      : backupService({
          dataDir: offline.dataDir,
          engine: {
            snapshot: (read) => db.snapshot(read),
            open: (tarball, dataDir) => openDatabase({ kind: 'pglite', worker: offline.worker, dataDir, loadDataDir: tarball }),
          },
        });
  backups?.startSchedule();
  const backend: Backend = { ...base, access: offlineAccess(db, options.clinicCode), backups };
  // The demo never touches the clinic's own database: it lives in memory until ClinicDesk closes.
  // One demo, however many windows ask at once.
  backend.startDemo = async () => {
    demoDb ??= (async () => {
      const demo = await openDatabase({ kind: 'pglite', worker: options.database.kind === 'pglite' && options.database.worker });
      await migrate(demo, { dir: findMigrationsDir() });
      await loadDemoClinic(demo);
      backend.access = offlineAccess(demo);
      backend.backups = undefined;
      backend.status = { kind: 'pglite', label: 'Demo clinic · nothing is saved', demo: true };
      return demo;
    })();
    await demoDb;
  };
  return {
    backend,
    async close() {
      await sessions.endAll();
      // Daily backups also run on quit when none was made today.
      await backups?.beforeClose().catch((error: unknown) => console.error('[clinicdesk] backup on quit failed', error));
      await (await demoDb?.catch(() => undefined))?.close();
      await db.close();
    },
  };
}
