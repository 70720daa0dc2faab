/**
 * Guard passes (migration 033): the few definer functions entitled to get past a guard trigger
 * (a merge, the FHIR import, the patient import) take a pass for their own transaction, for the
 * length of their writes. Everyone else, typing SQL by hand as a real staff member, meets every
 * guard; a pass neither outlives its function nor helps another connection; and a merge no
 * longer locks the tables it passes through against other clinics' work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../electron/server/db/types';
import { one } from '../../electron/server/db/rows';
import { DEMO_PASSWORD, demoBackend, staffSql, type StaffIdentity, type TestBackend } from '../backend';
import { engines } from '../engines';
import { createTenantFixture, type TenantFixture } from '../fixtures';

const REFUSED = { refused: '42501' };

describe.each(engines)('guard passes on %s', (engine) => {
  let app: TestBackend;
  let sql: ReturnType<typeof staffSql>;
  let clinicA: TenantFixture;
  let clinicB: TenantFixture;
  const staff = (clinic: TenantFixture, slug: string, role: 'admin' | 'doctor' | 'receptionist'): StaffIdentity => ({
    tenantId: clinic.tenantId,
    userId: clinic[`${role}Id`],
    clinicCode: slug,
    email: `${role}@${slug}.test`,
  });
  const typed = (who: StaffIdentity, statements: string[]) => app.typedBy(who.email, who.clinicCode, statements);

  /** A new patient of `clinic` with an unsigned and a signed note, written by the owner. */
  async function patientWithNotes(clinic: TenantFixture, name: string) {
    return app.db.transaction(async (tx) => {
      await tx.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [clinic.tenantId]);
      const { id } = await one<{ id: string }>(
        tx,
        `INSERT INTO patients (tenant_id, clinic_id, first_name, last_name, date_of_birth, gender)
         VALUES ($1, $2, 'Guard', $3, '1975-03-04', 'Other') RETURNING id`,
        [clinic.tenantId, clinic.clinicId, name],
      );
      const note = (signed: boolean) =>
        one<{ id: string }>(
          tx,
          `INSERT INTO medical_records (tenant_id, patient_id, doctor_id, chief_complaint, signed_at)
           VALUES ($1, $2, $3, 'Cough', CASE WHEN $4 THEN now() END) RETURNING id`,
          [clinic.tenantId, id, clinic.doctorId, signed],
        );
      return { id, draft: (await note(false)).id, signed: (await note(true)).id };
    });
  }

  const signedNoteOf = async (clinic: TenantFixture) =>
    (
      await one<{ id: string }>(app.db, `SELECT id FROM medical_records WHERE tenant_id = $1 AND signed_at IS NOT NULL LIMIT 1`, [
        clinic.tenantId,
      ])
    ).id;
  const passesLeft = async () => (await one<{ n: number }>(app.db, `SELECT count(*)::int AS n FROM guard_passes`)).n;

  /**
   * A read and writes, as `who`, of three tables whose guards a merge or an import passes (notes,
   * tests, patients), failing fast (lock_timeout) where they would have to wait for another
   * transaction's lock on the table. Returns the rows written: a note, a test, a patient.
   */
  const writeBeside = (who: StaffIdentity, patient: { id: string; draft: string }) =>
    sql.within(who, async (tx: Queryable) => {
      await tx.query(`SET LOCAL lock_timeout = '1s'`);
      await tx.query(`SET LOCAL statement_timeout = '5s'`);
      await tx.query(`SELECT count(*) FROM medical_records`);
      const note = await tx.query(`UPDATE medical_records SET assessment = 'Viral' WHERE id = $1`, [patient.draft]);
      const test = await tx.query(
        `INSERT INTO diagnostic_tests (tenant_id, clinic_id, patient_id, test_name)
         SELECT tenant_id, clinic_id, id, 'Throat swab' FROM patients WHERE id = $1`,
        [patient.id],
      );
      const registered = await tx.query(
        `INSERT INTO patients (tenant_id, first_name, last_name, date_of_birth, gender)
         VALUES (current_tenant_id(), 'Walk', 'In', '2001-02-03', 'Other')`,
      );
      return [note.rowCount, test.rowCount, registered.rowCount];
    });

  beforeAll(async () => {
    app = await demoBackend(engine);
    sql = staffSql(app);
    clinicA = await createTenantFixture(app.db, 'guards-a');
    clinicB = await createTenantFixture(app.db, 'guards-b');
    for (const clinic of [clinicA, clinicB]) {
      await app.giveLogins(clinic.tenantId, [clinic.adminId, clinic.doctorId, clinic.receptionistId], DEMO_PASSWORD);
    }
  });
  afterAll(async () => {
    await sql?.close();
    await app?.close();
  });

  it('holds every guard against SQL typed by a staff member, who can neither take a pass nor see one', async () => {
    const doctor = staff(clinicA, 'guards-a', 'doctor');
    const reception = staff(clinicA, 'guards-a', 'receptionist');
    const signed = await signedNoteOf(clinicA);
    const other = await patientWithNotes(clinicA, 'Other');
    const test = clinicA.rows.diagnostic_tests;

    const outcomes = await typed(doctor, [
      `SELECT * FROM guard_passes`,
      `INSERT INTO guard_passes VALUES (pg_current_xact_id(), 'medical_records', 'lock_signed_note')`,
      `SELECT take_guard_passes('medical_records.lock_signed_note')`,
      `SELECT end_guard_passes('medical_records.lock_signed_note')`,
      `SELECT guard_passed('medical_records', 'lock_signed_note') AS passed`,
      `UPDATE medical_records SET assessment = 'Rewritten' WHERE id = '${signed}' RETURNING id`,
      `UPDATE medical_records SET patient_id = '${other.id}' WHERE id = '${signed}' RETURNING id`,
      `UPDATE diagnostic_tests SET patient_id = '${other.id}' WHERE id = '${test}' RETURNING id`,
      `UPDATE diagnostic_tests SET status = 'ordered' WHERE id = '${test}' RETURNING id`,
      `INSERT INTO diagnostic_tests (tenant_id, clinic_id, patient_id, doctor_id, test_name, status, ordered_at)
       VALUES (current_tenant_id(), '${clinicA.clinicId}', '${other.id}', '${clinicA.adminId}', 'Forged', 'verified', '2001-01-01')
       RETURNING status, doctor_id, ordered_at > now() - interval '1 hour' AS ordered_now`,
      `INSERT INTO medical_records (tenant_id, patient_id, doctor_id, chief_complaint, signed_at)
       VALUES (current_tenant_id(), '${other.id}', '${clinicA.adminId}', 'Backdated', '2001-01-01')
       RETURNING doctor_id, signed_at > now() - interval '1 hour' AS signed_now`,
    ]);
    expect(outcomes).toEqual([
      REFUSED,
      REFUSED,
      REFUSED,
      REFUSED,
      [{ passed: false }],
      REFUSED,
      REFUSED,
      REFUSED,
      { refused: '23514' }, // completed → ordered is no step a test takes
      [{ status: 'ordered', doctor_id: doctor.userId, ordered_now: true }],
      [{ doctor_id: doctor.userId, signed_now: true }],
    ]);

    // Authorship and patient numbers are the database's: the receptionist's own, the clinic's next.
    const [registered] = await typed(reception, [
      `INSERT INTO patients (tenant_id, clinic_id, patient_number, created_by, first_name, last_name, date_of_birth, gender)
       VALUES (current_tenant_id(), '${clinicA.clinicId}', 'P-900001', '${clinicA.adminId}', 'Chosen', 'Number', '1990-01-01', 'Male')
       RETURNING patient_number, created_by`,
    ]);
    expect(registered).toEqual([{ patient_number: expect.not.stringMatching(/^P-900001$/), created_by: reception.userId }]);
    // What is paid is the database's to settle: not even an administrator writes it by hand.
    const admin = staff(clinicA, 'guards-a', 'admin');
    expect(
      await typed(admin, [
        `UPDATE invoices SET amount_paid = total_amount WHERE id = '${clinicA.rows.invoices}' RETURNING id`,
        `UPDATE payments SET amount = 1 WHERE id = '${clinicA.rows.payments}' RETURNING id`,
      ]),
    ).toEqual([REFUSED, REFUSED]);
    // Nothing of the guarded rows changed, and no pass was ever written.
    expect(await one(app.db, `SELECT assessment, patient_id FROM medical_records WHERE id = $1`, [signed])).toEqual({
      assessment: 'Iron deficiency anaemia',
      patient_id: clinicA.rows.patients,
    });
    expect(await one(app.db, `SELECT patient_id, status FROM diagnostic_tests WHERE id = $1`, [test])).toEqual({
      patient_id: clinicA.rows.patients,
      status: 'completed',
    });
    expect(await passesLeft()).toBe(0);
  });

  it('lets a merge move a signed note and a verified test, and guards them again as soon as it returns, in its own transaction too', async () => {
    const admin = staff(clinicB, 'guards-b', 'admin');
    const survivor = await patientWithNotes(clinicB, 'Survivor');
    const duplicate = await patientWithNotes(clinicB, 'Duplicate');
    // A test verified by a second person: its report is as guarded as a signed note.
    const { test, report } = await one<{ test: string; report: string }>(
      app.db,
      `WITH test AS (INSERT INTO diagnostic_tests (tenant_id, clinic_id, patient_id, doctor_id, test_name, status)
                     VALUES ($1, $2, $3, $4, 'Chest X-ray', 'verified') RETURNING id)
       INSERT INTO test_reports (tenant_id, diagnostic_test_id, patient_id, findings, reported_by, verified_by, verified_at)
       SELECT $1, test.id, $3, 'Clear lungs', $4, $5, now() FROM test RETURNING diagnostic_test_id AS test, id AS report`,
      [clinicB.tenantId, clinicB.clinicId, duplicate.id, clinicB.doctorId, clinicB.adminId],
    );

    const outcomes = await typed(admin, [
      `SELECT merge_patients('${survivor.id}', '${duplicate.id}', 'Registered twice') ? 'medical_records' AS moved`,
      `UPDATE medical_records SET assessment = 'Rewritten' WHERE id = '${duplicate.signed}' RETURNING id`,
      `UPDATE diagnostic_tests SET patient_id = '${duplicate.id}' WHERE id = '${test}' RETURNING id`,
      `UPDATE test_reports SET patient_id = '${duplicate.id}' WHERE id = '${report}' RETURNING id`,
    ]);
    expect(outcomes).toEqual([[{ moved: true }], REFUSED, REFUSED, REFUSED]);
    expect(await passesLeft()).toBe(0);
    expect(await one(app.db, `SELECT patient_id, assessment FROM medical_records WHERE id = $1`, [duplicate.signed])).toEqual({
      patient_id: survivor.id,
      assessment: null,
    });
    expect(
      await one(
        app.db,
        `SELECT t.patient_id AS test_patient, t.status, r.patient_id AS report_patient
         FROM diagnostic_tests t JOIN test_reports r ON r.diagnostic_test_id = t.id WHERE r.id = $1`,
        [report],
      ),
    ).toEqual({ test_patient: survivor.id, status: 'verified', report_patient: survivor.id });

    // The next transaction is guarded as every other.
    expect(await typed(admin, [`UPDATE medical_records SET patient_id = '${duplicate.id}' WHERE id = '${duplicate.signed}'`])).toEqual([
      REFUSED,
    ]);
  });

  it('lets the patient import keep the numbers it reserved and its author, and no insert after it in the same transaction', async () => {
    const reception = staff(clinicA, 'guards-a', 'receptionist');
    const rows = JSON.stringify([
      { first_name: 'Batch', last_name: 'One', date_of_birth: '1991-01-01', gender: 'Male' },
      { first_name: 'Batch', last_name: 'Two', date_of_birth: '1992-02-02', gender: 'Female' },
    ]);
    const [batch, stored, typedAfter] = await typed(reception, [
      `SELECT imported, first_number, last_number FROM import_patients('${rows}')`,
      `SELECT string_agg(patient_number, ' ' ORDER BY patient_number) AS numbers, array_agg(DISTINCT created_by) AS authors
       FROM patients WHERE first_name = 'Batch'`,
      `INSERT INTO patients (tenant_id, clinic_id, patient_number, created_by, first_name, last_name, date_of_birth, gender)
       VALUES (current_tenant_id(), '${clinicA.clinicId}', 'P-900002', '${clinicA.adminId}', 'After', 'Batch', '1990-01-01', 'Male')
       RETURNING patient_number, created_by`,
    ]);
    const [{ first_number, last_number }] = batch as [{ first_number: string; last_number: string }];
    expect(batch).toEqual([{ imported: 2, first_number, last_number }]);
    expect(stored).toEqual([{ numbers: `${first_number} ${last_number}`, authors: [reception.userId] }]);
    // The next insert is numbered by the clinic's counter again, right after the batch.
    const next = `P-${String(Number(last_number.slice(2)) + 1).padStart(6, '0')}`;
    expect(typedAfter).toEqual([{ patient_number: next, created_by: reception.userId }]);
    expect(await passesLeft()).toBe(0);
  });

  it('nests passes (settling an invoice inside a merge holding the same one) and refuses a name that is no guard', async () => {
    const held = await app.db.transaction(async (tx) => {
      const passed = async () =>
        (await one<{ passed: boolean }>(tx, `SELECT guard_passed('invoices', 'guard_invoice_edits') AS passed`)).passed;
      const steps: boolean[] = [await passed()];
      await tx.query(`SELECT take_guard_passes('invoices.guard_invoice_edits', 'payments.guard_payment_edits')`);
      await tx.query(`SELECT take_guard_passes('invoices.guard_invoice_edits')`);
      await tx.query(`SELECT end_guard_passes('invoices.guard_invoice_edits')`);
      steps.push(await passed());
      await tx.query(`SELECT end_guard_passes('invoices.guard_invoice_edits', 'payments.guard_payment_edits')`);
      steps.push(await passed());
      return steps;
    });
    expect(held).toEqual([false, true, false]);
    await expect(app.db.query(`SELECT take_guard_passes('invoices.no_such_trigger')`)).rejects.toThrow(/Not a guard/);
    expect(await passesLeft()).toBe(0);
  });

  it.runIf(engine === 'postgres')(
    "does not let a pass of one transaction help another connection's at the same moment (PostgreSQL only: PGlite has one connection)",
    async () => {
      const signed = await signedNoteOf(clinicA);
      await expect(
        app.db.transaction(async (tx) => {
          // The owner's own transaction holds the pass, as an entitled function's would, and stays open.
          await tx.query(`SELECT take_guard_passes('medical_records.lock_signed_note')`);
          expect(await one(tx, `SELECT count(*)::int AS n FROM guard_passes`)).toEqual({ n: 1 });
          const attempt = sql.run(
            staff(clinicA, 'guards-a', 'doctor'),
            `UPDATE medical_records SET assessment = 'Rewritten' WHERE id = $1`,
            [signed],
          );
          await expect(attempt).rejects.toMatchObject({ code: '42501' });
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await passesLeft()).toBe(0);
    },
  );

  it.runIf(engine === 'postgres')(
    "lets other notes and tests, and another clinic's, be read and written while a merge is open (PostgreSQL only: PGlite has one connection)",
    async () => {
      const survivor = await patientWithNotes(clinicA, 'Kept');
      const duplicate = await patientWithNotes(clinicA, 'Twice');
      const bystander = await patientWithNotes(clinicA, 'Bystander');
      const elsewhere = await patientWithNotes(clinicB, 'Elsewhere');
      const merged = await sql.within(staff(clinicA, 'guards-a', 'admin'), async (tx) => {
        const { moved } = await one<{ moved: Record<string, number> }>(tx, `SELECT merge_patients($1, $2, 'Registered twice') AS moved`, [
          survivor.id,
          duplicate.id,
        ]);
        // The merge's transaction is still open: same clinic, another patient; then another clinic.
        expect(await writeBeside(staff(clinicA, 'guards-a', 'doctor'), bystander)).toEqual([1, 1, 1]);
        expect(await writeBeside(staff(clinicB, 'guards-b', 'doctor'), elsewhere)).toEqual([1, 1, 1]);
        return moved;
      });
      expect(merged.medical_records).toBe(2);
    },
  );

  it.runIf(engine === 'postgres')(
    "lets another clinic's patients, notes and tests be read and written while a FHIR import is open (PostgreSQL only: PGlite has one connection)",
    async () => {
      // An empty clinic with its administrator, as the operator creates one.
      const empty = await app.db.transaction(async (tx) => {
        const { id: tenantId } = await one<{ id: string }>(
          tx,
          `INSERT INTO tenants (name, slug) VALUES ('Empty', 'guards-empty') RETURNING id`,
        );
        await tx.query(`SELECT set_config('app.current_tenant_id', $1, true), create_default_roles($1::uuid)`, [tenantId]);
        const { id: clinicId } = await one<{ id: string }>(tx, `INSERT INTO clinics (tenant_id, name) VALUES ($1, 'Empty') RETURNING id`, [
          tenantId,
        ]);
        const { id: adminId } = await one<{ id: string }>(
          tx,
          `INSERT INTO users (tenant_id, clinic_id, role_id, email, password_hash, first_name, last_name)
           SELECT $1, $2, r.id, 'admin@guards-empty.test', 'scrypt$unused', 'Ada', 'Empty' FROM roles r
           WHERE r.tenant_id = $1 AND r.name = 'admin' RETURNING id`,
          [tenantId, clinicId],
        );
        return { tenantId, adminId };
      });
      await app.giveLogins(empty.tenantId, [empty.adminId], DEMO_PASSWORD);
      const elsewhere = await patientWithNotes(clinicB, 'Meanwhile');
      const records = {
        users: [],
        patients: [
          {
            id: '7d1f6d4e-6a53-4c1e-9a43-2f4f1f2b9a01',
            first_name: 'Imported',
            last_name: 'Person',
            date_of_birth: '1960-07-08',
            gender: 'Female',
            allergies: [],
            medical_history: [],
            current_medications: [],
            is_active: true,
          },
        ],
      };

      const imported = await sql.within(
        { tenantId: empty.tenantId, userId: empty.adminId, clinicCode: 'guards-empty', email: 'admin@guards-empty.test' },
        async (tx) => {
          const { counts } = await one<{ counts: Record<string, number> }>(tx, `SELECT import_clinic_records($1) AS counts`, [
            JSON.stringify(records),
          ]);
          // The import's transaction is still open.
          expect(await writeBeside(staff(clinicB, 'guards-b', 'doctor'), elsewhere)).toEqual([1, 1, 1]);
          return counts;
        },
      );
      expect(imported.patients).toBe(1);
    },
  );
});
