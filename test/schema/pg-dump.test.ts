/**
 * The operator's backup of a clinic server, run as README ("Backups of the server") says: pg_dump
 * -Fc by a role with BYPASSRLS, the server lost (the database dropped), pg_restore --create, and
 * the same rows back, table by table, with staff logins working again. Also what happens to a
 * dump by a role that may read every table but not bypass row-level security.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { openBackend, serverAddress } from '../../electron/server/backend';
import { tableChecksums, tableDifferences } from '../../electron/server/backups/checksums';
import { createContext } from '../../electron/server/context';
import { loadDemoClinic } from '../../electron/server/db/demo-clinic';
import { openPostgres } from '../../electron/server/db/postgres';
import type { TableChecksum } from '../../shared/backups';
import { appRouter } from '../../electron/server/router';
import { createCallerFactory } from '../../electron/server/trpc';
import { provisionLogins } from '../backend';
import { createPostgresDatabase } from '../engines';
import { createTenantFixture } from '../fixtures';
import { POSTGRES_TEMPLATE } from '../global-setup';
import { findServerBinaries } from '../postgres-server';

const PASSWORD = 'restored-login-password';
const OPERATOR_PASSWORD = randomBytes(12).toString('hex');

describe('pg_dump -Fc and pg_restore of a clinic server (README, "Backups of the server")', () => {
  const bin = findServerBinaries();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'clinicdesk-pg-dump-'));
  const dumper = `backup_${randomBytes(4).toString('hex')}`;
  const reader = `reader_${randomBytes(4).toString('hex')}`;
  let url: URL;
  let database: string;
  let before: TableChecksum[];

  /** A client program of the server's own version, against the test server, as `user`. */
  const client = (program: string, user: string, args: string[]) =>
    spawnSync(path.join(bin, program), ['-h', url.hostname, '-p', url.port, '-U', user, ...args], {
      encoding: 'utf8',
      env: { ...process.env, PGPASSWORD: OPERATOR_PASSWORD },
    });

  beforeAll(async () => {
    url = new URL(await createPostgresDatabase(POSTGRES_TEMPLATE));
    database = url.pathname.slice(1);
    const owner = await openPostgres({ connectionString: url.href, max: 1 });
    try {
      await loadDemoClinic(owner);
      const other = await createTenantFixture(owner, 'dump-b');
      await provisionLogins(owner, other.tenantId, [other.adminId], PASSWORD);
      // The operator's dumping role: reads every table (pg_read_all_data) and bypasses RLS; and,
      // for comparison, one that reads every table but is subject to RLS.
      await owner.exec(`
        CREATE ROLE ${dumper} LOGIN BYPASSRLS PASSWORD '${OPERATOR_PASSWORD}' IN ROLE pg_read_all_data;
        CREATE ROLE ${reader} LOGIN PASSWORD '${OPERATOR_PASSWORD}' IN ROLE pg_read_all_data;
      `);
      before = await tableChecksums(owner);
    } finally {
      await owner.close();
    }
  }, 120_000);
  afterAll(() => {
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('refuses to dump for a role without BYPASSRLS, rather than leave the clinics out', () => {
    const dumped = client('pg_dump', reader, ['-Fc', '-d', database, '-f', path.join(scratch, 'reader.dump')]);
    expect(dumped.status).not.toBe(0);
    expect(dumped.stderr).toMatch(/row-level security/);
  });

  it('dumps as a BYPASSRLS role, restores the lost database with --create, and every row and staff login is back', async () => {
    const file = path.join(scratch, 'clinicdesk.dump');
    const dumped = client('pg_dump', dumper, ['-Fc', '-d', database, '-f', file]);
    expect(dumped.stderr).toBe('');
    expect(dumped.status).toBe(0);

    // The server's database is lost; roles (cluster-wide, kept by pg_dumpall --roles-only) remain.
    const admin = await openPostgres({ connectionString: inject('postgresAdminUrl'), max: 1 });
    try {
      await admin.query(`DROP DATABASE ${database}`);
    } finally {
      await admin.close();
    }
    const restored = client('pg_restore', 'postgres', ['--create', '--exit-on-error', '-d', 'postgres', file]);
    expect(restored.stderr).toBe('');
    expect(restored.status).toBe(0);

    const owner = await openPostgres({ connectionString: url.href, max: 1 });
    try {
      const after = await tableChecksums(owner);
      expect(tableDifferences(before, after)).toEqual([]);
      expect(after.find((table) => table.table === 'public.patients')?.rows).toBeGreaterThan(50);
      // --create brings back the database's own privileges too (008 takes TEMP away from PUBLIC).
      const { rows } = await owner.query<{ temp: boolean }>(`SELECT has_database_privilege('clinic_app', $1, 'TEMP') AS temp`, [database]);
      expect(rows).toEqual([{ temp: false }]);
    } finally {
      await owner.close();
    }

    // Under its old name the database maps the staff logins again (their names are derived from it).
    const app = await openBackend({
      database: { kind: 'postgres', connectionString: serverAddress(url.href) },
      demo: false,
      clinicCode: 'dump-b',
    });
    try {
      const window = createCallerFactory(appRouter)(createContext(app.backend, { clientKey: 'restored-window' }));
      await window.auth.signIn({ email: 'admin@dump-b.test', password: PASSWORD });
      const found = await window.patients.search({ query: 'Fixture' });
      expect(found.map((patient) => patient.last_name)).toEqual(['Fixture-dump-b']);
    } finally {
      await app.close();
    }
  }, 120_000);
});
