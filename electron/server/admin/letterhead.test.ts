import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPOINTMENT_TYPES } from '../../../shared/appointments';
import { MAX_LOGO_BYTES, type VisitLengthsInput } from '../../../shared/clinic-settings';
import { DEMO_PASSWORD, DEMO_TENANT, DEMO_USERS, anotherClinic, demoBackend, refusal, type TestBackend } from '../../../test/backend';
import { engines } from '../../../test/engines';
import { pdfText } from '../../../test/pdf';
import { pngImage, riversideLogo } from '../../../test/png';
import { one } from '../db/rows';

type Caller = Awaited<ReturnType<TestBackend['signedIn']>>;

const DEMO_LENGTHS = {
  consultation: 15,
  follow_up: 15,
  check_up: 30,
  procedure: 45,
  vaccination: 10,
  emergency: 15,
  telemedicine: 10,
};
const typed = (lengths: Record<string, number>): VisitLengthsInput =>
  Object.fromEntries(Object.entries(lengths).map(([type, minutes]) => [type, String(minutes)])) as VisitLengthsInput;
/** A small square logo of one colour: another clinic's, and one to replace the demo's with. */
const square = pngImage(24, 24, () => [200, 30, 30, 255]);
/** Dr Patel's active amlodipine for P-000010 (demo/03). */
const AMLODIPINE = '00000000-0000-4000-8000-000000000602';
const b64 = (bytes: Buffer) => bytes.toString('base64');
const hasImage = (pdf: string) => Buffer.from(pdf, 'base64').includes('/Subtype /Image');

describe.each(engines)('the clinic letterhead and visit lengths on %s', (engine) => {
  let app: TestBackend;
  let admin: Caller;
  let patel: Caller;
  let reception: Caller;
  let other: Awaited<ReturnType<typeof anotherClinic>>;

  const logoRow = async () =>
    one<{ n: number; sha256: string | null }>(
      app.db,
      `SELECT (SELECT count(*)::int FROM clinic_logos) AS n,
              (SELECT encode(sha256(content), 'hex') FROM clinic_logos WHERE clinic_id = '00000000-0000-4000-8000-000000000002') AS sha256`,
    );
  const lengthsOf = async (clinicCode: string) =>
    one<{ lengths: Record<string, number> }>(
      app.db,
      `SELECT jsonb_object_agg(d.appointment_type, d.duration_minutes) AS lengths
       FROM appointment_type_durations d JOIN tenants t ON t.id = d.tenant_id WHERE t.slug = $1`,
      [clinicCode],
    );

  beforeAll(async () => {
    app = await demoBackend(engine);
    admin = await app.signedIn(DEMO_USERS.admin);
    patel = await app.signedIn(DEMO_USERS.doctor);
    reception = await app.signedIn(DEMO_USERS.receptionist);
    other = await anotherClinic(app, 'northside');
    await app.giveLogins(other.fixture.tenantId, [other.fixture.adminId], DEMO_PASSWORD);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('shows the demo logo in settings and prints it, with the name, on a prescription and a receipt', async () => {
    expect(await admin.admin.logo()).toEqual({ mediaType: 'image/png', content: b64(riversideLogo()) });
    const prescription = await patel.prescriptions.print({ ids: [AMLODIPINE] });
    expect(pdfText(prescription.base64)).toContain('Riverside Family Clinic');
    expect(hasImage(prescription.base64)).toBe(true);
    const { payment_id } = await one<{ payment_id: string }>(app.db, `SELECT id AS payment_id FROM payments ORDER BY paid_at LIMIT 1`);
    const receipt = await reception.billing.receipt({ paymentId: payment_id });
    expect(pdfText(receipt.base64)).toContain('2 Riverside Walk');
    expect(hasImage(receipt.base64)).toBe(true);
  });

  it('replaces and removes the logo for the administrator; prints then go without one', async () => {
    expect(await admin.admin.saveLogo({ content: b64(square) })).toEqual({ mediaType: 'image/png', content: b64(square) });
    const settings = await one<{ logo: { media_type: string; bytes: number } }>(
      app.db,
      `SELECT settings -> 'logo' AS logo FROM clinics WHERE id = '00000000-0000-4000-8000-000000000002'`,
    );
    expect(settings.logo).toMatchObject({ media_type: 'image/png', bytes: square.length });
    const audited = await one<{ n: number }>(
      app.db,
      `SELECT count(*)::int AS n FROM audit_logs WHERE table_name = 'clinics' AND 'settings' = ANY (changed_fields)
         AND user_id = '00000000-0000-4000-8000-000000000101'`,
    );
    expect(audited.n).toBeGreaterThan(0);

    expect(await admin.admin.removeLogo()).toBeNull();
    expect(await admin.admin.logo()).toBeNull();
    const plain = await patel.prescriptions.print({ ids: [AMLODIPINE] });
    expect(pdfText(plain.base64)).toContain('Riverside Family Clinic');
    expect(hasImage(plain.base64)).toBe(false);
    await admin.admin.saveLogo({ content: b64(riversideLogo()) });
  });

  it('refuses what is not a printable PNG or JPEG, or too large, beside the file, and keeps the logo', async () => {
    const before = await logoRow();
    const cases = [
      Buffer.from('GIF89a a gif'),
      Buffer.from('%PDF-1.4 a pdf named logo.png'),
      // A PNG's first bytes over nothing an image reader can draw.
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 1, 2, 3]),
    ];
    for (const bytes of cases) {
      expect(await refusal(admin.admin.saveLogo({ content: b64(bytes) }))).toMatchObject({
        code: 'BAD_REQUEST',
        fieldErrors: { content: 'Choose a PNG or JPEG image.' },
      });
    }
    const huge = Buffer.concat([riversideLogo(), Buffer.alloc(MAX_LOGO_BYTES)]);
    expect(await refusal(admin.admin.saveLogo({ content: b64(huge) }))).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { content: expect.stringMatching(/at most 512 KB/) },
    });
    expect(await logoRow()).toEqual(before);
  });

  it('lets only admin.settings change the logo, in the router and in the database', async () => {
    const before = await logoRow();
    expect(await refusal(patel.admin.saveLogo({ content: b64(square) }))).toMatchObject({ reason: 'NOT_PERMITTED' });
    expect(await refusal(reception.admin.removeLogo())).toMatchObject({ reason: 'NOT_PERMITTED' });
    const outcomes = await app.typedBy(DEMO_USERS.receptionist, 'demo', [
      `SELECT media_type, octet_length(content) AS bytes FROM clinic_logo()`,
      `SELECT store_clinic_logo('\\x${square.toString('hex')}'::bytea)`,
      `SELECT remove_clinic_logo()`,
      `SELECT count(*) FROM clinic_logos`,
      `UPDATE clinics SET settings = settings - 'logo'`,
    ]);
    // Everyone in the clinic reads it (every print carries it); nobody without admin.settings changes it.
    expect(outcomes).toEqual([
      [{ media_type: 'image/png', bytes: riversideLogo().length }],
      { refused: '42501' },
      { refused: '42501' },
      { refused: '42501' },
      { refused: '42501' },
    ]);
    expect(await logoRow()).toEqual(before);
  });

  it('keeps each clinic to its own logo: another clinic neither sees nor changes the demo’s', async () => {
    const before = await logoRow();
    const otherAdmin = app.client('northside-admin');
    await otherAdmin.auth.signIn({ email: 'admin@northside.test', password: DEMO_PASSWORD, clinicCode: 'northside' });
    expect(await otherAdmin.admin.logo()).toBeNull();
    await otherAdmin.admin.saveLogo({ content: b64(square) });
    expect(await otherAdmin.admin.logo()).toEqual({ mediaType: 'image/png', content: b64(square) });
    expect(await admin.admin.logo()).toEqual({ mediaType: 'image/png', content: b64(riversideLogo()) });
    const outcomes = await app.typedBy('admin@northside.test', 'northside', [
      `SELECT octet_length(content) AS bytes FROM clinic_logo()`,
      `SELECT count(*) FROM clinic_logos`,
    ]);
    expect(outcomes).toEqual([[{ bytes: square.length }], { refused: '42501' }]);
    // Removing theirs removes only theirs.
    await otherAdmin.admin.removeLogo();
    expect(await otherAdmin.admin.logo()).toBeNull();
    expect(await logoRow()).toMatchObject({ sha256: before.sha256 });
    expect(await admin.admin.logo()).toEqual({ mediaType: 'image/png', content: b64(riversideLogo()) });
  });

  it('gives every type a usual length; the administrator changes them, with messages beside the fields', async () => {
    expect(await reception.appointments.visitLengths()).toEqual(DEMO_LENGTHS);
    const changed = { ...DEMO_LENGTHS, procedure: 60, check_up: 25 };
    expect(await admin.admin.saveVisitLengths(typed(changed))).toEqual(changed);
    expect(await reception.appointments.visitLengths()).toEqual(changed);

    const before = await lengthsOf('demo');
    const bad = await refusal(admin.admin.saveVisitLengths({ ...typed(changed), procedure: '7', vaccination: '', emergency: '500' }));
    expect(bad).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: {
        procedure: 'Use steps of 5 minutes: 10, 15, 20…',
        vaccination: 'Enter the minutes.',
        emergency: 'At most 480 minutes (8 hours).',
      },
    });
    expect(await lengthsOf('demo')).toEqual(before);
    expect(Object.keys(before.lengths).sort()).toEqual([...APPOINTMENT_TYPES].sort());
    await admin.admin.saveVisitLengths(typed(DEMO_LENGTHS));
  });

  it('lets only the clinic’s admin.settings change visit lengths, checked by the database', async () => {
    const before = await lengthsOf('demo');
    expect(await refusal(reception.admin.saveVisitLengths(typed(DEMO_LENGTHS)))).toMatchObject({ reason: 'NOT_PERMITTED' });
    const outcomes = await app.typedBy(DEMO_USERS.receptionist, 'demo', [
      `UPDATE appointment_type_durations SET duration_minutes = 120 RETURNING appointment_type`,
      `INSERT INTO appointment_type_durations (tenant_id, appointment_type, duration_minutes)
       VALUES (current_tenant_id(), 'procedure', 90)`,
    ]);
    expect(outcomes).toEqual([{ refused: '42501' }, { refused: '42501' }]);
    // Another clinic's administrator: the demo's rows are out of sight, and a row for the demo clinic is refused.
    const theirs = await app.typedBy('admin@northside.test', 'northside', [
      `UPDATE appointment_type_durations SET duration_minutes = 120 WHERE clinic_id = '00000000-0000-4000-8000-000000000002'
       RETURNING appointment_type`,
      `SELECT count(*)::int AS n FROM appointment_type_durations WHERE clinic_id = '00000000-0000-4000-8000-000000000002'`,
      `INSERT INTO appointment_type_durations (tenant_id, clinic_id, appointment_type, duration_minutes)
       VALUES ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', 'procedure', 90)`,
    ]);
    expect(theirs).toEqual([[], [{ n: 0 }], { refused: '42501' }]);
    // The database itself refuses a length out of range, whoever writes it.
    const adminTyped = await app.typedBy(DEMO_USERS.admin, 'demo', [
      `UPDATE appointment_type_durations SET duration_minutes = 7 WHERE appointment_type = 'procedure'`,
    ]);
    expect(adminTyped).toEqual([{ refused: '23514' }]);
    expect(await lengthsOf('demo')).toEqual(before);
    expect(await other.doctor.appointments.visitLengths()).toMatchObject({ consultation: 15, check_up: 20, procedure: 30 });
  });

  it('books a walk-in and offers follow-ups as long as their type usually lasts', async () => {
    await admin.admin.saveVisitLengths(typed({ ...DEMO_LENGTHS, emergency: 25 }));
    const { patient_id } = await one<{ patient_id: string }>(
      app.db,
      `SELECT p.id AS patient_id FROM patients p
       WHERE p.tenant_id = $1
         AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = p.id AND a.status IN ('checked_in', 'in_progress'))
       ORDER BY p.patient_number LIMIT 1`,
      [DEMO_TENANT],
    );
    const walkIn = await reception.appointments.walkIn({
      patient_id,
      doctor_id: '00000000-0000-4000-8000-000000000102',
      appointment_type: 'emergency',
    });
    expect(walkIn.duration_minutes).toBe(25);
    await admin.admin.saveVisitLengths(typed({ ...DEMO_LENGTHS, follow_up: 20 }));
    expect(await patel.clinical.followUpSlots({ appointmentId: walkIn.id, afterDays: 7 })).toMatchObject({ minutes: 20 });
    await admin.admin.saveVisitLengths(typed(DEMO_LENGTHS));
  });
});
