import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportRowText } from '../../../shared/patient-import';
import { DEMO_PASSWORD, DEMO_USERS, demoBackend, refusal, sqlState, staffSql, type TestBackend } from '../../../test/backend';
import { engines } from '../../../test/engines';
import { createTenantFixture, type TenantFixture } from '../../../test/fixtures';
import { FIRST_NAMES, SURNAMES } from '../../../bench/names';
import { one } from '../db/rows';

const DEMO_TENANT = '00000000-0000-4000-8000-000000000001';
const BILLING_ID = '00000000-0000-4000-8000-000000000106';
const ADMIN_ID = '00000000-0000-4000-8000-000000000101';
const RECEPTIONIST_ID = '00000000-0000-4000-8000-000000000105';
const asAdmin = { tenantId: DEMO_TENANT, userId: ADMIN_ID, clinicCode: 'demo', email: DEMO_USERS.admin };
const asReceptionist = { tenantId: DEMO_TENANT, userId: RECEPTIONIST_ID, clinicCode: 'demo', email: DEMO_USERS.receptionist };
const asBilling = { tenantId: DEMO_TENANT, userId: BILLING_ID, clinicCode: 'demo', email: DEMO_USERS.billing };

/** Rows as import_patients (026) takes them. */
const importRows = (last_name: string, count: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify(
    Array.from({ length: count }, (_, i) => ({
      first_name: `Ada${i}`,
      last_name,
      date_of_birth: '1984-05-06',
      gender: 'Female',
      insurance_info: {},
      ...extra,
    })),
  );

type Caller = Awaited<ReturnType<TestBackend['signedIn']>>;

/** A row of a file as the screen sends it: text by field. */
const row = (first_name: string, last_name: string, change: ImportRowText = {}): ImportRowText => ({
  first_name,
  last_name,
  date_of_birth: '03/02/1991',
  gender: 'F',
  phone: '',
  ...change,
});

describe.each(engines)('importing patients from a file on %s', (engine) => {
  let app: TestBackend;
  let admin: Caller;
  let billing: Caller;
  let other: TenantFixture;
  let sql: ReturnType<typeof staffSql>;
  let known: { first_name: string; last_name: string; date_of_birth: string; phone: string; patient_number: string };

  const patientsOf = async (tenantId: string) =>
    (await one<{ n: number }>(app.db, `SELECT count(*)::int AS n FROM patients WHERE tenant_id = $1`, [tenantId])).n;
  const writtenRows = async () =>
    one<{ patients: number; audit: number; words: number; numbers: string }>(
      app.db,
      `SELECT (SELECT count(*)::int FROM patients) AS patients, (SELECT count(*)::int FROM audit_logs) AS audit,
              (SELECT count(*)::int FROM patient_name_words) AS words,
              (SELECT string_agg(last_value::text, ',' ORDER BY tenant_id) FROM number_sequences WHERE kind = 'patients') AS numbers`,
    );

  /** Checks a whole file in chunks as the screen does; returns its import id and what the checks found. */
  async function staged(caller: Caller, rows: ImportRowText[], chunk = rows.length) {
    const importId = randomUUID();
    const found = {
      errors: [] as Awaited<ReturnType<Caller['patientImport']['stage']>>['errors'],
      duplicates: [] as Awaited<ReturnType<Caller['patientImport']['stage']>>['duplicates'],
    };
    for (let start = 0; start < rows.length; start += chunk) {
      const checked = await caller.patientImport.stage({
        import_id: importId,
        first_row: start + 2,
        rows: rows.slice(start, start + chunk),
      });
      found.errors.push(...checked.errors);
      found.duplicates.push(...checked.duplicates);
    }
    return { importId, ...found };
  }

  beforeAll(async () => {
    app = await demoBackend(engine);
    sql = staffSql(app);
    admin = await app.signedIn(DEMO_USERS.admin);
    billing = await app.signedIn(DEMO_USERS.billing);
    other = await createTenantFixture(app.db, 'northside');
    await app.giveLogins(other.tenantId, [other.adminId], DEMO_PASSWORD);
    known = await one(
      app.db,
      `SELECT first_name, last_name, date_of_birth, phone, patient_number FROM patients
       WHERE tenant_id = $1 AND phone IS NOT NULL AND deleted_at IS NULL ORDER BY patient_number LIMIT 1`,
      [DEMO_TENANT],
    );
  });
  afterAll(async () => {
    await sql?.close();
    await app?.close();
  });

  it('reports each row’s errors by row number and column, and writes nothing while checking', async () => {
    const before = await writtenRows();
    const { errors } = await staged(admin, [
      row('Anna', 'Nowak'),
      row('', 'Nameless'),
      row('Ben', 'Baddate', { date_of_birth: '31/02/1990' }),
      row('Cara', 'Future', { date_of_birth: '01/01/2090' }),
      row('Dan', 'Phone', { phone: '12ab' }),
      row('Eve', 'Mail', { email: 'eve@' }),
      row('Finn', 'Sex', { gender: 'Q' }),
    ]);
    expect(errors.map(({ row: at, field }) => [at, field])).toEqual([
      [3, 'first_name'],
      [4, 'date_of_birth'],
      [5, 'date_of_birth'],
      [6, 'phone'],
      [7, 'email'],
      [8, 'gender'],
    ]);
    expect(await writtenRows()).toEqual(before);
  });

  it('lists possible duplicates of existing patients and within the file, and may leave them out', async () => {
    const [day, month, year] = [known.date_of_birth.slice(8), known.date_of_birth.slice(5, 7), known.date_of_birth.slice(0, 4)];
    const { importId, duplicates } = await staged(
      admin,
      [
        row(known.first_name.toUpperCase(), known.last_name, { date_of_birth: `${day}/${month}/${year}` }),
        row('Gwen', 'Samephone', { phone: known.phone }),
        row('Hana', 'Twice', { date_of_birth: '1991-02-03' }),
        row('Háná', 'Twice'),
        row('Ivo', 'Newcomer'),
      ],
      2,
    );
    expect(duplicates).toEqual([
      expect.objectContaining({
        row: 2,
        reason: 'similar_name_same_birth_date',
        patient: expect.objectContaining({ patient_number: known.patient_number }),
      }),
      expect.objectContaining({ row: 3, reason: 'same_phone', patient: expect.objectContaining({ patient_number: known.patient_number }) }),
      { row: 5, reason: 'similar_name_same_birth_date', patient: null, same_as_row: 4 },
    ]);
    const result = await admin.patientImport.import({ import_id: importId, rows: 5, skip_errors: false, skip_duplicates: true });
    expect(result).toMatchObject({ imported: 2, skipped_duplicates: 3, skipped_errors: 0 });
    expect((await admin.patients.search({ query: 'Ivo Newcomer' })).map((p) => p.last_name)).toEqual(['Newcomer']);
    expect(await admin.patients.search({ query: 'Gwen Samephone' })).toEqual([]);
  });

  it('finds a patient by either of their phones, whichever column of the file holds it', async () => {
    const registered = await admin.patients.register({
      patient: {
        first_name: 'Otto',
        last_name: 'Twophones',
        date_of_birth: '1960-07-08',
        gender: 'Male',
        phone: '07700 900555',
        alternate_phone: '020 7946 0555',
      },
      duplicates_acknowledged: true,
    });
    const { duplicates } = await staged(admin, [
      row('Pia', 'Homephone', { phone: '+44 20 7946 0555' }),
      row('Quin', 'Mobile', { alternate_phone: '07700900555' }),
      row('Rae', 'Stranger', { phone: '07700 900556' }),
    ]);
    expect(duplicates).toEqual(
      [2, 3].map((at) =>
        expect.objectContaining({
          row: at,
          reason: 'same_phone',
          patient: expect.objectContaining({ patient_number: registered.patient_number }),
        }),
      ),
    );
  });

  it('imports every row in one go: numbered as registrations, audited one patient at a time, found by search', async () => {
    const before = await writtenRows();
    // Row 19 of the file fills every column the import reads.
    const everything: ImportRowText = {
      middle_name: 'Zofia',
      alternate_phone: '0113 496 0734',
      email: 'lucja@example.com',
      address_line1: '1 Quay Street',
      address_line2: 'Flat 2',
      city: 'Riverside',
      postal_code: 'RV1 1AB',
      country: 'United Kingdom',
      national_id: '943 476 5919',
      insurance_number: 'AXA-1234',
      notes: 'Prefers mornings',
    };
    const rows = Array.from({ length: 2100 }, (_, i) =>
      row(`Łucja${i}`, `Müller-Ortega${i}`, {
        phone: `07700 ${String(100000 + i)}`,
        date_of_birth: `${(i % 28) + 1}/06/1975`,
        ...(i === 17 ? everything : {}),
      }),
    );
    const { importId, errors, duplicates } = await staged(admin, rows, 1050);
    expect([errors, duplicates]).toEqual([[], []]);
    const result = await admin.patientImport.import({ import_id: importId, rows: 2100, skip_errors: false, skip_duplicates: false });
    const after = await writtenRows();
    expect(result).toMatchObject({ imported: 2100, skipped_errors: 0, skipped_duplicates: 0 });
    expect(after.patients - before.patients).toBe(2100);
    expect(after.audit - before.audit).toBe(2100);
    const numbers = await one<{ first: string; last: string; authors: string[] }>(
      app.db,
      `SELECT min(patient_number) AS first, max(patient_number) AS last, array_agg(DISTINCT created_by::text) AS authors
       FROM patients WHERE last_name LIKE 'Müller-Ortega%'`,
    );
    expect(numbers).toEqual({ first: result.first_number, last: result.last_number, authors: [ADMIN_ID] });
    expect(Number(result.last_number!.slice(2)) - Number(result.first_number!.slice(2))).toBe(2099);
    expect(await admin.patientImport.progress({ import_id: importId })).toEqual({ checked: 0, writing: 0, written: 0 });
    const found = await admin.patients.search({ query: 'lucja17 muller-ortega17' });
    expect(found[0]).toMatchObject({ first_name: 'Łucja17', last_name: 'Müller-Ortega17', phone: '07700 100017' });
    expect((await admin.patients.search({ query: '07700 100017' }))[0]).toMatchObject({ last_name: 'Müller-Ortega17' });
    // Each patient's audit row: by the importer, what the file gave (blanks left out), and where from.
    const audit = await one<{ user_id: string; action: string; new_values: Record<string, unknown> }>(
      app.db,
      `SELECT a.user_id, a.action, a.new_values FROM audit_logs a JOIN patients p ON p.tenant_id = a.tenant_id AND p.id = a.record_id
       WHERE p.last_name = 'Müller-Ortega17'`,
    );
    expect(audit).toEqual({
      user_id: ADMIN_ID,
      action: 'INSERT',
      new_values: {
        patient_number: found[0]!.patient_number,
        first_name: 'Łucja17',
        last_name: 'Müller-Ortega17',
        date_of_birth: '1975-06-18',
        gender: 'Female',
        phone: '07700 100017',
        phone_e164: '+447700100017',
        alternate_phone_e164: '+441134960734',
        ...everything,
        insurance_number: undefined,
        insurance_info: { policy_number: 'AXA-1234' },
        imported: { import: importId, file_row: 19 },
      },
    });
  }, 300_000);

  it('refuses rows with errors unless the user leaves them out', async () => {
    const before = await writtenRows();
    const { importId } = await staged(admin, [row('Jo', 'Good'), row('Kim', 'Bad', { gender: 'Q' })]);
    const input = { import_id: importId, rows: 2, skip_errors: false, skip_duplicates: false };
    expect(await refusal(admin.patientImport.import(input))).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { skip_errors: expect.stringMatching(/1 rows have errors/) },
    });
    expect(await writtenRows()).toEqual(before);
    expect(await admin.patientImport.import({ ...input, skip_errors: true })).toMatchObject({ imported: 1, skipped_errors: 1 });
  });

  it('writes nothing at all when the database refuses a row in the middle of the import', async () => {
    // A rule only the database knows, so a row passes every check of the app and is refused while writing.
    await app.db.query(`ALTER TABLE patients ADD CONSTRAINT test_refused_name CHECK (last_name <> 'Refused') NOT VALID`);
    try {
      const before = await writtenRows();
      const rows = Array.from({ length: 4100 }, (_, i) => row(`Lee${i}`, i === 2500 ? 'Refused' : `Middle${i}`));
      const { importId } = await staged(admin, rows, 2050);
      // Rows before it in its batch are written before the database reaches the refused one.
      expect(
        await refusal(admin.patientImport.import({ import_id: importId, rows: 4100, skip_errors: false, skip_duplicates: false })),
      ).toMatchObject({
        code: expect.any(String),
      });
      expect(await writtenRows()).toEqual(before);
      expect(await admin.patientImport.progress({ import_id: importId })).toEqual({ checked: 4100, writing: 0, written: 0 });
    } finally {
      await app.db.query(`ALTER TABLE patients DROP CONSTRAINT test_refused_name`);
    }
  }, 300_000);

  describe('a large import (036, 037)', () => {
    const LARGE = 12_000;
    /** The secondary indexes of the tables an import writes, by name: definition and object id. */
    const importIndexes = async () =>
      (
        await app.db.query<{ name: string; definition: string; oid: number; table: string }>(
          `SELECT c.relname AS name, pg_get_indexdef(c.oid) AS definition, c.oid::int AS oid, i.indrelid::regclass::text AS table
           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
           WHERE i.indrelid IN ('patients'::regclass, 'patient_name_words'::regclass, 'audit_logs'::regclass)
             AND NOT i.indisunique ORDER BY 1`,
        )
      ).rows;
    /** The keys and other constraints of those tables, as pg_dump would write them. */
    const importConstraints = async () =>
      (
        await app.db.query<{ name: string; definition: string }>(
          `SELECT conrelid::regclass::text || '.' || conname AS name, pg_get_constraintdef(oid) AS definition
           FROM pg_constraint
           WHERE conrelid IN ('patients'::regclass, 'patient_name_words'::regclass, 'audit_logs'::regclass) ORDER BY 1`,
        )
      ).rows;
    /** A file of an old system's patients: names from a few hundred (as in a real clinic), each with their own phone. */
    const largeFile = (mobilePrefix: string, refusedAt = -1) =>
      Array.from({ length: LARGE }, (_, i) =>
        row(FIRST_NAMES[i % FIRST_NAMES.length]!, i === refusedAt ? 'Refused' : SURNAMES[(i * 7) % SURNAMES.length]!, {
          phone: `${mobilePrefix} ${String(100000 + i)}`,
          date_of_birth: `${(i % 28) + 1}/${(i % 12) + 1}/${1930 + (i % 80)}`,
        }),
      );

    it('builds the indexes and checks the keys once at commit on PGlite (row by row on a server): the same indexes and keys, used at once', async () => {
      const before = await importIndexes();
      const constraintsBefore = await importConstraints();
      const keyIndex = () =>
        one<{ oid: number }>(app.db, `SELECT conindid::int AS oid FROM pg_constraint WHERE conname = 'patient_name_words_pkey'`);
      const keyBefore = await keyIndex();
      expect(constraintsBefore.filter(({ definition }) => definition.startsWith('FOREIGN KEY')).length).toBeGreaterThanOrEqual(5);
      expect(before.length).toBeGreaterThan(12);
      const { importId } = await staged(admin, largeFile('07800'), 4000);
      const result = await admin.patientImport.import({ import_id: importId, rows: LARGE, skip_errors: false, skip_duplicates: false });
      expect(result.imported).toBe(LARGE);
      const after = await importIndexes();
      expect(after.map(({ name, definition }) => [name, definition])).toEqual(before.map(({ name, definition }) => [name, definition]));
      expect(await importConstraints()).toEqual(constraintsBefore);
      // The name words' key, which nothing refers to, was built again at commit on PGlite (037).
      expect((await keyIndex()).oid !== keyBefore.oid).toBe(engine === 'pglite');
      // (The audit trail's are rebuilt only while it holds fewer rows than the import.)
      const rebuilt = after.filter((index, i) => index.table !== 'audit_logs' && index.oid !== before[i]!.oid).length;
      expect(rebuilt).toBe(engine === 'pglite' ? before.filter((index) => index.table !== 'audit_logs').length : 0);
      const last = { first_name: FIRST_NAMES[(LARGE - 1) % FIRST_NAMES.length], last_name: SURNAMES[((LARGE - 1) * 7) % SURNAMES.length] };
      expect((await admin.patients.search({ query: '07800 111999' }))[0]).toMatchObject(last);
      expect(await admin.patients.search({ query: `${last.first_name} ${last.last_name}` })).toContainEqual(
        expect.objectContaining({ ...last, phone: '07800 111999' }),
      );
      // Analyzed at commit too: the planner knows the clinic grew.
      const known = await one<{ estimate: number; counted: number }>(
        app.db,
        `SELECT (SELECT reltuples::int FROM pg_class WHERE oid = 'patients'::regclass) AS estimate, (SELECT count(*)::int FROM patients) AS counted`,
      );
      if (engine === 'pglite') expect(known.estimate).toBe(known.counted);
    }, 300_000);

    it('puts every index back as it was when the import fails after its first batch', async () => {
      await app.db.query(`ALTER TABLE patients ADD CONSTRAINT test_refused_name CHECK (last_name <> 'Refused') NOT VALID`);
      try {
        const before = { rows: await writtenRows(), indexes: await importIndexes(), constraints: await importConstraints() };
        const { importId } = await staged(admin, largeFile('07801', 11_000), 4000);
        expect(
          await refusal(admin.patientImport.import({ import_id: importId, rows: LARGE, skip_errors: false, skip_duplicates: false })),
        ).toMatchObject({ code: expect.any(String) });
        expect({ rows: await writtenRows(), indexes: await importIndexes(), constraints: await importConstraints() }).toEqual(before);
      } finally {
        await app.db.query(`ALTER TABLE patients DROP CONSTRAINT test_refused_name`);
      }
    }, 300_000);

    it('refuses a row typed by hand that breaks a key set aside (at commit on PGlite, at once on a server), and writes nothing', async () => {
      const before = { rows: await writtenRows(), constraints: await importConstraints() };
      let inserted = false;
      const typed = sql.within(asReceptionist, async (tx) => {
        await tx.query(`SELECT begin_patient_import(50000)`);
        // A clinic that does not exist: its foreign key is set aside on PGlite until commit.
        await tx.query(
          `INSERT INTO patients (tenant_id, clinic_id, first_name, last_name, date_of_birth, gender)
                        VALUES ($1, gen_random_uuid(), 'Nowhere', 'Clinic', '1980-01-01', 'Unknown')`,
          [DEMO_TENANT],
        );
        inserted = true;
      });
      expect(await sqlState(typed)).toBe('23503');
      // On PGlite the row went in, and the commit refused it; on a server the insert itself was refused.
      expect(inserted).toBe(engine === 'pglite');
      expect({ rows: await writtenRows(), constraints: await importConstraints() }).toEqual(before);
    });

    it('lets no staff member set indexes aside on a server, nor run statements at commit through its trigger', async () => {
      const before = await importIndexes();
      const asReception = await sql.run(asReceptionist, `SELECT begin_patient_import(50000) AS begun`);
      expect(asReception.rows).toEqual([{ begun: engine === 'pglite' }]);
      expect(await sqlState(sql.run(asBilling, `SELECT begin_patient_import(50000)`))).toBe('42501');
      expect(
        await sqlState(
          sql.within(asReceptionist, async (tx) => {
            await tx.query(`CREATE TEMPORARY TABLE my_statements (statement text)`);
            await tx.query(`CREATE CONSTRAINT TRIGGER mine AFTER INSERT ON my_statements DEFERRABLE INITIALLY DEFERRED
                            FOR EACH ROW EXECUTE FUNCTION run_at_commit()`);
          }),
        ),
      ).toBe('42501');
      // Whatever a caller does after beginning, its transaction ends with the indexes there.
      expect((await importIndexes()).map(({ name, definition }) => [name, definition])).toEqual(
        before.map(({ name, definition }) => [name, definition]),
      );
    });
  });

  it('refuses a staff member without patients.write, in the router and in the database', async () => {
    const before = await writtenRows();
    expect(
      await refusal(billing.patientImport.stage({ import_id: randomUUID(), first_row: 2, rows: [row('Lou', 'Billing')] })),
    ).toMatchObject({
      reason: 'NOT_PERMITTED',
    });
    expect(
      await refusal(billing.patientImport.import({ import_id: randomUUID(), rows: 1, skip_errors: false, skip_duplicates: false })),
    ).toMatchObject({
      reason: 'NOT_PERMITTED',
    });
    expect(await sqlState(sql.run(asBilling, `SELECT * FROM find_import_duplicates('[]')`))).toBe('42501');
    expect(await sqlState(sql.run(asBilling, `SELECT * FROM import_patients($1::jsonb)`, [importRows('Billing', 2)]))).toBe('42501');
    expect(
      await sqlState(
        sql.run(
          asBilling,
          `INSERT INTO patients (tenant_id, first_name, last_name, date_of_birth, gender) VALUES (current_tenant_id(), 'Lou', 'Billing', '1990-01-01', 'Male')`,
        ),
      ),
    ).toBe('42501');
    expect(await writtenRows()).toEqual(before);
  });

  it('never shows or writes another clinic’s patients', async () => {
    const asOtherAdmin = { tenantId: other.tenantId, userId: other.adminId, clinicCode: 'northside', email: 'admin@northside.test' };
    const question = JSON.stringify([
      { row: 2, first_name: known.first_name, last_name: known.last_name, date_of_birth: known.date_of_birth, phones: [] },
    ]);
    expect((await sql.run(asOtherAdmin, `SELECT * FROM find_import_duplicates($1::jsonb)`, [question])).rows).toEqual([]);
    // Rows claiming the demo clinic are refused by its policies.
    expect(
      await sqlState(
        sql.run(
          asOtherAdmin,
          `INSERT INTO patients (tenant_id, first_name, last_name, date_of_birth, gender) VALUES ($1, 'Mo', 'Intruder', '1990-01-01', 'Male')`,
          [DEMO_TENANT],
        ),
      ),
    ).toBe('42501');
    // Through the app: the other clinic's import finds no duplicate of the demo clinic's patient and writes only to its own.
    const otherAdmin = app.client('northside-admin');
    await otherAdmin.auth.signIn({ email: 'admin@northside.test', password: DEMO_PASSWORD, clinicCode: 'northside' });
    const demoBefore = await patientsOf(DEMO_TENANT);
    const { importId, duplicates } = await staged(otherAdmin, [
      row(known.first_name, known.last_name, { date_of_birth: known.date_of_birth, phone: known.phone }),
    ]);
    expect(duplicates).toEqual([]);
    await otherAdmin.patientImport.import({ import_id: importId, rows: 1, skip_errors: false, skip_duplicates: false });
    expect(await patientsOf(DEMO_TENANT)).toBe(demoBefore);
    // An import id is the session's own: the demo admin cannot write or watch it.
    expect(
      await refusal(admin.patientImport.import({ import_id: importId, rows: 1, skip_errors: false, skip_duplicates: false })),
    ).toMatchObject({ code: 'CONFLICT' });
  });

  it('imports into the caller’s own clinic only, numbered, authored and audited by the database whatever the rows say', async () => {
    const asOtherAdmin = { tenantId: other.tenantId, userId: other.adminId, clinicCode: 'northside', email: 'admin@northside.test' };
    const demoBefore = await patientsOf(DEMO_TENANT);
    const forged = {
      tenant_id: DEMO_TENANT,
      clinic_id: '00000000-0000-4000-8000-000000000002',
      patient_number: 'P-900000',
      created_by: ADMIN_ID,
    };
    const { rows } = await sql.run(asOtherAdmin, `SELECT * FROM import_patients($1::jsonb)`, [importRows('Forger', 2, forged)]);
    expect(rows[0]).toMatchObject({ imported: 2 });
    const placed = await app.db.query<{ tenant_id: string; patient_number: string; created_by: string; audits: number }>(
      `SELECT p.tenant_id, p.patient_number, p.created_by,
              (SELECT count(*)::int FROM audit_logs a WHERE a.tenant_id = p.tenant_id AND a.record_id = p.id AND a.user_id = $1) AS audits
       FROM patients p WHERE p.last_name = 'Forger' ORDER BY p.patient_number`,
      [other.adminId],
    );
    expect(placed.rows).toEqual([
      { tenant_id: other.tenantId, patient_number: rows[0]!.first_number, created_by: other.adminId, audits: 1 },
      { tenant_id: other.tenantId, patient_number: rows[0]!.last_number, created_by: other.adminId, audits: 1 },
    ]);
    expect(rows[0]!.first_number).not.toBe('P-900000');
    expect(await patientsOf(DEMO_TENANT)).toBe(demoBefore);
  });

  it('never lets the app role choose a number or an author: the triggers replace them, checked by the database', async () => {
    const { rows } = await sql.run(
      asReceptionist,
      `INSERT INTO patients (tenant_id, patient_number, created_by, first_name, last_name, date_of_birth, gender)
       VALUES (current_tenant_id(), 'P-999999', $1, 'Cy', 'Chooser', '1990-01-01', 'Male') RETURNING patient_number, created_by`,
      [ADMIN_ID],
    );
    const counter = await one<{ last_value: string }>(
      app.db,
      `SELECT last_value FROM number_sequences WHERE tenant_id = $1 AND kind = 'patients'`,
      [DEMO_TENANT],
    );
    expect(rows[0]).toEqual({ patient_number: `P-${counter.last_value.padStart(6, '0')}`, created_by: RECEPTIONIST_ID });
    // A registration typed by hand cannot pass the import's audit guard: its row is audited whole.
    const audits = await app.db.query<{ record: string; imported: boolean; keys: number }>(
      `SELECT p.last_name AS record, a.new_values ? 'imported' AS imported, (SELECT count(*)::int FROM jsonb_object_keys(a.new_values)) AS keys
       FROM audit_logs a JOIN patients p ON p.tenant_id = a.tenant_id AND p.id = a.record_id
       WHERE p.last_name IN ('Chooser', 'Forger') AND a.action = 'INSERT' ORDER BY p.last_name DESC`,
    );
    expect(audits.rows.map(({ record, imported }) => [record, imported])).toEqual([
      ['Forger', true],
      ['Forger', true],
      ['Chooser', false],
    ]);
    const columns = await one<{ n: number }>(
      app.db,
      `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'patients'`,
    );
    expect(audits.rows[2]!.keys).toBe(columns.n);
  });

  it('leaves every trigger on for what the transaction does after a batch, written or refused (038 skips them only inside it)', async () => {
    const role = `SELECT current_setting('session_replication_role') AS role`;
    const typedAfter = async (tx: Parameters<Parameters<typeof sql.within>[1]>[0], last_name: string) =>
      (
        await tx.query<{ patient_number: string; created_by: string }>(
          `INSERT INTO patients (tenant_id, patient_number, created_by, first_name, last_name, date_of_birth, gender)
           VALUES (current_tenant_id(), 'P-999998', $1, 'Cy', $2, '1990-01-01', 'Male') RETURNING patient_number, created_by`,
          [ADMIN_ID, last_name],
        )
      ).rows[0]!;
    const audited = async (last_name: string) =>
      (
        await one<{ n: number }>(
          app.db,
          `SELECT count(*)::int AS n FROM audit_logs a JOIN patients p ON p.tenant_id = a.tenant_id AND p.id = a.record_id
           WHERE p.last_name = $1 AND a.action = 'INSERT' AND NOT a.new_values ? 'imported'`,
          [last_name],
        )
      ).n;
    const seen: unknown[] = [];
    await sql.within(asReceptionist, async (tx) => {
      await tx.query(`SELECT * FROM import_patients($1::jsonb)`, [importRows('Batched', 3)]);
      seen.push((await tx.query(role)).rows[0]);
      seen.push(await typedAfter(tx, 'AfterBatch'));
      // A batch the database refuses, caught by a savepoint: the transaction goes on as before it.
      await tx.query(`SAVEPOINT before_batch`);
      expect(await sqlState(tx.query(`SELECT * FROM import_patients($1::jsonb)`, [importRows('Refused', 2, { gender: 'Bogus' })]))).toBe(
        '23514',
      );
      await tx.query(`ROLLBACK TO SAVEPOINT before_batch`);
      seen.push((await tx.query(role)).rows[0]);
      seen.push(await typedAfter(tx, 'AfterRefusal'));
    });
    // Numbered and stamped by the triggers, not as typed; audited whole by the trigger.
    const stamped = { patient_number: expect.not.stringMatching(/^P-999998$/), created_by: RECEPTIONIST_ID };
    expect(seen).toEqual([{ role: 'origin' }, stamped, { role: 'origin' }, stamped]);
    expect([await audited('AfterBatch'), await audited('AfterRefusal')]).toEqual([1, 1]);
    // Only the owner may skip triggers: staff cannot set the mode themselves.
    expect(await sqlState(sql.run(asReceptionist, `SET LOCAL session_replication_role = replica`))).toBe('42501');
  });

  it('indexes imported names exactly as a registration’s', async () => {
    await sql.run(asAdmin, `SELECT * FROM import_patients($1::jsonb)`, [
      JSON.stringify([
        { first_name: 'Zoë', middle_name: 'Anne-Marie', last_name: 'O’Brien Łukasiewicz', date_of_birth: '1970-01-01', gender: 'Female' },
        { first_name: 'Jørgen', last_name: 'Strauß', date_of_birth: '1971-01-01', gender: 'Male' },
      ]),
    ]);
    const mismatched = await app.db.query(
      `SELECT p.id FROM patients p
       WHERE p.last_name IN ('O’Brien Łukasiewicz', 'Strauß')
         AND array(SELECT w.word FROM patient_name_words w WHERE w.tenant_id = p.tenant_id AND w.patient_id = p.id ORDER BY 1)
             IS DISTINCT FROM name_words(concat_ws(' ', p.first_name, p.middle_name, p.last_name))`,
    );
    expect(mismatched.rows).toEqual([]);
  });

  it('numbers consecutively and uniquely when two imports and a registration run at the same moment', async () => {
    const before = await one<{ last_value: string }>(
      app.db,
      `SELECT last_value FROM number_sequences WHERE tenant_id = $1 AND kind = 'patients'`,
      [DEMO_TENANT],
    );
    await Promise.all([
      sql.run(asAdmin, `SELECT * FROM import_patients($1::jsonb)`, [importRows('Racer', 300)]),
      sql.run(asReceptionist, `SELECT * FROM import_patients($1::jsonb)`, [importRows('Racer', 300)]),
      sql.run(
        asReceptionist,
        `INSERT INTO patients (tenant_id, first_name, last_name, date_of_birth, gender) VALUES (current_tenant_id(), 'Reg', 'Racer', '1990-01-01', 'Male')`,
      ),
    ]);
    const numbers = await one<{ count: number; distinct: number; first: string; last: string; audits: number; counter: string }>(
      app.db,
      `SELECT count(*)::int AS count, count(DISTINCT patient_number)::int AS distinct, min(patient_number) AS first, max(patient_number) AS last,
              (SELECT count(*)::int FROM audit_logs a JOIN patients r ON r.tenant_id = a.tenant_id AND r.id = a.record_id
               WHERE r.last_name = 'Racer') AS audits,
              (SELECT last_value::text FROM number_sequences WHERE tenant_id = $1 AND kind = 'patients') AS counter
       FROM patients WHERE tenant_id = $1 AND last_name = 'Racer'`,
      [DEMO_TENANT],
    );
    const start = Number(before.last_value);
    expect(numbers).toEqual({
      count: 601,
      distinct: 601,
      first: `P-${String(start + 1).padStart(6, '0')}`,
      last: `P-${String(start + 601).padStart(6, '0')}`,
      audits: 601,
      counter: String(start + 601),
    });
  }, 120_000);
});
