import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createOwnedDatabase } from '../../../test/owned-database';
import { remoteAccess } from '../access/remote';
import { serverAddress } from '../backend';
import { createContext, type Backend } from '../context';
import { openPostgres } from '../db/postgres';
import type { Db } from '../db/types';
import { SessionStore } from '../auth/sessions';
import { appRouter } from '../router';
import { createCallerFactory } from '../trpc';

const run = promisify(execFile);
const ADMIN_PASSWORD = 'harbour-admin-2026';

/**
 * PostgreSQL only: the schema owned by an ordinary CREATEROLE role (the README's operator
 * set-up), so forced RLS applies to the owner's own SECURITY DEFINER code as well. The rest of the
 * suite migrates as the superuser, which skips RLS.
 */
describe('a schema owner that is not a superuser (PostgreSQL)', () => {
  let ownerUrl: string;
  let superuserUrl: string;
  let owner: Db;
  let backend: Backend;

  const cli = (...args: string[]) =>
    run('npx', ['tsx', 'electron/server/cli.ts', ...args], {
      env: { ...process.env, CLINICDESK_ADMIN_DATABASE_URL: ownerUrl, CLINICDESK_ADMIN_PASSWORD: ADMIN_PASSWORD },
    });
  const createClinic = (slug: string) =>
    cli(
      'create-tenant',
      ...['--name', `${slug} clinic`, '--slug', slug, '--timezone', 'Europe/London', '--currency', 'GBP', '--language', 'en-GB'],
      ...['--admin-email', `admin@${slug}.example`, '--admin-first-name', 'Ada', '--admin-last-name', 'Marsh'],
    );
  const signIn = async (slug: string) => {
    const window = createCallerFactory(appRouter)(createContext(backend, { clientKey: `window-${slug}` }));
    await window.auth.signIn({ email: `admin@${slug}.example`, password: ADMIN_PASSWORD, clinicCode: slug });
    return window;
  };

  beforeAll(async () => {
    ({ ownerUrl, superuserUrl } = await createOwnedDatabase(inject('postgresAdminUrl')));
    expect((await cli('migrate')).stdout).toMatch(/Applied 001_initial_schema\.sql/);
    await createClinic('harbour');
    await createClinic('hillside');
    owner = await openPostgres({ connectionString: ownerUrl, max: 1 });
    backend = {
      access: remoteAccess(serverAddress(ownerUrl)),
      sessions: new SessionStore(3_600_000),
      status: { kind: 'postgres', label: 'test' },
    };
  }, 180_000);
  afterAll(async () => {
    await owner?.close();
  });

  it('runs the migrations and the operator CLI as an owner that is neither superuser nor BYPASSRLS', async () => {
    const { rows } = await owner.query<{ rolsuper: boolean; rolbypassrls: boolean; owns_schema: boolean }>(
      `SELECT r.rolsuper, r.rolbypassrls, c.relowner = r.oid AS owns_schema
       FROM pg_roles r, pg_class c WHERE r.rolname = current_user AND c.oid = 'public.patients'::regclass`,
    );
    expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false, owns_schema: true }]);
  });

  it("finds patients by phone ending, national phone, number prefix and name, and never another clinic's", async () => {
    const harbour = await signIn('harbour');
    const hillside = await signIn('hillside');
    const ines = await harbour.patients.register({
      patient: { first_name: 'Inès', last_name: "O'Connell", date_of_birth: '1984-05-06', gender: 'Female', phone: '+44 7700 900481' },
    });
    await hillside.patients.register({
      patient: { first_name: 'Inès', last_name: "O'Connell", date_of_birth: '1984-05-06', gender: 'Female', phone: '+44 7700 900481' },
    });
    for (const typed of ['900481', '07700 900481', ines.patient_number.slice(0, 6), 'ines oconnell', 'oconell']) {
      const found = await harbour.patients.search({ query: typed });
      expect(
        found.map((row) => row.id),
        typed,
      ).toEqual([ines.id]);
    }
  });

  it("puts phone endings and number prefixes in the index under the owner's forced RLS", async () => {
    // The owner's policy on patients applies to these statements as it does inside
    // find_patients_matching; a condition RLS may not push down shows as a Filter instead.
    // Enough patients that the planner prefers a narrow index when it is allowed one.
    const { id: harbour } = (await owner.query<{ id: string }>(`SELECT id FROM tenants WHERE slug = 'harbour'`)).rows[0]!;
    await owner.transaction(async (tx) => {
      await tx.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [harbour]);
      await tx.query(
        `INSERT INTO patients (tenant_id, clinic_id, first_name, last_name, date_of_birth, gender, phone, phone_e164)
         SELECT $1, (SELECT id FROM clinics WHERE tenant_id = $1), 'Test', 'Patient ' || i, DATE '1980-01-01', 'Other',
                '+44 7700 ' || lpad(i::text, 6, '0'), '+447700' || lpad(i::text, 6, '0')
         FROM generate_series(1, 3000) AS i`,
        [harbour],
      );
    });
    await owner.query(`ANALYZE patients`);
    const plan = (sql: string) =>
      owner.transaction(async (tx) => {
        await tx.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [harbour]);
        await tx.query(`SET LOCAL enable_seqscan = off`);
        const { rows } = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql.replaceAll(':tenant', `'${harbour}'::uuid`)}`);
        return rows.map((row) => row['QUERY PLAN']).join('\n');
      });
    expect(
      await plan(`SELECT id FROM patients x WHERE x.tenant_id = :tenant AND x.deleted_at IS NULL
                  AND x.phone_e164_reversed >= '184009' AND x.phone_e164_reversed < '184009' || U&'\\+10FFFF' LIMIT 20`),
    ).toMatch(/Index Cond: .*phone_e164_reversed >= '184009'/);
    expect(
      await plan(`SELECT id FROM patients x WHERE x.tenant_id = :tenant AND x.deleted_at IS NULL
                  AND x.patient_number >= 'P-0000' AND x.patient_number < 'P-0000' || U&'\\+10FFFF' LIMIT 20`),
    ).toMatch(/Index Cond: .*patient_number >= 'P-0000'/);
  });

  it('honours guard passes under its own forced RLS: a patient import keeps the numbers it reserved and its author', async () => {
    const { id: harbour } = (await owner.query<{ id: string }>(`SELECT id FROM tenants WHERE slug = 'harbour'`)).rows[0]!;
    const rows = [1, 2, 3].map((n) => ({ first_name: 'Pass', last_name: `Guarded ${n}`, date_of_birth: '1970-01-01', gender: 'Other' }));
    const { batch, stored } = await owner.transaction(async (tx) => {
      await tx.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [harbour]);
      const { id: admin } = (await tx.query<{ id: string }>(`SELECT id FROM users WHERE email = 'admin@harbour.example'`)).rows[0]!;
      await tx.query(`SELECT set_config('app.current_user_id', $1, true)`, [admin]);
      const batch = (await tx.query(`SELECT first_number, last_number FROM import_patients($1)`, [JSON.stringify(rows)])).rows[0];
      const stored = (
        await tx.query(
          `SELECT min(patient_number) AS first_number, max(patient_number) AS last_number, count(DISTINCT created_by)::int AS authors,
                  bool_and(created_by = $1) AS by_admin, (SELECT count(*)::int FROM guard_passes) AS passes
           FROM patients WHERE first_name = 'Pass'`,
          [admin],
        )
      ).rows[0];
      return { batch, stored };
    });
    expect(stored).toEqual({ ...batch, authors: 1, by_admin: true, passes: 0 });
  });

  it("takes a deleted patient's name words with it under the owner's forced RLS; set to another clinic, the delete is refused", async () => {
    const harbour = await signIn('harbour');
    const hillside = await signIn('hillside');
    const gone = await harbour.patients.register({
      patient: { first_name: 'Tamsin', last_name: 'Quarrier', date_of_birth: '1979-08-09', gender: 'Female' },
    });
    await hillside.patients.register({
      patient: { first_name: 'Tamsin', last_name: 'Quarrier', date_of_birth: '1979-08-09', gender: 'Female' },
    });
    // The operator's clean-up, as a superuser (migration 035's trigger runs as the owner, under forced RLS).
    const superuser = await openPostgres({ connectionString: superuserUrl, max: 1 });
    const deleteAs = (slug: string) =>
      superuser.transaction(async (tx) => {
        await tx.query(`SELECT set_config('app.current_tenant_id', (SELECT id::text FROM tenants WHERE slug = $1), true)`, [slug]);
        await tx.query(`DELETE FROM audit_logs WHERE record_id = $1`, [gone.id]);
        await tx.query(`DELETE FROM patients WHERE id = $1`, [gone.id]);
      });
    const words = () =>
      superuser.query<{ gone: number; twin: number }>(
        `SELECT count(*) FILTER (WHERE w.patient_id = $1)::int AS gone, count(*) FILTER (WHERE w.patient_id <> $1)::int AS twin
         FROM patient_name_words w JOIN patients p ON p.tenant_id = w.tenant_id AND p.id = w.patient_id WHERE p.last_name = 'Quarrier'`,
        [gone.id],
      );
    try {
      expect((await words()).rows).toEqual([{ gone: 2, twin: 2 }]);
      await expect(deleteAs('hillside')).rejects.toMatchObject({ code: '42501' });
      await deleteAs('harbour');
      const orphans = await superuser.query<{ n: number }>(`SELECT count(*)::int AS n FROM patient_name_words WHERE patient_id = $1`, [
        gone.id,
      ]);
      expect(orphans.rows).toEqual([{ n: 0 }]);
      expect((await words()).rows).toEqual([{ gone: 0, twin: 2 }]);
    } finally {
      await superuser.close();
    }
  });
});
