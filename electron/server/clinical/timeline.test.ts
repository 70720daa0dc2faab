import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsultationNoteInput } from '../../../shared/clinical';
import { DEMO_USERS, anotherClinic, demoArrival, demoBackend, demoPatient, refusal, type TestBackend } from '../../../test/backend';
import { engines } from '../../../test/engines';

type Caller = Awaited<ReturnType<TestBackend['signedIn']>>;

const NOTE: ConsultationNoteInput = {
  chief_complaint: 'Tired all the time',
  assessment: 'Fatigue, cause not yet known',
  plan: 'Bloods, review with results.',
  diagnoses: [],
};
const PDF = Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64');

describe.each(engines)('the chart timeline and confidential tests on %s', (engine) => {
  let app: TestBackend;
  let patel: Caller;
  let okafor: Caller;
  let nurse: Caller;
  let admin: Caller;
  let otherDoctor: Caller;

  /** What the caller's timeline of a patient lists, as "kind: title". */
  const timelineOf = async (caller: Caller, patientNumber: number) =>
    (await caller.clinical.timeline({ patientId: demoPatient(patientNumber) })).map((entry) => `${entry.kind}: ${entry.title}`);

  /** Dr Patel's signed note of a visit today for the patient. */
  async function signedNote(patientNumber: number, note: ConsultationNoteInput = NOTE) {
    const draft = await patel.clinical.start({ appointmentId: await demoArrival(app.db, patientNumber) });
    await patel.clinical.saveDraft({ recordId: draft.id, note });
    return patel.clinical.sign({ recordId: draft.id });
  }

  /** A test Dr Patel orders, with its sample at the laboratory: ready for results. */
  async function testAtLaboratory(patientNumber: number, testName: string, isConfidential: boolean) {
    const test = await patel.results.order({ patientId: demoPatient(patientNumber), testName, isConfidential });
    await patel.results.advance({ testId: test.id, to: 'sample_collected' });
    await patel.results.advance({ testId: test.id, to: 'in_progress' });
    return test;
  }

  beforeAll(async () => {
    app = await demoBackend(engine);
    patel = await app.signedIn(DEMO_USERS.doctor);
    okafor = await app.signedIn(DEMO_USERS.secondDoctor);
    nurse = await app.signedIn(DEMO_USERS.nurse);
    admin = await app.signedIn(DEMO_USERS.admin);
    otherDoctor = (await anotherClinic(app, 'northside')).doctor;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('lists notes, prescriptions, tests and documents in one list, newest first', async () => {
    await signedNote(36);
    await patel.prescriptions.create({
      patientId: demoPatient(36),
      medication: 'Ferrous fumarate',
      strength: '210 mg',
      form: 'tablet',
      dose: 'One tablet',
      route: 'oral',
      frequency: 'Twice a day',
      durationDays: 28,
      quantity: '56',
      repeats: 0,
    });
    await testAtLaboratory(36, 'Ferritin', false);
    await patel.documents.upload({
      patientId: demoPatient(36),
      documentType: 'lab_report',
      title: 'Haematology clinic letter',
      documentDate: '2026-09-14',
      fileName: 'letter.pdf',
      content: PDF,
    });
    const entries = await patel.clinical.timeline({ patientId: demoPatient(36) });
    expect(entries.slice(0, 4).map((entry) => `${entry.kind}: ${entry.title}`)).toEqual([
      'document: Haematology clinic letter',
      'test: Ferritin',
      'prescription: Ferrous fumarate 210 mg',
      'note: Fatigue, cause not yet known',
    ]);
    expect(entries[1]).toMatchObject({ status: 'in_progress', author_name: 'Dr Priya Patel', is_confidential: false });
    expect([...entries].sort((a, b) => b.occurred_at.localeCompare(a.occurred_at))).toEqual(entries);
    // Whoever reads charts sees the same list; another clinic sees nothing.
    expect(await timelineOf(nurse, 36)).toEqual(entries.map((entry) => `${entry.kind}: ${entry.title}`));
    expect(await otherDoctor.clinical.timeline({ patientId: demoPatient(36) })).toEqual([]);
    const reception = await app.signedIn(DEMO_USERS.receptionist);
    expect(await refusal(reception.clinical.timeline({ patientId: demoPatient(36) }))).toMatchObject({ reason: 'NOT_PERMITTED' });
  });

  it('leaves confidential notes, tests and documents out for those who may not see them', async () => {
    await signedNote(37, { ...NOTE, assessment: 'Confidential assessment', is_confidential: true });
    await testAtLaboratory(37, 'Chlamydia NAAT', true);
    await patel.documents.upload({
      patientId: demoPatient(37),
      documentType: 'referral',
      title: 'GUM clinic letter',
      documentDate: '2026-11-02',
      isConfidential: true,
      fileName: 'gum.pdf',
      content: PDF,
    });
    const confidential = ['document: GUM clinic letter', 'test: Chlamydia NAAT', 'note: Confidential assessment'];
    expect(await timelineOf(patel, 37)).toEqual(expect.arrayContaining(confidential));
    expect(await timelineOf(admin, 37)).toEqual(expect.arrayContaining(confidential));
    for (const caller of [okafor, nurse]) {
      const seen = await timelineOf(caller, 37);
      for (const entry of confidential) expect(seen).not.toContain(entry);
    }
  });

  it('keeps a confidential test and its results to its doctor and records.confidential, by the database', async () => {
    const test = await testAtLaboratory(38, 'HIV antibody', true);
    expect(test.is_confidential).toBe(true);
    await patel.results.enter({ testId: test.id, values: {}, findings: 'Not detected' });
    const testsSeenBy = async (caller: Caller) => (await caller.results.forPatient({ patientId: demoPatient(38) })).map((t) => t.id);
    expect(await testsSeenBy(patel)).toContain(test.id);
    expect(await testsSeenBy(admin)).toContain(test.id);
    expect(await testsSeenBy(okafor)).not.toContain(test.id);
    expect(await testsSeenBy(nurse)).not.toContain(test.id);
    // The inbox of its doctor has it; the nurse's worklist and another doctor's reads do not.
    expect((await patel.results.inbox()).map((t) => t.id)).toContain(test.id);
    expect((await nurse.results.worklist()).map((t) => t.id)).not.toContain(test.id);
    expect(await refusal(okafor.results.get({ testId: test.id }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(nurse.results.enter({ testId: test.id, values: {}, findings: 'Changed' }))).toMatchObject({ code: 'NOT_FOUND' });

    const typed = await app.typedBy(DEMO_USERS.secondDoctor, 'demo', [
      `SELECT count(*)::int AS n FROM diagnostic_tests WHERE id = '${test.id}'`,
      `SELECT count(*)::int AS n FROM test_reports WHERE diagnostic_test_id = '${test.id}'`,
      `UPDATE diagnostic_tests SET is_confidential = false WHERE id = '${test.id}' RETURNING id`,
    ]);
    expect(typed).toEqual([[{ n: 0 }], [{ n: 0 }], { refused: '42501' }]);
    // Not even its own doctor can make it ordinary afterwards.
    const byAuthor = await app.typedBy(DEMO_USERS.doctor, 'demo', [
      `UPDATE diagnostic_tests SET is_confidential = false WHERE id = '${test.id}' RETURNING id`,
    ]);
    expect(byAuthor).toEqual([{ refused: '42501' }]);
  });
});
