import type { Bundle, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anotherClinic, DEMO_PASSWORD, DEMO_USERS, demoBackend, refusal, type TestBackend } from '../../../test/backend';
import { engines } from '../../../test/engines';
import { fhirErrors } from '../../../test/fhir-schema';
import type { TenantFixture } from '../../../test/fixtures';
import { one } from '../db/rows';
import { provisionTenant } from '../tenants/provision';

const DEMO_TENANT = '00000000-0000-4000-8000-000000000001';
const DR_PATEL_ID = '00000000-0000-4000-8000-000000000102';
/** P-000010, Olumide Adebayo: a penicillin allergy, amlodipine and allopurinol. */
const OLUMIDE = '00000000-0000-4000-8000-000000000210';

type Caller = Awaited<ReturnType<TestBackend['signedIn']>>;

const parse = (json: string) => JSON.parse(json) as Bundle;
const resources = (bundle: Bundle) => (bundle.entry ?? []).map((e) => e.resource!);
const ofKind = (bundle: Bundle, kind: string) => resources(bundle).filter((r) => r.resourceType === kind);

/** Every resource of the Bundle, and the Bundle itself, against HL7's R4 JSON schema. */
function expectValidR4(bundle: Bundle) {
  expect(fhirErrors(bundle)).toEqual([]);
  for (const resource of resources(bundle))
    expect({ id: `${resource.resourceType}/${resource.id}`, errors: fhirErrors(resource) }).toEqual({
      id: `${resource.resourceType}/${resource.id}`,
      errors: [],
    });
}

describe.each(engines)('FHIR R4 export and import on %s', (engine) => {
  let app: TestBackend;
  let admin: Caller;
  let doctor: Caller;
  let reception: Caller;
  let other: TenantFixture;
  let otherDoctor: Caller;
  let clinic: Bundle;
  let confidential: { patient_id: string; id: string };

  beforeAll(async () => {
    app = await demoBackend(engine);
    // A document with every optional field (tags, checksum, description), so the export carries them all.
    await app.db.transaction(async (tx) => {
      await tx.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [DEMO_TENANT]);
      await tx.query(
        `INSERT INTO documents (tenant_id, patient_id, user_id, document_type, title, description, file_name, storage_key, mime_type,
                                file_size, checksum_sha256, tags)
         VALUES ($1, $2, $3, 'referral', 'Referral to cardiology', 'Palpitations', 'referral.pdf', 'docs/referral.pdf', 'application/pdf',
                 52431, repeat('ab', 32), '{cardiology,urgent}')`,
        [DEMO_TENANT, OLUMIDE, DR_PATEL_ID],
      );
    });
    confidential = await one(app.db, `SELECT patient_id, id FROM medical_records WHERE is_confidential AND doctor_id = $1 LIMIT 1`, [
      DR_PATEL_ID,
    ]);
    [admin, doctor, reception] = await Promise.all([
      app.signedIn(DEMO_USERS.admin),
      app.signedIn(DEMO_USERS.doctor),
      app.signedIn(DEMO_USERS.receptionist),
    ]);
    ({ fixture: other, doctor: otherDoctor } = await anotherClinic(app, 'fhir-other'));
    clinic = parse((await admin.fhir.exportClinic()).json);
  }, 600_000);

  afterAll(async () => {
    await app?.close();
  });

  it('exports the whole clinic as one valid R4 Bundle with every kind of record', async () => {
    expect(clinic).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expectValidR4(clinic);
    for (const kind of [
      'Patient',
      'Practitioner',
      'PractitionerRole',
      'Appointment',
      'Encounter',
      'Observation',
      'Condition',
      'AllergyIntolerance',
      'MedicationStatement',
      'MedicationRequest',
      'ServiceRequest',
      'DiagnosticReport',
      'DocumentReference',
    ])
      expect({ kind, count: ofKind(clinic, kind).length > 0 }).toEqual({ kind, count: true });
    const patients = await one<{ n: number }>(
      app.db,
      `SELECT count(*)::int AS n FROM patients WHERE tenant_id = $1 AND deleted_at IS NULL`,
      [DEMO_TENANT],
    );
    expect(ofKind(clinic, 'Patient')).toHaveLength(patients.n);
    // Every reference points inside the Bundle.
    const ids = new Set(resources(clinic).map((r) => `urn:uuid:${r.id}`));
    const dangling = JSON.stringify(clinic)
      .match(/"reference":"[^"]+"/g)!
      .map((m) => m.slice(13, -1))
      .filter((reference) => !ids.has(reference));
    expect(dangling).toEqual([]);
  }, 300_000);

  it('codes vitals with LOINC and UCUM, and keeps exact values and the standard codes', () => {
    const codes = new Set(
      ofKind(clinic, 'Observation').flatMap((o) => (o as { code: { coding?: { code: string }[] } }).code.coding?.map((c) => c.code) ?? []),
    );
    for (const loinc of ['85354-9', '8867-4', '29463-7', '8302-2', '39156-5']) expect(codes).toContain(loinc);
    const pressure = ofKind(clinic, 'Observation').find((o) => JSON.stringify(o).includes('85354-9'))!;
    expect(JSON.stringify(pressure)).toContain('"code":"mm[Hg]"');
    const olumide = ofKind(clinic, 'Patient').find((p) => p.id === OLUMIDE)!;
    expect(olumide).toMatchObject({
      identifier: expect.arrayContaining([expect.objectContaining({ value: 'P-000010' })]),
      name: [{ family: 'Adebayo' }],
    });
    const allergy = ofKind(clinic, 'AllergyIntolerance').find((a) => JSON.stringify(a).includes(`urn:uuid:${OLUMIDE}`));
    expect(JSON.stringify(allergy)).toMatch(/penicillin/i);
  });

  it('exports one patient for clinical staff, with only the staff their records name', async () => {
    const exported = await doctor.fhir.exportPatient({ patientId: OLUMIDE });
    expect(exported.fileName).toMatch(/^patient-P-000010-\d{4}-\d{2}-\d{2}\.fhir\.json$/);
    const bundle = parse(exported.json);
    expectValidR4(bundle);
    expect(ofKind(bundle, 'Patient').map((p) => p.id)).toEqual([OLUMIDE]);
    expect(ofKind(bundle, 'MedicationRequest').length).toBeGreaterThan(0);
    expect(ofKind(bundle, 'Practitioner').length).toBeLessThan(ofKind(clinic, 'Practitioner').length);
    const logged = await one<{ n: number }>(
      app.db,
      `SELECT count(*)::int AS n FROM activity_logs WHERE activity_type = 'fhir.export' AND entity_id = $1 AND user_id = $2`,
      [OLUMIDE, DR_PATEL_ID],
    );
    expect(logged.n).toBe(1);
  });

  it('leaves confidential notes out unless the exporter holds records.confidential, even for their author', async () => {
    const byAuthor = parse((await doctor.fhir.exportPatient({ patientId: confidential.patient_id })).json);
    expect(ofKind(byAuthor, 'Encounter').map((e) => e.id)).not.toContain(confidential.id);
    expect(JSON.stringify(byAuthor)).not.toContain(confidential.id);
    const byAdmin = parse((await admin.fhir.exportPatient({ patientId: confidential.patient_id })).json);
    const note = ofKind(byAdmin, 'Encounter').find((e) => e.id === confidential.id);
    expect(note?.meta?.security).toEqual([{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }]);
    expect(ofKind(clinic, 'Encounter').map((e) => e.id)).toContain(confidential.id);
  });

  it('refuses a receptionist, whose role the database gives no clinical rows anyway', async () => {
    expect(await refusal(reception.fhir.exportPatient({ patientId: OLUMIDE }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refusal(reception.fhir.exportClinic())).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refusal(doctor.fhir.exportClinic())).toMatchObject({ code: 'FORBIDDEN' });
    const typed = await app.typedBy(DEMO_USERS.receptionist, 'demo', [
      `SELECT count(*)::int AS n FROM patients`,
      `SELECT count(*)::int AS n FROM medical_records`,
      `SELECT count(*)::int AS n FROM prescriptions`,
      `SELECT count(*)::int AS n FROM test_reports`,
    ]);
    expect(typed.map((rows) => (rows as { n: number }[])[0]!.n > 0)).toEqual([true, false, false, false]);
  });

  it("never gives another clinic's patients", async () => {
    expect(await refusal(otherDoctor.fhir.exportPatient({ patientId: OLUMIDE }))).toMatchObject({ code: 'NOT_FOUND' });
    const theirs = parse((await otherDoctor.fhir.exportPatient({ patientId: other.rows.patients })).json);
    expect(ofKind(theirs, 'Patient').map((p) => p.id)).toEqual([other.rows.patients]);
    expect(JSON.stringify(theirs)).not.toContain(DEMO_TENANT.slice(0, 30));
    const ours = JSON.stringify(clinic);
    for (const id of Object.values(other.rows)) expect(ours).not.toContain(id);
  });

  describe('import', () => {
    let empty: Caller;
    let emptyTenant: string;
    const patientsIn = async (tenantId: string) =>
      (await one<{ n: number }>(app.db, `SELECT count(*)::int AS n FROM patients WHERE tenant_id = $1`, [tenantId])).n;

    beforeAll(async () => {
      const created = await provisionTenant(app.db, {
        name: 'Hillside Clinic',
        slug: 'hillside',
        timezone: 'Europe/London',
        currency: 'GBP',
        language: 'en-GB',
        admin: { email: 'admin@hillside.test', firstName: 'Hana', lastName: 'Hill', password: DEMO_PASSWORD },
      });
      emptyTenant = created.tenantId;
      empty = app.client('hillside-admin');
      await empty.auth.signIn({ email: 'admin@hillside.test', password: DEMO_PASSWORD, clinicCode: 'hillside' });
    }, 120_000);

    it('refuses a malformed file beside its field and writes nothing', async () => {
      const refused = async (bundle: string) => (await refusal(empty.fhir.importClinic({ bundle }))).fieldErrors?.bundle;
      expect(await refused('{"resourceType": "Bund')).toMatch(/not JSON/);
      expect(await refused('{"resourceType": "Patient", "id": "x"}')).toBe('This file is not a FHIR Bundle.');
      expect(await refused('{"resourceType": "Bundle", "type": "collection", "entry": []}')).toBe('This Bundle holds no resources.');
      const broken = structuredClone(clinic);
      const visit = broken.entry!.find((e) => e.resource?.resourceType === 'Appointment')!.resource as {
        participant: { actor: { reference: string } }[];
      };
      visit.participant[0]!.actor.reference = 'urn:uuid:00000000-0000-4000-8000-00000000dead';
      expect(await refused(JSON.stringify(broken))).toMatch(/points at a Patient the Bundle does not hold/);
      expect(await patientsIn(emptyTenant)).toBe(0);
    });

    it('is for administrators, checked by the database too', async () => {
      expect(await refusal(doctor.fhir.importClinic({ bundle: JSON.stringify(clinic) }))).toMatchObject({ code: 'FORBIDDEN' });
      const typed = await app.typedBy(DEMO_USERS.doctor, 'demo', [`SELECT import_clinic_records('{}')`]);
      expect(typed).toEqual([{ refused: '42501' }]);
    });

    it('refuses a clinic that already has patients, writing nothing', async () => {
      const before = await patientsIn(DEMO_TENANT);
      const refused = await refusal(admin.fhir.importClinic({ bundle: JSON.stringify(clinic) }));
      expect(refused).toMatchObject({
        code: 'BAD_REQUEST',
        message: 'This clinic already has patients: a FHIR Bundle is imported into an empty clinic only.',
      });
      expect(await patientsIn(DEMO_TENANT)).toBe(before);
    });

    it('imports the Bundle into an empty clinic once, even from two screens at the same moment, and exports the same records again', async () => {
      const twice = app.client('hillside-admin-again');
      await twice.auth.signIn({ email: 'admin@hillside.test', password: DEMO_PASSWORD, clinicCode: 'hillside' });
      const bundle = JSON.stringify(clinic);
      const outcomes = await Promise.allSettled([empty.fhir.importClinic({ bundle }), twice.fhir.importClinic({ bundle })]);
      const done = outcomes.filter((o) => o.status === 'fulfilled');
      expect(done).toHaveLength(1);
      const refused = await refusal(Promise.reject((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason));
      expect(refused.message).toBe('This clinic already has patients: a FHIR Bundle is imported into an empty clinic only.');
      const summary = done[0]!.value;
      expect(summary.patients).toBe(ofKind(clinic, 'Patient').length);
      expect(summary.notes).toBe(ofKind(clinic, 'Encounter').length);
      expect(summary.reports).toBe(ofKind(clinic, 'DiagnosticReport').length);
      const again = parse((await empty.fhir.exportClinic()).json);
      expectValidR4(again);
      expect(comparable(again, 'admin@hillside.test')).toEqual(comparable(clinic));
      // The history-stamping triggers are on again once the import is done.
      const { rows } = await app.db.query<{ tgname: string; tgenabled: string }>(
        `SELECT tgname, tgenabled FROM pg_trigger
         WHERE tgname IN ('stamp_author', 'lock_signed_note', 'check_test_status_change', 'verify_by_second_person', 'follow_report')`,
      );
      expect(rows.length).toBeGreaterThan(5);
      expect(rows.filter((r) => r.tgenabled !== 'O')).toEqual([]);
      // Imported staff cannot sign in until an administrator enables them with a password.
      expect(
        await refusal(app.client('imported').auth.signIn({ email: DEMO_USERS.doctor, password: DEMO_PASSWORD, clinicCode: 'hillside' })),
      ).toMatchObject({
        code: expect.stringMatching(/UNAUTHORIZED|FORBIDDEN|TOO_MANY_REQUESTS/),
      });
    }, 300_000);
  });
});

/**
 * A Bundle by resource id, without what belongs to the clinic rather than its records: the time
 * of export, the importing administrator (not in the original), and whether staff are enabled
 * (imported staff come in disabled until given a password).
 */
function comparable(bundle: Bundle, importer?: string): Record<string, Resource> {
  const byId: Record<string, Resource> = {};
  const skip = new Set<string>();
  for (const resource of resources(bundle)) {
    if (importer && resource.resourceType === 'Practitioner' && JSON.stringify(resource.telecom).includes(importer)) skip.add(resource.id!);
  }
  for (const resource of resources(bundle)) {
    if (skip.has(resource.id!)) continue;
    if (resource.resourceType === 'PractitionerRole' && skip.has(resource.practitioner!.reference!.slice(9))) continue;
    const copy = structuredClone(resource) as Resource & { active?: boolean };
    if (copy.resourceType === 'Practitioner' || copy.resourceType === 'PractitionerRole') delete copy.active;
    byId[`${copy.resourceType}/${copy.id}`] = copy;
  }
  return byId;
}
