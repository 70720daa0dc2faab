import { createHash } from 'node:crypto';
import type {
  AllergyIntolerance,
  Appointment,
  Bundle,
  BundleEntry,
  Condition,
  DiagnosticReport,
  DocumentReference,
  Encounter,
  MedicationRequest,
  MedicationStatement,
  Observation,
  ObservationComponent,
  Patient,
  Practitioner,
  PractitionerRole,
  Quantity,
  Reference,
  Resource,
  ServiceRequest,
} from '@medplum/fhirtypes';
import { bodyMassIndex, readVitals, type Vitals } from '../../../shared/clinical';
import type { ResultEntry } from '../../../shared/results';
import {
  APPOINTMENT_STATUS,
  BLOOD_PRESSURE,
  BMI_LOINC,
  ext,
  FLAG_INTERPRETATION,
  GENDER,
  MARITAL_STATUS,
  PRESCRIPTION_STATUS,
  REPORT_STATUS,
  SYSTEMS,
  TEST_REQUEST_STATUS,
  UCUM,
  V2_APPOINTMENT_REASON,
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

/**
 * A stable id for what the database keeps inside a row (an allergy in patients.allergies, a
 * vital sign of a note): derived from the row's uuid, so two exports of the same data agree.
 */
export function derivedId(parentId: string, kind: string, index: number | string = 0): string {
  const hex = createHash('sha256').update(`${parentId}/${kind}/${index}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Resources of one Bundle point at each other by their fullUrl, urn:uuid:<database id>. Typed
 * `never` so it fits any field's kind of reference.
 */
export const ref = (id: string): Reference<never> => ({ reference: `urn:uuid:${id}` });
const refs = (id: string | null): Reference<never>[] | undefined => (id ? [ref(id)] : undefined);
const text = (value: string | null | undefined) => (value ? { text: value } : undefined);
const list = <T>(items: T[]): T[] | undefined => (items.length > 0 ? items : undefined);
const code = (system: string, value: string) => ({ coding: [{ system, code: value }] });

/**
 * A FHIR decimal from a stored exact string: JSON numbers drop trailing zeros ("5.0" is 5), so
 * the string as written rides along whenever the number alone would not give it back.
 */
export function quantity(value: string, unit: string | null | undefined): Quantity {
  const number = Number(value);
  const ucum = unit ? UCUM[unit] : undefined;
  return {
    value: number,
    ...(unit ? { unit } : {}),
    ...(ucum ? { system: SYSTEMS.ucum, code: ucum } : {}),
    ...(String(number) === value ? {} : { extension: ext('exact-value', value) }),
  };
}

function practitioner(s: StaffRow): Practitioner {
  return {
    resourceType: 'Practitioner',
    id: s.id,
    identifier: s.license_number ? [{ system: SYSTEMS.licence, value: s.license_number }] : undefined,
    active: s.is_active,
    name: [{ family: s.last_name, given: [s.first_name], prefix: s.title ? [s.title] : undefined }],
    telecom: list([
      { system: 'email' as const, value: s.email, use: 'work' as const },
      ...(s.phone ? [{ system: 'phone' as const, value: s.phone, use: 'work' as const }] : []),
    ]),
    gender: s.gender ? GENDER[s.gender as keyof typeof GENDER] : undefined,
    birthDate: s.date_of_birth ?? undefined,
    qualification: s.qualification ? [{ code: { text: s.qualification } }] : undefined,
  };
}

function practitionerRole(s: StaffRow): PractitionerRole {
  return {
    resourceType: 'PractitionerRole',
    id: derivedId(s.id, 'role'),
    active: s.is_active,
    practitioner: ref(s.id),
    code: [code(SYSTEMS.role, s.role)],
    specialty: s.specialization ? [{ text: s.specialization }] : undefined,
  };
}

function patient(p: PatientRow): Patient {
  const marital = p.marital_status ? MARITAL_STATUS[p.marital_status as keyof typeof MARITAL_STATUS] : undefined;
  const address = [p.address_line1, p.address_line2, p.city, p.state, p.postal_code, p.country].some(Boolean);
  return {
    resourceType: 'Patient',
    id: p.id,
    extension: list([
      ...ext('blood-group', p.blood_group),
      ...ext('occupation', p.occupation),
      ...ext('alerts', p.alerts),
      ...ext('notes', p.notes),
    ]),
    identifier: [
      { system: SYSTEMS.patientNumber, value: p.patient_number },
      ...(p.national_id ? [{ system: SYSTEMS.nationalId, value: p.national_id }] : []),
    ],
    active: p.is_active,
    name: [{ use: 'official', family: p.last_name, given: [p.first_name, ...(p.middle_name ? [p.middle_name] : [])] }],
    telecom: list([
      ...(p.phone ? [{ system: 'phone' as const, value: p.phone, rank: 1 }] : []),
      ...(p.alternate_phone ? [{ system: 'phone' as const, value: p.alternate_phone, rank: 2 }] : []),
      ...(p.email ? [{ system: 'email' as const, value: p.email }] : []),
    ]),
    gender: GENDER[p.gender as keyof typeof GENDER],
    birthDate: p.date_of_birth,
    address: address
      ? [
          {
            line: list([p.address_line1, p.address_line2].filter((line): line is string => Boolean(line))),
            city: p.city ?? undefined,
            state: p.state ?? undefined,
            postalCode: p.postal_code ?? undefined,
            country: p.country ?? undefined,
          },
        ]
      : undefined,
    maritalStatus: marital ? code(marital === 'OTH' ? SYSTEMS.nullFlavor : SYSTEMS.maritalStatus, marital) : undefined,
    contact:
      p.emergency_contact_name || p.emergency_contact_phone
        ? [
            {
              relationship: p.emergency_contact_relationship ? [{ text: p.emergency_contact_relationship }] : undefined,
              name: p.emergency_contact_name ? { text: p.emergency_contact_name } : undefined,
              telecom: p.emergency_contact_phone ? [{ system: 'phone', value: p.emergency_contact_phone }] : undefined,
            },
          ]
        : undefined,
    communication: p.preferred_language ? [{ language: { text: p.preferred_language } }] : undefined,
    generalPractitioner: refs(p.primary_care_physician_id),
  };
}

/** What the patient record keeps as lists: allergies, history and the medicines they report taking. */
function background(p: PatientRow): Resource[] {
  const allergies = p.allergies.map((a, i): AllergyIntolerance => ({
    resourceType: 'AllergyIntolerance',
    id: derivedId(p.id, 'allergy', i),
    clinicalStatus: code(SYSTEMS.allergyClinical, 'active'),
    code: { text: a.substance },
    patient: ref(p.id),
    reaction: [
      {
        // No reaction recorded is said so, as FHIR requires a manifestation.
        manifestation: [a.reaction ? { text: a.reaction } : { extension: [{ url: SYSTEMS.dataAbsent, valueCode: 'unknown' }] }],
        severity: a.severity,
      },
    ],
  }));
  const history = p.medical_history.map((h, i): Condition => ({
    resourceType: 'Condition',
    id: derivedId(p.id, 'history', i),
    category: [code(SYSTEMS.conditionCategory, 'problem-list-item')],
    code: { text: h.condition },
    subject: ref(p.id),
    onsetString: h.since ?? undefined,
    note: h.notes ? [{ text: h.notes }] : undefined,
  }));
  const medications = p.current_medications.map((m, i): MedicationStatement => ({
    resourceType: 'MedicationStatement',
    id: derivedId(p.id, 'medication', i),
    status: 'active',
    medicationCodeableConcept: { text: m.name },
    subject: ref(p.id),
    dosage:
      m.dose || m.frequency
        ? [{ text: m.dose ?? undefined, timing: m.frequency ? { code: { text: m.frequency } } : undefined }]
        : undefined,
  }));
  return [...allergies, ...history, ...medications];
}

function appointment(a: AppointmentRow): Appointment {
  const v2 = V2_APPOINTMENT_REASON[a.appointment_type];
  return {
    resourceType: 'Appointment',
    id: a.id,
    extension: ext('walk-in', a.is_walk_in),
    identifier: [{ system: SYSTEMS.appointmentNumber, value: a.appointment_number }],
    status: APPOINTMENT_STATUS[a.status as keyof typeof APPOINTMENT_STATUS],
    cancelationReason: text(a.cancellation_reason),
    appointmentType: {
      coding: [
        { system: SYSTEMS.appointmentType, code: a.appointment_type },
        ...(v2 ? [{ system: SYSTEMS.v2AppointmentReason, code: v2 }] : []),
      ],
    },
    description: a.reason ?? undefined,
    start: a.starts_at,
    end: a.ends_at,
    created: a.created_at,
    comment: a.notes ?? undefined,
    participant: [
      { actor: ref(a.patient_id), status: 'accepted' },
      { actor: ref(a.doctor_id), status: 'accepted' },
    ],
  };
}

const CONFIDENTIAL = { security: [{ system: SYSTEMS.confidentiality, code: 'R' }] };

/** A note is an Encounter: its SOAP text in extensions, its diagnoses as Conditions, its vitals as Observations. */
function encounter(r: RecordRow): Resource[] {
  const diagnoses = r.diagnosis.map((d, i): Condition => ({
    resourceType: 'Condition',
    id: derivedId(r.id, 'diagnosis', i),
    meta: r.is_confidential ? CONFIDENTIAL : undefined,
    category: [code(SYSTEMS.conditionCategory, 'encounter-diagnosis')],
    code: { coding: d.code ? [{ system: SYSTEMS.icd10cm, code: d.code }] : undefined, text: d.description },
    subject: ref(r.patient_id),
    encounter: ref(r.id),
    recordedDate: r.record_date,
    recorder: ref(r.doctor_id),
  }));
  const note: Encounter = {
    resourceType: 'Encounter',
    id: r.id,
    meta: r.is_confidential ? CONFIDENTIAL : undefined,
    extension: list([
      ...ext('history', r.history_of_present_illness),
      ...ext('examination', r.examination),
      ...ext('assessment', r.assessment),
      ...ext('plan', r.treatment_plan),
      ...ext('follow-up-days', r.follow_up_days, 'integer'),
      ...ext('signed-at', r.signed_at, 'dateTime'),
    ]),
    status: r.signed_at ? 'finished' : 'in-progress',
    class: { system: SYSTEMS.actCode, code: 'AMB', display: 'ambulatory' },
    type: [code(SYSTEMS.recordType, r.record_type)],
    subject: ref(r.patient_id),
    participant: [{ individual: ref(r.doctor_id) }],
    appointment: refs(r.appointment_id),
    period: { start: r.record_date },
    reasonCode: r.chief_complaint ? [{ text: r.chief_complaint }] : undefined,
    diagnosis: list(r.diagnosis.map((d, i) => ({ condition: ref(diagnoses[i]!.id!), rank: d.type === 'primary' ? 1 : 2 }))),
  };
  return [note, ...diagnoses, ...vitalSigns(r)];
}

function vitalSigns(r: RecordRow): Observation[] {
  const vitals: Vitals = readVitals(r.vital_signs);
  const observation = (kind: string, loinc: string, display: string, value: Partial<Observation>): Observation => ({
    resourceType: 'Observation',
    id: derivedId(r.id, 'vital', kind),
    meta: r.is_confidential ? CONFIDENTIAL : undefined,
    status: r.signed_at ? 'final' : 'preliminary',
    category: [{ coding: [{ system: SYSTEMS.observationCategory, code: 'vital-signs' }] }],
    code: { coding: [{ system: SYSTEMS.loinc, code: loinc, display }], text: display },
    subject: ref(r.patient_id),
    encounter: ref(r.id),
    effectiveDateTime: r.record_date,
    performer: [ref(r.doctor_id)],
    ...value,
  });
  const measured = (value: number, unit: string): Quantity => ({ value, unit, system: SYSTEMS.ucum, code: unit });
  const found: Observation[] = [];
  const pressure: ObservationComponent[] = [];
  if (vitals.bp_systolic !== undefined)
    pressure.push({ code: code(SYSTEMS.loinc, BLOOD_PRESSURE.systolic), valueQuantity: measured(vitals.bp_systolic, 'mm[Hg]') });
  if (vitals.bp_diastolic !== undefined)
    pressure.push({ code: code(SYSTEMS.loinc, BLOOD_PRESSURE.diastolic), valueQuantity: measured(vitals.bp_diastolic, 'mm[Hg]') });
  if (pressure.length > 0) found.push(observation('bp', BLOOD_PRESSURE.panel, 'Blood pressure panel', { component: pressure }));
  for (const [sign, c] of Object.entries(VITAL_CODES)) {
    const value = vitals[sign as keyof typeof VITAL_CODES];
    if (value !== undefined) found.push(observation(sign, c.loinc, c.display, { valueQuantity: measured(value, c.unit) }));
  }
  // Computed from weight and height, for readers that want it; an import computes it again.
  const bmi = bodyMassIndex(vitals.weight_kg, vitals.height_cm);
  if (bmi !== undefined) found.push(observation('bmi', BMI_LOINC, 'Body mass index', { valueQuantity: measured(bmi, 'kg/m2') }));
  return found;
}

function medicationRequest(p: PrescriptionRow): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id: p.id,
    extension: list([
      ...ext('generic-name', p.generic_name),
      ...ext('strength', p.strength),
      ...ext('dosage-form', p.dosage_form),
      ...ext('refills-used', p.refills_used, 'integer'),
      ...ext('override-reason', p.override_reason),
      ...(p.warnings_overridden ?? []).flatMap((w) => ext('override-warning', JSON.stringify(w))),
    ]),
    status: PRESCRIPTION_STATUS[p.status as keyof typeof PRESCRIPTION_STATUS],
    statusReason: text(p.discontinued_reason),
    intent: 'order',
    medicationCodeableConcept: { text: p.medication_name },
    subject: ref(p.patient_id),
    encounter: p.medical_record_id ? ref(p.medical_record_id) : undefined,
    supportingInformation: refs(p.appointment_id),
    authoredOn: p.prescribed_at,
    requester: ref(p.doctor_id),
    dosageInstruction: [
      {
        text: p.dosage,
        patientInstruction: p.instructions ?? undefined,
        timing: { code: { text: p.frequency } },
        route: { text: p.route },
      },
    ],
    dispenseRequest: {
      validityPeriod: { start: p.start_date, end: p.end_date ?? undefined },
      numberOfRepeatsAllowed: p.refills_allowed,
      quantity: p.quantity ? quantity(p.quantity, null) : undefined,
      expectedSupplyDuration: p.duration_days ? { value: p.duration_days, unit: 'days', system: SYSTEMS.ucum, code: 'd' } : undefined,
    },
  };
}

function testCode(t: TestRow) {
  return { coding: t.test_code ? [{ system: SYSTEMS.labTest, code: t.test_code }] : undefined, text: t.test_name };
}

function serviceRequest(t: TestRow): ServiceRequest {
  return {
    resourceType: 'ServiceRequest',
    id: t.id,
    extension: list([
      ...ext('test-status', t.status),
      ...ext('specimen-type', t.specimen_type),
      ...ext('sample-collected-at', t.sample_collected_at, 'dateTime'),
      ...ext('completed-at', t.completed_at, 'dateTime'),
    ]),
    identifier: [{ system: SYSTEMS.testNumber, value: t.test_number }],
    status: TEST_REQUEST_STATUS[t.status as keyof typeof TEST_REQUEST_STATUS],
    intent: 'order',
    category: [code(SYSTEMS.testCategory, t.test_category)],
    priority: t.priority as ServiceRequest['priority'],
    code: testCode(t),
    subject: ref(t.patient_id),
    occurrenceDateTime: t.scheduled_at ?? undefined,
    authoredOn: t.ordered_at,
    requester: ref(t.doctor_id),
    performer: t.performing_lab ? [{ display: t.performing_lab }] : undefined,
    supportingInfo: refs(t.appointment_id),
    note: t.clinical_notes ? [{ text: t.clinical_notes }] : undefined,
    patientInstruction: t.instructions ?? undefined,
  };
}

function result(r: ReportRow, e: ResultEntry, i: number): Observation {
  const numeric = e.expected === undefined && /^-?[0-9]+(\.[0-9]+)?$/.test(e.value);
  const bound = (value: string | undefined) => (value === undefined ? undefined : quantity(value, e.unit));
  const ranged = e.low !== undefined || e.high !== undefined || e.reference_range !== null;
  const flag = e.flag ? FLAG_INTERPRETATION[e.flag] : undefined;
  return {
    resourceType: 'Observation',
    id: derivedId(r.id, 'result', i),
    extension: list([
      ...ext('critical-low', e.critical_low),
      ...ext('critical-high', e.critical_high),
      ...ext('expected', e.expected),
      ...ext('range-basis', e.range_basis),
    ]),
    status: r.verified_at ? 'final' : 'preliminary',
    category: [code(SYSTEMS.observationCategory, 'laboratory')],
    code: { coding: e.code ? [{ system: SYSTEMS.analyte, code: e.code }] : undefined, text: e.parameter },
    subject: ref(r.patient_id),
    ...(numeric ? { valueQuantity: quantity(e.value, e.unit) } : { valueString: e.value }),
    interpretation: flag ? [code(SYSTEMS.interpretation, flag)] : undefined,
    referenceRange: ranged ? [{ low: bound(e.low), high: bound(e.high), text: e.reference_range ?? undefined }] : undefined,
  };
}

function diagnosticReport(r: ReportRow, test: TestRow | undefined, results: Observation[]): DiagnosticReport {
  return {
    resourceType: 'DiagnosticReport',
    id: r.id,
    extension: list([
      ...ext('findings', r.findings),
      ...ext('recommendations', r.recommendations),
      ...r.abnormal_findings.flatMap((finding) => ext('abnormal-finding', finding)),
      ...ext('is-abnormal', r.is_abnormal),
      ...ext('is-critical', r.is_critical),
      ...ext('verified-at', r.verified_at, 'dateTime'),
    ]),
    identifier: [{ system: SYSTEMS.reportNumber, value: r.report_number }],
    basedOn: [ref(r.diagnostic_test_id)],
    status: REPORT_STATUS[r.report_status as keyof typeof REPORT_STATUS],
    code: test ? testCode(test) : { text: 'Test report' },
    subject: ref(r.patient_id),
    issued: r.reported_at ?? undefined,
    performer: refs(r.reported_by),
    resultsInterpreter: refs(r.verified_by),
    result: list(results.map((o) => ref(o.id!))),
    conclusion: r.interpretation ?? undefined,
  };
}

function documentReference(d: DocumentRow): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    id: d.id,
    meta: d.is_confidential ? CONFIDENTIAL : undefined,
    extension: list([
      ...ext('file-name', d.file_name),
      ...ext('storage-key', d.storage_key),
      ...ext('checksum-sha256', d.checksum_sha256),
      ...ext('version', d.version, 'integer'),
      ...ext('access-level', d.access_level),
      ...d.tags.flatMap((tag) => ext('tag', tag)),
    ]),
    status: 'current',
    type: code(SYSTEMS.documentType, d.document_type),
    subject: d.patient_id ? ref(d.patient_id) : undefined,
    date: d.created_at,
    author: [ref(d.user_id)],
    description: d.description ?? undefined,
    // The file itself is in the clinic's document store, not the database: the Bundle names it.
    content: [{ attachment: { contentType: d.mime_type, size: Number(d.file_size), title: d.title } }],
    context: d.appointment_id ? { related: [ref(d.appointment_id)] } : undefined,
  };
}

/** The records as one FHIR R4 Bundle of type collection; each resource's id is its database id. */
export function toBundle(records: ClinicRecords, timestamp: string): Bundle {
  const tests = new Map(records.tests.map((t) => [t.id, t]));
  const resources: Resource[] = [
    ...records.staff.flatMap((s) => [practitioner(s), practitionerRole(s)]),
    ...records.patients.flatMap((p) => [patient(p), ...background(p)]),
    ...records.appointments.map(appointment),
    ...records.records.flatMap(encounter),
    ...records.prescriptions.map(medicationRequest),
    ...records.tests.map(serviceRequest),
    ...records.reports.flatMap((r) => {
      const results = r.result_values.map((e, i) => result(r, e, i));
      return [diagnosticReport(r, tests.get(r.diagnostic_test_id), results), ...results];
    }),
    ...records.documents.map(documentReference),
  ];
  const entry: BundleEntry[] = resources.map((resource) => ({ fullUrl: `urn:uuid:${resource.id}`, resource: withoutEmpty(resource) }));
  return { resourceType: 'Bundle', type: 'collection', timestamp, entry };
}

/** FHIR has no nulls or empty values: drops undefined members so the JSON holds only what is there. */
function withoutEmpty<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
