/**
 * `npm run bench`: the monthly revenue report over a year of a busy clinic (100,000 invoices
 * with their visits, payments and some refunds and credit notes), on PGlite and PostgreSQL 15,
 * as the app runs it: the billing clerk's request as clinic_app under forced RLS (on PostgreSQL
 * through the clerk's own login), calling the router's own report queries. Prints p50/p95.
 * Not a test: numbers, not pass/fail.
 */
import { performance } from 'node:perf_hooks';
import { AS_APP_ROLE } from '../electron/server/access/remote';
import { scramVerifier } from '../electron/server/auth/scram';
import { serverAddress } from '../electron/server/backend';
import { revenueByDoctor, revenueByService, revenueRows } from '../electron/server/billing/reports';
import { findMigrationsDir, migrate } from '../electron/server/db/migrate';
import { openPglite } from '../electron/server/db/pglite';
import { one } from '../electron/server/db/rows';
import { openPostgres } from '../electron/server/db/postgres';
import { withRequest } from '../electron/server/db/request';
import type { Db, Queryable } from '../electron/server/db/types';
import { startPostgresServer } from '../test/postgres-server';
import { percentile } from './percentile';

const INVOICES = Number(process.env.BENCH_INVOICES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const DOCTORS = 12;
const FROM = '2025-01-01';
const TO = '2025-12-31';
const LAST_30_DAYS = '2025-12-02';
/** Which engines to run: both unless BENCH_ENGINES names one (pglite or postgres). */
const ENGINES = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',');

/**
 * A year of one clinic with plain SQL (triggers off: no audit rows or pricing for a synthetic
 * load, so the totals are written as the pricing trigger would write them).
 */
async function loadClinic(db: Db): Promise<{ tenantId: string; clerkId: string }> {
  return db.transaction(async (tx) => {
    await tx.query(`SET LOCAL session_replication_role = replica`);
    const { id: tenantId } = await one<{ id: string }>(tx, `INSERT INTO tenants (name, slug) VALUES ('Busy', 'busy') RETURNING id`);
    const { id: clinicId } = await one<{ id: string }>(
      tx,
      `INSERT INTO clinics (tenant_id, name, timezone, currency) VALUES ($1, 'Busy clinic', 'Europe/London', 'GBP') RETURNING id`,
      [tenantId],
    );
    await tx.query(`SELECT set_config('app.current_tenant_id', $1::text, true), create_default_roles($1::uuid)`, [tenantId]);
    const staff = `INSERT INTO users (tenant_id, clinic_id, role_id, email, password_hash, first_name, last_name)
                   SELECT $1, $2, r.id, $3, 'scrypt$bench', $4, 'Bench' FROM roles r WHERE r.tenant_id = $1 AND r.name = $5 RETURNING id`;
    const { id: clerkId } = await one<{ id: string }>(tx, staff, [tenantId, clinicId, 'clerk@busy.bench', 'Clerk', 'billing']);
    for (let d = 0; d < DOCTORS; d++) await tx.query(staff, [tenantId, clinicId, `doctor${d}@busy.bench`, `Doctor${d}`, 'doctor']);
    await tx.query(
      `INSERT INTO patients (tenant_id, clinic_id, patient_number, first_name, last_name, date_of_birth, gender)
       SELECT $1, $2, 'P-' || lpad(i::text, 6, '0'), 'Pat', 'Number' || i, DATE '1950-01-01' + i % 20000, 'Other'
       FROM generate_series(1, 20000) i`,
      [tenantId, clinicId],
    );
    // One visit per invoice, on each doctor's own grid of quarter hours (never overlapping).
    await tx.query(
      `INSERT INTO appointments (tenant_id, clinic_id, patient_id, doctor_id, starts_at, ends_at, status, appointment_number)
       SELECT $1, $2, p.id, d.id, s.starts_at, s.starts_at + interval '15 minutes', 'completed', 'APT-B-' || i
       FROM generate_series(1, $3::integer) i
       CROSS JOIN LATERAL (SELECT (timestamp '2025-01-01 08:00' + ((i / $4) % 365) * interval '1 day'
                                   + ((i / ($4 * 365)) % 40) * interval '15 minutes') AT TIME ZONE 'Europe/London' AS starts_at) s
       JOIN LATERAL (SELECT id FROM users WHERE tenant_id = $1 AND email = 'doctor' || (i % $4) || '@busy.bench') d ON true
       JOIN LATERAL (SELECT id FROM patients WHERE tenant_id = $1 AND patient_number = 'P-' || lpad((1 + i % 20000)::text, 6, '0')) p ON true`,
      [tenantId, clinicId, INVOICES, DOCTORS],
    );
    await tx.query(
      `INSERT INTO invoices (tenant_id, clinic_id, invoice_number, patient_id, appointment_id, invoice_date, due_date, line_items,
         subtotal, tax_amount, total_amount, amount_paid, currency, status, issued_at)
       SELECT a.tenant_id, a.clinic_id, 'INV-B-' || a.appointment_number, a.patient_id, a.id, a.starts_at::date, a.starts_at::date + 30,
         jsonb_build_array(
           jsonb_build_object('code', 'CONS', 'description', 'Consultation', 'quantity', '1', 'unit_price', '60.00',
                              'discount', '0.00', 'tax_rate', '0.00', 'amount', '60.00', 'tax', '0.00'),
           jsonb_build_object('code', 'TEST-' || (n % 7), 'description', 'Test ' || (n % 7), 'quantity', '1', 'unit_price', '20.00',
                              'discount', '0.00', 'tax_rate', '20.00', 'amount', '20.00', 'tax', '4.00')),
         80.00, 4.00, 84.00, CASE WHEN n % 10 < 8 THEN 84.00 ELSE 0 END, 'GBP',
         CASE WHEN n % 10 < 8 THEN 'paid' ELSE 'issued' END, a.starts_at + interval '20 minutes'
       FROM (SELECT a.*, row_number() OVER () AS n FROM appointments a WHERE a.tenant_id = $1) a`,
      [tenantId],
    );
    await tx.query(
      `INSERT INTO payments (tenant_id, payment_number, invoice_id, patient_id, amount, currency, payment_method, paid_at, received_by)
       SELECT i.tenant_id, 'PAY-B-' || i.invoice_number, i.id, i.patient_id, i.total_amount, 'GBP',
         (ARRAY['cash', 'card', 'bank_transfer', 'insurance'])[1 + abs(hashtext(i.invoice_number)) % 4], i.issued_at + interval '5 minutes', $2
       FROM invoices i WHERE i.tenant_id = $1 AND i.status = 'paid'`,
      [tenantId, clerkId],
    );
    await tx.query(
      `INSERT INTO refunds (tenant_id, refund_number, payment_id, invoice_id, amount, currency, payment_method, reason, refunded_by, refunded_at)
       SELECT p.tenant_id, 'RFD-B-' || p.payment_number, p.id, p.invoice_id, 10.00, 'GBP', p.payment_method, 'Bench', $2, p.paid_at + interval '1 day'
       FROM payments p WHERE p.tenant_id = $1 AND abs(hashtext(p.payment_number)) % 50 = 0`,
      [tenantId, clerkId],
    );
    return { tenantId, clerkId };
  });
}

type Request = <T>(work: (tx: Queryable) => Promise<T>) => Promise<T>;

async function time(run: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let warm = 0; warm < 3; warm++) await run();
  const samples: number[] = [];
  for (let n = 0; n < RUNS; n++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

interface Row {
  engine: string;
  report: string;
  p50: number;
  p95: number;
}

async function benchEngine(engine: string, db: Db, requestFor: (tenantId: string, clerkId: string) => Promise<Request>): Promise<Row[]> {
  await migrate(db, { dir: findMigrationsDir() });
  const started = performance.now();
  const { tenantId, clerkId } = await loadClinic(db);
  await db.query('ANALYZE');
  console.error(`[${engine}] loaded ${INVOICES.toLocaleString('en')} invoices in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const request = await requestFor(tenantId, clerkId);
  const reports: [string, (tx: Queryable) => Promise<unknown>][] = [
    ['by month, a year', (tx) => revenueRows(tx, FROM, TO, 'month')],
    ['by week, a year', (tx) => revenueRows(tx, FROM, TO, 'week')],
    ['by doctor, a year', (tx) => revenueByDoctor(tx, FROM, TO)],
    ['by service, a year', (tx) => revenueByService(tx, FROM, TO)],
    [
      'the whole monthly screen (the three above by month)',
      async (tx) => {
        await revenueRows(tx, FROM, TO, 'month');
        await revenueByDoctor(tx, FROM, TO);
        await revenueByService(tx, FROM, TO);
      },
    ],
    [
      "the screen's default: the last 30 days by day, with doctor and service",
      async (tx) => {
        await revenueRows(tx, LAST_30_DAYS, TO, 'day');
        await revenueByDoctor(tx, LAST_30_DAYS, TO);
        await revenueByService(tx, LAST_30_DAYS, TO);
      },
    ],
    ["the seed's revenue_summary view", (tx) => tx.query(`SELECT * FROM revenue_summary`)],
  ];
  const rows: Row[] = [];
  for (const [report, run] of reports) {
    const row = { engine, report, ...(await time(() => request(run))) };
    console.error(`[${engine}] ${report}: p50 ${row.p50.toFixed(1)} ms, p95 ${row.p95.toFixed(1)} ms`);
    rows.push(row);
  }
  return rows;
}

const results: Row[] = [];
if (ENGINES.includes('pglite')) {
  const pglite = await openPglite({});
  try {
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
}
if (ENGINES.includes('postgres')) {
  const server = await startPostgresServer();
  try {
    const postgres = await openPostgres({ connectionString: server.url, max: 2 });
    let staff: Db | undefined;
    try {
      const { version } = await one<{ version: string }>(postgres, `SELECT current_setting('server_version') AS version`);
      // Remote: the clerk's own login, as a clinic PC connects.
      const viaOwnLogin = async (tenantId: string, userId: string): Promise<Request> => {
        const login = await postgres.transaction(async (tx) => {
          await tx.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenantId]);
          return (
            await one<{ login: string }>(tx, `SELECT provision_staff_login($1, $2) AS login`, [userId, scramVerifier('bench-password')])
          ).login;
        });
        const url = new URL(serverAddress(server.url));
        url.username = login;
        url.password = 'bench-password';
        const opened = await openPostgres({ connectionString: url.href, max: 2, transactionSetup: AS_APP_ROLE });
        staff = opened;
        return (work) => opened.transaction(work);
      };
      results.push(...(await benchEngine(`PostgreSQL ${version.replace(/ .*/, '')}`, postgres, viaOwnLogin)));
    } finally {
      await staff?.close();
      await postgres.close();
    }
  } finally {
    await server.stop();
  }
}
console.log(
  `\nRevenue reports, ${INVOICES.toLocaleString('en')} invoices in a year of one clinic, ${RUNS} runs each, as the billing clerk:\n`,
);
console.log('| engine | report | p50 ms | p95 ms |');
console.log('|---|---|---:|---:|');
for (const r of results) console.log(`| ${r.engine} | ${r.report} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} |`);
