import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClinicSettingsInput } from '../../../shared/clinic-settings';
import { weekHoursText } from '../../../shared/clinic-settings';
import { DEMO_PASSWORD, DEMO_USERS, demoBackend, refusal, sqlState, staffSql, type TestBackend } from '../../../test/backend';
import { engines } from '../../../test/engines';
import { createTenantFixture, type TenantFixture } from '../../../test/fixtures';
import { one } from '../db/rows';
import type { SqlParam } from '../db/types';
import { changedFields } from './audit';

const DEMO_TENANT = '00000000-0000-4000-8000-000000000001';
const DEMO_CLINIC = '00000000-0000-4000-8000-000000000002';
const DR_PATEL_ID = '00000000-0000-4000-8000-000000000102';
const RECEPTIONIST_ID = '00000000-0000-4000-8000-000000000105';
const demoPatient = (n: number) => `00000000-0000-4000-8000-000000000${200 + n}`;

type Caller = Awaited<ReturnType<TestBackend['signedIn']>>;

describe('changedFields', () => {
  it('gives old → new for a change, what was entered for a new record, where an imported one came from', () => {
    expect(
      changedFields({ action: 'UPDATE', old_values: { phone: '1', n: 2 }, new_values: { phone: '3', n: 2 }, changed_fields: ['phone'] }),
    ).toEqual([{ field: 'phone', old: '1', new: '3' }]);
    expect(
      changedFields({
        action: 'INSERT',
        old_values: null,
        new_values: { id: 'x', tenant_id: 'y', name: 'A', tags: ['b'], note: null },
        changed_fields: null,
      }),
    ).toEqual([
      { field: 'name', old: null, new: 'A' },
      { field: 'tags', old: null, new: '["b"]' },
    ]);
    expect(
      changedFields({
        action: 'INSERT',
        old_values: null,
        new_values: { patient_number: 'P-000007', imported: { import: 'f00d', file_row: 19 } },
        changed_fields: null,
      }),
    ).toEqual([
      { field: 'patient_number', old: null, new: 'P-000007' },
      { field: 'imported', old: null, new: 'Row 19 of the file, import f00d' },
    ]);
  });
});

describe.each(engines)('clinic settings and the audit trail on %s', (engine) => {
  let app: TestBackend;
  let admin: Caller;
  let reception: Caller;
  let other: TenantFixture;
  let sql: ReturnType<typeof staffSql>;

  const asReceptionist = (text: string, params: SqlParam[] = []) =>
    sql.run({ tenantId: DEMO_TENANT, userId: RECEPTIONIST_ID, clinicCode: 'demo', email: DEMO_USERS.receptionist }, text, params);
  const asOtherAdmin = (text: string, params: SqlParam[] = []) =>
    sql.run({ tenantId: other.tenantId, userId: other.adminId, clinicCode: 'northside', email: 'admin@northside.test' }, text, params);
  const clinicRow = () => one(app.db, `SELECT * FROM clinics WHERE id = $1`, [DEMO_CLINIC]);

  beforeAll(async () => {
    app = await demoBackend(engine);
    sql = staffSql(app);
    admin = await app.signedIn(DEMO_USERS.admin);
    reception = await app.signedIn(DEMO_USERS.receptionist);
    other = await createTenantFixture(app.db, 'northside');
    await app.giveLogins(other.tenantId, [other.adminId], DEMO_PASSWORD);
  });
  afterAll(async () => {
    await sql?.close();
    await app?.close();
  });

  describe('clinic settings', () => {
    async function demoSettings(): Promise<ClinicSettingsInput> {
      const { openingHours, ...settings } = await admin.admin.settings();
      return { ...settings, email: settings.email ?? '', openingHours: weekHoursText(openingHours) };
    }

    it('shows what the clinic has, and saves a change the session and calendar then use', async () => {
      const settings = await demoSettings();
      expect(settings).toMatchObject({ name: 'Riverside Family Clinic', timezone: 'Europe/London', currency: 'GBP', phoneRegion: 'GB' });
      expect(settings.openingHours.mon).toBe('08:00-18:00');
      const saved = await admin.admin.saveSettings({
        ...settings,
        name: 'Riverside Family Practice',
        letterhead: 'Riverside Family Practice\n2 Riverside Walk, London',
        openingHours: { ...settings.openingHours, sat: 'closed', mon: '08:00-12:30, 13:30-19:00' },
      });
      expect(saved).toMatchObject({ name: 'Riverside Family Practice', letterhead: 'Riverside Family Practice\n2 Riverside Walk, London' });
      expect(saved.openingHours).toMatchObject({
        sat: [],
        mon: [
          ['08:00', '12:30'],
          ['13:30', '19:00'],
        ],
      });
      expect((await admin.auth.session())?.clinic.name).toBe('Riverside Family Practice');
      const changed = await one<{ user_id: string; changed_fields: string[] }>(
        app.db,
        `SELECT user_id, changed_fields FROM audit_logs WHERE table_name = 'clinics' AND record_id = $1 ORDER BY created_at DESC LIMIT 1`,
        [DEMO_CLINIC],
      );
      expect(changed.changed_fields).toEqual(['name', 'opening_hours', 'settings']);
    });

    it('explains bad values beside their fields and writes nothing', async () => {
      const settings = await demoSettings();
      const before = await clinicRow();
      expect((await refusal(admin.admin.saveSettings({ ...settings, timezone: 'Mars/Olympus_Mons' }))).fieldErrors).toEqual({
        timezone: 'The database does not know this timezone. Choose one from the list.',
      });
      expect(
        (
          await refusal(
            admin.admin.saveSettings({
              ...settings,
              currency: 'XYZ',
              name: ' ',
              openingHours: { ...settings.openingHours, tue: '9-5' },
            }),
          )
        ).fieldErrors,
      ).toEqual({
        name: "Enter the clinic's name.",
        currency: 'Use a currency code like GBP, EUR or USD.',
        'openingHours.tue': 'Write hours like 08:00-12:30, 13:30-18:00, or leave empty when closed.',
      });
      expect((await refusal(admin.admin.saveSettings({ ...settings, phone: '020 7946 01' }))).fieldErrors).toEqual({
        phone: 'This is not a valid phone number in GB.',
      });
      expect((await refusal(admin.admin.saveSettings({ ...settings, phoneRegion: 'XX' }))).fieldErrors).toEqual({
        phoneRegion: 'This is not a country code. Use one like GB, US or DE.',
      });
      expect(await clinicRow()).toEqual(before);
    });

    it('is refused by the database without admin.settings, and to another clinic', async () => {
      const before = await clinicRow();
      expect(await refusal(reception.admin.saveSettings(await demoSettings()))).toMatchObject({ reason: 'NOT_PERMITTED' });
      expect(await sqlState(asReceptionist(`UPDATE clinics SET name = 'Taken over' WHERE id = $1`, [DEMO_CLINIC]))).toBe('42501');
      expect((await asOtherAdmin(`UPDATE clinics SET name = 'Taken over' WHERE id = $1 RETURNING id`, [DEMO_CLINIC])).rows).toEqual([]);
      expect(await clinicRow()).toEqual(before);
    });
  });

  describe('the audit trail', () => {
    let confidentialId: string;
    let auditor: Caller;
    let auditorId: string;

    beforeAll(async () => {
      // A confidential note of Dr Patel's, and a phone number changed at the desk.
      confidentialId = await app.db.transaction(async (tx) => {
        await tx.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [DEMO_TENANT]);
        return (
          await one<{ id: string }>(
            tx,
            `INSERT INTO medical_records (tenant_id, patient_id, doctor_id, chief_complaint, is_confidential)
             VALUES ($1, $2, $3, 'Disclosed a safeguarding concern', true) RETURNING id`,
            [DEMO_TENANT, demoPatient(5), DR_PATEL_ID],
          )
        ).id;
      });
      await asReceptionist(`UPDATE patients SET phone = '020 7946 0999' WHERE id = $1`, [demoPatient(5)]);
      await admin.patients.get({ id: demoPatient(5) });
      const { id: roleId } = await admin.staff.createRole({
        name: 'auditor',
        description: 'Reads the audit trail',
        permissions: ['admin.audit'],
      });
      const created = await admin.staff.create({
        firstName: 'Avery',
        lastName: 'Audit',
        email: 'auditor@demo.clinic',
        roleId,
        workingHours: null,
        temporaryPassword: 'temporary-pass-2026',
      });
      auditorId = created.id;
      auditor = app.client('auditor');
      await auditor.auth.signIn({ email: 'auditor@demo.clinic', password: 'temporary-pass-2026', clinicCode: 'demo' });
      await auditor.auth.changePassword({ current: 'temporary-pass-2026', next: DEMO_PASSWORD });
    });

    it('filters by patient: changes with old → new values, and chart openings', async () => {
      const entries = await admin.admin.audit({ patientId: demoPatient(5) });
      const phone = entries.find((entry) => entry.table_name === 'patients' && entry.action === 'UPDATE')!;
      expect(phone).toMatchObject({ user_id: RECEPTIONIST_ID, patient_id: demoPatient(5), patient_number: 'P-000005' });
      expect(phone.fields).toContainEqual({ field: 'phone', old: expect.any(String), new: '020 7946 0999' });
      expect(entries.find((entry) => entry.kind === 'chart_read')).toMatchObject({ action: 'READ', user_name: 'Alex Morgan' });
      // The administrator holds records.confidential: the confidential note is theirs to read.
      expect(entries.find((entry) => entry.record_id === confidentialId)?.fields).toContainEqual({
        field: 'chief_complaint',
        old: null,
        new: 'Disclosed a safeguarding concern',
      });
      expect(entries.every((entry) => entry.patient_id === demoPatient(5))).toBe(true);
    });

    it('filters by user, table and clinic days', async () => {
      const byReception = await admin.admin.audit({ userId: RECEPTIONIST_ID, tableName: 'patients' });
      expect(byReception.length).toBeGreaterThan(0);
      expect(byReception.every((entry) => entry.user_id === RECEPTIONIST_ID && entry.table_name === 'patients')).toBe(true);
      expect(await admin.admin.audit({ from: '2001-01-01', to: '2001-12-31' })).toEqual([]);
      const today = new Date().toISOString().slice(0, 10);
      expect((await admin.admin.audit({ from: today, to: today, userId: RECEPTIONIST_ID })).length).toBeGreaterThan(0);
      expect((await refusal(admin.admin.audit({ from: '2026-02-01', to: '2026-01-01' }))).fieldErrors).toEqual({
        to: 'The end comes before the start.',
      });
      expect(await admin.admin.auditedTables()).toEqual(expect.arrayContaining(['clinics', 'patients', 'users']));
    });

    it('keeps confidential content from those without records.confidential, in the database', async () => {
      const seen = await auditor.admin.audit({ patientId: demoPatient(5) });
      expect(seen.some((entry) => entry.table_name === 'patients')).toBe(true);
      expect(seen.map((entry) => entry.record_id)).not.toContain(confidentialId);
      expect(JSON.stringify(seen)).not.toContain('safeguarding');
      const typed = await sql.run(
        { tenantId: DEMO_TENANT, userId: auditorId, clinicCode: 'demo', email: 'auditor@demo.clinic' },
        `SELECT count(*)::int AS n FROM audit_logs WHERE record_id = $1 OR new_values::text LIKE '%safeguarding%'`,
        [confidentialId],
      );
      expect(typed.rows).toEqual([{ n: 0 }]);
    });

    it('is refused without admin.audit and to another clinic, by the database', async () => {
      expect(await refusal(reception.admin.audit({}))).toMatchObject({ reason: 'NOT_PERMITTED' });
      expect((await asReceptionist(`SELECT count(*)::int AS n FROM audit_logs`)).rows).toEqual([{ n: 0 }]);
      expect((await asReceptionist(`SELECT count(*)::int AS n FROM activity_logs`)).rows).toEqual([{ n: 0 }]);
      expect((await asOtherAdmin(`SELECT count(*)::int AS n FROM audit_logs WHERE tenant_id = $1`, [DEMO_TENANT])).rows).toEqual([
        { n: 0 },
      ]);
      expect(await sqlState(asOtherAdmin(`DELETE FROM audit_logs WHERE tenant_id = $1`, [DEMO_TENANT]))).toBe('42501');
      const northside = app.client('northside-admin');
      await northside.auth.signIn({ email: 'admin@northside.test', password: DEMO_PASSWORD, clinicCode: 'northside' });
      expect(await northside.admin.audit({ patientId: demoPatient(5) })).toEqual([]);
    });
  });
});
