/**
 * Per-staff logins behind a real pgbouncer in transaction mode: connections are shared between
 * requests, so nothing a request sets may carry into the next, and identity must come from the
 * login. Two clinics' requests, each claiming the other clinic, interleaved 10,000 times.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffLoginName } from '../../electron/server/auth/scram';
import { openBackend, serverAddress } from '../../electron/server/backend';
import { createContext } from '../../electron/server/context';
import { openPostgres } from '../../electron/server/db/postgres';
import type { Db } from '../../electron/server/db/types';
import { appRouter } from '../../electron/server/router';
import { createCallerFactory } from '../../electron/server/trpc';
import { provisionLogins } from '../backend';
import { freshDatabase } from '../engines';
import { createTenantFixture, type TenantFixture } from '../fixtures';
import { findPgbouncer, startPgbouncer, type Pgbouncer } from '../pgbouncer';

const PASSWORD = 'pooled-login-password';
const binary = findPgbouncer();
if (!binary) console.log('pgbouncer is not installed (apt-get install -y pgbouncer): skipping the pooled-login tests');

describe.runIf(binary)('per-staff logins through pgbouncer (transaction mode)', () => {
  let owner: Db & { url?: string };
  let bouncer: Pgbouncer;
  let bouncerUrl: string;
  let clinicA: TenantFixture;
  let clinicB: TenantFixture;
  const authUser = `pgbouncer_auth_${randomBytes(4).toString('hex')}`;
  const opened: Db[] = [];

  beforeAll(async () => {
    owner = await freshDatabase('postgres');
    clinicA = await createTenantFixture(owner, 'pooled-a');
    clinicB = await createTenantFixture(owner, 'pooled-b');
    await provisionLogins(owner, clinicA.tenantId, [clinicA.receptionistId, clinicA.adminId], PASSWORD);
    await provisionLogins(owner, clinicB.tenantId, [clinicB.receptionistId], PASSWORD);
    // The operator's side (README, "pgbouncer"): a lookup user that may read staff logins' SCRAM
    // verifiers and nothing else.
    const authPassword = randomBytes(12).toString('hex');
    await owner.exec(`
      CREATE ROLE ${authUser} LOGIN PASSWORD '${authPassword}';
      CREATE SCHEMA pgbouncer_auth;
      CREATE FUNCTION pgbouncer_auth.lookup(p_user text) RETURNS TABLE (usename name, passwd text)
      LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        SELECT rolname, rolpassword FROM pg_authid
        WHERE rolname = p_user AND rolcanlogin AND rolname ~ '^cd_[0-9a-f]{28}$'
      $$;
      REVOKE ALL ON FUNCTION pgbouncer_auth.lookup(text) FROM PUBLIC;
      GRANT USAGE ON SCHEMA pgbouncer_auth TO ${authUser};
      GRANT EXECUTE ON FUNCTION pgbouncer_auth.lookup(text) TO ${authUser};
    `);
    const server = new URL(owner.url!);
    const database = server.pathname.slice(1);
    bouncer = await startPgbouncer({
      binary: binary!,
      database,
      serverPort: Number(server.port),
      authUser,
      authPassword,
      authQuery: 'SELECT usename, passwd FROM pgbouncer_auth.lookup($1)',
    });
    const url = new URL(serverAddress(owner.url!));
    url.port = String(bouncer.port);
    bouncerUrl = url.href;
  });
  afterAll(async () => {
    await Promise.all(opened.map((db) => db.close()));
    await bouncer?.stop();
    await owner?.close();
  });

  async function login(clinicCode: string, email: string, password = PASSWORD): Promise<Db> {
    const url = new URL(bouncerUrl);
    url.username = staffLoginName(url.pathname.slice(1), clinicCode, email);
    url.password = password;
    const db = await openPostgres({ connectionString: url.href, max: 4 });
    opened.push(db);
    return db;
  }

  it('interleaves 10,000 requests of two clinics, each claiming the other, and no row crosses', async () => {
    const a = await login('pooled-a', 'receptionist@pooled-a.test');
    const b = await login('pooled-b', 'receptionist@pooled-b.test');
    const ask = (db: Db, claim: string) =>
      db.transaction(async (tx) => {
        await tx.query('SET LOCAL ROLE clinic_app');
        await tx.query(`SELECT set_config('app.current_tenant_id', $1, false)`, [claim]);
        const { rows } = await tx.query<{ tenant_id: string }>(
          `SELECT current_tenant_id() AS tenant_id UNION SELECT tenant_id FROM patients UNION SELECT tenant_id FROM appointments`,
        );
        return rows.map((row) => row.tenant_id);
      });
    let crossed = 0;
    let requests = 0;
    const started = performance.now();
    for (let batch = 0; batch < 250; batch++) {
      const round = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          i % 2
            ? ask(a, clinicB.tenantId).then((seen) => [clinicA.tenantId, seen] as const)
            : ask(b, clinicA.tenantId).then((seen) => [clinicB.tenantId, seen] as const),
        ),
      );
      for (const [own, seen] of round) {
        requests += 1;
        if (seen.some((tenant) => tenant !== own)) crossed += 1;
      }
    }
    const perRequest = (performance.now() - started) / requests;
    console.log(`pgbouncer: ${requests} interleaved requests, ${crossed} crossed, ${perRequest.toFixed(2)} ms per request`);
    expect(requests).toBe(10_000);
    expect(crossed).toBe(0);
  }, 120_000);

  it('searches of two clinics on shared connections each find only their own patient (search keeps its plans per connection)', async () => {
    const a = await login('pooled-a', 'receptionist@pooled-a.test');
    const b = await login('pooled-b', 'receptionist@pooled-b.test');
    // Each typed form goes down another path of find_patients_matching: name tiers, misspelling, number.
    const typed = ['fixture', 'fixture pooled', 'fixtrue', 'pooled fixture', 'P-0'];
    const search = (db: Db, query: string) =>
      db.transaction(async (tx) => {
        await tx.query('SET LOCAL ROLE clinic_app');
        const { rows } = await tx.query<{ id: string }>(`SELECT id FROM search_patients($1)`, [query]);
        return rows.map((row) => row.id);
      });
    const found: Record<string, Set<string>> = { a: new Set(), b: new Set() };
    for (let batch = 0; batch < 50; batch++) {
      const round = await Promise.all(
        Array.from({ length: 20 }, (_, i) => {
          const [clinic, db] = i % 2 ? (['a', a] as const) : (['b', b] as const);
          return search(db, typed[(batch + i) % typed.length]!).then((ids) => [clinic, ids] as const);
        }),
      );
      for (const [clinic, ids] of round) for (const id of ids) found[clinic]!.add(id);
    }
    expect([...found.a!]).toEqual([clinicA.rows.patients]);
    expect([...found.b!]).toEqual([clinicB.rows.patients]);
  }, 120_000);

  it('refuses a wrong password, and the app signs in and works through it', async () => {
    await expect(login('pooled-a', 'receptionist@pooled-a.test', 'not-the-password')).rejects.toThrow(/authentication failed/);
    const app = await openBackend({ database: { kind: 'postgres', connectionString: bouncerUrl }, demo: false, clinicCode: 'pooled-a' });
    try {
      const window = createCallerFactory(appRouter)(createContext(app.backend, { clientKey: 'pooled-window' }));
      await expect(window.auth.signIn({ email: 'admin@pooled-a.test', password: 'not-the-password' })).rejects.toThrow(/not right/);
      await window.auth.signIn({ email: 'admin@pooled-a.test', password: PASSWORD });
      const found = await window.patients.search({ query: 'Fixture' });
      expect(found.map((patient) => patient.last_name)).toEqual(['Fixture-pooled-a']);
    } finally {
      await app.close();
    }
  });
});
