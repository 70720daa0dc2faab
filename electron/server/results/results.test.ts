import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_STATUS_TRANSITIONS, type LabTest, type OrderTestInput } from '../../../shared/results';
import { DEMO_PASSWORD, DEMO_USERS, demoBackend, refusal, type Outcome, type TestBackend } from '../../../test/backend';
import { engines } from '../../../test/engines';
import { createTenantFixture, type TenantFixture } from '../../../test/fixtures';
import { pdfText } from '../../../test/pdf';
import { one } from '../db/rows';

/** Demo patients have fixed ids: P-000001 is …201. */
const demoPatient = (n: number) => `00000000-0000-4000-8000-000000000${200 + n}`;
/** Female, born 1993. */
const ANANYA_SHARMA = demoPatient(15);
/** Male, born 1970. */
const OLUMIDE_ADEBAYO = demoPatient(10);
/** Female, born 2016: a child's ranges. */
const AMARA = demoPatient(35);
const DR_PATEL_ID = '00000000-0000-4000-8000-000000000102';

type Caller = Awaited<ReturnType<TestBackend['signedIn']>>;

describe.each(engines)('tests and results on %s', (engine) => {
  let app: TestBackend;
  let doctor: Caller;
  let secondDoctor: Caller;
  let nurse: Caller;
  let reception: Caller;
  let other: TenantFixture;
  let otherDoctor: Caller;

  const count = async (sql: string, params: string[] = []) =>
    (await one<{ n: number }>(app.db, `SELECT count(*)::int AS n FROM ${sql}`, params)).n;
  const asDemo = (email: string, statements: string[]) => app.typedBy(email, 'demo', statements);
  const refused = (outcome: Outcome | undefined) => (outcome && 'refused' in outcome ? outcome.refused : 'accepted');

  /** Ordered by Dr Patel, its sample collected and at the laboratory (by the nurse). */
  async function atTheLab(patientId: string, order: Partial<OrderTestInput> = {}): Promise<LabTest> {
    const test = await doctor.results.order({ patientId, catalogCode: 'FBC', ...order });
    await nurse.results.advance({ testId: test.id, to: 'sample_collected' });
    return nurse.results.advance({ testId: test.id, to: 'in_progress' });
  }
  const flags = (test: LabTest) => Object.fromEntries((test.report?.result_values ?? []).map((entry) => [entry.code, entry.flag]));

  beforeAll(async () => {
    app = await demoBackend(engine);
    doctor = await app.signedIn(DEMO_USERS.doctor);
    secondDoctor = await app.signedIn(DEMO_USERS.secondDoctor);
    nurse = await app.signedIn(DEMO_USERS.nurse);
    reception = await app.signedIn(DEMO_USERS.receptionist);
    other = await createTenantFixture(app.db, 'northside');
    await app.giveLogins(other.tenantId, [other.doctorId], DEMO_PASSWORD);
    otherDoctor = app.client('northside-doctor');
    await otherDoctor.auth.signIn({ email: 'doctor@northside.test', password: DEMO_PASSWORD, clinicCode: 'northside' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('keeps the legal steps in one list, the same in the database as in the code', async () => {
    const { rows } = await app.db.query<{ from_status: string; to_status: string; permission: string }>(
      `SELECT from_status, to_status, permission FROM diagnostic_test_status_transitions ORDER BY 1, 2`,
    );
    const ours = TEST_STATUS_TRANSITIONS.map((t) => ({ from_status: t.from, to_status: t.to, permission: t.permission }));
    expect(rows).toEqual(ours.sort((a, b) => (a.from_status + a.to_status).localeCompare(b.from_status + b.to_status)));
  });

  describe('a test from order to verified result', () => {
    it('is ordered from the catalog, collected, entered with flags, tells the doctor of a critical value and is verified by a second person', async () => {
      const ordered = await doctor.results.order({ patientId: ANANYA_SHARMA, catalogCode: 'FBC', clinicalNotes: 'Tired, heavy periods' });
      expect(ordered).toMatchObject({
        status: 'ordered',
        test_name: 'Full blood count',
        test_code: 'FBC',
        doctor_id: DR_PATEL_ID,
        patient_name: 'Ananya Sharma',
        report: null,
      });
      await nurse.results.advance({ testId: ordered.id, to: 'sample_collected' });
      const atLab = await nurse.results.advance({ testId: ordered.id, to: 'in_progress' });
      expect(atLab).toMatchObject({ status: 'in_progress', collected_at: expect.any(String) });

      const notices = () => count(`notifications WHERE related_entity_id = $1 AND user_id = $2 AND NOT is_read`, [ordered.id, DR_PATEL_ID]);
      const entered = await nurse.results.enter({ testId: ordered.id, values: { HGB: '98', WBC: '6,2', PLT: '15', MCV: '' } });
      expect(entered.status).toBe('completed');
      expect(flags(entered)).toEqual({ HGB: 'low', WBC: 'normal', PLT: 'critical_low' });
      expect(entered.report).toMatchObject({ is_abnormal: true, is_critical: true, reported_by_name: expect.any(String) });
      expect(entered.report?.result_values[0]).toMatchObject({
        parameter: 'Haemoglobin',
        value: '98',
        unit: 'g/L',
        low: '115',
        high: '165',
        reference_range: '115–165',
        range_basis: 'Female, 18 years and over',
      });
      expect(await notices()).toBe(1);

      // The nurse may not verify at all; nor may whoever entered the values.
      expect(await refusal(nurse.results.verify({ testId: ordered.id }))).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_PERMITTED' });
      const inbox = await doctor.results.inbox();
      expect(inbox[0]).toMatchObject({ id: ordered.id, status: 'completed', report: { is_critical: true } });

      const verified = await doctor.results.verify({ testId: ordered.id });
      expect(verified).toMatchObject({
        status: 'verified',
        report: { verified_by_name: 'Dr Priya Patel', verified_at: expect.any(String) },
      });
      expect(await notices()).toBe(0);
      expect(await refusal(secondDoctor.results.verify({ testId: ordered.id }))).toMatchObject({ code: 'CONFLICT' });
      // A verified report never changes, even typed by hand.
      const [change] = await asDemo(DEMO_USERS.nurse, [
        `UPDATE test_reports SET findings = 'x' WHERE diagnostic_test_id = '${ordered.id}'`,
      ]);
      expect(refused(change)).toBe('42501');
      expect(await count(`audit_logs WHERE table_name = 'test_reports' AND record_id = $1`, [verified.report!.id])).toBe(2);
    });

    it('prints the report on the clinic’s letterhead, preliminary until verified', async () => {
      const test = await atTheLab(demoPatient(5));
      expect(await refusal(doctor.results.print({ testId: test.id }))).toMatchObject({ message: 'There are no results to print yet.' });
      await nurse.results.enter({ testId: test.id, values: { HGB: '109', PLT: '250' }, interpretation: 'Mild anaemia.' });
      const preliminary = await doctor.results.print({ testId: test.id });
      expect(preliminary.fileName).toBe(`${test.test_number} Siobhán OBrien.pdf`);
      const before = pdfText(preliminary.base64);
      expect(before).toContain('Riverside Family Clinic');
      expect(before).toContain('Laboratory report: Full blood count');
      expect(before).toContain('NOT YET VERIFIED');
      expect(before).toMatch(/Haemoglobin\s+109 g\/L\s+L Low\s+115–165 g\/L\s+Female, 18 years and over/);
      expect(before).toContain('Entered by Sarah Lindqvist');
      await doctor.results.verify({ testId: test.id });
      const after = pdfText((await nurse.results.print({ testId: test.id })).base64);
      expect(after).not.toContain('NOT YET VERIFIED');
      expect(after).toContain('Verified by Dr Priya Patel');
      expect(await refusal(reception.results.print({ testId: test.id }))).toMatchObject({ code: 'FORBIDDEN' });
      expect(await refusal(otherDoctor.results.print({ testId: test.id }))).toMatchObject({ code: 'NOT_FOUND' });
    });

    it('flags by the range for the patient’s sex and age when the sample was taken', async () => {
      const values = { HGB: '125', ALP: '300' };
      const man = await atTheLab(OLUMIDE_ADEBAYO, { catalogCode: 'FBC' });
      expect(flags(await nurse.results.enter({ testId: man.id, values }))).toEqual({ HGB: 'low' });
      const woman = await atTheLab(ANANYA_SHARMA, { catalogCode: 'FBC' });
      expect(flags(await nurse.results.enter({ testId: woman.id, values }))).toEqual({ HGB: 'normal' });
      const girl = await atTheLab(AMARA, { catalogCode: 'FBC' });
      const child = await nurse.results.enter({ testId: girl.id, values });
      expect(flags(child)).toEqual({ HGB: 'normal' });
      expect(child.report?.result_values[0]?.range_basis).toBe('6–11 years');
      // Liver enzymes: an adult's alkaline phosphatase of 300 is high, a growing child's is not.
      const adultLft = await atTheLab(ANANYA_SHARMA, { catalogCode: 'LFT' });
      expect(flags(await nurse.results.enter({ testId: adultLft.id, values }))).toEqual({ ALP: 'high' });
      const childLft = await atTheLab(AMARA, { catalogCode: 'LFT' });
      expect(flags(await nurse.results.enter({ testId: childLft.id, values }))).toEqual({ ALP: 'normal' });
      // A dipstick finding other than the expected one is abnormal.
      const urine = await atTheLab(OLUMIDE_ADEBAYO, { catalogCode: 'UA' });
      expect(flags(await nurse.results.enter({ testId: urine.id, values: { UPH: '6.0', UPRO: '++', UNIT: 'negative' } }))).toEqual({
        UPH: 'normal',
        UPRO: 'abnormal',
        UNIT: 'normal',
      });
    });

    it('refuses a value that is not a number beside its box, and writes nothing', async () => {
      const test = await atTheLab(OLUMIDE_ADEBAYO);
      expect(await refusal(nurse.results.enter({ testId: test.id, values: { HGB: 'low-ish' } }))).toMatchObject({
        code: 'BAD_REQUEST',
        fieldErrors: { 'values.HGB': 'Give Haemoglobin as a number, such as 4.5.' },
      });
      expect(await refusal(nurse.results.enter({ testId: test.id, values: {} }))).toMatchObject({
        fieldErrors: { values: 'Enter at least one result.' },
      });
      expect(await count(`test_reports WHERE diagnostic_test_id = $1`, [test.id])).toBe(0);
    });

    it('takes a free-text test with written findings', async () => {
      const test = await doctor.results.order({ patientId: OLUMIDE_ADEBAYO, testName: 'Chest X-ray', priority: 'urgent' });
      expect(test).toMatchObject({ test_name: 'Chest X-ray', test_code: null, priority: 'urgent' });
      expect(await refusal(doctor.results.order({ patientId: OLUMIDE_ADEBAYO, testName: '  ' }))).toMatchObject({
        fieldErrors: { testName: 'Choose a test from the list or name it.' },
      });
      await nurse.results.advance({ testId: test.id, to: 'sample_collected' });
      await nurse.results.advance({ testId: test.id, to: 'in_progress' });
      const done = await doctor.results.enter({ testId: test.id, findings: 'Clear lung fields.' });
      expect(done).toMatchObject({
        status: 'completed',
        report: { findings: 'Clear lung fields.', is_abnormal: false, result_values: [] },
      });
      // Dr Patel wrote the findings: Dr Okafor verifies them.
      expect(await refusal(doctor.results.verify({ testId: test.id }))).toMatchObject({ code: 'FORBIDDEN' });
      expect(await secondDoctor.results.verify({ testId: test.id })).toMatchObject({ status: 'verified' });
    });
  });

  describe('status changes', () => {
    it('go one legal step at a time, through the router and in the database', async () => {
      const test = await doctor.results.order({ patientId: OLUMIDE_ADEBAYO, catalogCode: 'CRP' });
      expect(await refusal(nurse.results.advance({ testId: test.id, to: 'in_progress' }))).toMatchObject({
        code: 'CONFLICT',
        message: 'This test is ordered: it cannot be marked at the laboratory.',
      });
      expect(await refusal(nurse.results.enter({ testId: test.id, values: { CRP: '4' } }))).toMatchObject({ code: 'CONFLICT' });
      const byHand = (status: string) => `UPDATE diagnostic_tests SET status = '${status}' WHERE id = '${test.id}'`;
      const outcomes = await asDemo(DEMO_USERS.doctor, [byHand('in_progress'), byHand('completed'), byHand('verified')]);
      expect(outcomes.map(refused)).toEqual(['23514', '23514', '23514']);
      // Completed and verified come from results, not from a status typed in.
      const [collected, atLab, completed, verified] = await asDemo(DEMO_USERS.nurse, [
        byHand('sample_collected'),
        byHand('in_progress'),
        byHand('completed'),
        byHand('verified'),
      ]);
      expect([collected, atLab].map(refused)).toEqual(['accepted', 'accepted']);
      expect([completed, verified].map(refused)).toEqual(['23514', '23514']);
      // A report cannot be written before the sample reaches the laboratory, nor verified by its writer.
      const fresh = await doctor.results.order({ patientId: OLUMIDE_ADEBAYO, catalogCode: 'CRP' });
      const [early] = await asDemo(DEMO_USERS.nurse, [
        `INSERT INTO test_reports (tenant_id, diagnostic_test_id, patient_id, findings) VALUES (current_tenant_id(), '${fresh.id}', '${OLUMIDE_ADEBAYO}', 'x')`,
      ]);
      expect(refused(early)).toBe('23514');
      // Only the orderer's permission cancels; a cancelled test stays cancelled.
      const [nurseCancels] = await asDemo(DEMO_USERS.nurse, [`UPDATE diagnostic_tests SET status = 'cancelled' WHERE id = '${fresh.id}'`]);
      expect(refused(nurseCancels)).toBe('42501');
      expect(await doctor.results.advance({ testId: fresh.id, to: 'cancelled' })).toMatchObject({ status: 'cancelled' });
      const [reopen] = await asDemo(DEMO_USERS.doctor, [`UPDATE diagnostic_tests SET status = 'ordered' WHERE id = '${fresh.id}'`]);
      expect(refused(reopen)).toBe('23514');
      // A test is ordered by whoever orders it, as ordered.
      const [named] = await asDemo(DEMO_USERS.doctor, [
        `INSERT INTO diagnostic_tests (tenant_id, patient_id, doctor_id, test_name, status, completed_at)
         VALUES (current_tenant_id(), '${OLUMIDE_ADEBAYO}', '00000000-0000-4000-8000-000000000103', 'Ferritin', 'completed', now())
         RETURNING doctor_id, status, completed_at`,
      ]);
      expect(named).toEqual([{ doctor_id: DR_PATEL_ID, status: 'ordered', completed_at: null }]);
    });
  });

  describe('verification by a second person', () => {
    it('is enforced by the database: whoever entered the values cannot verify them, nor forge their flags', async () => {
      const test = await atTheLab(OLUMIDE_ADEBAYO);
      await doctor.results.enter({ testId: test.id, values: { HGB: '101' } });
      expect(await refusal(doctor.results.verify({ testId: test.id }))).toMatchObject({
        code: 'FORBIDDEN',
        message: 'Results are verified by a second person: you entered these.',
      });
      const report = `WHERE diagnostic_test_id = '${test.id}'`;
      const outcomes = await asDemo(DEMO_USERS.doctor, [
        `UPDATE test_reports SET verified_at = now(), verified_by = '00000000-0000-4000-8000-000000000103' ${report}`,
        `UPDATE test_reports SET reported_by = '00000000-0000-4000-8000-000000000104' ${report}`,
        `UPDATE test_reports SET is_abnormal = false ${report}`,
        `UPDATE test_reports SET result_values = jsonb_set(result_values, '{0,flag}', '"normal"') ${report} RETURNING result_values -> 0 ->> 'flag' AS flag`,
        `INSERT INTO test_reports (tenant_id, diagnostic_test_id, patient_id, findings, verified_at, verified_by)
         VALUES (current_tenant_id(), '${(await doctor.results.order({ patientId: OLUMIDE_ADEBAYO, catalogCode: 'CRP' })).id}', '${OLUMIDE_ADEBAYO}', 'x', now(), '${DR_PATEL_ID}')`,
      ]);
      expect(outcomes.slice(0, 3).map(refused)).toEqual(['42501', '42501', '42501']);
      expect(outcomes[3]).toEqual([{ flag: 'low' }]);
      expect(refused(outcomes[4])).toBe('42501');
      expect(await count(`test_reports WHERE diagnostic_test_id = $1 AND verified_at IS NULL`, [test.id])).toBe(1);

      // The nurse corrects the value: now the doctor may verify, and the nurse may not (nor could, lacking the permission).
      await nurse.results.enter({ testId: test.id, values: { HGB: '103' } });
      const [nurseVerifies] = await asDemo(DEMO_USERS.nurse, [`UPDATE test_reports SET verified_at = now() ${report}`]);
      expect(refused(nurseVerifies)).toBe('42501');
      expect(await doctor.results.verify({ testId: test.id })).toMatchObject({ status: 'verified' });
    });

    it('happens once when two doctors verify at the same moment', async () => {
      const test = await atTheLab(ANANYA_SHARMA);
      await nurse.results.enter({ testId: test.id, values: { HGB: '130' } });
      const attempts = await Promise.allSettled([
        doctor.results.verify({ testId: test.id }),
        secondDoctor.results.verify({ testId: test.id }),
      ]);
      expect(attempts.map((attempt) => attempt.status).sort()).toEqual(['fulfilled', 'rejected']);
      const late = attempts.find((attempt) => attempt.status === 'rejected');
      expect(await refusal(Promise.reject(late?.reason))).toMatchObject({ code: 'CONFLICT' });
      expect(
        await count(`audit_logs WHERE table_name = 'test_reports' AND action = 'UPDATE' AND new_values ->> 'diagnostic_test_id' = $1`, [
          test.id,
        ]),
      ).toBe(1);
    });
  });

  describe('the results inbox', () => {
    it('puts the ordering doctor’s unverified results first, critical then abnormal, verified last', async () => {
      const normal = await atTheLab(ANANYA_SHARMA);
      await nurse.results.enter({ testId: normal.id, values: { HGB: '130' } });
      const critical = await atTheLab(ANANYA_SHARMA);
      await nurse.results.enter({ testId: critical.id, values: { HGB: '60' } });
      const abnormal = await atTheLab(ANANYA_SHARMA);
      await nurse.results.enter({ testId: abnormal.id, values: { HGB: '112' } });
      const inbox = await doctor.results.inbox();
      const ours = inbox.filter((test) => [normal.id, critical.id, abnormal.id].includes(test.id)).map((test) => test.id);
      expect(ours).toEqual([critical.id, abnormal.id, normal.id]);
      const rank = (test: LabTest) => [
        test.status === 'verified' ? 1 : 0,
        test.report?.is_critical ? 0 : 1,
        test.report?.is_abnormal ? 0 : 1,
      ];
      const ranks = inbox.map(rank);
      expect(ranks).toEqual([...ranks].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!));
      expect(inbox.every((test) => test.doctor_id === DR_PATEL_ID)).toBe(true);
      expect((await secondDoctor.results.inbox()).map((test) => test.id)).not.toContain(critical.id);
    });
  });

  describe('who may see and change results', () => {
    it('refuses a receptionist in the router and in the database', async () => {
      expect(await refusal(reception.results.forPatient({ patientId: ANANYA_SHARMA }))).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'NOT_PERMITTED',
      });
      expect(await refusal(reception.results.order({ patientId: ANANYA_SHARMA, catalogCode: 'FBC' }))).toMatchObject({ code: 'FORBIDDEN' });
      expect(await refusal(nurse.results.order({ patientId: ANANYA_SHARMA, catalogCode: 'FBC' }))).toMatchObject({ code: 'FORBIDDEN' });
      const tests = await count(`diagnostic_tests`);
      const outcomes = await asDemo(DEMO_USERS.receptionist, [
        `SELECT id FROM test_reports`,
        `SELECT id FROM diagnostic_tests`,
        `INSERT INTO diagnostic_tests (tenant_id, patient_id, doctor_id, test_name) VALUES (current_tenant_id(), '${ANANYA_SHARMA}', '${DR_PATEL_ID}', 'FBC')`,
      ]);
      expect(outcomes.slice(0, 2)).toEqual([[], []]);
      expect(refused(outcomes[2])).toBe('42501');
      const [nurseOrders] = await asDemo(DEMO_USERS.nurse, [
        `INSERT INTO diagnostic_tests (tenant_id, patient_id, doctor_id, test_name) VALUES (current_tenant_id(), '${ANANYA_SHARMA}', '${DR_PATEL_ID}', 'FBC')`,
      ]);
      expect(refused(nurseOrders)).toBe('42501');
      expect(await count(`diagnostic_tests`)).toBe(tests);
    });

    it('keeps another clinic out, and this clinic out of theirs', async () => {
      const ours = await atTheLab(ANANYA_SHARMA);
      await nurse.results.enter({ testId: ours.id, values: { HGB: '99' } });
      expect(await refusal(otherDoctor.results.forPatient({ patientId: ANANYA_SHARMA }))).toMatchObject({ code: 'NOT_FOUND' });
      expect(await refusal(otherDoctor.results.verify({ testId: ours.id }))).toMatchObject({ code: 'NOT_FOUND' });
      expect(await refusal(otherDoctor.results.enter({ testId: ours.id, values: { HGB: '150' } }))).toMatchObject({ code: 'NOT_FOUND' });
      expect(await refusal(otherDoctor.results.order({ patientId: ANANYA_SHARMA, catalogCode: 'FBC' }))).toMatchObject({
        code: 'NOT_FOUND',
      });
      expect((await otherDoctor.results.inbox()).map((test) => test.id)).not.toContain(ours.id);
      expect(await refusal(doctor.results.advance({ testId: other.rows.diagnostic_tests, to: 'cancelled' }))).toMatchObject({
        code: 'NOT_FOUND',
      });

      const outcomes = await app.typedBy('doctor@northside.test', 'northside', [
        `SELECT id FROM test_reports WHERE diagnostic_test_id = '${ours.id}'`,
        `UPDATE test_reports SET verified_at = now() WHERE diagnostic_test_id = '${ours.id}' RETURNING id`,
        `UPDATE diagnostic_tests SET status = 'cancelled' WHERE id = '${ours.id}' RETURNING id`,
      ]);
      expect(outcomes).toEqual([[], [], []]);
      expect(await count(`test_reports WHERE diagnostic_test_id = $1 AND verified_at IS NULL`, [ours.id])).toBe(1);
    });
  });
});
