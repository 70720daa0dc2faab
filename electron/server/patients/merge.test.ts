import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatientDetailsInput } from '../../../shared/patients';
import { DEMO_PASSWORD, DEMO_USERS, demoBackend, refusal, type TestBackend } from '../../../test/backend';
import { engines } from '../../../test/engines';
import { createTenantFixture, type TenantFixture } from '../../../test/fixtures';
import { withRequest } from '../db/request';
import { one } from '../db/rows';

const DEMO_TENANT = '00000000-0000-4000-8000-000000000001';
const DR_PATEL_ID = '00000000-0000-4000-8000-000000000102';
const RECEPTIONIST_ID = '00000000-0000-4000-8000-000000000105';
const JOHN_SMITH = '00000000-0000-4000-8000-000000000201';

type Caller = Awaited<ReturnType<TestBackend['signedIn']>>;

function person(first_name: string, last_name: string, overrides: Partial<PatientDetailsInput> = {}): PatientDetailsInput {
  return { first_name, last_name, date_of_birth: '1990-02-03', gender: 'Female', ...overrides };
}

describe.each(engines)('merging two records of one patient on %s', (engine) => {
  let app: TestBackend;
  let reception: Caller;
  let doctor: Caller;
  let other: TenantFixture;
  let otherReception: Caller;

  /** Every column that refers to a patient, as the catalog lists the foreign keys to patients(id). */
  async function patientReferences(): Promise<{ table: string; column: string }[]> {
    const { rows } = await app.db.query<{ table: string; column: string }>(
      `SELECT c.conrelid::regclass::text AS table, a.attname AS column
       FROM pg_constraint c
       CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(own, referenced)
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.own
       JOIN pg_attribute r ON r.attrelid = c.confrelid AND r.attnum = k.referenced
       WHERE c.contype = 'f' AND c.confrelid = 'patients'::regclass AND r.attname = 'id'
         -- The search index of each patient's own name (017) is derived, not a record: it stays with its patient.
         AND c.conrelid <> 'patient_name_words'::regclass
       ORDER BY 1, 2`,
    );
    return rows;
  }

  /** Rows of `tenantId` referring to `patientId`, per referring table and column. */
  async function referring(tenantId: string, patientId: string): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const { table, column } of await patientReferences()) {
      const { n } = await one<{ n: number }>(app.db, `SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1 AND "${column}" = $2`, [
        tenantId,
        patientId,
      ]);
      counts[`${table}.${column}`] = n;
    }
    return counts;
  }

  /** What a refused merge must leave as it was. */
  const footprint = () =>
    one(
      app.db,
      `SELECT (SELECT count(*) FROM patients WHERE deleted_at IS NULL)::int AS live_patients,
              (SELECT count(*) FROM appointments)::int AS appointments, (SELECT count(*) FROM audit_logs)::int AS audit`,
    );

  beforeAll(async () => {
    app = await demoBackend(engine);
    reception = await app.signedIn(DEMO_USERS.receptionist);
    doctor = await app.signedIn(DEMO_USERS.doctor);
    other = await createTenantFixture(app.db, 'mergeside');
    await app.giveLogins(other.tenantId, [other.receptionistId], DEMO_PASSWORD);
    otherReception = app.client('mergeside-desk');
    await otherReception.auth.signIn({ email: 'receptionist@mergeside.test', password: DEMO_PASSWORD, clinicCode: 'mergeside' });
  });
  afterAll(async () => app?.db.close());

  it('moves every row that refers to the duplicate (every foreign key to patients) to the survivor, and archives the duplicate pointing at it, audited', async () => {
    // The fixture clinic has a row in every tenant table, all of its patient's; its note is signed.
    const duplicate = other.rows.patients;
    await app.db.query(`UPDATE medical_records SET signed_at = now() WHERE tenant_id = $1 AND patient_id = $2 AND signed_at IS NULL`, [
      other.tenantId,
      duplicate,
    ]);
    await app.db.query(`UPDATE patients SET allergies = $2, alerts = 'Hard of hearing' WHERE id = $1`, [
      duplicate,
      JSON.stringify([{ substance: 'Penicillin', reaction: 'Rash', severity: 'moderate' }]),
    ]);
    const survivor = await otherReception.patients.register({
      patient: person('Pat', 'Fixture', {
        allergies: [
          { substance: 'penicillin', reaction: 'Hives', severity: 'mild' },
          { substance: 'Latex', severity: 'mild' },
        ],
      }),
      duplicates_acknowledged: true,
    });
    const before = await referring(other.tenantId, duplicate);
    const movable = Object.entries(before).filter(([, n]) => n > 0);
    // The fixture fills the tables; at least appointments, records, prescriptions and invoices refer to the patient.
    expect(movable.map(([reference]) => reference)).toEqual(
      expect.arrayContaining(['appointments.patient_id', 'medical_records.patient_id', 'prescriptions.patient_id', 'invoices.patient_id']),
    );

    const merged = await otherReception.patients.merge({ survivor_id: survivor.id, duplicate_id: duplicate, reason: 'Registered twice' });
    expect(merged.survivor_id).toBe(survivor.id);
    expect(merged.moved).toEqual(Object.fromEntries(movable.map(([reference, n]) => [reference.split('.')[0], n])));
    expect(Object.values(await referring(other.tenantId, duplicate)).every((n) => n === 0)).toBe(true);
    const after = await referring(other.tenantId, survivor.id);
    for (const [reference, n] of movable) expect(after[reference], reference).toBe(n);

    expect(await one(app.db, `SELECT deleted_at IS NOT NULL AS archived, merged_into_id FROM patients WHERE id = $1`, [duplicate])).toEqual(
      { archived: true, merged_into_id: survivor.id },
    );
    const kept = await otherReception.patients.get({ id: survivor.id });
    // Nothing the duplicate warned of is lost: its allergy is the survivor's already (penicillin), its alert is added.
    expect(kept.allergies.map((a) => a.substance)).toEqual(['penicillin', 'Latex']);
    expect(kept.alerts).toBe('Hard of hearing');
    // The archive keeps why, as the restore list shows it.
    const archived = await one(
      app.db,
      `SELECT user_id, reason FROM audit_logs WHERE tenant_id = $1 AND record_id = $2 AND action = 'SOFT_DELETE'`,
      [other.tenantId, duplicate],
    );
    expect(archived).toEqual({ user_id: other.receptionistId, reason: `Merged into ${survivor.patient_number}: Registered twice` });
    // Each moved row is audited as the receptionist's change, and a signed note stays locked afterwards.
    const audited = await one<{ n: number }>(
      app.db,
      `SELECT count(*)::int AS n FROM audit_logs WHERE tenant_id = $1 AND table_name = 'medical_records' AND action = 'UPDATE'
         AND user_id = $2 AND new_values ->> 'patient_id' = $3`,
      [other.tenantId, other.receptionistId, survivor.id],
    );
    expect(audited.n).toBe(before['medical_records.patient_id']);
    await expect(
      app.db.query(`UPDATE medical_records SET patient_id = $2 WHERE tenant_id = $1 AND patient_id = $2`, [other.tenantId, survivor.id]),
    ).rejects.toThrow(/signed/);
  });

  it('is refused by the database to a user without patients.archive and to another clinic, writing nothing', async () => {
    const first = await reception.patients.register({ patient: person('Imogen', 'Twice'), duplicates_acknowledged: true });
    const second = await reception.patients.register({ patient: person('Imogen', 'Twice'), duplicates_acknowledged: true });
    const pair = { survivor_id: first.id, duplicate_id: second.id, reason: 'Registered twice' };
    const before = await footprint();

    expect((await refusal(doctor.patients.merge(pair))).code).toBe('FORBIDDEN');
    await expect(
      withRequest(app.db, { tenantId: DEMO_TENANT, userId: DR_PATEL_ID }, (tx) =>
        tx.query(`SELECT merge_patients($1, $2, 'typed by hand')`, [first.id, second.id]),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    // Another clinic: our records are not there for it, by the router or typed by hand.
    expect((await refusal(otherReception.patients.merge(pair))).code).toBe('NOT_FOUND');
    const typed = await withRequest(app.db, { tenantId: other.tenantId, userId: other.receptionistId }, (tx) =>
      one<{ moved: unknown }>(tx, `SELECT merge_patients($1, $2, 'typed by hand') AS moved`, [first.id, second.id]),
    );
    expect(typed.moved).toBeNull();
    // Nor can a record of ours be merged into one of theirs.
    expect((await refusal(reception.patients.merge({ ...pair, survivor_id: other.rows.patients }))).code).toBe('NOT_FOUND');
    expect(await refusal(reception.patients.merge({ ...pair, duplicate_id: first.id }))).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { duplicate_id: 'Choose another record to merge: this is the one being kept.' },
    });
    expect(await refusal(reception.patients.merge({ ...pair, reason: '  ' }))).toMatchObject({
      fieldErrors: { reason: 'Say why these records are merged.' },
    });
    // The pointer is the merge's alone: the app role can neither set nor change it.
    for (const sql of [
      `UPDATE patients SET merged_into_id = $1 WHERE id = $2`,
      `INSERT INTO patients (tenant_id, first_name, last_name, date_of_birth, gender, merged_into_id)
       VALUES (current_tenant_id(), 'Pointed', 'Elsewhere', '1990-01-01', 'Male', $1) RETURNING $2::uuid`,
    ]) {
      await expect(
        withRequest(app.db, { tenantId: DEMO_TENANT, userId: RECEPTIONIST_ID }, (tx) => tx.query(sql, [first.id, second.id])),
      ).rejects.toMatchObject({ code: '42501' });
    }
    expect(await footprint()).toEqual(before);
  });

  it('takes two desks merging the same pair at the same moment in turn: one merge, the other finds a record gone', async () => {
    const first = await reception.patients.register({ patient: person('Otto', 'Race'), duplicates_acknowledged: true });
    const second = await reception.patients.register({ patient: person('Otto', 'Race'), duplicates_acknowledged: true });
    const otherDesk = await app.signedIn(DEMO_USERS.receptionist);
    const attempts = await Promise.allSettled([
      reception.patients.merge({ survivor_id: first.id, duplicate_id: second.id, reason: 'Registered twice' }),
      otherDesk.patients.merge({ survivor_id: second.id, duplicate_id: first.id, reason: 'Registered twice' }),
    ]);
    expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1);
    const refused = attempts.find((attempt) => attempt.status === 'rejected');
    expect((await refusal(Promise.reject(refused?.reason))).code).toBe('NOT_FOUND');
    const live = await one<{ n: number }>(app.db, `SELECT count(*)::int AS n FROM patients WHERE id IN ($1, $2) AND deleted_at IS NULL`, [
      first.id,
      second.id,
    ]);
    expect(live.n).toBe(1);
    // John Smith is untouched by all this.
    expect((await reception.patients.get({ id: JOHN_SMITH })).first_name).toBe('John');
  });
});
