import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsultationNoteInput } from '../../../shared/clinical';
import {
  DEMO_PASSWORD,
  DEMO_TENANT,
  DEMO_USERS,
  DR_PATEL_ID,
  demoArrival,
  demoBackend,
  demoPatient,
  refusal,
  type TestBackend,
} from '../../../test/backend';
import { engines } from '../../../test/engines';
import { createTenantFixture, type TenantFixture } from '../../../test/fixtures';
import { staffLoginName } from '../auth/scram';
import { serverAddress } from '../backend';
import { openPostgres } from '../db/postgres';
import { withRequest } from '../db/request';
import { one } from '../db/rows';
import type { Db, Queryable } from '../db/types';

type Caller = Awaited<ReturnType<TestBackend['signedIn']>>;
type Outcome = unknown[] | { refused: string };

const NOTE: ConsultationNoteInput = {
  chief_complaint: 'Cough for ten days',
  history: 'Dry cough, no fever, non-smoker.',
  examination: 'Chest clear.',
  assessment: 'Post-viral cough',
  plan: 'Honey and warm drinks; return if breathless.',
  vitals: { bp_systolic: 128, bp_diastolic: 82, pulse: 72, temperature_c: 36.8, weight_kg: 80, height_cm: 180, spo2: 98 },
  diagnoses: [{ code: 'R05.1', description: 'Acute cough', type: 'primary' }],
  follow_up_days: 21,
};

describe.each(engines)('the consultation on %s', (engine) => {
  let app: TestBackend;
  let patel: Caller;
  let okafor: Caller;
  let nurse: Caller;
  let reception: Caller;
  let admin: Caller;
  let other: TenantFixture;
  let otherDoctor: Caller;
  const opened: Db[] = [];

  const arrival = (patientNumber: number, minutesAgo?: number) => demoArrival(app.db, patientNumber, minutesAgo);

  /**
   * SQL typed by hand as a staff member: on PostgreSQL through their own database login (what a
   * lifted clinic PC gives), on PGlite as the app runs a request for them. Each statement's rows, or its SQLSTATE.
   */
  async function typedBy(email: string, clinicCode: string, tenantId: string, statements: string[]): Promise<Outcome[]> {
    const run = async (tx: Queryable) => {
      const results: Outcome[] = [];
      for (const sql of statements) {
        await tx.query('SAVEPOINT typed');
        try {
          results.push((await tx.query(sql)).rows);
          await tx.query('RELEASE SAVEPOINT typed');
        } catch (error) {
          results.push({ refused: (error as { code?: string }).code ?? 'error' });
          await tx.query('ROLLBACK TO SAVEPOINT typed');
        }
      }
      return results;
    };
    if (engine === 'postgres') {
      const url = new URL(serverAddress((app.db as Db & { url?: string }).url!));
      url.username = staffLoginName(url.pathname.slice(1), clinicCode, email);
      url.password = DEMO_PASSWORD;
      const login = await openPostgres({ connectionString: url.href, max: 1 });
      opened.push(login);
      return login.transaction(run);
    }
    const { id } = await one<{ id: string }>(app.db, `SELECT id FROM users WHERE email = $1`, [email]);
    return withRequest(app.db, { tenantId, userId: id }, run);
  }

  const asDemo = (email: string, statements: string[]) => typedBy(email, 'demo', DEMO_TENANT, statements);
  const storedNote = async (id: string) =>
    one(app.db, `SELECT assessment, vital_signs, signed_at, deleted_at FROM medical_records WHERE id = $1`, [id]);
  const chartViews = async () =>
    (await one<{ n: number }>(app.db, `SELECT count(*)::int AS n FROM activity_logs WHERE activity_type = 'patient.view'`)).n;

  /** A visit started and its note written and signed by Dr Patel. */
  async function signedNote(patientNumber: number, note: ConsultationNoteInput = NOTE) {
    const draft = await patel.clinical.start({ appointmentId: await arrival(patientNumber) });
    await patel.clinical.saveDraft({ recordId: draft.id, note });
    return patel.clinical.sign({ recordId: draft.id });
  }

  beforeAll(async () => {
    app = await demoBackend(engine);
    patel = await app.signedIn(DEMO_USERS.doctor);
    okafor = await app.signedIn(DEMO_USERS.secondDoctor);
    nurse = await app.signedIn(DEMO_USERS.nurse);
    reception = await app.signedIn(DEMO_USERS.receptionist);
    admin = await app.signedIn(DEMO_USERS.admin);
    other = await createTenantFixture(app.db, 'northside');
    await app.giveLogins(other.tenantId, [other.doctorId], DEMO_PASSWORD);
    otherDoctor = app.client('northside-room');
    await otherDoctor.auth.signIn({ email: 'doctor@northside.test', password: DEMO_PASSWORD, clinicCode: 'northside' });
  });
  afterAll(async () => {
    await Promise.all(opened.map((db) => db.close()));
    await app?.close();
  });

  it('runs a visit: the day, start (twice), autosave, chart, sign, addendum, finish with a follow-up', async () => {
    const appointmentId = await arrival(1);
    const day = await patel.clinical.myDay();
    expect(day.date).toMatch(/^\d{4}-\d\d-\d\d$/);
    const visit = day.visits.find((v) => v.appointment_id === appointmentId);
    expect(visit).toMatchObject({ status: 'checked_in', patient_number: 'P-000001', record_id: null });
    expect(visit!.waiting_minutes).toBeGreaterThanOrEqual(7);
    expect((await okafor.clinical.myDay()).visits.map((v) => v.appointment_id)).not.toContain(appointmentId);

    const draft = await patel.clinical.start({ appointmentId });
    expect(draft).toMatchObject({ doctor_id: DR_PATEL_ID, signed_at: null, appointment_id: appointmentId });
    expect(draft.note.chief_complaint).toBe('Cough for ten days');
    expect((await patel.clinical.start({ appointmentId })).id).toBe(draft.id);
    expect((await patel.clinical.myDay()).visits.find((v) => v.appointment_id === appointmentId)).toMatchObject({
      status: 'in_progress',
      record_id: draft.id,
      waiting_minutes: null,
    });

    // The nurse records the vitals in the doctor's draft; the doctor writes the rest.
    await nurse.clinical.saveDraft({ recordId: draft.id, note: { vitals: NOTE.vitals } });
    const saved = await patel.clinical.saveDraft({ recordId: draft.id, note: NOTE });
    expect(saved.note).toMatchObject({ assessment: 'Post-viral cough', follow_up_days: 21, vitals: { version: 1, weight_kg: 80 } });
    expect(saved.note.diagnoses).toEqual([{ code: 'R05.1', description: 'Acute cough', type: 'primary' }]);

    const views = await chartViews();
    const chart = await patel.clinical.chart({ patientId: demoPatient(1) });
    expect(await chartViews()).toBe(views + 1);
    await patel.clinical.chart({ patientId: demoPatient(1) });
    expect(await chartViews()).toBe(views + 1);
    expect(chart.patient).toMatchObject({ patient_number: 'P-000001', allergies: [] });
    expect(chart.medications.reported).toEqual([expect.objectContaining({ name: 'Amlodipine' })]);
    expect(chart.last_vitals).toMatchObject({ bmi: 24.7, vitals: { bp_systolic: 128 } });
    expect(chart.notes[0]!.id).toBe(draft.id);
    // The demo's signed history is there; a draft's diagnosis is not on the problem list yet.
    expect(chart.notes.filter((n) => n.signed_at).length).toBeGreaterThan(0);
    expect(chart.problems.map((p) => p.code)).not.toContain('R05.1');

    expect(await refusal(patel.clinical.finish({ appointmentId }))).toMatchObject({ message: 'Sign the note before finishing the visit.' });
    const signed = await patel.clinical.sign({ recordId: draft.id });
    expect(signed.signed_at).not.toBeNull();
    expect((await patel.clinical.chart({ patientId: demoPatient(1) })).problems[0]).toMatchObject({ code: 'R05.1' });

    const withAddendum = await nurse.clinical.addAddendum({ recordId: draft.id, text: 'Patient phoned: cough settling.' });
    expect(withAddendum.addenda).toEqual([expect.objectContaining({ addendum: 'Patient phoned: cough settling.' })]);
    expect(withAddendum.addenda[0]!.written_by_name).toBe('Sarah Lindqvist');

    const { follow_up_date } = await patel.clinical.finish({ appointmentId });
    const expected = await one<{ d: string }>(app.db, `SELECT to_char((now() AT TIME ZONE 'Europe/London')::date + 21, 'YYYY-MM-DD') AS d`);
    expect(follow_up_date).toBe(expected.d);
    expect(await one(app.db, `SELECT status, follow_up_required FROM appointments WHERE id = $1`, [appointmentId])).toEqual({
      status: 'completed',
      follow_up_required: true,
    });
    expect(await refusal(patel.clinical.finish({ appointmentId }))).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('refuses implausible vitals with the field’s message and writes nothing', async () => {
    const draft = await patel.clinical.start({ appointmentId: await arrival(4) });
    const before = await storedNote(draft.id);
    const refused = await refusal(
      patel.clinical.saveDraft({ recordId: draft.id, note: { ...NOTE, vitals: { bp_systolic: 300, temperature_c: 29 } } }),
    );
    expect(refused.code).toBe('BAD_REQUEST');
    expect(refused.fieldErrors).toEqual({
      'note.vitals.bp_systolic': 'Systolic pressure must be between 50 and 260 mmHg.',
      'note.vitals.temperature_c': 'Temperature must be between 30 and 44 °C.',
    });
    const upsideDown = await refusal(
      patel.clinical.saveDraft({ recordId: draft.id, note: { vitals: { bp_systolic: 80, bp_diastolic: 120 } } }),
    );
    expect(upsideDown.fieldErrors).toEqual({ 'note.vitals.bp_diastolic': 'Diastolic pressure must be lower than systolic.' });
    expect(await storedNote(draft.id)).toEqual(before);
  });

  it('locks a signed note: the router refuses, and so does the database to SQL typed as the author', async () => {
    const note = await signedNote(5);
    const before = await storedNote(note.id);
    expect(await refusal(patel.clinical.saveDraft({ recordId: note.id, note: NOTE }))).toMatchObject({ code: 'CONFLICT' });
    expect(await refusal(patel.clinical.sign({ recordId: note.id }))).toMatchObject({ code: 'CONFLICT' });
    const typed = await asDemo(DEMO_USERS.doctor, [
      `UPDATE medical_records SET assessment = 'Rewritten later' WHERE id = '${note.id}'`,
      `UPDATE medical_records SET signed_at = NULL WHERE id = '${note.id}'`,
      `SELECT soft_delete('medical_records', '${note.id}', 'tidying up')`,
      `UPDATE medical_record_addenda SET addendum = 'edited' WHERE medical_record_id = '${note.id}'`,
    ]);
    expect(typed.slice(0, 3)).toEqual([{ refused: '42501' }, { refused: '42501' }, { refused: '42501' }]);
    expect(typed[3]).toEqual({ refused: '42501' });
    expect(await storedNote(note.id)).toEqual(before);
  });

  it('lets only the author sign, and a draft takes no addendum', async () => {
    const draft = await patel.clinical.start({ appointmentId: await arrival(6) });
    await patel.clinical.saveDraft({ recordId: draft.id, note: NOTE });
    expect(await refusal(okafor.clinical.sign({ recordId: draft.id }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refusal(patel.clinical.addAddendum({ recordId: draft.id, text: 'Too early' }))).toMatchObject({ code: 'BAD_REQUEST' });
    const typed = await asDemo(DEMO_USERS.secondDoctor, [
      `UPDATE medical_records SET signed_at = now() WHERE id = '${draft.id}'`,
      `UPDATE medical_records SET doctor_id = current_app_user_id() WHERE id = '${draft.id}'`,
    ]);
    expect(typed).toEqual([{ refused: '42501' }, { refused: '42501' }]);
    expect((await storedNote(draft.id)).signed_at).toBeNull();
  });

  it('refuses the receptionist in the router and in the database', async () => {
    const note = await signedNote(7);
    expect(await refusal(reception.clinical.chart({ patientId: demoPatient(7) }))).toMatchObject({ reason: 'NOT_PERMITTED' });
    expect(await refusal(reception.clinical.start({ appointmentId: await arrival(8) }))).toMatchObject({ reason: 'NOT_PERMITTED' });
    const typed = await asDemo(DEMO_USERS.receptionist, [
      `SELECT id FROM medical_records`,
      `SELECT id FROM medical_record_addenda`,
      `INSERT INTO medical_records (tenant_id, patient_id, doctor_id, assessment)
       VALUES (current_tenant_id(), '${demoPatient(7)}', current_app_user_id(), 'Written at the desk')`,
      `INSERT INTO medical_record_addenda (tenant_id, medical_record_id, doctor_id, written_by, addendum)
       VALUES (current_tenant_id(), '${note.id}', current_app_user_id(), current_app_user_id(), 'Written at the desk')`,
    ]);
    expect(typed).toEqual([[], [], { refused: '42501' }, { refused: '42501' }]);
  });

  it('shows another clinic nothing of the note or its addenda, and lets it change nothing', async () => {
    const note = await nurse.clinical.addAddendum({ recordId: (await signedNote(9)).id, text: 'Seen by the practice nurse.' });
    // One at a time: each call starts only when the refusal before it has been checked.
    for (const attempt of [
      () => otherDoctor.clinical.chart({ patientId: demoPatient(9) }),
      () => otherDoctor.clinical.saveDraft({ recordId: note.id, note: NOTE }),
      () => otherDoctor.clinical.addAddendum({ recordId: note.id, text: 'From elsewhere' }),
      () => otherDoctor.clinical.sign({ recordId: note.id }),
    ]) {
      expect(await refusal(attempt())).toMatchObject({ code: 'NOT_FOUND' });
    }
    const typed = await typedBy('doctor@northside.test', 'northside', other.tenantId, [
      `SELECT id FROM medical_records WHERE id = '${note.id}'`,
      `SELECT id FROM medical_record_addenda WHERE medical_record_id = '${note.id}'`,
      `INSERT INTO medical_record_addenda (tenant_id, medical_record_id, doctor_id, written_by, addendum)
       VALUES ('${DEMO_TENANT}', '${note.id}', current_app_user_id(), current_app_user_id(), 'From elsewhere')`,
    ]);
    expect(typed).toEqual([[], [], { refused: '42501' }]);
    expect((await patel.clinical.chart({ patientId: demoPatient(9) })).notes.find((n) => n.id === note.id)!.addenda).toHaveLength(1);
  });

  it('keeps a confidential note, its addenda and its audit rows from another doctor', async () => {
    const note = await signedNote(10, { ...NOTE, assessment: 'Disclosed domestic abuse', is_confidential: true });
    await patel.clinical.addAddendum({ recordId: note.id, text: 'Referred to the safeguarding lead.' });
    const okaforsChart = await okafor.clinical.chart({ patientId: demoPatient(10) });
    expect(okaforsChart.notes.map((n) => n.id)).not.toContain(note.id);
    expect(JSON.stringify(okaforsChart)).not.toContain('safeguarding');
    expect(await refusal(okafor.clinical.addAddendum({ recordId: note.id, text: 'Curious' }))).toMatchObject({ code: 'NOT_FOUND' });
    const typed = await asDemo(DEMO_USERS.secondDoctor, [
      `SELECT id FROM medical_records WHERE id = '${note.id}'`,
      `SELECT addendum FROM medical_record_addenda WHERE medical_record_id = '${note.id}'`,
    ]);
    expect(typed).toEqual([[], []]);
    // records.confidential: the administrator reads it, addendum included.
    const adminsChart = await admin.clinical.chart({ patientId: demoPatient(10) });
    expect(adminsChart.notes.find((n) => n.id === note.id)!.addenda).toHaveLength(1);
    // Its audit rows carry the note's author, so the audit trail fences them like the note.
    const fenced = await one<{ n: number }>(
      app.db,
      `SELECT count(*)::int AS n FROM audit_logs WHERE table_name = 'medical_record_addenda' AND record_id IN
         (SELECT id FROM medical_record_addenda WHERE medical_record_id = $1) AND confidential_author_id = $2`,
      [note.id, DR_PATEL_ID],
    );
    expect(fenced.n).toBe(1);
  });

  it('starts only a patient who has arrived', async () => {
    const appointmentId = await arrival(11);
    await app.db.query(`UPDATE appointments SET status = 'cancelled', cancellation_reason = 'Went home' WHERE id = $1`, [appointmentId]);
    expect(await refusal(patel.clinical.start({ appointmentId }))).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Only a patient who has arrived can be seen (this visit is: Cancelled).',
    });
  });
});
