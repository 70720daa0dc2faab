import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatePrescriptionInput } from '../../../shared/prescriptions';
import { DEMO_PASSWORD, DEMO_USERS, demoBackend, refusal, type TestBackend } from '../../../test/backend';
import { engines } from '../../../test/engines';
import { createTenantFixture, type TenantFixture } from '../../../test/fixtures';
import { staffLoginName } from '../auth/scram';
import { serverAddress } from '../backend';
import { openPostgres } from '../db/postgres';
import { withRequest } from '../db/request';
import { one } from '../db/rows';
import type { Db, QueryResult, SqlParam } from '../db/types';
import { pdfText } from '../../../test/pdf';

/** Demo patients have fixed ids: P-000001 is …201. */
const demoPatient = (n: number) => `00000000-0000-4000-8000-000000000${200 + n}`;
/** Severe penicillin allergy (anaphylaxis). */
const JOSE_HERNANDEZ = demoPatient(3);
/** Latex allergy only; no prescriptions in the demo. */
const ZOE_MULLER = demoPatient(4);
const DEMO_TENANT = '00000000-0000-4000-8000-000000000001';
const DR_PATEL_ID = '00000000-0000-4000-8000-000000000102';
const RECEPTIONIST_ID = '00000000-0000-4000-8000-000000000105';

type Caller = Awaited<ReturnType<TestBackend['signedIn']>>;

const amoxicillin = (patientId: string, overrides: Partial<CreatePrescriptionInput> = {}): CreatePrescriptionInput => ({
  patientId,
  medication: 'Amoxicillin',
  strength: '500 mg',
  form: 'capsule',
  dose: 'One capsule',
  route: 'oral',
  frequency: 'Three times a day',
  durationDays: 7,
  quantity: '21',
  instructions: 'Finish the course.',
  repeats: 0,
  ...overrides,
});

describe.each(engines)('prescriptions on %s', (engine) => {
  let app: TestBackend;
  let doctor: Caller;
  let nurse: Caller;
  let reception: Caller;
  let other: TenantFixture;
  let otherDoctor: Caller;
  const logins: Db[] = [];

  const count = async (sql: string, params: SqlParam[] = []) =>
    (await one<{ n: number }>(app.db, `SELECT count(*)::int AS n FROM ${sql}`, params)).n;
  const prescriptionsOf = (patientId: string) => count(`prescriptions WHERE patient_id = $1`, [patientId]);

  /**
   * Raw SQL as a staff member's own database access, as a lifted credential would give it: on
   * PostgreSQL their own login, on PGlite the app role with their identity. One transaction.
   */
  async function asStaff(
    who: { tenantId: string; userId: string; clinicCode: string; email: string },
    sql: string,
    params: SqlParam[] = [],
  ): Promise<QueryResult<Record<string, unknown>>> {
    if (engine === 'pglite') return withRequest(app.db, who, (tx) => tx.query(sql, params));
    const url = new URL(serverAddress((app.db as Db & { url?: string }).url!));
    url.username = staffLoginName(url.pathname.slice(1), who.clinicCode, who.email);
    url.password = DEMO_PASSWORD;
    const login = await openPostgres({ connectionString: url.href, max: 1 });
    logins.push(login);
    return login.transaction((tx) => tx.query(sql, params));
  }
  const asDrPatel = (sql: string, params: SqlParam[] = []) =>
    asStaff({ tenantId: DEMO_TENANT, userId: DR_PATEL_ID, clinicCode: 'demo', email: DEMO_USERS.doctor }, sql, params);
  const asReceptionist = (sql: string, params: SqlParam[] = []) =>
    asStaff({ tenantId: DEMO_TENANT, userId: RECEPTIONIST_ID, clinicCode: 'demo', email: DEMO_USERS.receptionist }, sql, params);
  const sqlState = (work: Promise<unknown>) =>
    work.then(
      () => 'accepted',
      (error: { code?: string }) => error.code ?? 'error',
    );

  beforeAll(async () => {
    app = await demoBackend(engine);
    doctor = await app.signedIn(DEMO_USERS.doctor);
    nurse = await app.signedIn(DEMO_USERS.nurse);
    reception = await app.signedIn(DEMO_USERS.receptionist);
    other = await createTenantFixture(app.db, 'northside');
    await app.giveLogins(other.tenantId, [other.doctorId], DEMO_PASSWORD);
    otherDoctor = app.client('northside-doctor');
    await otherDoctor.auth.signIn({ email: 'doctor@northside.test', password: DEMO_PASSWORD, clinicCode: 'northside' });
  });
  afterAll(async () => {
    await Promise.all(logins.map((login) => login.close()));
    await app?.close();
  });

  describe('the demo clinic', () => {
    it('has a patient with a penicillin allergy and repeat prescriptions to check against', async () => {
      const olumide = demoPatient(10);
      expect((await doctor.prescriptions.forPatient({ patientId: olumide })).map((rx) => [rx.medication_name, rx.is_active])).toEqual([
        ['Amlodipine', true],
        ['Allopurinol', true],
        ['Ramipril', false],
      ]);
      const kinds = async (medication: string) =>
        (await doctor.prescriptions.check({ patientId: olumide, medication })).map((w) => `${w.kind}:${w.match}`);
      expect(await kinds('Co-amoxiclav 625 mg')).toEqual(['allergy:same_class']);
      expect(await kinds('Cefalexin 500 mg')).toEqual(['cross_sensitivity:related_class']);
      expect(await kinds('Nifedipine MR 30 mg')).toEqual(['duplicate_therapy:same_class']);
      expect(await kinds('Allopurinol 300 mg')).toEqual(['duplicate_therapy:same_drug']);
      expect(await kinds('Ramipril 2.5 mg')).toEqual([]);
    });
  });

  describe('allergy warnings', () => {
    it('are shown by the check, to anyone who reads charts', async () => {
      expect(await doctor.prescriptions.check({ patientId: JOSE_HERNANDEZ, medication: 'Co-amoxiclav 625 mg' })).toEqual([
        expect.objectContaining({ kind: 'allergy', match: 'same_class', drugClass: 'Penicillins' }),
      ]);
      expect(await nurse.prescriptions.check({ patientId: JOSE_HERNANDEZ, medication: 'cefalexin' })).toEqual([
        expect.objectContaining({ kind: 'cross_sensitivity', drugClass: 'Cephalosporins' }),
      ]);
      expect(await doctor.prescriptions.check({ patientId: JOSE_HERNANDEZ, medication: 'Clarithromycin' })).toEqual([]);
      expect(await refusal(reception.prescriptions.check({ patientId: JOSE_HERNANDEZ, medication: 'Amoxicillin' }))).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'NOT_PERMITTED',
      });
    });

    it('stop a prescription without a reason, and nothing is written', async () => {
      const before = { rx: await prescriptionsOf(JOSE_HERNANDEZ), audit: await count('audit_logs') };
      const refused = await refusal(doctor.prescriptions.create(amoxicillin(JOSE_HERNANDEZ)));
      expect(refused).toMatchObject({ code: 'CONFLICT' });
      expect(refused.message).toMatch(/^Allergy recorded: Penicillin \(Anaphylaxis.*severe\)\. Amoxicillin is a penicillin/);
      expect(refused.message).toMatch(/give a reason\.$/);
      expect(refused.fieldErrors).toEqual({ overrideReason: refused.message });
      // A blank reason is no reason.
      expect(await refusal(doctor.prescriptions.create(amoxicillin(JOSE_HERNANDEZ, { overrideReason: '   ' })))).toMatchObject({
        code: 'CONFLICT',
        fieldErrors: { overrideReason: expect.any(String) },
      });
      expect({ rx: await prescriptionsOf(JOSE_HERNANDEZ), audit: await count('audit_logs') }).toEqual(before);
    });

    it('with a reason, are stored beside the prescription and audited', async () => {
      const reason = 'Allergy label disproved by the hospital allergy clinic, 2024 (letter on file).';
      const written = await doctor.prescriptions.create(amoxicillin(JOSE_HERNANDEZ, { overrideReason: reason }));
      expect(written).toMatchObject({
        patient_id: JOSE_HERNANDEZ,
        doctor_id: DR_PATEL_ID,
        doctor_name: expect.stringContaining('Patel'),
        medication_name: 'Amoxicillin',
        generic_name: 'amoxicillin',
        quantity: '21.00',
        refills_allowed: 0,
        status: 'active',
        is_active: true,
        override_reason: reason,
        warnings_overridden: [
          expect.objectContaining({ kind: 'allergy', match: 'same_class', allergy: expect.stringMatching(/^Penicillin/) }),
        ],
      });
      const days = (Date.parse(written.end_date!) - Date.parse(written.start_date)) / 86_400_000;
      expect(days).toBe(6);
      const audit = await one<{ action: string; user_id: string; new_values: Record<string, unknown> }>(
        app.db,
        `SELECT action, user_id, new_values FROM audit_logs WHERE table_name = 'prescriptions' AND record_id = $1`,
        [written.id],
      );
      expect(audit).toMatchObject({ action: 'INSERT', user_id: DR_PATEL_ID });
      expect(audit.new_values).toMatchObject({ override_reason: reason, warnings_overridden: written.warnings_overridden });
    });

    it('a prescription without warnings needs no reason, and keeps none', async () => {
      const written = await doctor.prescriptions.create(
        amoxicillin(JOSE_HERNANDEZ, { medication: 'Clarithromycin', quantity: '14', overrideReason: 'Not needed' }),
      );
      expect(written).toMatchObject({ warnings_overridden: null, override_reason: null, generic_name: 'clarithromycin' });
    });
  });

  describe('duplicate-therapy warnings', () => {
    it('see each other when two prescriptions of one class are written for a patient at the same moment', async () => {
      const patient = demoPatient(7);
      const secondRoom = await app.signedIn(DEMO_USERS.doctor);
      const before = await prescriptionsOf(patient);
      const attempts = await Promise.allSettled([
        doctor.prescriptions.create(amoxicillin(patient, { medication: 'Atorvastatin 20 mg', quantity: '28', durationDays: 28 })),
        secondRoom.prescriptions.create(amoxicillin(patient, { medication: 'Simvastatin 40 mg', quantity: '28', durationDays: 28 })),
      ]);
      // The second to arrive sees the first as duplicate therapy and, with no reason given, is refused.
      expect(attempts.map((attempt) => attempt.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refused = attempts.find((attempt) => attempt.status === 'rejected');
      expect(await refusal(Promise.reject(refused?.reason))).toMatchObject({
        code: 'CONFLICT',
        fieldErrors: { overrideReason: expect.any(String) },
      });
      expect(await prescriptionsOf(patient)).toBe(before + 1);
    });

    it('stop a second medicine of a class being taken, unless overridden with a reason', async () => {
      const omeprazole = await doctor.prescriptions.create(
        amoxicillin(ZOE_MULLER, { medication: 'Omeprazole', strength: '20 mg', form: 'capsule', quantity: '28', durationDays: 28 }),
      );
      expect(omeprazole.warnings_overridden).toBeNull();
      const lansoprazole = amoxicillin(ZOE_MULLER, { medication: 'Lansoprazole 30 mg', quantity: '28', durationDays: 28 });
      expect(await doctor.prescriptions.check({ patientId: ZOE_MULLER, medication: lansoprazole.medication })).toEqual([
        expect.objectContaining({ kind: 'duplicate_therapy', match: 'same_class', prescriptionId: omeprazole.id }),
      ]);
      const before = await prescriptionsOf(ZOE_MULLER);
      const refused = await refusal(doctor.prescriptions.create(lansoprazole));
      expect(refused).toMatchObject({ code: 'CONFLICT', fieldErrors: { overrideReason: expect.any(String) } });
      expect(refused.message).toContain('Already prescribed: Omeprazole (active), also a proton pump inhibitor');
      expect(await prescriptionsOf(ZOE_MULLER)).toBe(before);

      const overridden = await doctor.prescriptions.create({ ...lansoprazole, overrideReason: 'Switching: omeprazole stops today.' });
      expect(overridden.warnings_overridden).toEqual([
        expect.objectContaining({ kind: 'duplicate_therapy', prescriptionId: omeprazole.id }),
      ]);
      // The same medicine again is a duplicate too; a stopped one is not.
      expect(await doctor.prescriptions.check({ patientId: ZOE_MULLER, medication: 'Losec' })).toHaveLength(2);
      await doctor.prescriptions.discontinue({ id: omeprazole.id, reason: 'Switched to lansoprazole' });
      expect(await doctor.prescriptions.check({ patientId: ZOE_MULLER, medication: 'Losec' })).toEqual([
        expect.objectContaining({ prescriptionId: overridden.id }),
      ]);
    });
  });

  describe('discontinuing', () => {
    it('takes a reason, is audited, lists the prescription after the active ones and happens once', async () => {
      const first = await doctor.prescriptions.create(amoxicillin(demoPatient(5), { medication: 'Doxycycline 100 mg', durationDays: 7 }));
      const second = await doctor.prescriptions.create(
        amoxicillin(demoPatient(5), { medication: 'Atorvastatin 20 mg', durationDays: null }),
      );
      const stopped = await doctor.prescriptions.discontinue({ id: first.id, reason: 'Photosensitive rash' });
      expect(stopped).toMatchObject({ status: 'discontinued', discontinued_reason: 'Photosensitive rash', is_active: false });
      expect(stopped.end_date).toBe(stopped.start_date);
      const listed = await nurse.prescriptions.forPatient({ patientId: demoPatient(5) });
      expect(listed.map((rx) => rx.id)).toEqual([second.id, first.id]);
      expect(await count(`audit_logs WHERE record_id = $1 AND action = 'UPDATE'`, [first.id])).toBe(1);
      expect(await refusal(doctor.prescriptions.discontinue({ id: first.id, reason: 'Again' }))).toMatchObject({
        code: 'CONFLICT',
        message: 'This prescription is already discontinued.',
      });
      expect(await refusal(doctor.prescriptions.discontinue({ id: second.id, reason: ' ' }))).toMatchObject({
        code: 'BAD_REQUEST',
        fieldErrors: { reason: 'Say why the prescription is stopped.' },
      });
    });

    it('without a reason is refused by the database itself', async () => {
      const rx = await doctor.prescriptions.create(amoxicillin(demoPatient(6), { medication: 'Sertraline 50 mg', durationDays: null }));
      for (const reason of [null, '', '  ']) {
        expect(
          await sqlState(
            asDrPatel(`UPDATE prescriptions SET status = 'discontinued', discontinued_reason = $2 WHERE id = $1`, [rx.id, reason]),
          ),
        ).toBe('23514');
      }
      expect(
        await sqlState(
          asDrPatel(
            `INSERT INTO prescriptions (tenant_id, patient_id, medication_name, dosage, frequency, status)
             VALUES (current_tenant_id(), $1, 'Citalopram', '20 mg', 'daily', 'discontinued')`,
            [demoPatient(6)],
          ),
        ),
      ).toBe('23514');
      expect((await doctor.prescriptions.forPatient({ patientId: demoPatient(6) })).map((row) => row.status)).toEqual(['active']);
    });

    it('the database refuses warnings without a reason, and keeps what was overridden as written', async () => {
      const warnings = JSON.stringify([{ kind: 'allergy', match: 'same_class', message: 'x', drugClass: 'Penicillins' }]);
      expect(
        await sqlState(
          asDrPatel(
            `INSERT INTO prescriptions (tenant_id, patient_id, medication_name, dosage, frequency, warnings_overridden)
             VALUES (current_tenant_id(), $1, 'Amoxicillin', '500 mg', 'tds', $2::jsonb)`,
            [JOSE_HERNANDEZ, warnings],
          ),
        ),
      ).toBe('23514');
      const [overridden] = (await doctor.prescriptions.forPatient({ patientId: JOSE_HERNANDEZ })).filter((rx) => rx.override_reason);
      expect(
        await sqlState(asDrPatel(`UPDATE prescriptions SET override_reason = 'Changed my mind' WHERE id = $1`, [overridden!.id])),
      ).toBe('42501');
      expect(await sqlState(asDrPatel(`UPDATE prescriptions SET warnings_overridden = NULL WHERE id = $1`, [overridden!.id]))).toBe(
        '42501',
      );
    });
  });

  describe('who may prescribe', () => {
    it('refuses a receptionist, in the router and in the database', async () => {
      expect(await refusal(reception.prescriptions.create(amoxicillin(ZOE_MULLER, { medication: 'Paracetamol' })))).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'NOT_PERMITTED',
      });
      expect(await refusal(nurse.prescriptions.create(amoxicillin(ZOE_MULLER, { medication: 'Paracetamol' })))).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'NOT_PERMITTED',
      });
      const before = await prescriptionsOf(ZOE_MULLER);
      expect(
        await sqlState(
          asReceptionist(
            `INSERT INTO prescriptions (tenant_id, patient_id, medication_name, dosage, frequency)
             VALUES (current_tenant_id(), $1, 'Paracetamol', '1 g', 'qds')`,
            [ZOE_MULLER],
          ),
        ),
      ).toBe('42501');
      // Nor read them, nor stop one.
      expect((await asReceptionist(`SELECT id FROM prescriptions`)).rows).toEqual([]);
      const [active] = await doctor.prescriptions.forPatient({ patientId: ZOE_MULLER });
      const stop = await sqlState(
        asReceptionist(`UPDATE prescriptions SET status = 'discontinued', discontinued_reason = 'x' WHERE id = $1`, [active!.id]),
      );
      expect(['42501', 'accepted']).toContain(stop);
      expect(await count(`prescriptions WHERE id = $1 AND status = 'active'`, [active!.id])).toBe(1);
      expect(await prescriptionsOf(ZOE_MULLER)).toBe(before);
    });
  });

  describe('printing', () => {
    const [RAMIPRIL, AMLODIPINE, ALLOPURINOL] = ['601', '602', '603'].map((n) => `00000000-0000-4000-8000-000000000${n}`) as [
      string,
      string,
      string,
    ];

    it('prints the clinic header, prescriber and registration, patient, date, items and a signature line', async () => {
      const printed = await doctor.prescriptions.print({ ids: [AMLODIPINE, ALLOPURINOL] });
      expect(printed.fileName).toMatch(/^Prescription P-000010 \d{4}-\d{2}-\d{2}\.pdf$/);
      const text = pdfText(printed.base64);
      for (const shown of [
        'Riverside Family Clinic',
        '2 Riverside Walk, Putney, London, SW15 6QR, United Kingdom',
        'Tel. 020 7946 0100',
        'Olumide Adebayo',
        'P-000010',
        '19 Aug 1970',
        'Dr Priya Patel',
        'GMC 7264815',
        'Amlodipine 10 mg tablet',
        'One tablet, oral, once daily.',
        'Quantity: 28',
        'Repeats: 6',
        'Started ',
        'Review blood pressure at the next visit.',
        'Allopurinol 100 mg tablet',
        'Signature — Dr Priya Patel',
      ]) {
        expect(text, shown).toContain(shown);
      }
    });

    it('keeps accents and the prescriber of the prescription, whoever prints it', async () => {
      const written = await doctor.prescriptions.create(amoxicillin(ZOE_MULLER, { instructions: 'Prendre avec de l’eau; ñ ł ü é' }));
      const text = pdfText((await nurse.prescriptions.print({ ids: [written.id] })).base64);
      expect(text).toContain('Zoë Müller');
      expect(text).toContain('Prendre avec de l’eau; ñ ł ü é');
      expect(text).toContain('Dr Priya Patel');
      await doctor.prescriptions.discontinue({ id: written.id, reason: 'Printed for the test only' });
    });

    it('refuses what is not active, mixed patients, unknown ids and a receptionist', async () => {
      expect(await refusal(doctor.prescriptions.print({ ids: [RAMIPRIL] }))).toMatchObject({
        code: 'BAD_REQUEST',
        fieldErrors: { ids: 'Ramipril is no longer active and is not printed.' },
      });
      const zoes = await doctor.prescriptions.create(amoxicillin(ZOE_MULLER));
      expect(await refusal(doctor.prescriptions.print({ ids: [AMLODIPINE, zoes.id] }))).toMatchObject({
        code: 'BAD_REQUEST',
        fieldErrors: { ids: 'One prescription is for one patient: print these separately.' },
      });
      await doctor.prescriptions.discontinue({ id: zoes.id, reason: 'Written for the test only' });
      expect(await refusal(doctor.prescriptions.print({ ids: [AMLODIPINE, demoPatient(10)] }))).toMatchObject({ code: 'NOT_FOUND' });
      expect(await refusal(reception.prescriptions.print({ ids: [AMLODIPINE] }))).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'NOT_PERMITTED',
      });
    });
  });

  describe('another clinic', () => {
    it('cannot see, prescribe for or stop this clinic’s prescriptions, nor this clinic theirs', async () => {
      const ours = (await doctor.prescriptions.forPatient({ patientId: JOSE_HERNANDEZ }))[0]!;
      expect(await refusal(otherDoctor.prescriptions.forPatient({ patientId: JOSE_HERNANDEZ }))).toMatchObject({ code: 'NOT_FOUND' });
      expect(await refusal(otherDoctor.prescriptions.check({ patientId: JOSE_HERNANDEZ, medication: 'Amoxicillin' }))).toMatchObject({
        code: 'NOT_FOUND',
      });
      expect(await refusal(otherDoctor.prescriptions.create(amoxicillin(JOSE_HERNANDEZ, { overrideReason: 'x' })))).toMatchObject({
        code: 'NOT_FOUND',
      });
      expect(await refusal(otherDoctor.prescriptions.discontinue({ id: ours.id, reason: 'Not yours' }))).toMatchObject({
        code: 'NOT_FOUND',
      });
      // Theirs, from here.
      expect(await refusal(doctor.prescriptions.discontinue({ id: other.rows.prescriptions, reason: 'Not ours' }))).toMatchObject({
        code: 'NOT_FOUND',
      });
      expect(await refusal(doctor.prescriptions.forPatient({ patientId: other.rows.patients }))).toMatchObject({ code: 'NOT_FOUND' });
      expect(await refusal(otherDoctor.prescriptions.print({ ids: [ours.id] }))).toMatchObject({ code: 'NOT_FOUND' });
      expect(await refusal(doctor.prescriptions.print({ ids: [other.rows.prescriptions] }))).toMatchObject({ code: 'NOT_FOUND' });

      // And in the database, as the other clinic's doctor.
      const asOtherDoctor = (sql: string, params: SqlParam[]) =>
        asStaff({ tenantId: other.tenantId, userId: other.doctorId, clinicCode: 'northside', email: 'doctor@northside.test' }, sql, params);
      expect((await asOtherDoctor(`SELECT id FROM prescriptions WHERE id = $1`, [ours.id])).rows).toEqual([]);
      expect(
        (await asOtherDoctor(`UPDATE prescriptions SET status = 'discontinued', discontinued_reason = 'x' WHERE id = $1`, [ours.id]))
          .rowCount,
      ).toBe(0);
      expect(await count(`prescriptions WHERE id = $1 AND status = 'active'`, [ours.id])).toBe(1);
      expect(await count(`prescriptions WHERE id = $1 AND status = 'active'`, [other.rows.prescriptions])).toBe(1);
    });
  });
});
