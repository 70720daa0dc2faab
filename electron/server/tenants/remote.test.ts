import { execFile } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionCheckInput, ConnectionSettings } from '../../../shared/connection';
import { DEMO_USERS, demoBackend } from '../../../test/backend';
import { createPostgresDatabase } from '../../../test/engines';
import { remoteAccess, secureServerUrl } from '../access/remote';
import { staffLoginName } from '../auth/scram';
import { openBackend, serverAddress } from '../backend';
import { createContext, type Backend } from '../context';
import { openPostgres } from '../db/postgres';
import type { Db } from '../db/types';
import { appRouter } from '../router';
import { createCallerFactory } from '../trpc';

const run = promisify(execFile);
const ADMIN_PASSWORD = 'riverside-admin-2026';
const STAFF_PASSWORD = 'front-desk-2026-sam';

/** The operator CLI as an operator runs it: a separate process, owner URL in the environment. */
function cli(ownerUrl: string, ...args: string[]) {
  return run('npx', ['tsx', 'electron/server/cli.ts', ...args], {
    env: {
      ...process.env,
      CLINICDESK_ADMIN_DATABASE_URL: ownerUrl,
      CLINICDESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
      CLINICDESK_STAFF_PASSWORD: STAFF_PASSWORD,
    },
  });
}

describe('remote mode: operator CLI, per-staff database logins, sign-in', () => {
  let ownerUrl: string;
  let serverUrl: string;
  let database: string;
  let owner: Db;
  let remote: { backend: Backend; close(): Promise<void> };

  beforeAll(async () => {
    ownerUrl = await createPostgresDatabase('template0');
    owner = await openPostgres({ connectionString: ownerUrl, max: 1 });
    serverUrl = serverAddress(ownerUrl);
    database = new URL(ownerUrl).pathname.slice(1);
  });
  afterAll(async () => {
    await remote?.close();
    await owner?.close();
  });

  it('migrates and provisions a clinic with its administrator and their own login from the CLI', async () => {
    expect((await cli(ownerUrl, 'migrate')).stdout).toMatch(/Applied 001_initial_schema\.sql, 003_audit_trails\.sql/);
    expect((await cli(ownerUrl, 'migrate')).stdout).toMatch(/up to date/);
    const created = await cli(
      ownerUrl,
      'create-tenant',
      '--name',
      'Riverside Clinic',
      '--slug',
      'riverside',
      '--timezone',
      'Europe/London',
      '--currency',
      'GBP',
      '--language',
      'en-GB',
      '--admin-email',
      'alex@riverside.example',
      '--admin-first-name',
      'Alex',
      '--admin-last-name',
      'Morgan',
    );
    expect(created.stdout).toMatch(/Created clinic "riverside"/);
    const bad = await cli(ownerUrl, 'create-tenant', '--name', 'X', '--slug', 'Bad Slug!').then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(bad?.code).toBe(1);
    expect(bad?.stderr).toMatch(/clinic code uses/);
    expect((await owner.query(`SELECT slug FROM tenants ORDER BY slug`)).rows).toEqual([{ slug: 'riverside' }]);

    // The login is an ordinary role: no superuser, no BYPASSRLS, no CREATEROLE, member of clinic_app only.
    const login = staffLoginName(database, 'riverside', 'alex@riverside.example');
    const { rows } = await owner.query(
      `SELECT r.rolsuper, r.rolbypassrls, r.rolcreaterole, r.rolcanlogin,
              array(SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid)::text[] AS member_of,
              s.rolpassword LIKE 'SCRAM-SHA-256$%' AS scram
       FROM pg_roles r JOIN pg_authid s ON s.oid = r.oid WHERE r.rolname = $1`,
      [login],
    );
    expect(rows).toEqual([
      { rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcanlogin: true, member_of: ['clinic_app'], scram: true },
    ]);
  });

  it('signs a staff member in as their own login; a wrong password or clinic code gets the same answer', async () => {
    remote = await openBackend({ database: { kind: 'postgres', connectionString: serverUrl }, demo: false, clinicCode: 'riverside' });
    expect(remote.backend.status).toMatchObject({ kind: 'postgres' });
    const window = createCallerFactory(appRouter)(createContext(remote.backend, { clientKey: 'remote-window' }));
    const refused = (input: { email: string; password: string; clinicCode?: string }) =>
      window.auth.signIn(input).then(
        () => 'signed in',
        (error: { message: string }) => error.message,
      );
    const wrong = 'The email or password is not right. Check them and try again.';
    expect(await refused({ email: 'alex@riverside.example', password: 'not-the-password' })).toBe(wrong);
    expect(await refused({ email: 'nobody@riverside.example', password: ADMIN_PASSWORD })).toBe(wrong);
    expect(await refused({ email: 'alex@riverside.example', password: ADMIN_PASSWORD, clinicCode: 'elsewhere' })).toBe(wrong);

    const view = await window.auth.signIn({ email: 'alex@riverside.example', password: ADMIN_PASSWORD });
    expect(view).toMatchObject({ user: { role: 'admin' }, clinic: { timezone: 'Europe/London', currency: 'GBP' } });
    expect(await window.admin.health()).toEqual(
      expect.arrayContaining([expect.objectContaining({ check_name: 'tenant_isolation', status: 'ok' })]),
    );
    const { rows } = await owner.query(`SELECT activity_type, u.email FROM activity_logs a JOIN users u ON u.id = a.user_id
                                        WHERE activity_type = 'auth.sign_in'`);
    expect(rows).toEqual([{ activity_type: 'auth.sign_in', email: 'alex@riverside.example' }]);
  });

  it('gives an existing staff member a login from the CLI, and a disabled login cannot sign in', async () => {
    await owner.transaction(async (tx) => {
      await tx.query(`SELECT set_config('app.current_tenant_id', (SELECT id::text FROM tenants WHERE slug = 'riverside'), true)`);
      await tx.query(`INSERT INTO users (tenant_id, clinic_id, role_id, email, password_hash, first_name, last_name)
                      SELECT t.id, c.id, r.id, 'sam@riverside.example', 'scrypt$x', 'Sam', 'Desk'
                      FROM tenants t JOIN clinics c ON c.tenant_id = t.id JOIN roles r ON r.tenant_id = t.id AND r.name = 'receptionist'
                      WHERE t.slug = 'riverside'`);
    });
    expect((await cli(ownerUrl, 'staff-login', '--slug', 'riverside', '--email', 'sam@riverside.example')).stdout).toMatch(
      /sam@riverside\.example of "riverside" signs in to this server as cd_[0-9a-f]{28}\./,
    );
    const desk = createCallerFactory(appRouter)(createContext(remote.backend, { clientKey: 'desk' }));
    expect(await desk.auth.signIn({ email: 'sam@riverside.example', password: STAFF_PASSWORD })).toMatchObject({
      user: { role: 'receptionist' },
    });

    await owner.transaction(async (tx) => {
      await tx.query(`SELECT set_config('app.current_tenant_id', (SELECT id::text FROM tenants WHERE slug = 'riverside'), true)`);
      await tx.query(`SELECT disable_staff_login(id) FROM users WHERE email = 'sam@riverside.example'`);
    });
    // The open session acts for nobody any more, and a new sign-in is refused.
    await expect(desk.patients.search({ query: 'a' })).rejects.toThrow();
    await expect(desk.auth.signIn({ email: 'sam@riverside.example', password: STAFF_PASSWORD })).rejects.toThrow(/not right/);
  });

  it('reaches a server on another machine only over TLS with a verified certificate', async () => {
    expect(secureServerUrl('postgres://127.0.0.1:5432/clinic')).toBe('postgres://127.0.0.1:5432/clinic');
    expect(secureServerUrl('postgres://localhost/clinic')).toBe('postgres://localhost/clinic');
    expect(secureServerUrl('postgres://db.example.org/clinic')).toBe('postgres://db.example.org/clinic?sslmode=verify-full');
    expect(() => secureServerUrl('postgres://db.example.org/clinic?sslmode=disable')).toThrow(/only with TLS/);
    expect(() => secureServerUrl('postgres://db.example.org/clinic?sslmode=require')).toThrow(/verify-full, not require/);

    // This test server offers no TLS: reached by the machine's own address, it is refused, clearly.
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === 'IPv4' && !address.internal);
    if (!external) {
      console.log('No non-loopback IPv4 address on this machine: the TLS refusal is checked on the address rules alone');
      return;
    }
    const elsewhere = new URL(serverUrl);
    elsewhere.hostname = external.address;
    const access = remoteAccess(elsewhere.href, 'riverside');
    await expect(access.signIn({ clinicCode: 'riverside', email: 'alex@riverside.example', password: ADMIN_PASSWORD })).rejects.toThrow(
      /does not offer TLS/,
    );
  });

  it('keeps a clinic server chosen on the Admin screen only after signing in there, and never the password', async () => {
    const offline = await demoBackend('pglite');
    try {
      const admin = await offline.signedIn(DEMO_USERS.admin);
      const attempt = (input: ConnectionCheckInput) =>
        admin.admin.saveConnection(input).then(
          () => 'saved',
          (error: { message: string }) => error.message,
        );
      const alex = { clinicCode: 'riverside', email: 'alex@riverside.example', password: ADMIN_PASSWORD };
      expect(await attempt({ databaseUrl: serverUrl, ...alex })).toMatch(/Browser mode takes its clinic server/);

      const saved: ConnectionSettings[] = [];
      offline.backend.desktop = { saveConnection: async (settings) => void saved.push(settings) };
      expect(await admin.admin.connection()).toMatchObject({ kind: 'pglite', canSave: true });
      expect(await attempt({ databaseUrl: 'mysql://nope', ...alex })).toMatch(/starting with postgres:\/\//);
      expect(await attempt({ databaseUrl: serverUrl, ...alex, password: 'wrong-password' })).toMatch(/did not accept/);
      expect(await attempt({ databaseUrl: serverUrl, ...alex, clinicCode: 'elsewhere' })).toMatch(/did not accept/);
      const closedPort = new URL(serverUrl);
      closedPort.port = '1';
      expect(await attempt({ databaseUrl: closedPort.href, ...alex })).toMatch(/did not answer/);
      expect(saved).toEqual([]);
      const withLogin = new URL(serverUrl);
      withLogin.username = 'someone';
      withLogin.password = 'secret';
      expect(await attempt({ databaseUrl: withLogin.href, ...alex })).toBe('saved');
      expect(saved).toEqual([{ databaseUrl: serverUrl, clinicCode: 'riverside' }]);
    } finally {
      await offline.close();
    }
  });
});
