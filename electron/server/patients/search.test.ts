import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_NAMES, SURNAMES } from '../../../bench/names';
import type { PatientSearchResult } from '../../../shared/patients';
import { DEMO_PASSWORD, DEMO_USERS, demoBackend, type TestBackend } from '../../../test/backend';
import { engines } from '../../../test/engines';
import { createTenantFixture, type TenantFixture } from '../../../test/fixtures';
import { findMigrationsDir } from '../db/migrate';
import { fillPhoneKeys } from '../db/phone-keys';
import { withRequest } from '../db/request';
import { one } from '../db/rows';

/** Demo patients have fixed ids: P-000001 is …201. */
const demoPatient = (n: number) => `00000000-0000-4000-8000-000000000${200 + n}`;
const DEMO_TENANT = '00000000-0000-4000-8000-000000000001';
const RECEPTIONIST_ID = '00000000-0000-4000-8000-000000000105';

type Caller = Awaited<ReturnType<TestBackend['signedIn']>>;
const numbers = (rows: { patient_number: string }[]) => rows.map((row) => row.patient_number);

describe.each(engines)('reception search on %s', (engine) => {
  let app: TestBackend;
  let reception: Caller;
  let other: TenantFixture;
  let otherReception: Caller;
  const search = async (query: string): Promise<PatientSearchResult[]> => reception.patients.search({ query });
  const names = async (query: string) => (await search(query)).map((row) => `${row.first_name} ${row.last_name}`);

  beforeAll(async () => {
    app = await demoBackend(engine);
    reception = await app.signedIn(DEMO_USERS.receptionist);
    other = await createTenantFixture(app.db, 'northside');
    await app.giveLogins(other.tenantId, [other.receptionistId], DEMO_PASSWORD);
    otherReception = app.client('northside-desk');
    await otherReception.auth.signIn({ email: 'receptionist@northside.test', password: DEMO_PASSWORD, clinicCode: 'northside' });
  });
  afterAll(() => app.close());

  describe('phones, national or international, main or other', () => {
    it('finds John Smith (+44 7700 900123) however the number is typed', async () => {
      for (const query of ['07700 900123', '7700 900123', '+44 7700 900123', '0044 7700 900123', '+447700900123', '(07700) 900-123']) {
        expect(await search(query), query).toEqual([
          expect.objectContaining({ patient_number: 'P-000001', match_kind: 'phone', score: 1 }),
        ]);
      }
    });

    it('finds from the first digits, as they are typed', async () => {
      expect(numbers(await search('07700 9001'))).toContain('P-000001');
      expect(numbers(await search('+44 7700 9001'))).toContain('P-000001');
      expect((await search('07700 9001')).every((row) => row.score === 0.9)).toBe(true);
    });

    it('searches the other phone too: José Hernández’s landline', async () => {
      expect(numbers(await search('020 7946 0187'))).toEqual(['P-000003']);
      expect(numbers(await search('+44 20 7946 0187'))).toEqual(['P-000003']);
    });

    it('stores what reception types as E.164, and the duplicate check agrees with search', async () => {
      const harriet = await reception.patients.register({
        patient: {
          first_name: 'Harriet',
          last_name: 'Quill',
          date_of_birth: '1987-04-09',
          gender: 'Female',
          phone: '07700 900999',
          alternate_phone: '020 7946 0999',
        },
      });
      const keys = await one<{ phone_e164: string; alternate_phone_e164: string }>(
        app.db,
        `SELECT phone_e164, alternate_phone_e164 FROM patients WHERE id = $1`,
        [harriet.id],
      );
      expect(keys).toEqual({ phone_e164: '+447700900999', alternate_phone_e164: '+442079460999' });
      expect(numbers(await search('+44 7700 900999'))).toEqual([harriet.patient_number]);
      for (const phone of ['+44 7700 900999', '7700 900999', '+44 20 7946 0999']) {
        expect(numbers(await reception.patients.findDuplicates({ first_name: 'X', last_name: 'Y', phone })), phone).toEqual([
          harriet.patient_number,
        ]);
      }
      await reception.patients.update({
        id: harriet.id,
        patient: { ...harriet, phone: '+44 7700 900998', alternate_phone: null },
      });
      expect(numbers(await search('07700 900998'))).toEqual([harriet.patient_number]);
      expect(await search('07700 900999')).toEqual([]);
      expect(await search('020 7946 0999')).toEqual([]);
    });

    it('fills the key of a phone changed without the app', async () => {
      await app.db.transaction(async (tx) => {
        await tx.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [DEMO_TENANT]);
        await tx.query(`UPDATE patients SET alternate_phone = '07700 900777' WHERE id = $1`, [demoPatient(2)]);
      });
      expect(await search('07700 900777')).toEqual([]);
      expect(await app.db.transaction(fillPhoneKeys)).toBeGreaterThanOrEqual(1);
      expect(await app.db.transaction(fillPhoneKeys)).toBe(0);
      expect(numbers(await search('07700 900777'))).toEqual(['P-000002']);
    });
  });

  describe('names', () => {
    it('compares letters after transliteration: Müller is muller and mueller, Hernández is hernandez', async () => {
      for (const query of ['mueller', 'muller', 'Müller', 'MÜLLER', 'zoe mueller', 'Zoë Müller']) {
        expect(numbers(await search(query)), query).toContain('P-000004');
      }
      expect(numbers(await search('jose hernandez'))[0]).toBe('P-000003');
    });

    it('ignores punctuation: O’Brien is obrien and o brien', async () => {
      for (const query of ["o'brien", 'obrien', 'o brien', 'O’Brien', 'siobhan obrien', 'obrien siobhan']) {
        expect(await names(query), query).toContain('Siobhán O’Brien'.replace('’', "'"));
      }
    });

    it('finds a misspelt surname alone, the mistake anywhere in it', async () => {
      for (const query of ['Tomson', 'Thomspon', 'Hompson', 'Thompsno', 'Yhompson']) {
        expect(await names(query), query).toContain('Margaret Thompson');
      }
      for (const query of ['Smtih', 'Smiht', 'Xmith', 'Smithh', 'mith']) {
        expect(await names(query), query).toContain('John Smith');
      }
    });

    it('finds a misspelt full name, in either order, the mistake in either word', async () => {
      expect((await names('Margret Tomson'))[0]).toBe('Margaret Thompson');
      expect((await names('jonh smith'))[0]).toBe('John Smith');
      expect(await names('hernadez jose')).toContain('José Hernández');
      expect(await names('Jsoe Hernandez')).toContain('José Hernández');
    });

    it('finds a four-letter first name typed with a letter left out, but takes no other edit of three letters', async () => {
      expect((await names('jhn smith'))[0]).toBe('John Smith');
      expect(await names('jse hernandez')).toContain('José Hernández');
      expect(await names('hernandez jse')).toContain('José Hernández');
      // A wrong letter in three is another name, not a typo.
      expect(await names('jxn smith')).not.toContain('John Smith');
    });

    it('ranks the exact full name first, then names starting with it, then similar names', async () => {
      const smiths = await search('john smith');
      expect(smiths[0]).toMatchObject({ patient_number: 'P-000001', match_kind: 'name', score: 1 });
      const smith = await search('smith');
      const kinds = smith.map((row) => row.match_kind);
      expect(kinds.indexOf('name')).toBe(0);
      expect(kinds.lastIndexOf('name')).toBeLessThan(kinds.indexOf('similar_name'));
      expect(smith.map((row) => row.last_name)).toContain('Smyth');
      const scores = smith.map((row) => row.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    });

    it('lists a word typed alone by surname first: Siân Glyn before twenty-one people whose first name is Glyn', async () => {
      const register = (first_name: string, last_name: string, n: number) =>
        reception.patients.register({
          patient: { first_name, last_name, date_of_birth: `1970-01-${String(n + 1).padStart(2, '0')}`, gender: 'Other' },
        });
      for (let n = 0; n < 21; n++) await register('Glyn', `Abbott${'abcdefghijklmnopqrstu'[n]}`, n);
      await register('Siân', 'Glyn', 22);
      for (const typed of ['glyn', 'glynn']) expect((await names(typed))[0], typed).toBe('Siân Glyn');
    });

    it('finds a middle name or a second word of the surname', async () => {
      expect(await names('anne')).toContain('Margaret Thompson');
      expect(await names('jane thompson')).toContain('Mary-Jane Thompson');
    });

    it('finds words in any order after a name changes: every word entry carries all its patient’s words', async () => {
      // Words out of order are found through the word index alone (migration 034): an entry
      // whose copy of the patient's words went stale would find the old name and miss the new.
      const patient = {
        first_name: 'Amina',
        middle_name: 'Fatima',
        last_name: 'Rahman',
        date_of_birth: '1988-03-14',
        gender: 'Female' as const,
      };
      const { id } = await reception.patients.register({ patient });
      expect(await names('fatima rahman')).toContain('Amina Rahman');
      await reception.patients.update({ id, patient: { ...patient, middle_name: 'Zainab' } });
      expect(await names('zainab rahman')).toContain('Amina Rahman');
      expect(await names('fatima rahman')).not.toContain('Amina Rahman');
      const stale = await one<{ entries: number }>(
        app.db,
        `SELECT count(*)::int AS entries FROM patient_name_words w
         WHERE (SELECT array_agg(x ORDER BY x) FROM unnest(string_to_array(btrim(w.all_words), ' ')) AS x)
               IS DISTINCT FROM (SELECT array_agg(o.word ORDER BY o.word) FROM patient_name_words o
                                 WHERE o.tenant_id = w.tenant_id AND o.patient_id = w.patient_id)`,
      );
      expect(stale.entries).toBe(0);
    });

    it('forgets a deleted patient’s words, and keeps none for a patient that does not exist', async () => {
      // The operator's clean-up deletes; migration 035 follows it with a trigger, not a foreign key.
      const { id } = await reception.patients.register({
        patient: { first_name: 'Ephemera', last_name: 'Gonewright', date_of_birth: '1990-09-09', gender: 'Other' },
      });
      const wordsOf = async () =>
        (await one<{ n: number }>(app.db, `SELECT count(*)::int AS n FROM patient_name_words WHERE patient_id = $1`, [id])).n;
      expect(await wordsOf()).toBe(2);
      await app.db.transaction(async (tx) => {
        await tx.query(`DELETE FROM audit_logs WHERE record_id = $1`, [id]);
        await tx.query(`DELETE FROM patients WHERE id = $1`, [id]);
      });
      expect(await wordsOf()).toBe(0);
      const orphans = await one<{ n: number }>(
        app.db,
        `SELECT count(*)::int AS n FROM patient_name_words w
         WHERE NOT EXISTS (SELECT 1 FROM patients p WHERE p.tenant_id = w.tenant_id AND p.id = w.patient_id)`,
      );
      expect(orphans.n).toBe(0);
      // Emptying the table (TRUNCATE … CASCADE, the operator's) empties the words too; rolled back here.
      const emptied = await app.db
        .transaction(async (tx) => {
          await tx.query(`TRUNCATE patients CASCADE`);
          const left = await one<{ n: number }>(tx, `SELECT count(*)::int AS n FROM patient_name_words`);
          throw Object.assign(new Error('roll back'), { left: left.n });
        })
        .catch((error: { left?: number }) => error.left);
      expect(emptied).toBe(0);
      expect((await one<{ n: number }>(app.db, `SELECT count(*)::int AS n FROM patient_name_words`)).n).toBeGreaterThan(0);
    });
  });

  describe('one clinic only', () => {
    it('never finds another clinic’s patients, whatever is typed', async () => {
      const twin = await otherReception.patients.register({
        patient: {
          first_name: 'Siobhán',
          last_name: "O'Brien",
          date_of_birth: '1958-04-30',
          gender: 'Female',
          phone: '07700 900123',
          alternate_phone: '020 7946 0187',
        },
      });
      for (const query of ['obrien', 'o brien', 'Obrein', 'siobhan', '07700 900123', '020 7946 0187', 'mueller', 'Tomson']) {
        expect(
          (await search(query)).map((row) => row.id),
          query,
        ).not.toContain(twin.id);
        expect(
          (await otherReception.patients.search({ query })).filter((row) => row.id !== twin.id && row.id !== other.rows.patients),
          query,
        ).toEqual([]);
      }
    });

    it('keeps the name words to the database’s own search: clinic_app reads none, nor the other clinic through search', async () => {
      for (const table of ['patient_name_words', 'name_word_deletions']) {
        await expect(
          withRequest(app.db, { tenantId: other.tenantId, userId: other.receptionistId }, (tx) =>
            tx.query(`SELECT 1 FROM ${table} LIMIT 1`),
          ),
        ).rejects.toThrow(/permission denied/);
      }
      const found = await withRequest(app.db, { tenantId: other.tenantId, userId: other.receptionistId }, async (tx) => {
        const { rows } = await tx.query<{ id: string }>(`SELECT id FROM search_patients('Smtih')`);
        return rows.map((row) => row.id);
      });
      expect(found).not.toContain(demoPatient(1));
      // Typed as SQL by the other clinic's desk: the demo clinic's own search still finds its patient.
      const ours = await withRequest(app.db, { tenantId: DEMO_TENANT, userId: RECEPTIONIST_ID }, async (tx) => {
        const { rows } = await tx.query<{ id: string }>(`SELECT id FROM search_patients('Smtih')`);
        return rows.map((row) => row.id);
      });
      expect(ours).toContain(demoPatient(1));
    });
  });

  describe('folding, as the database does it', () => {
    const fold = async (sql: string, value: string) => (await one<{ v: unknown }>(app.db, `SELECT ${sql} AS v`, [value])).v;

    it('transliterates, lowers and drops punctuation', async () => {
      const cases: [string, string, string][] = [
        ['Müller', 'muller', 'mueller'],
        ['Søren Ørsted', 'soren orsted', 'soeren oersted'],
        ['Straße', 'strasse', 'strasse'],
        ['Éléonore', 'eleonore', 'eleonore'],
        ['Łukasz Wałęsa', 'lukasz walesa', 'lukasz walesa'],
        ['Ångström', 'angstrom', 'aangstroem'],
        ["O'Brien-Smith", 'obrien smith', 'obrien smith'],
        ['Æsa Œdipe Þór', 'aesa oedipe thor', 'aesa oedipe thor'],
      ];
      for (const [name, primary, alternate] of cases) {
        expect(await fold('fold_name($1)', name), name).toBe(primary);
        expect(await fold('fold_name($1, true)', name), name).toBe(alternate);
      }
    });

    it('folds plain ASCII by its short way (039) exactly as 017’s full way: every character, and names of many languages', async () => {
      // 017's definition as it was written, beside the current one.
      const written = fs.readFileSync(path.join(findMigrationsDir(), '017_patient_search.sql'), 'utf8');
      const definition = /CREATE OR REPLACE FUNCTION fold_name\(.*?' ', 'g'\)\);/s.exec(written)![0];
      const ascii = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code)).filter((c) => c !== '\0');
      const samples = [
        ...ascii,
        ...ascii.map((c) => `Mary${c}Ann  O${c}Neil `),
        ...FIRST_NAMES.flatMap((first, i) => [
          `${first} ${SURNAMES[(i * 7) % SURNAMES.length]}`,
          `${SURNAMES[i % SURNAMES.length]}, ${first}`,
        ]),
        "  D'Arcy-Smith\tJr. ",
        'Zoë O’Brien-Müller',
        null,
      ];
      const differ = await app.db.transaction(async (tx) => {
        await tx.exec(definition.replace('FUNCTION fold_name(', 'FUNCTION pg_temp.fold_name_017('));
        const { rows } = await tx.query<{ input: string | null }>(
          `SELECT input FROM unnest($1::text[]) AS input
           WHERE fold_name(input) IS DISTINCT FROM pg_temp.fold_name_017(input)
              OR fold_name(input, true) IS DISTINCT FROM pg_temp.fold_name_017(input, true)`,
          [samples],
        );
        await tx.exec('DROP FUNCTION pg_temp.fold_name_017');
        return rows.map(({ input }) => input);
      });
      expect(samples.filter((input) => input !== null && Buffer.byteLength(input) === input.length).length).toBeGreaterThan(300);
      expect(differ).toEqual([]);
    });

    it('indexes both spellings and an apostrophe’s parts', async () => {
      expect(await fold('name_words($1)', "Zoë O'Brien-Müller")).toEqual(['brien', 'muller', 'mueller', 'o', 'obrien', 'zoe'].sort());
    });
  });
});
