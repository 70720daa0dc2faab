import type {
  AllergyIntolerance,
  Appointment,
  Bundle,
  DiagnosticReport,
  DocumentReference,
  Encounter,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Patient,
  Practitioner,
  Quantity,
  Reference,
  Resource,
  ServiceRequest,
} from '@medplum/fhirtypes';
import { VITAL_SIGNS, type Diagnosis } from '../../../shared/clinical';
import { ALLERGY_SEVERITIES, type Allergy } from '../../../shared/patients';
import type { ResultEntry, ResultFlag } from '../../../shared/results';
import type { Queryable } from '../db/types';
import { DomainError } from '../errors';
import {
  APPOINTMENT_STATUS,
  BLOOD_PRESSURE,
  codeIn,
  extText,
  extValue,
  extValues,
  FLAG_INTERPRETATION,
  GENDER,
  keyOf,
  MARITAL_STATUS,
  PRESCRIPTION_STATUS,
  REPORT_STATUS,
  SYSTEMS,
  VITAL_CODES,
} from './codes';
import type {
  AppointmentRow,
  ClinicRecords,
  DocumentRow,
  PatientRow,
  PrescriptionRow,
  RecordRow,
  ReportRow,
  StaffRow,
  TestRow,
} from './records';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A Bundle that cannot be imported: said once, beside the file field, and nothing is written. */
function refuse(message: string): never {
  throw new DomainError('BAD_REQUEST', message, 'bundle');
}

type Kind = Resource['resourceType'];
type Of<K extends Kind> = Extract<Resource, { resourceType: K }>;

/** The Bundle's resources by kind and by id, with the reference checks every reader needs. */
class Contents {
  private readonly byId = new Map<string, Resource>();

  constructor(bundle: Bundle) {
    for (const [i, entry] of (bundle.entry ?? []).entries()) {
      const resource = entry.resource;
      if (!resource || typeof resource !== 'object' || typeof resource.resourceType !== 'string')
        refuse(`Entry ${i + 1} of the Bundle holds no resource.`);
      if (typeof resource.id !== 'string' || resource.id === '') refuse(`Entry ${i + 1} (${resource.resourceType}) has no id.`);
      if (this.byId.has(resource.id)) refuse(`Two entries of the Bundle have the id ${resource.id}.`);
      this.byId.set(resource.id, resource);
    }
  }

  all<K extends Kind>(kind: K): Of<K>[] {
    return [...this.byId.values()].filter((r): r is Of<K> => r.resourceType === kind);
  }

  /** What a reference inside the Bundle points at: urn:uuid:<id>, or Kind/<id> as other systems write it. */
  resolve(reference: Reference | undefined): Resource | undefined {
    const id = reference?.reference?.replace(/^urn:uuid:/, '').replace(/^[A-Za-z]+\//, '');
    return id ? this.byId.get(id) : undefined;
  }

  /** The id a reference points at, which must be a resource of `kind` in this Bundle. */
  target(reference: Reference | undefined, kind: Kind, what: string): string {
    const found = this.resolve(reference);
    const id = found?.id;
    if (!id || !found || found.resourceType !== kind)
      refuse(`${what} points at a ${kind} the Bundle does not hold (${reference?.reference ?? 'none'}).`);
    return id;
  }

  optionalTarget(reference: Reference | undefined, kind: Kind, what: string): string | null {
    return reference ? this.target(reference, kind, what) : null;
  }

  /** The resources a list of references points at, in its order. */
  targets<K extends Kind>(references: Reference[] | undefined, kind: K, what: string): Of<K>[] {
    return (references ?? []).map((r) => this.byId.get(this.target(r, kind, what)) as Of<K>);
  }

  /** The resources of `kind` whose `field` points at `id`, in Bundle order. */
  about<K extends Kind>(kind: K, id: string, field: (resource: Of<K>) => Reference | undefined): Of<K>[] {
    return this.all(kind).filter((r) => this.resolve(field(r))?.id === id);
  }
}

function need<T>(value: T | null | undefined, message: string): T {
  if (value === null || value === undefined || value === '') refuse(message);
  return value;
}

const label = (r: Resource) => `${r.resourceType} ${r.id}`;
const uuidOf = (r: Resource) => (UUID.test(r.id ?? '') ? r.id!.toLowerCase() : refuse(`${label(r)}: ClinicDesk keeps uuids as ids.`));
const orNull = <T>(value: T | undefined): T | null => value ?? null;
const textOf = (concept: { text?: string } | undefined) => orNull(concept?.text);
const codeOf = <K extends string>(table: Record<K, string>, value: string | undefined, what: string): K =>
  need(keyOf(table, value), `${what}: "${value ?? 'none'}" is not one ClinicDesk knows.`);

/** The stored exact string of a decimal (see `quantity` in export.ts). */
function decimal(q: Quantity | undefined): string | undefined {
  if (q?.value === undefined) return undefined;
  return extText(q.extension, 'exact-value') ?? String(q.value);
}

function staffRow(p: Practitioner, contents: Contents): StaffRow {
  const name = p.name?.[0];
  const role = contents.about('PractitionerRole', p.id!, (r) => r.practitioner)[0];
  return {
    id: uuidOf(p),
    email: need(p.telecom?.find((t) => t.system === 'email')?.value, `${label(p)}: a staff member needs an email.`),
    title: orNull(name?.prefix?.[0]),
    first_name: need(name?.given?.[0], `${label(p)}: the first name is missing.`),
    last_name: need(name?.family, `${label(p)}: the last name is missing.`),
    phone: orNull(p.telecom?.find((t) => t.system === 'phone')?.value),
    gender: p.gender ? codeOf(GENDER, p.gender, `${label(p)} gender`) : null,
    date_of_birth: orNull(p.birthDate),
    specialization: textOf(role?.specialty?.[0]),
    license_number: orNull(p.identifier?.find((i) => i.system === SYSTEMS.licence)?.value),
    qualification: textOf(p.qualification?.[0]?.code),
    is_active: p.active ?? true,
    role: need(codeIn(role?.code?.[0], SYSTEMS.role), `${label(p)}: no PractitionerRole gives ClinicDesk's role.`),
  };
}

function patientRow(p: Patient, contents: Contents): PatientRow {
  const name = p.name?.[0];
  const address = p.address?.[0];
  const contact = p.contact?.[0];
  const phone = (rank: number) => orNull(p.telecom?.find((t) => t.system === 'phone' && t.rank === rank)?.value);
  const id = uuidOf(p);
  const about = <K extends 'AllergyIntolerance' | 'Condition' | 'MedicationStatement'>(
    kind: K,
    field: (r: Of<K>) => Reference | undefined,
  ) => contents.about(kind, id, field);
  return {
    id,
    patient_number: orNull(p.identifier?.find((i) => i.system === SYSTEMS.patientNumber)?.value) ?? '',
    first_name: need(name?.given?.[0], `${label(p)}: the first name is missing.`),
    middle_name: orNull(name?.given?.[1]),
    last_name: need(name?.family, `${label(p)}: the last name is missing.`),
    date_of_birth: need(p.birthDate, `${label(p)}: the date of birth is missing.`),
    gender: codeOf(GENDER, p.gender, `${label(p)} gender`),
    blood_group: extText(p.extension, 'blood-group'),
    marital_status: p.maritalStatus ? codeOf(MARITAL_STATUS, p.maritalStatus.coding?.[0]?.code, `${label(p)} marital status`) : null,
    occupation: extText(p.extension, 'occupation'),
    preferred_language: textOf(p.communication?.[0]?.language),
    national_id: orNull(p.identifier?.find((i) => i.system === SYSTEMS.nationalId)?.value),
    email: orNull(p.telecom?.find((t) => t.system === 'email')?.value),
    phone: phone(1),
    alternate_phone: phone(2),
    address_line1: orNull(address?.line?.[0]),
    address_line2: orNull(address?.line?.[1]),
    city: orNull(address?.city),
    state: orNull(address?.state),
    postal_code: orNull(address?.postalCode),
    country: orNull(address?.country),
    emergency_contact_name: orNull(contact?.name?.text),
    emergency_contact_phone: orNull(contact?.telecom?.[0]?.value),
    emergency_contact_relationship: textOf(contact?.relationship?.[0]),
    allergies: about('AllergyIntolerance', (a) => a.patient).map(allergy),
    medical_history: about('Condition', (c) =>
      codeIn(c.category?.[0], SYSTEMS.conditionCategory) === 'problem-list-item' ? c.subject : undefined,
    ).map((c) => ({
      condition: need(c.code?.text, `${label(c)}: the condition is not named.`),
      since: orNull(c.onsetString),
      notes: orNull(c.note?.[0]?.text),
    })),
    current_medications: about('MedicationStatement', (m) => m.subject).map((m: MedicationStatement) => ({
      name: need(m.medicationCodeableConcept?.text, `${label(m)}: the medication is not named.`),
      dose: orNull(m.dosage?.[0]?.text),
      frequency: orNull(m.dosage?.[0]?.timing?.code?.text),
    })),
    alerts: extText(p.extension, 'alerts'),
    primary_care_physician_id: contents.optionalTarget(p.generalPractitioner?.[0], 'Practitioner', `${label(p)}'s doctor`),
    notes: extText(p.extension, 'notes'),
    is_active: p.active ?? true,
  };
}

function allergy(a: AllergyIntolerance): Allergy {
  const reaction = a.reaction?.[0];
  return {
    substance: need(a.code?.text, `${label(a)}: the allergen is not named.`),
    reaction: orNull(reaction?.manifestation?.[0]?.text),
    severity: need(
      ALLERGY_SEVERITIES.find((s) => s === reaction?.severity),
      `${label(a)}: the severity must be mild, moderate or severe.`,
    ),
  };
}

function appointmentRow(a: Appointment, contents: Contents): AppointmentRow {
  const actor = (kind: 'Patient' | 'Practitioner') =>
    contents.target(
      a.participant?.find((p) => contents.resolve(p.actor)?.resourceType === kind)?.actor,
      kind,
      `${label(a)}'s ${kind === 'Patient' ? 'patient' : 'doctor'}`,
    );
  return {
    id: uuidOf(a),
    appointment_number: orNull(a.identifier?.find((i) => i.system === SYSTEMS.appointmentNumber)?.value) ?? '',
    patient_id: actor('Patient'),
    doctor_id: actor('Practitioner'),
    appointment_type: need(codeIn(a.appointmentType, SYSTEMS.appointmentType), `${label(a)}: the type of visit is missing.`),
    starts_at: need(a.start, `${label(a)}: the start is missing.`),
    ends_at: need(a.end, `${label(a)}: the end is missing.`),
    status: codeOf(APPOINTMENT_STATUS, a.status, `${label(a)} status`),
    is_walk_in: extValue(a.extension, 'walk-in') === true,
    reason: orNull(a.description),
    notes: orNull(a.comment),
    cancellation_reason: textOf(a.cancelationReason),
    created_at: need(a.created, `${label(a)}: the booking time is missing.`),
  };
}

function recordRow(e: Encounter, contents: Contents): RecordRow {
  const id = uuidOf(e);
  const diagnoses = (e.diagnosis ?? []).map((d): Diagnosis => {
    const [condition] = contents.targets(
      [need(d.condition, `${label(e)}: a diagnosis names no Condition.`)],
      'Condition',
      `${label(e)}'s diagnosis`,
    );
    return {
      code: codeIn(condition!.code, SYSTEMS.icd10cm),
      description: need(condition!.code?.text, `${label(condition!)}: the diagnosis is not described.`),
      type: d.rank === 1 ? 'primary' : 'secondary',
    };
  });
  const follow = extValue(e.extension, 'follow-up-days');
  const examination = extText(e.extension, 'examination');
  return {
    id,
    patient_id: contents.target(e.subject, 'Patient', `${label(e)}'s patient`),
    doctor_id: contents.target(e.participant?.[0]?.individual, 'Practitioner', `${label(e)}'s doctor`),
    appointment_id: contents.optionalTarget(e.appointment?.[0], 'Appointment', `${label(e)}'s visit`),
    record_type: need(codeIn(e.type?.[0], SYSTEMS.recordType), `${label(e)}: the kind of note is missing.`),
    record_date: need(e.period?.start, `${label(e)}: the date is missing.`),
    chief_complaint: textOf(e.reasonCode?.[0]),
    history_of_present_illness: extText(e.extension, 'history'),
    examination,
    assessment: extText(e.extension, 'assessment'),
    treatment_plan: extText(e.extension, 'plan'),
    follow_up_days: typeof follow === 'number' ? follow : null,
    vital_signs: vitalsOf(contents.about('Observation', id, (o) => o.encounter)),
    diagnosis: diagnoses,
    is_confidential: e.meta?.security?.some((s) => s.system === SYSTEMS.confidentiality && s.code === 'R') ?? false,
    signed_at: extText(e.extension, 'signed-at'),
  };
}

/** The note's vitals from its vital-sign Observations (BMI is computed, so it is not read). */
function vitalsOf(observations: Observation[]): Record<string, unknown> {
  const vitals: Record<string, number> = {};
  for (const o of observations) {
    const loinc = codeIn(o.code, SYSTEMS.loinc);
    if (loinc === BLOOD_PRESSURE.panel) {
      for (const c of o.component ?? []) {
        const part = codeIn(c.code, SYSTEMS.loinc);
        const value = c.valueQuantity?.value;
        if (value === undefined) continue;
        if (part === BLOOD_PRESSURE.systolic) vitals.bp_systolic = value;
        if (part === BLOOD_PRESSURE.diastolic) vitals.bp_diastolic = value;
      }
    }
    const sign = (Object.keys(VITAL_CODES) as (keyof typeof VITAL_CODES)[]).find((k) => VITAL_CODES[k].loinc === loinc);
    if (sign && o.valueQuantity?.value !== undefined) vitals[sign] = o.valueQuantity.value;
  }
  const ordered = VITAL_SIGNS.filter((k) => vitals[k] !== undefined).map((k) => [k, vitals[k]]);
  return ordered.length > 0 ? { version: 1, ...Object.fromEntries(ordered) } : {};
}

function prescriptionRow(m: MedicationRequest, contents: Contents): PrescriptionRow {
  const dosage = m.dosageInstruction?.[0];
  const dispense = m.dispenseRequest;
  const refills = extValue(m.extension, 'refills-used');
  const warnings = extValues(m.extension, 'override-warning').map((w) => JSON.parse(String(w)) as unknown);
  return {
    id: uuidOf(m),
    patient_id: contents.target(m.subject, 'Patient', `${label(m)}'s patient`),
    doctor_id: contents.target(m.requester, 'Practitioner', `${label(m)}'s prescriber`),
    appointment_id: contents.optionalTarget(m.supportingInformation?.[0], 'Appointment', `${label(m)}'s visit`),
    medical_record_id: contents.optionalTarget(m.encounter, 'Encounter', `${label(m)}'s note`),
    medication_name: need(m.medicationCodeableConcept?.text, `${label(m)}: the medicine is not named.`),
    generic_name: extText(m.extension, 'generic-name'),
    strength: extText(m.extension, 'strength'),
    dosage_form: extText(m.extension, 'dosage-form'),
    dosage: need(dosage?.text, `${label(m)}: the dose is missing.`),
    frequency: need(dosage?.timing?.code?.text, `${label(m)}: how often is missing.`),
    route: need(dosage?.route?.text, `${label(m)}: the route is missing.`),
    duration_days: orNull(dispense?.expectedSupplyDuration?.value),
    quantity: orNull(decimal(dispense?.quantity)),
    refills_allowed: dispense?.numberOfRepeatsAllowed ?? 0,
    refills_used: typeof refills === 'number' ? refills : 0,
    instructions: orNull(dosage?.patientInstruction),
    start_date: need(dispense?.validityPeriod?.start, `${label(m)}: the start date is missing.`),
    end_date: orNull(dispense?.validityPeriod?.end),
    status: codeOf(PRESCRIPTION_STATUS, m.status, `${label(m)} status`),
    discontinued_reason: textOf(m.statusReason),
    prescribed_at: need(m.authoredOn, `${label(m)}: when it was prescribed is missing.`),
    warnings_overridden: warnings.length > 0 ? warnings : null,
    override_reason: extText(m.extension, 'override-reason'),
  };
}

function testRow(s: ServiceRequest, contents: Contents): TestRow {
  return {
    id: uuidOf(s),
    test_number: orNull(s.identifier?.find((i) => i.system === SYSTEMS.testNumber)?.value) ?? '',
    patient_id: contents.target(s.subject, 'Patient', `${label(s)}'s patient`),
    doctor_id: contents.target(s.requester, 'Practitioner', `${label(s)}'s ordering doctor`),
    appointment_id: contents.optionalTarget(s.supportingInfo?.[0], 'Appointment', `${label(s)}'s visit`),
    test_name: need(s.code?.text, `${label(s)}: the test is not named.`),
    test_code: codeIn(s.code, SYSTEMS.labTest),
    test_category: codeIn(s.category?.[0], SYSTEMS.testCategory) ?? 'laboratory',
    specimen_type: extText(s.extension, 'specimen-type'),
    priority: s.priority === 'asap' ? 'urgent' : (s.priority ?? 'routine'),
    status: need(extText(s.extension, 'test-status'), `${label(s)}: the test's step is missing.`),
    ordered_at: need(s.authoredOn, `${label(s)}: when it was ordered is missing.`),
    scheduled_at: orNull(s.occurrenceDateTime),
    sample_collected_at: extText(s.extension, 'sample-collected-at'),
    completed_at: extText(s.extension, 'completed-at'),
    instructions: orNull(s.patientInstruction),
    clinical_notes: orNull(s.note?.[0]?.text),
    performing_lab: orNull(s.performer?.[0]?.display),
  };
}

function resultEntry(o: Observation): ResultEntry {
  const range = o.referenceRange?.[0];
  const flag = keyOf(FLAG_INTERPRETATION, codeIn(o.interpretation?.[0], SYSTEMS.interpretation) ?? undefined);
  const optional = (key: keyof ResultEntry, value: string | null | undefined) =>
    value === null || value === undefined ? {} : { [key]: value };
  return {
    ...optional('code', codeIn(o.code, SYSTEMS.analyte)),
    parameter: need(o.code?.text, `${label(o)}: the result is not named.`),
    value: need(decimal(o.valueQuantity) ?? o.valueString, `${label(o)}: the value is missing.`),
    unit: orNull(o.valueQuantity?.unit ?? range?.low?.unit ?? range?.high?.unit),
    ...optional('low', decimal(range?.low)),
    ...optional('high', decimal(range?.high)),
    ...optional('critical_low', extText(o.extension, 'critical-low')),
    ...optional('critical_high', extText(o.extension, 'critical-high')),
    ...optional('expected', extText(o.extension, 'expected')),
    reference_range: orNull(range?.text),
    ...optional('range_basis', extText(o.extension, 'range-basis')),
    flag: (flag as ResultFlag | undefined) ?? null,
  };
}

function reportRow(d: DiagnosticReport, contents: Contents): ReportRow {
  const flagged = (name: 'is-abnormal' | 'is-critical') => extValue(d.extension, name) === true;
  return {
    id: uuidOf(d),
    report_number: orNull(d.identifier?.find((i) => i.system === SYSTEMS.reportNumber)?.value) ?? '',
    diagnostic_test_id: contents.target(d.basedOn?.[0], 'ServiceRequest', `${label(d)}'s test`),
    patient_id: contents.target(d.subject, 'Patient', `${label(d)}'s patient`),
    findings: extText(d.extension, 'findings'),
    interpretation: orNull(d.conclusion),
    recommendations: extText(d.extension, 'recommendations'),
    result_values: contents.targets(d.result, 'Observation', `${label(d)}'s result`).map(resultEntry),
    abnormal_findings: extValues(d.extension, 'abnormal-finding').map(String),
    is_abnormal: flagged('is-abnormal'),
    is_critical: flagged('is-critical'),
    report_status: codeOf(REPORT_STATUS, d.status, `${label(d)} status`),
    reported_by: contents.optionalTarget(d.performer?.[0], 'Practitioner', `${label(d)}'s reporter`),
    reported_at: orNull(d.issued),
    verified_by: contents.optionalTarget(d.resultsInterpreter?.[0], 'Practitioner', `${label(d)}'s verifier`),
    verified_at: extText(d.extension, 'verified-at'),
  };
}

function documentRow(d: DocumentReference, contents: Contents): DocumentRow {
  const attachment = d.content?.[0]?.attachment;
  const version = extValue(d.extension, 'version');
  return {
    id: uuidOf(d),
    patient_id: contents.optionalTarget(d.subject, 'Patient', `${label(d)}'s patient`),
    user_id: contents.target(d.author?.[0], 'Practitioner', `${label(d)}'s author`),
    appointment_id: contents.optionalTarget(d.context?.related?.[0], 'Appointment', `${label(d)}'s visit`),
    document_type: codeIn(d.type, SYSTEMS.documentType) ?? 'other',
    title: need(attachment?.title, `${label(d)}: the document has no title.`),
    description: orNull(d.description),
    file_name: need(extText(d.extension, 'file-name'), `${label(d)}: the file name is missing.`),
    storage_key: need(extText(d.extension, 'storage-key'), `${label(d)}: where the file is stored is missing.`),
    mime_type: need(attachment?.contentType, `${label(d)}: the file type is missing.`),
    file_size: String(attachment?.size ?? 0),
    checksum_sha256: extText(d.extension, 'checksum-sha256'),
    version: typeof version === 'number' ? version : 1,
    is_confidential: d.meta?.security?.some((s) => s.system === SYSTEMS.confidentiality && s.code === 'R') ?? false,
    access_level: extText(d.extension, 'access-level') ?? 'clinical',
    tags: extValues(d.extension, 'tag').map(String),
    created_at: need(d.date, `${label(d)}: the date is missing.`),
  };
}

/**
 * Reads a Bundle as ClinicDesk exports it back into records, checking what the database cannot say
 * in a person's words: every resource has a uuid, every reference points inside the Bundle at the
 * right kind, every required field is there. The values themselves the database checks again.
 */
export function fromBundle(input: unknown): ClinicRecords {
  const bundle = input as Bundle;
  if (!bundle || typeof bundle !== 'object' || bundle.resourceType !== 'Bundle') refuse('This file is not a FHIR Bundle.');
  if (!Array.isArray(bundle.entry) || bundle.entry.length === 0) refuse('This Bundle holds no resources.');
  const contents = new Contents(bundle);
  return {
    staff: contents.all('Practitioner').map((p) => staffRow(p, contents)),
    patients: contents.all('Patient').map((p) => patientRow(p, contents)),
    appointments: contents.all('Appointment').map((a) => appointmentRow(a, contents)),
    records: contents.all('Encounter').map((e) => recordRow(e, contents)),
    prescriptions: contents.all('MedicationRequest').map((m) => prescriptionRow(m, contents)),
    tests: contents.all('ServiceRequest').map((s) => testRow(s, contents)),
    reports: contents.all('DiagnosticReport').map((d) => reportRow(d, contents)),
    documents: contents.all('DocumentReference').map((d) => documentRow(d, contents)),
  };
}

export type ImportCounts = Record<
  'users' | 'patients' | 'appointments' | 'medical_records' | 'prescriptions' | 'diagnostic_tests' | 'test_reports' | 'documents',
  number
>;

/**
 * Writes the records into the request's clinic through import_clinic_records (migration 022),
 * which refuses a clinic that has patients. A staff member already in the clinic (the same email,
 * such as the administrator importing) is that person: the records' links follow them.
 */
export async function writeClinicRecords(tx: Queryable, records: ClinicRecords): Promise<ImportCounts> {
  const { rows: present } = await tx.query<{ id: string; email: string }>(`SELECT id, lower(email) AS email FROM users`);
  const existing = new Map(present.map((u) => [u.email, u.id]));
  const sameAs = new Map(
    records.staff.flatMap((s) => (existing.has(s.email.toLowerCase()) ? [[s.id, existing.get(s.email.toLowerCase())!]] : [])),
  );
  const person = <T extends string | null>(id: T): T => (id === null ? id : ((sameAs.get(id) ?? id) as T));
  const medicalRecords = records.records.map(({ examination, follow_up_days, ...r }) => ({
    ...r,
    doctor_id: person(r.doctor_id),
    physical_examination: examination === null ? {} : { version: 1, text: examination },
    clinical_data: follow_up_days === null ? {} : { version: 1, follow_up_days },
  }));
  const { counts } = (
    await tx.query<{ counts: ImportCounts }>(`SELECT import_clinic_records($1::jsonb) AS counts`, [
      {
        users: records.staff.filter((s) => !sameAs.has(s.id)),
        patients: records.patients.map((p) => ({ ...p, primary_care_physician_id: person(p.primary_care_physician_id) })),
        appointments: records.appointments.map((a) => ({ ...a, doctor_id: person(a.doctor_id) })),
        medical_records: medicalRecords,
        prescriptions: records.prescriptions.map((p) => ({ ...p, doctor_id: person(p.doctor_id) })),
        diagnostic_tests: records.tests.map((t) => ({ ...t, doctor_id: person(t.doctor_id) })),
        test_reports: records.reports.map((r) => ({ ...r, reported_by: person(r.reported_by), verified_by: person(r.verified_by) })),
        documents: records.documents.map((d) => ({ ...d, user_id: person(d.user_id) })),
      },
    ])
  ).rows[0]!;
  return counts;
}
