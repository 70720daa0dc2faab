import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMigrationsDir } from '../../electron/server/db/migrate';
import { PERMISSIONS } from '../../shared/permissions';
import { withRequest } from '../../electron/server/db/request';
import type { Db, Queryable } from '../../electron/server/db/types';
import { engines, freshDatabase } from '../engines';
import { createTenantFixture, type TenantFixture } from '../fixtures';

async function sqlState(work: Promise<unknown>): Promise<string | undefined> {
  return work.then(
    () => undefined,
    (error: { code?: string }) => error.code ?? String(error),
  );
}

describe.each(engines)('seed schema on %s', (engine) => {
  let db: Db;
  let clinic: TenantFixture;
  const asUser = <T>(userId: string, work: (tx: Queryable) => Promise<T>) => withRequest(db, { tenantId: clinic.tenantId, userId }, work);
  const asReception = <T>(work: (tx: Queryable) => Promise<T>) => asUser(clinic.receptionistId, work);

  beforeAll(async () => {
    db = await freshDatabase(engine);
    clinic = await createTenantFixture(db, 'seed-clinic');
  });
  afterAll(async () => db?.close());

  it("runs the seed document's usage examples as written, as the schema owner", async () => {
    // The SQL blocks of docs/SEED.md's "Usage Examples", "Monitoring and Maintenance" and
    // "Debug Queries", unchanged but for the placeholder tenant id.
    const seed = fs.readFileSync(path.join(findMigrationsDir(), '..', 'docs', 'SEED.md'), 'utf8');
    const section = (from: string, to: string) => seed.slice(seed.indexOf(from), seed.indexOf(to, seed.indexOf(from)));
    const blocks = [
      section('## Usage Examples', '## Best Practices'),
      section('## Monitoring and Maintenance', '## Backup and Recovery'),
      section('### Debug Queries', 'This schema provides'),
    ].flatMap((text) => [...text.matchAll(/```sql\n([\s\S]*?)```/g)].map((match) => match[1]!));
    expect(blocks.length).toBe(8);
    expect(blocks.join('\n')).toContain(`INSERT INTO patients (tenant_id, first_name, last_name, date_of_birth, gender)`);
    await db.transaction(async (tx) => {
      for (const block of blocks) await tx.exec(block.replaceAll('your-tenant-uuid', clinic.tenantId));
      await tx.query('RESET app.current_tenant_id');
    });
    const { rows } = await db.query<{ patient_number: string; clinic_id: string }>(
      `SELECT patient_number, clinic_id FROM patients WHERE tenant_id = $1 AND first_name = 'John' AND last_name = 'Doe'`,
      [clinic.tenantId],
    );
    expect(rows).toEqual([{ patient_number: expect.stringMatching(/^P-\d{6}$/), clinic_id: clinic.clinicId }]);
    const { rows: audit } = await db.query(`SELECT 1 FROM audit_logs WHERE tenant_id = $1 AND new_values ->> 'last_name' = 'Doe'`, [
      clinic.tenantId,
    ]);
    expect(audit).toHaveLength(1);
  });

  it('numbers records per tenant without gaps or repeats', async () => {
    const year = new Date().getFullYear();
    const numbers = await asReception(async (tx) => {
      const made: string[] = [];
      for (const name of ['Ann', 'Ben', 'Cy']) {
        const { rows } = await tx.query<{ patient_number: string }>(
          `INSERT INTO patients (tenant_id, clinic_id, first_name, last_name, date_of_birth, gender)
           VALUES (current_tenant_id(), $1, $2, 'Number', '2000-02-02', 'Other') RETURNING patient_number`,
          [clinic.clinicId, name],
        );
        made.push(rows[0]!.patient_number);
      }
      const { rows } = await tx.query<{ invoice_number: string }>(`SELECT invoice_number FROM invoices`);
      return { patients: made, invoice: rows[0]!.invoice_number };
    });
    const values = numbers.patients.map((n) => Number(n.slice(2)));
    expect(values[1]).toBe(values[0]! + 1);
    expect(values[2]).toBe(values[0]! + 2);
    expect(numbers.invoice).toBe(`INV-${year}-000001`);
  });

  it('soft-deletes through soft_delete(), hides the row everywhere, audits it, and restores it', async () => {
    const patientId = await asReception(async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO patients (tenant_id, clinic_id, first_name, last_name, date_of_birth, gender, phone)
         VALUES (current_tenant_id(), $1, 'Archie', 'Vanish', '1971-03-04', 'Male', '0161 555 0199') RETURNING id`,
        [clinic.clinicId],
      );
      return rows[0]!.id;
    });
    // The plain UPDATE is refused: the new row would no longer be visible to its writer.
    expect(await sqlState(asReception((tx) => tx.query(`UPDATE patients SET deleted_at = now() WHERE id = $1`, [patientId])))).toBe(
      '42501',
    );
    const archived = await asReception(async (tx) => {
      const ok = (await tx.query<{ ok: boolean }>(`SELECT soft_delete('patients', $1, 'Registered twice') AS ok`, [patientId])).rows[0]!.ok;
      return {
        ok,
        table: (await tx.query(`SELECT id FROM patients WHERE id = $1`, [patientId])).rows.length,
        summary: (await tx.query(`SELECT patient_id FROM patient_summary WHERE patient_id = $1`, [patientId])).rows.length,
        search: (await tx.query(`SELECT id FROM search_patients('Archie Vanish')`)).rows.length,
        dashboard: (await tx.query<{ d: unknown }>(`SELECT get_patient_dashboard($1) AS d`, [patientId])).rows[0]!.d,
      };
    });
    const audit = (
      await db.query<{ action: string; reason: string; user_id: string }>(
        `SELECT action, reason, user_id FROM audit_logs WHERE record_id = $1 ORDER BY created_at, action`,
        [patientId],
      )
    ).rows;
    expect(archived).toMatchObject({ ok: true, table: 0, summary: 0, search: 0, dashboard: null });
    // The archive list is for those who may restore (patients.restore), checked by the database.
    expect(await sqlState(asReception((tx) => tx.query(`SELECT id FROM archived_patients()`)))).toBe('42501');
    const list = await asUser(clinic.adminId, async (tx) => (await tx.query(`SELECT id, reason FROM archived_patients()`)).rows);
    expect(list).toContainEqual({ id: patientId, reason: 'Registered twice' });
    expect(audit).toContainEqual({ action: 'SOFT_DELETE', reason: 'Registered twice', user_id: clinic.receptionistId });
    const restored = await asUser(clinic.adminId, async (tx) => {
      const ok = (await tx.query<{ ok: boolean }>(`SELECT restore_deleted('patients', $1, 'Archived by mistake') AS ok`, [patientId]))
        .rows[0]!.ok;
      return { ok, visible: (await tx.query(`SELECT id FROM patients WHERE id = $1`, [patientId])).rows.length };
    });
    expect(restored).toEqual({ ok: true, visible: 1 });
    // Tables outside the list cannot be archived through the function.
    expect(await sqlState(asReception((tx) => tx.query(`SELECT soft_delete('audit_logs', $1)`, [patientId])))).toBe('42501');
  });

  it('audits who changed what in the same transaction, and the trail is read-only', async () => {
    const patientId = clinic.rows.patients;
    await asReception((tx) =>
      tx.query(`UPDATE patients SET phone = '+44 20 7946 0000', alerts = 'Hard of hearing' WHERE id = $1`, [patientId]),
    );
    // The trail is for those who audit (admin.audit); the receptionist cannot read it.
    expect(await asReception(async (tx) => (await tx.query(`SELECT 1 FROM audit_logs`)).rows)).toEqual([]);
    const entry = await asUser(clinic.adminId, async (tx) => {
      const { rows } = await tx.query<{
        user_id: string;
        action: string;
        changed_fields: string[];
        old_values: Record<string, unknown>;
        new_values: Record<string, unknown>;
      }>(
        `SELECT user_id, action, changed_fields, old_values, new_values FROM audit_logs
          WHERE record_id = $1 AND action = 'UPDATE' ORDER BY created_at DESC LIMIT 1`,
        [patientId],
      );
      return rows[0]!;
    });
    expect(entry.user_id).toBe(clinic.receptionistId);
    expect(entry.changed_fields).toEqual(['alerts', 'phone']);
    expect(entry.old_values.phone).toBe('+44 7700 900001');
    expect(entry.new_values.phone).toBe('+44 20 7946 0000');

    // A rolled-back change leaves no audit entry behind.
    const count = () => db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_logs WHERE record_id = $1`, [patientId]);
    const before = (await count()).rows[0]!.n;
    await sqlState(
      asReception(async (tx) => {
        await tx.query(`UPDATE patients SET notes = 'rolled back' WHERE id = $1`, [patientId]);
        throw new Error('abort');
      }),
    );
    expect((await count()).rows[0]!.n).toBe(before);

    for (const sql of [
      `UPDATE audit_logs SET reason = 'tampered'`,
      `DELETE FROM audit_logs`,
      `INSERT INTO audit_logs (tenant_id, action, table_name) VALUES (current_tenant_id(), 'INSERT', 'patients')`,
    ]) {
      expect(await sqlState(asUser(clinic.adminId, (tx) => tx.query(sql))), sql).toBe('42501');
    }
    // Password hashes never reach the audit trail.
    const { rows } = await db.query(
      `SELECT 1 FROM audit_logs WHERE table_name = 'users' AND (new_values ? 'password_hash' OR old_values ? 'password_hash')`,
    );
    expect(rows).toHaveLength(0);
  });

  it('refuses a double booking with the exclusion constraint', async () => {
    const book = (start: string, end: string) =>
      asReception((tx) =>
        tx.query(
          `INSERT INTO appointments (tenant_id, clinic_id, patient_id, doctor_id, starts_at, ends_at)
           VALUES (current_tenant_id(), $1, $2, $3, $4, $5)`,
          [clinic.clinicId, clinic.rows.patients, clinic.doctorId, start, end],
        ),
      );
    await book('2031-03-03T09:00:00Z', '2031-03-03T09:15:00Z');
    expect(await sqlState(book('2031-03-03T09:10:00Z', '2031-03-03T09:25:00Z'))).toBe('23P01');
    await book('2031-03-03T09:15:00Z', '2031-03-03T09:30:00Z'); // back to back is fine
  });

  it('keeps confidential records to their author and to roles allowed to read them', async () => {
    const { rows: staff } = await db.query<{ id: string }>(
      `INSERT INTO users (tenant_id, clinic_id, role_id, email, password_hash, first_name, last_name)
       VALUES ($1, $2, $3, 'second.doctor@seed-clinic.test', 'scrypt$1$1$1$a$b', 'Second', 'Doctor') RETURNING id`,
      [clinic.tenantId, clinic.clinicId, clinic.roleIds.doctor],
    );
    const recordId = await asUser(clinic.doctorId, async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO medical_records (tenant_id, patient_id, doctor_id, is_confidential, assessment)
         VALUES (current_tenant_id(), $1, $2, true, 'Sensitive') RETURNING id`,
        [clinic.rows.patients, clinic.doctorId],
      );
      return rows[0]!.id;
    });
    const sees = (userId: string) =>
      asUser(userId, async (tx) => (await tx.query(`SELECT id FROM medical_records WHERE id = $1`, [recordId])).rows.length);
    expect(await sees(clinic.doctorId)).toBe(1);
    expect(await sees(clinic.adminId)).toBe(1);
    expect(await sees(staff[0]!.id)).toBe(0);
  });

  it('reports health and runs maintenance', async () => {
    // An issued invoice is never edited by a request: the owner backdates it (as an import would).
    await db.transaction(async (tx) => {
      await tx.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [clinic.tenantId]);
      await tx.query(`UPDATE invoices SET invoice_date = current_date - 40, due_date = current_date - 10 WHERE id = $1`, [
        clinic.rows.invoices,
      ]);
    });
    const checks = await asUser(clinic.adminId, async (tx) => {
      return (await tx.query<{ check_name: string; status: string; value: string }>(`SELECT * FROM database_health_check()`)).rows;
    });
    const byName = Object.fromEntries(checks.map((c) => [c.check_name, c]));
    expect(byName.tenant_isolation).toMatchObject({ status: 'ok' });
    // A fresh database's few hundred dead rows (from creating itself) are VACUUM's business, not a warning (migration 019).
    expect(byName.dead_rows).toMatchObject({ status: 'ok', value: expect.stringMatching(/^\d+(\.\d+)?%$/) });
    expect(byName.query_statistics!.value).toBe(engine === 'postgres' ? 'available' : 'unavailable');
    const stats = await db.query<{ note: string | null }>(`SELECT * FROM monitoring_query_stats`);
    if (engine === 'postgres') expect(stats.rows.length).toBeGreaterThan(0);
    else expect(stats.rows[0]!.note).toMatch(/pg_stat_statements is not available/);

    const report = await asUser(clinic.adminId, async (tx) => {
      const { rows } = await tx.query<{ r: { overdue_invoices_marked: number; tables_analyzed: string[] } }>(
        `SELECT perform_maintenance() AS r`,
      );
      const status = await tx.query<{ status: string }>(`SELECT status FROM invoices WHERE id = $1`, [clinic.rows.invoices]);
      return { ...rows[0]!.r, status: status.rows[0]!.status };
    });
    expect(report.overdue_invoices_marked).toBe(1);
    expect(report.status).toBe('overdue');
    expect(report.tables_analyzed).toContain('patients');
  });

  it('creates default roles that use only known permission names', async () => {
    const { rows } = await db.query<{ name: string; permissions: string[] }>(`SELECT name, permissions FROM roles WHERE tenant_id = $1`, [
      clinic.tenantId,
    ]);
    expect(rows.map((r) => r.name).sort()).toEqual(['admin', 'billing', 'doctor', 'nurse', 'receptionist']);
    for (const role of rows) for (const permission of role.permissions) expect(PERMISSIONS).toContain(permission);
    expect([...rows.find((r) => r.name === 'admin')!.permissions].sort()).toEqual([...PERMISSIONS].sort());
  });
});
