import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withRequest } from '../../electron/server/db/request';
import type { Db, Queryable } from '../../electron/server/db/types';
import { engines, freshDatabase } from '../engines';
import { createTenantFixture, type TenantFixture } from '../fixtures';
import { OWNER_ONLY, tenantTables } from './contract';

// The cases come from the catalog, read once as the file loads: a tenant table is covered the
// day its migration creates it, with no list to remember.
const catalog = await freshDatabase('pglite');
const TABLES = (await tenantTables(catalog)).filter((table) => !(table in OWNER_ONLY));
/** Each reference from one tenant table to another (tenant_id paired, plus one more column). */
const REFERENCES = (
  await catalog.query<{ table: string; column: string; parent: string }>(
    `SELECT c.relname AS table, ca.attname AS column, p.relname AS parent
     FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
     JOIN pg_attribute ca ON ca.attrelid = k.conrelid AND ca.attnum = k.conkey[2]
     WHERE k.contype = 'f' AND c.relname = ANY ($1::text[]) AND array_length(k.conkey, 1) = 2
       AND has_table_privilege('clinic_app', c.oid, 'SELECT')
       AND has_any_column_privilege('clinic_app', c.oid, 'INSERT')
       -- A reference the app role may not write at all (patients.merged_into_id, set only by
       -- merge_patients) cannot be pointed anywhere by it: the privilege is the refusal.
       AND has_column_privilege('clinic_app', c.oid, ca.attnum, 'INSERT')
     ORDER BY 1, 2`,
    [TABLES],
  )
).rows;
/** The tables the app role may read at all (the rest refuse it outright). */
const READABLE = (
  await catalog.query<{ table: string }>(
    `SELECT t AS table FROM unnest($1::text[]) t WHERE has_table_privilege('clinic_app', t, 'SELECT') ORDER BY 1`,
    [TABLES],
  )
).rows.map((row) => row.table);
await catalog.close();

const NUMBER_COLUMNS = ['patient_number', 'appointment_number', 'test_number', 'report_number', 'invoice_number', 'payment_number'];

async function sqlState(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe.each(engines)('tenant isolation on %s', (engine) => {
  let db: Db;
  let a: TenantFixture;
  let b: TenantFixture;
  const asB = <T>(work: (tx: Queryable) => Promise<T>) => withRequest(db, { tenantId: b.tenantId, userId: b.adminId }, work);

  /** A copy of one of B's rows as an INSERT of only the columns clinic_app may insert. */
  async function insertableCopy(table: string, overrides: Record<string, unknown>) {
    const { rows: columns } = await db.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER'
         AND has_column_privilege('clinic_app', format('public.%I', $1), column_name, 'INSERT')
       ORDER BY ordinal_position`,
      [table],
    );
    const { rows } = await db.query<{ row: Record<string, unknown> }>(
      `SELECT to_jsonb(t) AS row FROM ${table} t WHERE tenant_id = $1 LIMIT 1`,
      [b.tenantId],
    );
    const copy: Record<string, unknown> = { ...rows[0]!.row, ...overrides };
    if ('id' in copy) copy.id = crypto.randomUUID();
    if (table === 'sign_in_strangers') copy.email = `copy-${crypto.randomUUID()}@b.test`;
    // A penny, so the copies never pay more than the invoice is for.
    if (table === 'payments' || table === 'refunds') copy.amount = '0.01';
    // One invoice per visit, one price per service and day, one count per till and day.
    if (table === 'invoices' && !('appointment_id' in overrides)) copy.appointment_id = null;
    // A request writes an invoice as a draft (paid, credited and the like are the database's).
    if (table === 'invoices') copy.status = 'draft';
    if (table === 'price_list') copy.code = `COPY-${Math.floor(Math.random() * 1e9)}`;
    // One usual length per clinic and type: B's own row makes way for the copy.
    if (table === 'appointment_type_durations') {
      await db.query(`DELETE FROM appointment_type_durations WHERE tenant_id = $1 AND appointment_type = $2`, [
        b.tenantId,
        copy.appointment_type as string,
      ]);
    }
    if (table === 'cash_ups')
      copy.business_day = new Date(Date.UTC(2000, 0, 1 + Math.floor(Math.random() * 1e4))).toISOString().slice(0, 10);
    for (const column of NUMBER_COLUMNS) delete copy[column];
    if (table === 'users') copy.email = `copy-${crypto.randomUUID()}@b.test`;
    if (table === 'roles') copy.name = `copy_${Math.floor(Math.random() * 1e9)}`;
    if (table === 'appointments') {
      // A slot of its own, so the double-booking constraint is not what refuses it.
      const start = Date.UTC(2040, 0, 1) + Math.floor(Math.random() * 1e6) * 3_600_000;
      copy.starts_at = new Date(start).toISOString();
      copy.ends_at = new Date(start + 900_000).toISOString();
    }
    // With no insertable column (audit_logs), try them all: the refusal is the privilege.
    const names = columns.length > 0 ? columns.map((c) => c.column_name) : Object.keys(copy).filter((c) => c === 'tenant_id' || c === 'id');
    return {
      sql: `INSERT INTO ${table} (${names.join(', ')})
            SELECT ${names.join(', ')} FROM jsonb_populate_record(NULL::${table}, $1::jsonb)`,
      params: [JSON.stringify(copy)],
      insertable: columns.length > 0,
    };
  }

  beforeAll(async () => {
    db = await freshDatabase(engine);
    a = await createTenantFixture(db, 'tenant-a');
    b = await createTenantFixture(db, 'tenant-b');
  });
  afterAll(async () => db?.close());

  it('sees nothing and writes nothing without a tenant context', async () => {
    await db.transaction(async (tx) => {
      await tx.query('SET LOCAL ROLE clinic_app');
      for (const table of [...READABLE, 'tenants']) {
        const { rows } = await tx.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`);
        expect(rows[0]!.n, table).toBe('0');
      }
    });
    const code = await sqlState(
      db.transaction(async (tx) => {
        await tx.query('SET LOCAL ROLE clinic_app');
        await tx.query(
          `INSERT INTO patients (tenant_id, clinic_id, first_name, last_name, date_of_birth, gender)
           VALUES ($1, $2, 'No', 'Context', '1990-01-01', 'Male')`,
          [a.tenantId, a.clinicId],
        );
      }),
    );
    expect(code).toBe('42501');
    const { rows } = await db.query(`SELECT 1 FROM patients WHERE last_name = 'Context'`);
    expect(rows).toHaveLength(0);
  });

  it('has rows of both tenants in every tenant table, so every case below tests something', async () => {
    for (const table of TABLES) {
      const { rows } = await db.query<{ tenant_id: string }>(`SELECT DISTINCT tenant_id FROM ${table}`);
      expect(rows.map((row) => row.tenant_id).sort(), `${table} in the fixture`).toEqual([a.tenantId, b.tenantId].sort());
    }
  });

  it.each(TABLES)('%s: tenant B cannot read tenant A rows', async (table) => {
    const counts = await asB(async (tx) => {
      const other = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [a.tenantId]);
      const own = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [b.tenantId]);
      return { other: other.rows[0]!.n, own: own.rows[0]!.n > 0 };
    }).catch((error: { code?: string }) => error.code);
    // Some tables the app role may not read at all (counters): refused outright is as good.
    expect([{ other: 0, own: true }, '42501']).toContainEqual(counts);
  });

  it.each(TABLES)('%s: tenant B cannot update, delete or take over tenant A rows', async (table) => {
    const rowsOfA = `SELECT to_jsonb(t) AS row FROM ${table} t WHERE tenant_id = $1 ORDER BY to_jsonb(t)::text`;
    const before = await db.query(rowsOfA, [a.tenantId]);
    const updated = await asB((tx) => tx.query(`UPDATE ${table} SET tenant_id = tenant_id WHERE tenant_id = $1`, [a.tenantId])).then(
      (r) => r.rowCount,
      (e: { code?: string }) => e.code,
    );
    expect([0, '42501']).toContain(updated);
    const deleted = await asB((tx) => tx.query(`DELETE FROM ${table} WHERE tenant_id = $1`, [a.tenantId])).then(
      (r) => r.rowCount,
      (e: { code?: string }) => e.code,
    );
    expect([0, '42501']).toContain(deleted);
    // Moving B's own rows into tenant A is refused outright.
    expect(await sqlState(asB((tx) => tx.query(`UPDATE ${table} SET tenant_id = $1 WHERE tenant_id = $2`, [a.tenantId, b.tenantId])))).toBe(
      '42501',
    );
    expect((await db.query(rowsOfA, [a.tenantId])).rows).toEqual(before.rows);
  });

  it.each(TABLES)('%s: tenant B cannot insert rows into tenant A', async (table) => {
    const count = `SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`;
    const before = await db.query(count, [a.tenantId]);
    const copy = await insertableCopy(table, { tenant_id: a.tenantId });
    expect(await sqlState(asB((tx) => tx.query(copy.sql, copy.params)))).toBe('42501');
    expect((await db.query(count, [a.tenantId])).rows).toEqual(before.rows);
  });

  it.each(REFERENCES)("$table ($column): tenant B cannot point a row at tenant A's $parent", async ({ table, column, parent }) => {
    const { rows } = await db.query<{ id: string }>(`SELECT id FROM ${parent} WHERE tenant_id = $1 LIMIT 1`, [a.tenantId]);
    const parentOfA = rows[0]!.id;
    const copy = await insertableCopy(table, { [column]: parentOfA });
    expect(copy.insertable).toBe(true);
    // A valid copy (pointing at B's own parent) is accepted, so a refusal below is the reference.
    const ownCopy = await insertableCopy(table, {});
    await asB((tx) => tx.query(ownCopy.sql, ownCopy.params));
    const outcome = await asB((tx) => tx.query<Record<string, string>>(`${copy.sql} RETURNING ${column}`, copy.params)).then(
      (result) => ({ stored: result.rows[0]?.[column] ?? null }),
      (error: { code?: string }) => ({ refused: error.code }),
    );
    if ('refused' in outcome) {
      // The foreign key, a policy that looks through the reference (payments: the invoice's
      // clinic) or a check on the referenced row (a verifier must be a clinician).
      expect(['23503', '42501', '23514']).toContain(outcome.refused);
    } else {
      // Author columns are stamped by the database with the signed-in user, whatever was sent.
      const owner = await db.query(`SELECT tenant_id FROM ${parent} WHERE id = $1`, [outcome.stored]);
      expect(owner.rows).toEqual([{ tenant_id: b.tenantId }]);
    }
  });

  it('keeps views, functions and search to the current tenant', async () => {
    const seen = await asB(async (tx) => ({
      patients: (await tx.query<{ patient_id: string }>(`SELECT patient_id FROM patient_summary`)).rows.map((r) => r.patient_id),
      doctors: (await tx.query<{ doctor_id: string }>(`SELECT doctor_id FROM doctor_summary`)).rows.map((r) => r.doctor_id),
      revenue: (await tx.query<{ tenant_id: string }>(`SELECT tenant_id FROM revenue_summary`)).rows.map((r) => r.tenant_id),
      dashboardOfA: (await tx.query<{ d: unknown }>(`SELECT get_patient_dashboard($1) AS d`, [a.rows.patients])).rows[0]!.d,
      search: (await tx.query<{ id: string }>(`SELECT id FROM search_patients('Pat Fixture')`)).rows.map((r) => r.id),
      archiveA: (await tx.query<{ ok: boolean }>(`SELECT soft_delete('patients', $1, 'test') AS ok`, [a.rows.patients])).rows[0]!.ok,
      restoreA: (await tx.query<{ ok: boolean }>(`SELECT restore_deleted('patients', $1) AS ok`, [a.rows.patients])).rows[0]!.ok,
      tenants: (await tx.query<{ id: string }>(`SELECT id FROM tenants`)).rows.map((r) => r.id),
    }));
    const idsOfB = async (sql: string) => (await db.query<{ id: string }>(sql, [b.tenantId])).rows.map((r) => r.id).sort();
    expect(seen.patients.sort()).toEqual(await idsOfB(`SELECT id FROM patients WHERE tenant_id = $1 AND deleted_at IS NULL`));
    expect(seen.doctors.sort()).toEqual(
      await idsOfB(`SELECT u.id FROM users u JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id
                    WHERE u.tenant_id = $1 AND r.name = 'doctor'`),
    );
    expect(new Set(seen.revenue)).toEqual(new Set([b.tenantId]));
    expect(seen.dashboardOfA).toBeNull();
    expect(seen.search).toContain(b.rows.patients);
    expect(seen.search).not.toContain(a.rows.patients);
    expect(seen.archiveA).toBe(false);
    expect(seen.restoreA).toBe(false);
    expect(seen.tenants).toEqual([b.tenantId]);
    const { rows } = await db.query(`SELECT deleted_at FROM patients WHERE id = $1`, [a.rows.patients]);
    expect(rows).toEqual([{ deleted_at: null }]);
  });

  it('never lets the app role read password hashes, counters or the migration record', async () => {
    for (const sql of [
      'SELECT password_hash FROM users',
      'SELECT * FROM number_sequences',
      'SELECT * FROM schema_migrations',
      'SELECT * FROM monitoring_query_stats',
    ]) {
      expect(await sqlState(asB((tx) => tx.query(sql))), sql).toBe('42501');
    }
  });

  it('shows nothing to a tenant that does not exist', async () => {
    const seen = await withRequest(db, { tenantId: crypto.randomUUID(), userId: null }, (tx) => tx.query(`SELECT id FROM patients`));
    expect(seen.rows).toHaveLength(0);
  });
});
