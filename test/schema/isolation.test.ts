import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withRequest } from '../../electron/server/db/request';
import type { Db, Queryable } from '../../electron/server/db/types';
import { engines, freshDatabase } from '../engines';
import { createTenantFixture, TENANT_TABLES, type TenantFixture, type TenantTable } from '../fixtures';

/** For the foreign-key test: a column of each table that points at another tenant table. */
const REFERENCES: Partial<Record<TenantTable, { column: string; parent: TenantTable }>> = {
  users: { column: 'clinic_id', parent: 'clinics' },
  patients: { column: 'clinic_id', parent: 'clinics' },
  appointments: { column: 'patient_id', parent: 'patients' },
  diagnostic_tests: { column: 'patient_id', parent: 'patients' },
  test_reports: { column: 'diagnostic_test_id', parent: 'diagnostic_tests' },
  invoices: { column: 'patient_id', parent: 'patients' },
  payments: { column: 'invoice_id', parent: 'invoices' },
  notifications: { column: 'user_id', parent: 'users' },
  documents: { column: 'patient_id', parent: 'patients' },
  medical_records: { column: 'patient_id', parent: 'patients' },
  prescriptions: { column: 'patient_id', parent: 'patients' },
};

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
  async function insertableCopy(table: TenantTable, overrides: Record<string, unknown>) {
    const { rows: columns } = await db.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name = $1 AND is_generated = 'NEVER'
         AND has_column_privilege('clinic_app', format('public.%I', $1), column_name, 'INSERT')
       ORDER BY ordinal_position`,
      [table],
    );
    const { rows } = await db.query<{ row: Record<string, unknown> }>(`SELECT to_jsonb(t) AS row FROM ${table} t WHERE id = $1`, [
      b.rows[table],
    ]);
    const copy: Record<string, unknown> = { ...rows[0]!.row, id: crypto.randomUUID(), ...overrides };
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
      for (const table of [...TENANT_TABLES, 'tenants']) {
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

  it.each(TENANT_TABLES)('%s: tenant B cannot read tenant A rows', async (table) => {
    const counts = await asB(async (tx) => {
      const other = await tx.query(`SELECT id FROM ${table} WHERE id = $1 OR tenant_id = $2`, [a.rows[table], a.tenantId]);
      const own = await tx.query(`SELECT id FROM ${table} WHERE id = $1`, [b.rows[table]]);
      return { other: other.rows.length, own: own.rows.length };
    });
    expect(counts).toEqual({ other: 0, own: 1 });
  });

  it.each(TENANT_TABLES)('%s: tenant B cannot update, delete or take over tenant A rows', async (table) => {
    const before = await db.query(`SELECT to_jsonb(t) AS row FROM ${table} t WHERE id = $1`, [a.rows[table]]);
    const touch = table === 'users' ? 'first_name = first_name' : table.endsWith('_logs') ? 'tenant_id = tenant_id' : 'updated_at = now()';
    const updated = await asB((tx) => tx.query(`UPDATE ${table} SET ${touch} WHERE id = $1`, [a.rows[table]])).then(
      (r) => r.rowCount,
      (e: { code?: string }) => e.code,
    );
    expect([0, '42501']).toContain(updated);
    const deleted = await asB((tx) => tx.query(`DELETE FROM ${table} WHERE id = $1`, [a.rows[table]])).then(
      (r) => r.rowCount,
      (e: { code?: string }) => e.code,
    );
    expect([0, '42501']).toContain(deleted);
    // Moving B's own row into tenant A is refused outright.
    expect(await sqlState(asB((tx) => tx.query(`UPDATE ${table} SET tenant_id = $1 WHERE id = $2`, [a.tenantId, b.rows[table]])))).toBe(
      '42501',
    );
    const after = await db.query(`SELECT to_jsonb(t) AS row FROM ${table} t WHERE id = $1`, [a.rows[table]]);
    expect(after.rows).toEqual(before.rows);
  });

  it.each(TENANT_TABLES)('%s: tenant B cannot insert rows into tenant A', async (table) => {
    const count = `SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`;
    const before = await db.query(count, [a.tenantId]);
    const copy = await insertableCopy(table, { tenant_id: a.tenantId });
    expect(await sqlState(asB((tx) => tx.query(copy.sql, copy.params)))).toBe('42501');
    expect((await db.query(count, [a.tenantId])).rows).toEqual(before.rows);
  });

  it.each(Object.keys(REFERENCES) as TenantTable[])('%s: tenant B cannot point a row at tenant A', async (table) => {
    const { column, parent } = REFERENCES[table]!;
    const copy = await insertableCopy(table, { [column]: a.rows[parent] });
    expect(copy.insertable).toBe(true);
    // A valid copy (pointing at B's own parent) is accepted, so the refusal below is the reference.
    const ownCopy = await insertableCopy(table, {});
    await asB((tx) => tx.query(ownCopy.sql, ownCopy.params));
    // The foreign key refuses it, or first a policy that looks through the reference (payments: the invoice's clinic).
    expect(['23503', '42501']).toContain(await sqlState(asB((tx) => tx.query(copy.sql, copy.params))));
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
