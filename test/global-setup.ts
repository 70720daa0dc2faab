import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { findMigrationsDir, migrate } from '../electron/server/db/migrate';
import { openPglite } from '../electron/server/db/pglite';
import { openPostgres } from '../electron/server/db/postgres';
import { startPostgresServer } from './postgres-server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the run's PostgreSQL server (database `postgres`). */
    postgresAdminUrl: string;
    /** PGlite data-dir tarballs to start test databases from: before and after the migrations. */
    pgliteTemplates: { empty: string; migrated: string };
  }
}

/** The migrated PostgreSQL database every test database is created from. */
export const POSTGRES_TEMPLATE = 'clinicdesk_template';

/**
 * Once per test run: one PostgreSQL server with the schema migrated into a template database,
 * and the same for PGlite as tarballs, so each test's fresh database is a copy, not a migration.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgresServer();
  const templatesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinicdesk-pglite-templates-'));
  const stop = async () => {
    await server.stop();
    fs.rmSync(templatesDir, { recursive: true, force: true });
  };
  try {
    const [, pgliteTemplates] = await Promise.all([preparePostgresTemplate(server.url), preparePgliteTemplates(templatesDir)]);
    project.provide('postgresAdminUrl', server.url);
    project.provide('pgliteTemplates', pgliteTemplates);
  } catch (error) {
    await stop();
    throw error;
  }
  return stop;
}

async function preparePostgresTemplate(adminUrl: string): Promise<void> {
  const admin = await openPostgres({ connectionString: adminUrl, max: 1 });
  try {
    await admin.query(`CREATE DATABASE ${POSTGRES_TEMPLATE}`);
  } finally {
    await admin.close();
  }
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${POSTGRES_TEMPLATE}`;
  // Closed before any test copies it: CREATE DATABASE … TEMPLATE refuses a template in use.
  const template = await openPostgres({ connectionString: templateUrl.href, max: 1 });
  try {
    await migrate(template, { dir: findMigrationsDir() });
  } finally {
    await template.close();
  }
}

async function preparePgliteTemplates(dir: string): Promise<{ empty: string; migrated: string }> {
  const db = await openPglite();
  try {
    const empty = path.join(dir, 'empty.tar');
    fs.writeFileSync(empty, Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer()));
    await migrate(db, { dir: findMigrationsDir() });
    const migrated = path.join(dir, 'migrated.tar');
    fs.writeFileSync(migrated, Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer()));
    return { empty, migrated };
  } finally {
    await db.close();
  }
}
