import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { inject } from 'vitest';
import { loadDemoClinic } from '../electron/server/db/demo-clinic';
import { openPglite } from '../electron/server/db/pglite';
import { openPostgres } from '../electron/server/db/postgres';
import type { Db, Engine } from '../electron/server/db/types';
import { POSTGRES_TEMPLATE } from './global-setup';

/** Every database test runs on both: `describe.each(engines)(…)`. */
export const engines: Engine[] = ['pglite', 'postgres'];

/**
 * A new database with the schema migrated (and the demo clinic if asked), connected as the
 * owner/superuser. Close it when done: each PGlite copy holds a few hundred MB.
 */
export async function freshDatabase(engine: Engine, { demo = false }: { demo?: boolean } = {}): Promise<Db & { url?: string }> {
  let db: Db & { url?: string };
  if (engine === 'pglite') {
    db = await openPglite({ loadDataDir: pgliteTemplate('migrated') });
  } else {
    const url = await createPostgresDatabase(POSTGRES_TEMPLATE);
    db = Object.assign(await openPostgres({ connectionString: url }), { url });
  }
  if (demo) await loadDemoClinic(db);
  return db;
}

/** A new database with nothing migrated yet (for the migrator's own tests). */
export async function emptyDatabase(engine: Engine): Promise<Db> {
  return engine === 'pglite'
    ? openPglite({ loadDataDir: pgliteTemplate('empty') })
    : openPostgres({ connectionString: await createPostgresDatabase('template0') });
}

/** Creates `t_<random>` on the run's PostgreSQL server as a copy of `template`; returns its superuser URL. */
export async function createPostgresDatabase(template: string): Promise<string> {
  const adminUrl = inject('postgresAdminUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = await openPostgres({ connectionString: adminUrl, max: 1 });
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    // Database privileges are not copied from the template: take TEMP away as 008 does.
    await admin.query(`REVOKE TEMPORARY ON DATABASE ${name} FROM PUBLIC`);
  } finally {
    await admin.close();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.href;
}

// Read once per test file's process; each database then loads from memory.
const pgliteTarballs = new Map<'empty' | 'migrated', Blob>();

/**
 * The run's PGlite data directory before or after the migrations, for `openPglite({ loadDataDir })`:
 * it also seeds an on-disk data directory several times faster than PGlite's own initdb there.
 */
export function pgliteTemplate(kind: 'empty' | 'migrated'): Blob {
  let tarball = pgliteTarballs.get(kind);
  if (!tarball) {
    tarball = new Blob([fs.readFileSync(inject('pgliteTemplates')[kind])]);
    pgliteTarballs.set(kind, tarball);
  }
  return tarball;
}
