import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionSettings } from '../../../shared/connection';
import { DEMO_USERS, demoBackend } from '../../../test/backend';
import { createPostgresDatabase } from '../../../test/engines';
import { openBackend } from '../backend';
import { createContext, type Backend } from '../context';
import { openPostgres } from '../db/postgres';
import type { Db } from '../db/types';
import { appRouter } from '../router';
import { createCallerFactory } from '../trpc';
import { appLoginSql } from './app-login';

const run = promisify(execFile);
const ADMIN_PASSWORD = 'riverside-admin-2026';

/** The operator CLI as an operator runs it: a separate process, owner URL in the environment. */
function cli(ownerUrl: string, ...args: string[]) {
  return run('npx', ['tsx', 'electron/server/cli.ts', ...args], {
    env: { ...process.env, CLINICDESK_ADMIN_DATABASE_URL: ownerUrl, CLINICDESK_ADMIN_PASSWORD: ADMIN_PASSWORD },
  });
}

describe('remote mode: operator CLI, app login role, sign-in', () => {
  let ownerUrl: string;
  let appUrl: string;
  let owner: Db;
  let remote: { backend: Backend; close(): Promise<void> };
  const role = `clinicdesk_app_${randomBytes(4).toString('hex')}`;
  const rolePassword = randomBytes(12).toString('hex');

  beforeAll(async () => {
    ownerUrl = await createPostgresDatabase('template0');
    owner = await openPostgres({ connectionString: ownerUrl, max: 1 });
    const url = new URL(ownerUrl);
    url.username = role;
    url.password = rolePassword;
    appUrl = url.href;
  });
  afterAll(async () => {
    await remote?.close();
    await owner?.query(`DROP OWNED BY ${role}`).catch(() => undefined);
    await owner?.close();
  });

  it('refuses to start the app on a database nobody migrated', async () => {
    await expect(openBackend({ database: { kind: 'postgres', connectionString: ownerUrl }, demo: false })).rejects.toThrow(
      /no ClinicDesk schema yet/,
    );
  });

  it('migrates and provisions a clinic with its administrator from the CLI', async () => {
    expect((await cli(ownerUrl, 'migrate')).stdout).toMatch(/Applied 001_initial_schema\.sql, 003_audit_trails\.sql/);
    expect((await cli(ownerUrl, 'migrate')).stdout).toMatch(/up to date/);
    const created = await cli(ownerUrl, 'create-tenant', '--name', 'Riverside Clinic', '--slug', 'riverside',
      '--timezone', 'Europe/London', '--currency', 'GBP', '--language', 'en-GB',
      '--admin-email', 'alex@riverside.example', '--admin-first-name', 'Alex', '--admin-last-name', 'Morgan');
    expect(created.stdout).toMatch(/Created clinic "riverside"/);
    const bad = await cli(ownerUrl, 'create-tenant', '--name', 'X', '--slug', 'Bad Slug!').then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(bad?.code).toBe(1);
    expect(bad?.stderr).toMatch(/clinic code uses/);
    const { rows } = await owner.query(`SELECT slug FROM tenants ORDER BY slug`);
    expect(rows).toEqual([{ slug: 'riverside' }]);
  });

  it('lets the app log in as an ordinary role that can only act as clinic_app', async () => {
    await owner.exec(appLoginSql(role, rolePassword));
    const login = await openPostgres({ connectionString: appUrl, max: 1 });
    try {
      const { rows } = await login.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
        `SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`,
      );
      expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false }]);
      // Without SET ROLE clinic_app it can read nothing at all.
      await expect(login.query(`SELECT count(*) FROM patients`)).rejects.toMatchObject({ code: '42501' });
    } finally {
      await login.close();
    }

    remote = await openBackend({ database: { kind: 'postgres', connectionString: appUrl }, demo: false, clinicCode: 'riverside' });
    expect(remote.backend.status).toMatchObject({ kind: 'postgres' });
    const window = createCallerFactory(appRouter)(createContext(remote.backend, { clientKey: 'remote-window' }));
    const view = await window.auth.signIn({ email: 'alex@riverside.example', password: ADMIN_PASSWORD });
    expect(view).toMatchObject({ user: { role: 'admin' }, clinic: { timezone: 'Europe/London', currency: 'GBP' } });
    expect(await window.admin.health()).toEqual(
      expect.arrayContaining([expect.objectContaining({ check_name: 'tenant_isolation', status: 'ok' })]),
    );
  });

  it('keeps a clinic server chosen on the Admin screen only after trying it', async () => {
    const offline = await demoBackend('pglite');
    try {
      const admin = await offline.signedIn(DEMO_USERS.admin);
      const attempt = (settings: ConnectionSettings) =>
        admin.admin.saveConnection(settings).then(
          () => 'saved',
          (error: { message: string }) => error.message,
        );
      expect(await attempt({ databaseUrl: appUrl, clinicCode: 'riverside' })).toMatch(/Browser mode takes its clinic server/);

      const saved: ConnectionSettings[] = [];
      offline.backend.desktop = { saveConnection: async (settings) => void saved.push(settings) };
      expect(await admin.admin.connection()).toMatchObject({ kind: 'pglite', canSave: true });
      expect(await attempt({ databaseUrl: 'mysql://nope' })).toMatch(/starting with postgres:\/\//);
      expect(await attempt({ databaseUrl: ownerUrl, clinicCode: 'riverside' })).toMatch(/bypasses row-level security/);
      expect(await attempt({ databaseUrl: appUrl, clinicCode: 'elsewhere' })).toMatch(/No clinic on this server/);
      const closedPort = new URL(appUrl);
      closedPort.port = '1';
      expect(await attempt({ databaseUrl: closedPort.href, clinicCode: 'riverside' })).toMatch(/did not answer/);
      expect(saved).toEqual([]);
      expect(await attempt({ databaseUrl: appUrl, clinicCode: 'riverside' })).toBe('saved');
      expect(saved).toEqual([{ databaseUrl: appUrl, clinicCode: 'riverside' }]);
    } finally {
      await offline.db.close();
    }
  });
});
