import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import type { PatientDetailsInput } from '../../../shared/patients';
import { DEMO_PASSWORD, DEMO_USERS, demoBackend, type TestBackend } from '../../../test/backend';
import { engines } from '../../../test/engines';
import { createTenantFixture, type TenantFixture } from '../../../test/fixtures';
import { CHART_OPENING_MS, SessionStore } from '../auth/sessions';
import { withRequest } from '../db/request';
import { one } from '../db/rows';
import { DomainError } from '../errors';

/** Demo patients have fixed ids: P-000001 is …201, P-000050 is …250. */
const demoPatient = (n: number) => `00000000-0000-4000-8000-000000000${200 + n}`;
const JOHN_SMITH = demoPatient(1);
const JOSE_HERNANDEZ = demoPatient(3);
const RECEPTIONIST_ID = '00000000-0000-4000-8000-000000000105';
const DR_PATEL_ID = '00000000-0000-4000-8000-000000000102';
const NURSE_ID = '00000000-0000-4000-8000-000000000104';

type Caller = Awaited<ReturnType<TestBackend['signedIn']>>;

/** The refusal's code and the form fields it names (zod issues or a DomainError's field). */
async function refusal(work: Promise<unknown>): Promise<{ code: string; message: string; fields: string[] }> {
  try {
    await work;
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const { cause } = error;
    const fields =
      cause instanceof ZodError
        ? cause.issues.map((issue) => issue.path.join('.'))
        : cause instanceof DomainError && cause.field
          ? [cause.field]
          : [];
    return { code: error.code, message: error.message, fields: [...new Set(fields)] };
  }
  throw new Error('expected a refusal');
}

function newPatient(overrides: Partial<PatientDetailsInput> = {}): PatientDetailsInput {
  return {
    first_name: 'Harriet',
    last_name: 'Quill',
    date_of_birth: '1987-04-09',
    gender: 'Female',
    phone: '07700 900999',
    email: 'harriet.quill@example.com',
    allergies: [{ substance: 'Latex', reaction: 'Hives', severity: 'moderate' }],
    medical_history: [{ condition: 'Migraine', since: '2010' }],
    current_medications: [{ name: 'Sumatriptan', dose: '50 mg', frequency: 'As needed' }],
    insurance_info: { provider: 'Bupa', policy_number: 'BUP-1234' },
    primary_care_physician_id: DR_PATEL_ID,
    ...overrides,
  };
}

describe.each(engines)('patients on %s', (engine) => {
  let app: TestBackend;
  let reception: Caller;
  let admin: Caller;
  let billing: Caller;
  let other: TenantFixture;
  /** The receptionist of another clinic on the same database. */
  let otherReception: Caller;

  const count = async (sql: string, params: string[] = []) =>
    (await one<{ n: number }>(app.db, `SELECT count(*)::int AS n FROM ${sql}`, params)).n;
  const numbers = (rows: { patient_number: string }[]) => rows.map((row) => row.patient_number);

  beforeAll(async () => {
    app = await demoBackend(engine);
    // Signed in while the demo clinic is the only one: sign-in needs no clinic code then.
    reception = await app.signedIn(DEMO_USERS.receptionist);
    admin = await app.signedIn(DEMO_USERS.admin);
    billing = await app.signedIn(DEMO_USERS.billing);
    other = await createTenantFixture(app.db, 'northside');
    await app.giveLogins(other.tenantId, [other.receptionistId], DEMO_PASSWORD);
    otherReception = app.client('northside-desk');
    await otherReception.auth.signIn({ email: 'receptionist@northside.test', password: DEMO_PASSWORD, clinicCode: 'northside' });
  });
  afterAll(async () => app?.db.close());

  describe('search', () => {
    it('finds by any part of the name, ignoring accents and case', async () => {
      const smiths = await reception.patients.search({ query: 'smi' });
      expect(smiths[0]).toMatchObject({ patient_number: 'P-000001', first_name: 'John', match_kind: 'name' });
      expect(numbers(await reception.patients.search({ query: 'zoe muller' }))[0]).toBe('P-000004');
      expect(numbers(await reception.patients.search({ query: 'HERNANDEZ' }))).toContain('P-000003');
    });

    it('tolerates a misspelling', async () => {
      const found = numbers(await reception.patients.search({ query: 'jonh smith' }));
      expect(found.some((n) => n === 'P-000001' || n === 'P-000002')).toBe(true);
    });

    it('finds by phone in any formatting', async () => {
      expect(await reception.patients.search({ query: '+44 7700 900123' })).toEqual([
        expect.objectContaining({ patient_number: 'P-000001', match_kind: 'phone' }),
      ]);
      expect(numbers(await reception.patients.search({ query: '900 123' }))).toContain('P-000001');
    });

    it('finds by patient number, in full or short', async () => {
      expect(await reception.patients.search({ query: 'P-000003' })).toEqual([
        expect.objectContaining({ patient_number: 'P-000003', match_kind: 'patient_number', score: 1 }),
      ]);
      expect(numbers(await reception.patients.search({ query: 'p3' }))[0]).toBe('P-000003');
    });

    it("finds by date of birth typed the clinic's way or as ISO", async () => {
      for (const query of ['14/03/1968', '14.3.1968', '1968-03-14']) {
        expect(await reception.patients.search({ query }), query).toEqual([
          expect.objectContaining({ patient_number: 'P-000001', date_of_birth: '1968-03-14', match_kind: 'date_of_birth' }),
        ]);
      }
    });

    it('returns the row the list shows, with allergies as entries', async () => {
      const [jose] = await reception.patients.search({ query: 'P-000003' });
      expect(jose).toMatchObject({ id: JOSE_HERNANDEZ, first_name: 'José', last_name: 'Hernández', gender: 'Male' });
      expect(jose!.allergies).toContainEqual(
        expect.objectContaining({ substance: expect.stringMatching(/penicillin/i), severity: 'severe' }),
      );
    });

    it('answers a blank query with nothing, and honours the limit', async () => {
      expect(await reception.patients.search({ query: '   ' })).toEqual([]);
      expect(await reception.patients.search({ query: 'a', limit: 3 })).toHaveLength(3);
    });
  });

  describe('a chart', () => {
    it('has every detail, the doctor by name and timestamps as ISO text', async () => {
      const john = await reception.patients.get({ id: JOHN_SMITH });
      expect(john).toMatchObject({
        id: JOHN_SMITH,
        patient_number: 'P-000001',
        date_of_birth: '1968-03-14',
        phone: '+44 7700 900123',
        primary_care_physician_id: DR_PATEL_ID,
        primary_care_physician_name: 'Dr Priya Patel',
        medical_history: [expect.objectContaining({ condition: 'Hypertension', since: '2015' })],
        current_medications: [expect.objectContaining({ name: 'Amlodipine', dose: '5 mg' })],
        allergies: [],
        insurance_info: {},
      });
      expect(john.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
    });

    it('logs who opened it, once per opening: re-reads after an edit or from another panel are the same opening', async () => {
      const views = () =>
        count(`activity_logs WHERE activity_type = 'patient.view' AND entity_id = $1 AND user_id = $2`, [JOSE_HERNANDEZ, RECEPTIONIST_ID]);
      const before = await views();
      await reception.patients.get({ id: JOSE_HERNANDEZ });
      expect(await views()).toBe(before + 1);
      await reception.patients.get({ id: JOSE_HERNANDEZ });
      await reception.patients.get({ id: JOSE_HERNANDEZ });
      expect(await views()).toBe(before + 1);
    });

    it('counts a read ten minutes after the last logged one as a new opening', () => {
      let clock = 0;
      const sessions = new SessionStore(60 * 60_000, () => clock);
      const session = sessions.start('window', {
        userId: RECEPTIONIST_ID,
        tenantId: crypto.randomUUID(),
        clinicId: crypto.randomUUID(),
        email: 'reception@demo.clinic',
        permissions: new Set(),
        access: {
          tenantId: '',
          userId: '',
          request: async () => undefined as never,
          confirmPassword: async () => undefined,
          usePassword: async () => undefined,
          close: async () => undefined,
        },
        passwordChangeRequired: false,
      });
      expect(sessions.opensChart(session, JOSE_HERNANDEZ)).toBe(true);
      clock += CHART_OPENING_MS - 1;
      expect(sessions.opensChart(session, JOSE_HERNANDEZ)).toBe(false);
      expect(sessions.opensChart(session, JOHN_SMITH)).toBe(true);
      clock += CHART_OPENING_MS;
      expect(sessions.opensChart(session, JOSE_HERNANDEZ)).toBe(true);
    });

    it('is NOT_FOUND for an unknown patient', async () => {
      expect(await refusal(reception.patients.get({ id: crypto.randomUUID() }))).toMatchObject({
        code: 'NOT_FOUND',
        message: 'This patient record does not exist or was archived.',
      });
    });
  });

  describe('duplicate detection', () => {
    it('finds the same phone however it is written, main or shared in a family', async () => {
      const family = await reception.patients.findDuplicates({ first_name: '', last_name: '', phone: '+44 7700 900614' });
      expect(family.map((c) => [c.patient_number, c.reasons])).toEqual([
        ['P-000007', ['same_phone']],
        ['P-000034', ['same_phone']],
      ]);
      expect(numbers(await reception.patients.findDuplicates({ first_name: 'X', last_name: 'Y', phone: '07700 900123' }))).toEqual([
        'P-000001',
      ]);
    });

    it('finds a similar name with the same date of birth, but not with another date', async () => {
      for (const [first, last] of [
        ['Jon', 'Smith'],
        ['jonh', 'smith'],
        ['J', 'Smith'],
        ['JOHN', 'SMITH'],
      ]) {
        const found = await reception.patients.findDuplicates({ first_name: first!, last_name: last!, date_of_birth: '1968-03-14' });
        expect(found, `${first} ${last}`).toEqual([
          {
            id: JOHN_SMITH,
            patient_number: 'P-000001',
            first_name: 'John',
            last_name: 'Smith',
            date_of_birth: '1968-03-14',
            phone: '+44 7700 900123',
            reasons: ['similar_name_same_birth_date'],
          },
        ]);
      }
      expect(
        await reception.patients.findDuplicates({ first_name: 'Jose', last_name: 'Hernandez', date_of_birth: '1982-06-21' }),
      ).toHaveLength(1);
      expect(await reception.patients.findDuplicates({ first_name: 'John', last_name: 'Smith', date_of_birth: '1968-03-15' })).toEqual([]);
      expect(await reception.patients.findDuplicates({ first_name: 'Mary', last_name: 'Jones', date_of_birth: '1968-03-14' })).toEqual([]);
    });

    it('ranks name and birth date with the same phone first, and leaves out the patient being edited', async () => {
      const question = { first_name: 'Leo', last_name: 'Rahman', date_of_birth: '2019-03-11', phone: '07700 900614' };
      const found = await reception.patients.findDuplicates(question);
      expect(found.map((c) => [c.patient_number, c.reasons])).toEqual([
        ['P-000034', ['same_phone', 'similar_name_same_birth_date']],
        ['P-000007', ['same_phone']],
      ]);
      // Editing P-000034: P-000007 shared the phone before the edit too, so it is no news.
      expect(await reception.patients.findDuplicates({ ...question, exclude_id: demoPatient(34) })).toEqual([]);
    });

    it('warns an edit only about what the change brings, not about a relative who already shared the phone', async () => {
      const jose = { first_name: 'José', last_name: 'Hernández', date_of_birth: '1982-06-21', phone: '+44 7700 900187' };
      // Registering him again would be held by both records sharing the phone.
      expect(numbers(await reception.patients.findDuplicates(jose))).toEqual(['P-000003', 'P-000044']);
      const editing = { ...jose, exclude_id: JOSE_HERNANDEZ };
      expect(await reception.patients.findDuplicates(editing)).toEqual([]);
      expect(await reception.patients.findDuplicates({ ...editing, last_name: 'Hernández García' })).toEqual([]);
      // A change that creates the evidence is still shown: another family's phone, or John Smith's name and birth date.
      const newPhone = await reception.patients.findDuplicates({ ...editing, phone: '07700 900123' });
      expect(newPhone.map((c) => [c.patient_number, c.reasons])).toEqual([['P-000001', ['same_phone']]]);
      const renamed = await reception.patients.findDuplicates({
        ...editing,
        first_name: 'John',
        last_name: 'Smith',
        date_of_birth: '1968-03-14',
      });
      expect(renamed.map((c) => [c.patient_number, c.reasons])).toEqual([['P-000001', ['similar_name_same_birth_date']]]);
      // Ava is the same age as nobody else: giving José her name and birth date is new evidence about her, beyond the phone.
      const likeAva = await reception.patients.findDuplicates({ ...editing, first_name: 'Ava', date_of_birth: '2021-05-05' });
      expect(likeAva.map((c) => [c.patient_number, c.reasons])).toEqual([['P-000044', ['similar_name_same_birth_date']]]);
    });

    it('ignores phones too short to tell anything', async () => {
      expect(await reception.patients.findDuplicates({ first_name: '', last_name: '', phone: '00123' })).toEqual([]);
    });
  });

  describe('registration', () => {
    it('registers a patient with a new number, at the session’s clinic, audited', async () => {
      const harriet = await reception.patients.register({ patient: newPatient() });
      expect(harriet.patient_number).toMatch(/^P-0000(5[1-9]|[6-9]\d)$/);
      expect(harriet).toMatchObject({
        first_name: 'Harriet',
        middle_name: null,
        email: 'harriet.quill@example.com',
        allergies: [{ substance: 'Latex', reaction: 'Hives', severity: 'moderate' }],
        insurance_info: { provider: 'Bupa', policy_number: 'BUP-1234' },
        primary_care_physician_name: 'Dr Priya Patel',
      });
      const { rows } = await app.db.query(`SELECT clinic_id, created_by FROM patients WHERE id = $1`, [harriet.id]);
      expect(rows[0]).toEqual({ clinic_id: '00000000-0000-4000-8000-000000000002', created_by: RECEPTIONIST_ID });
      expect(await count(`audit_logs WHERE record_id = $1 AND action = 'INSERT' AND user_id = $2`, [harriet.id, RECEPTIONIST_ID])).toBe(1);
      expect(numbers(await reception.patients.search({ query: 'quill' }))).toEqual([harriet.patient_number]);
    });

    it('refuses a possible duplicate until the receptionist confirms it is someone else', async () => {
      const jon = newPatient({ first_name: 'Jon', last_name: 'Smith', date_of_birth: '1968-03-14', phone: null, email: null });
      const before = await count('patients');
      const refused = await refusal(reception.patients.register({ patient: jon }));
      expect(refused.code).toBe('CONFLICT');
      expect(refused.message).toBe(
        'This may be a patient who is already registered: John Smith (P-000001, born 1968-03-14). Check the list, or confirm it is someone else.',
      );
      expect(await count('patients')).toBe(before);
      const confirmed = await reception.patients.register({ patient: jon, duplicates_acknowledged: true });
      expect(confirmed.patient_number).not.toBe('P-000001');
      expect(await count('patients')).toBe(before + 1);
    });

    it.each<[string, () => Partial<PatientDetailsInput>, string]>([
      ['a date of birth in the future', () => ({ date_of_birth: '2999-01-01' }), 'patient.date_of_birth'],
      ['a phone with letters', () => ({ phone: 'call reception' }), 'patient.phone'],
      ['a phone too short', () => ({ phone: '123' }), 'patient.phone'],
      ['an email without a domain', () => ({ email: 'harriet@' }), 'patient.email'],
      ['an empty first name', () => ({ first_name: '  ' }), 'patient.first_name'],
      ['an unknown doctor', () => ({ primary_care_physician_id: crypto.randomUUID() }), 'patient.primary_care_physician_id'],
      ['a nurse as doctor', () => ({ primary_care_physician_id: NURSE_ID }), 'patient.primary_care_physician_id'],
      ['another clinic’s doctor', () => ({ primary_care_physician_id: other.doctorId }), 'patient.primary_care_physician_id'],
    ])('refuses %s on that field and writes nothing', async (_, overrides, field) => {
      const before = await count('patients');
      const refused = await refusal(reception.patients.register({ patient: newPatient({ last_name: 'Invalid', ...overrides() }) }));
      expect(refused.code).toBe('BAD_REQUEST');
      expect(refused.fields).toEqual([field]);
      expect(await count('patients')).toBe(before);
    });

    it.each([
      ['a NUL byte', { notes: 'Prefers\u0000mornings' }, 'patient.notes'],
      ['a lone surrogate', { city: 'Leeds\uD83D' }, 'patient.city'],
      ['a right-to-left override in the name', { last_name: 'Smi\u202Eth' }, 'last_name'],
    ])('refuses %s with a message beside the field, writes nothing, and stays up', async (_, overrides, field) => {
      const before = await count('patients');
      const refused = await refusal(reception.patients.register({ patient: newPatient({ first_name: 'Bad', ...overrides }) }));
      expect(refused.code).toBe('BAD_REQUEST');
      expect(refused.fields.map((name) => name.replace(/^patient\./, ''))).toEqual([field.replace(/^patient\./, '')]);
      expect(await count('patients')).toBe(before);
      expect((await reception.patients.search({ query: 'Smith' })).length).toBeGreaterThan(0);
    });

    it('takes a field holding only spaces as left empty', async () => {
      const patient = await reception.patients.register({
        patient: newPatient({ first_name: 'Blank', last_name: 'Fields', phone: '   ', email: ' ', alternate_phone: '' }),
      });
      expect(patient).toMatchObject({ phone: null, email: null, alternate_phone: null });
    });

    it('is not for billing staff', async () => {
      expect((await refusal(billing.patients.register({ patient: newPatient({ last_name: 'Billing' }) }))).code).toBe('FORBIDDEN');
    });
  });

  describe('editing', () => {
    it('replaces the details and audits the change', async () => {
      const { id } = await reception.patients.register({
        patient: newPatient({ first_name: 'Edith', last_name: 'Edit', phone: '07700 900801' }),
      });
      const latex = newPatient().allergies ?? [];
      const edited = await reception.patients.update({
        id,
        patient: newPatient({
          first_name: 'Edith',
          last_name: 'Edit',
          phone: '07700 900802',
          allergies: [...latex, { substance: 'Penicillin', severity: 'severe' }],
          alerts: 'Hard of hearing',
          primary_care_physician_id: null,
        }),
      });
      expect(edited).toMatchObject({
        phone: '07700 900802',
        allergies: [...latex, { substance: 'Penicillin', severity: 'severe' }],
        alerts: 'Hard of hearing',
        primary_care_physician_name: null,
      });
      const { changed_fields } = await one<{ changed_fields: string[] }>(
        app.db,
        `SELECT changed_fields FROM audit_logs WHERE record_id = $1 AND action = 'UPDATE'`,
        [id],
      );
      expect(changed_fields).toEqual(expect.arrayContaining(['alerts', 'allergies', 'phone', 'primary_care_physician_id']));
    });

    it('lets reception add allergies, medications, history and alerts, but only clinicians change or remove them', async () => {
      const { id } = await reception.patients.register({
        patient: newPatient({ first_name: 'Clara', last_name: 'Clinical', phone: '07700 900877', date_of_birth: '1991-01-01' }),
      });
      const before = await count('audit_logs WHERE record_id = $1', [id]);
      for (const change of [
        { allergies: [] },
        { current_medications: [{ name: 'Sumatriptan', dose: '100 mg', frequency: 'As needed' }] },
        { medical_history: [] },
      ]) {
        const refused = await refusal(
          reception.patients.update({
            id,
            patient: newPatient({
              first_name: 'Clara',
              last_name: 'Clinical',
              phone: '07700 900877',
              date_of_birth: '1991-01-01',
              primary_care_physician_id: null,
              ...change,
            }),
          }),
        );
        expect(refused.code).toBe('FORBIDDEN');
      }
      expect(await count('audit_logs WHERE record_id = $1', [id])).toBe(before);
      const doctor = await app.signedIn(DEMO_USERS.doctor);
      const changed = await doctor.patients.update({
        id,
        patient: newPatient({
          first_name: 'Clara',
          last_name: 'Clinical',
          phone: '07700 900877',
          date_of_birth: '1991-01-01',
          allergies: [],
        }),
      });
      expect(changed.allergies).toEqual([]);
    });

    it('keeps a doctor who has since left, but does not accept one newly', async () => {
      const { id } = await reception.patients.register({
        patient: newPatient({ first_name: 'Loyal', last_name: 'Patient', phone: '07700 900811' }),
      });
      await app.db.query(`UPDATE users SET is_active = false WHERE id = $1`, [DR_PATEL_ID]);
      try {
        const kept = await reception.patients.update({
          id,
          patient: newPatient({ first_name: 'Loyal', last_name: 'Patient', phone: '07700 900812' }),
        });
        expect(kept.primary_care_physician_id).toBe(DR_PATEL_ID);
        const refused = await refusal(
          reception.patients.register({ patient: newPatient({ first_name: 'Late', last_name: 'Comer', phone: null }) }),
        );
        expect(refused.fields).toEqual(['patient.primary_care_physician_id']);
      } finally {
        await app.db.query(`UPDATE users SET is_active = true WHERE id = $1`, [DR_PATEL_ID]);
      }
    });

    it('is NOT_FOUND for an unknown patient', async () => {
      expect((await refusal(reception.patients.update({ id: crypto.randomUUID(), patient: newPatient() }))).code).toBe('NOT_FOUND');
    });
  });

  describe('archive and restore', () => {
    it('archives with a reason: gone from search and chart, listed for the admin, restored by the admin', async () => {
      const { id, patient_number } = await reception.patients.register({
        patient: newPatient({ first_name: 'Archie', last_name: 'Vanishing', phone: '07700 900821' }),
      });
      expect(await reception.patients.archive({ id, reason: 'Registered twice by mistake' })).toEqual({ archived: true });

      expect(await reception.patients.search({ query: 'vanishing' })).toEqual([]);
      expect(await reception.patients.search({ query: patient_number })).toEqual([]);
      expect(await reception.patients.search({ query: '07700 900821' })).toEqual([]);
      const sameAgain = { first_name: 'Archie', last_name: 'Vanishing', date_of_birth: '1987-04-09', phone: '07700 900821' };
      expect(await reception.patients.findDuplicates(sameAgain)).toEqual([]);
      expect((await refusal(reception.patients.get({ id }))).code).toBe('NOT_FOUND');
      expect((await refusal(reception.patients.update({ id, patient: newPatient() }))).code).toBe('NOT_FOUND');
      expect((await refusal(reception.patients.archive({ id, reason: 'Again' }))).code).toBe('NOT_FOUND');

      expect(await admin.patients.archived()).toContainEqual({
        id,
        patient_number,
        first_name: 'Archie',
        last_name: 'Vanishing',
        date_of_birth: '1987-04-09',
        archived_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        reason: 'Registered twice by mistake',
      });
      expect((await refusal(reception.patients.restore({ id }))).code).toBe('FORBIDDEN');
      expect((await refusal(reception.patients.archived())).code).toBe('FORBIDDEN');

      expect(await admin.patients.restore({ id, reason: 'Not a duplicate after all' })).toMatchObject({ id, patient_number });
      expect(numbers(await reception.patients.search({ query: 'vanishing' }))).toEqual([patient_number]);
      expect(await count(`audit_logs WHERE record_id = $1 AND action = 'RESTORE' AND reason = 'Not a duplicate after all'`, [id])).toBe(1);
      expect((await refusal(admin.patients.restore({ id }))).code).toBe('NOT_FOUND');
    });

    it('asks for a reason', async () => {
      expect(await refusal(reception.patients.archive({ id: JOHN_SMITH, reason: ' ' }))).toMatchObject({
        code: 'BAD_REQUEST',
        fields: ['reason'],
      });
    });
  });

  describe('another clinic on the same database', () => {
    it("cannot read, change or archive the demo clinic's patients", async () => {
      expect((await refusal(otherReception.patients.get({ id: JOHN_SMITH }))).code).toBe('NOT_FOUND');
      expect((await refusal(otherReception.patients.update({ id: JOHN_SMITH, patient: newPatient() }))).code).toBe('NOT_FOUND');
      expect((await refusal(otherReception.patients.archive({ id: JOHN_SMITH, reason: 'Takeover' }))).code).toBe('NOT_FOUND');
      const { rows } = await app.db.query(`SELECT first_name, deleted_at FROM patients WHERE id = $1`, [JOHN_SMITH]);
      expect(rows[0]).toEqual({ first_name: 'John', deleted_at: null });
    });

    it('finds only its own patients, by any kind of search', async () => {
      for (const query of ['smith', 'jonh smith', 'P-000001', 'p1', '+44 7700 900123', '14/03/1968', 'pat']) {
        const found = await otherReception.patients.search({ query });
        expect(
          found.filter((row) => row.id !== other.rows.patients),
          query,
        ).toEqual([]);
      }
      expect(numbers(await otherReception.patients.search({ query: 'fixture-northside' }))).toEqual(['P-000001']);
    });

    it('never sees or is warned about the other clinic’s patients as duplicates', async () => {
      const john = { first_name: 'John', last_name: 'Smith', date_of_birth: '1968-03-14', phone: '+44 7700 900123' };
      expect(await otherReception.patients.findDuplicates(john)).toEqual([]);
      const fixturePatient = { first_name: 'Pat', last_name: 'Fixture-northside', date_of_birth: '1980-05-17', phone: '+44 7700 900001' };
      expect(await reception.patients.findDuplicates(fixturePatient)).toEqual([]);
      expect(numbers(await otherReception.patients.findDuplicates(fixturePatient))).toEqual(['P-000001']);
      // Its own numbering: John Smith registers there as its second patient, with no warning.
      const theirJohn = await otherReception.patients.register({
        patient: newPatient({ ...john, primary_care_physician_id: other.doctorId }),
      });
      expect(theirJohn.patient_number).toBe('P-000002');
    });

    it('gets nothing from the duplicate function without a tenant, or as the other tenant', async () => {
      const ask = `SELECT id FROM find_duplicate_patients('John', 'Smith', '1968-03-14', '+44 7700 900123')`;
      await expect(withRequest(app.db, { tenantId: '', userId: null }, (tx) => tx.query(ask))).rejects.toMatchObject({ code: '42501' });
      const asOther = await withRequest(app.db, { tenantId: other.tenantId, userId: other.receptionistId }, (tx) =>
        tx.query<{ id: string }>(ask),
      );
      expect(asOther.rows.map((row) => row.id)).not.toContain(JOHN_SMITH);
      const asDemo = await withRequest(app.db, { tenantId: '00000000-0000-4000-8000-000000000001', userId: RECEPTIONIST_ID }, (tx) =>
        tx.query<{ id: string }>(ask),
      );
      expect(asDemo.rows.map((row) => row.id)).toContain(JOHN_SMITH);
    });
  });
});
