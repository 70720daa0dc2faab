/**
 * `npm run bench`: reception search at 100,000 patients in one tenant (plus 10 smaller
 * tenants), on PGlite and PostgreSQL 15, as the app really runs it (a receptionist's request
 * as clinic_app under forced RLS; on PostgreSQL through the receptionist's own login) next to
 * the same query bare (owner, no RLS). Prints p50/p95 per query kind.
 * Not a test: numbers, not pass/fail.
 */
import { performance } from 'node:perf_hooks';
import { scramVerifier } from '../electron/server/auth/scram';
import { serverAddress } from '../electron/server/backend';
import { findMigrationsDir, migrate } from '../electron/server/db/migrate';
import { openPglite } from '../electron/server/db/pglite';
import { one } from '../electron/server/db/rows';
import { openPostgres } from '../electron/server/db/postgres';
import { withRequest } from '../electron/server/db/request';
import type { Db, Queryable } from '../electron/server/db/types';
import { startPostgresServer } from '../test/postgres-server';
import { percentile } from './percentile';

const BIG_TENANT_PATIENTS = Number(process.env.BENCH_PATIENTS ?? 100_000);
const OTHER_TENANTS = 10;
const OTHER_TENANT_PATIENTS = 2_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 200);

const FIRST = [
  'James',
  'Mary',
  'John',
  'Patricia',
  'Robert',
  'Jennifer',
  'Michael',
  'Linda',
  'William',
  'Elizabeth',
  'David',
  'Barbara',
  'Richard',
  'Susan',
  'Joseph',
  'Jessica',
  'Thomas',
  'Sarah',
  'Charles',
  'Karen',
  'José',
  'Zoë',
  'Siobhán',
  'Mohammed',
  'Aisha',
  'Wei',
  'Priya',
  'Olumide',
  'Anna',
  'Lukas',
  'Chloé',
  'Mateo',
  'Ingrid',
  'Yuki',
];
const LAST = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernández',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Müller',
  "O'Brien",
  'Okafor',
  'Patel',
  'Chen',
  'Nguyen',
  'Kowalski',
  'Lindqvist',
  'Rossi',
  'Dubois',
  'Tanaka',
  'Novak',
];

/** Loads patients and a receptionist with plain SQL (triggers off: no audit rows for a synthetic load). */
async function loadTenant(db: Db, slug: string, patients: number): Promise<{ tenantId: string; receptionistId: string }> {
  return db.transaction(async (tx) => {
    await tx.query(`SET LOCAL session_replication_role = replica`);
    const { id: tenantId } = await one<{ id: string }>(tx, `INSERT INTO tenants (name, slug) VALUES ($1, $1) RETURNING id`, [slug]);
    const { id: clinicId } = await one<{ id: string }>(tx, `INSERT INTO clinics (tenant_id, name) VALUES ($1, $2) RETURNING id`, [
      tenantId,
      slug,
    ]);
    await tx.query(
      `INSERT INTO patients (tenant_id, clinic_id, patient_number, first_name, last_name, date_of_birth, gender, phone)
       SELECT $1, $2, 'P-' || lpad(i::text, 6, '0'),
              ($3::text[])[1 + (i::bigint * 7919) % array_length($3::text[], 1)],
              ($4::text[])[1 + (i::bigint * 104729) % array_length($4::text[], 1)]
                || CASE WHEN i % 5 = 0 THEN '-' || ($4::text[])[1 + (i / 5) % array_length($4::text[], 1)] ELSE '' END,
              DATE '1930-01-01' + ((i::bigint * 37) % 33000)::integer,
              (ARRAY['Male','Female','Other'])[1 + i % 3],
              '+44 7' || lpad(((i::bigint * 2654435761) % 1000000000)::text, 9, '0')
       FROM generate_series(1, $5::integer) AS i`,
      [tenantId, clinicId, FIRST, LAST, patients],
    );
    await tx.query(`SELECT set_config('app.current_tenant_id', $1::text, true), create_default_roles($1::uuid)`, [tenantId]);
    const receptionist = await one<{ id: string }>(
      tx,
      `INSERT INTO users (tenant_id, clinic_id, role_id, email, password_hash, first_name, last_name)
       SELECT $1, $2, r.id, 'desk@' || $3 || '.bench', 'scrypt$bench', 'Front', 'Desk' FROM roles r
       WHERE r.tenant_id = $1 AND r.name = 'receptionist' RETURNING id`,
      [tenantId, clinicId, slug],
    );
    return { tenantId, receptionistId: receptionist.id };
  });
}

interface QueryKind {
  name: string;
  inputs: string[];
  /** The app's call: the SECURITY DEFINER search function. */
  app: string;
  /** The same match written naively against the table. */
  naive: string;
}

function queryKinds(phones: string[]): QueryKind[] {
  const fragments = ['smi', 'john sm', 'garc', 'patel', 'herna', 'mull', 'jose', 'okaf', 'lind', 'chen wei', 'ingrid', 'taylo'];
  const numbers = Array.from({ length: 40 }, (_, i) => `P-${String(1 + ((i * 2477) % BIG_TENANT_PATIENTS)).padStart(6, '0')}`);
  const limit = 'ORDER BY search_name LIMIT 20';
  return [
    {
      name: 'name fragment',
      inputs: fragments,
      app: `SELECT id FROM search_patients($1, 20)`,
      naive: `SELECT id FROM patients WHERE search_name LIKE '%' || fold_text($1) || '%' AND deleted_at IS NULL ${limit}`,
    },
    {
      name: 'phone prefix',
      inputs: phones,
      app: `SELECT id FROM search_patients($1, 20)`,
      naive: `SELECT id FROM patients WHERE phone_digits LIKE digits_only($1) || '%' AND deleted_at IS NULL ${limit}`,
    },
    {
      name: 'patient number',
      inputs: numbers,
      app: `SELECT id FROM search_patients($1, 20)`,
      naive: `SELECT id FROM patients WHERE patient_number LIKE upper($1) || '%' AND deleted_at IS NULL ${limit}`,
    },
  ];
}

async function time(run: (input: string) => Promise<unknown>, inputs: string[]): Promise<{ p50: number; p95: number }> {
  for (const input of inputs.slice(0, 5)) await run(input); // warm caches and plans
  const samples: number[] = [];
  // The inputs over and over, RUNS in all.
  const schedule = Array.from({ length: Math.ceil(RUNS / inputs.length) }, () => inputs)
    .flat()
    .slice(0, RUNS);
  for (const input of schedule) {
    const started = performance.now();
    await run(input);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

interface Row {
  engine: string;
  query: string;
  path: string;
  p50: number;
  p95: number;
}

/** A receptionist's request: the app's own way in for this engine. */
type Requests = (tenantId: string, receptionistId: string) => Promise<<T>(work: (tx: Queryable) => Promise<T>) => Promise<T>>;

async function benchEngine(engine: string, db: Db, requestsFor: Requests): Promise<Row[]> {
  await migrate(db, { dir: findMigrationsDir() });
  const loadStarted = performance.now();
  const { tenantId, receptionistId } = await loadTenant(db, 'bench-big', BIG_TENANT_PATIENTS);
  for (let t = 0; t < OTHER_TENANTS; t++) await loadTenant(db, `bench-other-${t}`, OTHER_TENANT_PATIENTS);
  await db.query('ANALYZE');
  console.error(
    `[${engine}] loaded ${BIG_TENANT_PATIENTS + OTHER_TENANTS * OTHER_TENANT_PATIENTS} patients in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`,
  );

  const { rows } = await db.query<{ phone: string }>(`SELECT phone FROM patients WHERE tenant_id = $1 ORDER BY patient_number LIMIT 40`, [
    tenantId,
  ]);
  const phones = rows.map((r, i) => r.phone.replace(/\s/g, '').slice(0, 6 + (i % 4)));
  const request = await requestsFor(tenantId, receptionistId);
  const asApp = (sql: string) => (input: string) => request((tx) => tx.query(sql, [input]));
  const bare = (sql: string) => (input: string) =>
    db.transaction(async (tx) => {
      await tx.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenantId]);
      return tx.query(sql.replace('WHERE', 'WHERE tenant_id = (SELECT current_tenant_id()) AND'), [input]);
    });

  const results: Row[] = [];
  for (const kind of queryKinds(phones)) {
    const paths: [string, (input: string) => Promise<unknown>][] = [
      ['app: search_patients() as clinic_app, forced RLS', asApp(kind.app)],
      ['naive query as clinic_app, forced RLS', asApp(kind.naive)],
      ['naive query bare (owner, no RLS)', bare(kind.naive)],
    ];
    for (const [path, run] of paths) {
      const row = { engine, query: kind.name, path, ...(await time(run, kind.inputs)) };
      console.error(`[${engine}] ${kind.name} · ${path}: p50 ${row.p50.toFixed(2)} ms, p95 ${row.p95.toFixed(2)} ms`);
      results.push(row);
    }
  }
  return results;
}

function printTable(rows: Row[]): void {
  const header = '| engine | query | path | p50 ms | p95 ms |';
  console.log(header);
  console.log('|---|---|---|---:|---:|');
  for (const r of rows) console.log(`| ${r.engine} | ${r.query} | ${r.path} | ${r.p50.toFixed(2)} | ${r.p95.toFixed(2)} |`);
  for (const engine of new Set(rows.map((r) => r.engine))) {
    for (const query of new Set(rows.map((r) => r.query))) {
      const of = (prefix: string) => rows.find((r) => r.engine === engine && r.query === query && r.path.startsWith(prefix))!;
      const overhead = of('naive query as').p95 - of('naive query bare').p95;
      console.log(
        `${engine} · ${query}: forced-RLS overhead on the naive query ${overhead.toFixed(2)} ms at p95; the app's search ${of('app').p95.toFixed(2)} ms at p95`,
      );
    }
  }
}

const results: Row[] = [];
const pglite = await openPglite({});
try {
  // Offline: the trusted process names the user of each request.
  results.push(
    ...(await benchEngine(
      'PGlite 0.5 (PG 18)',
      pglite,
      async (tenantId, userId) => (work) => withRequest(pglite, { tenantId, userId }, work),
    )),
  );
} finally {
  await pglite.close();
}
const server = await startPostgresServer();
try {
  const postgres = await openPostgres({ connectionString: server.url, max: 2 });
  try {
    const { version } = await one<{ version: string }>(postgres, `SELECT current_setting('server_version') AS version`);
    let staff: Db | undefined;
    // Remote: the receptionist's own login, as a clinic PC connects.
    const viaOwnLogin: Requests = async (tenantId, userId) => {
      const login = await postgres.transaction(async (tx) => {
        await tx.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenantId]);
        return (
          await one<{ login: string }>(tx, `SELECT provision_staff_login($1, $2) AS login`, [userId, scramVerifier('bench-password')])
        ).login;
      });
      const url = new URL(serverAddress(server.url));
      url.username = login;
      url.password = 'bench-password';
      staff = await openPostgres({ connectionString: url.href, max: 2 });
      const opened = staff;
      return (work) =>
        opened.transaction(async (tx) => {
          await tx.query('SET LOCAL ROLE clinic_app');
          return work(tx);
        });
    };
    results.push(...(await benchEngine(`PostgreSQL ${version.replace(/ .*/, '')}`, postgres, viaOwnLogin)));
    await staff?.close();
  } finally {
    await postgres.close();
  }
} finally {
  await server.stop();
}
console.log(
  `\nReception search, ${BIG_TENANT_PATIENTS.toLocaleString('en')} patients in one tenant + ${OTHER_TENANTS} tenants × ${OTHER_TENANT_PATIENTS}, ${RUNS} runs each:\n`,
);
printTable(results);
