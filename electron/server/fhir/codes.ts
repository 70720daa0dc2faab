import type { CodeableConcept, Extension } from '@medplum/fhirtypes';
import type { VitalSign } from '../../../shared/clinical';

/**
 * The code systems, identifiers and extensions of ClinicDesk's FHIR R4 Bundles, both ways.
 * Standard systems where the data has them; ClinicDesk's own names (not resolvable URLs) for the
 * rest, so another system keeps them and an import into ClinicDesk gets every field back.
 */
export const CLINICDESK = 'https://clinicdesk.app/fhir';
export const SYSTEMS = {
  patientNumber: `${CLINICDESK}/NamingSystem/patient-number`,
  nationalId: `${CLINICDESK}/NamingSystem/national-id`,
  appointmentNumber: `${CLINICDESK}/NamingSystem/appointment-number`,
  testNumber: `${CLINICDESK}/NamingSystem/test-number`,
  reportNumber: `${CLINICDESK}/NamingSystem/report-number`,
  licence: `${CLINICDESK}/NamingSystem/licence-number`,
  role: `${CLINICDESK}/CodeSystem/staff-role`,
  appointmentType: `${CLINICDESK}/CodeSystem/appointment-type`,
  recordType: `${CLINICDESK}/CodeSystem/record-type`,
  labTest: `${CLINICDESK}/CodeSystem/lab-test`,
  analyte: `${CLINICDESK}/CodeSystem/analyte`,
  testCategory: `${CLINICDESK}/CodeSystem/test-category`,
  documentType: `${CLINICDESK}/CodeSystem/document-type`,
  loinc: 'http://loinc.org',
  ucum: 'http://unitsofmeasure.org',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  v2AppointmentReason: 'http://terminology.hl7.org/CodeSystem/v2-0276',
  maritalStatus: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus',
  nullFlavor: 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  allergyClinical: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
  interpretation: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  confidentiality: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
  diagnosisRole: 'http://terminology.hl7.org/CodeSystem/diagnosis-role',
  dataAbsent: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason',
} as const;

/** ClinicDesk's extensions, by their last path segment. */
export type ExtensionName =
  | 'blood-group'
  | 'occupation'
  | 'alerts'
  | 'notes'
  | 'walk-in'
  | 'history'
  | 'examination'
  | 'assessment'
  | 'plan'
  | 'follow-up-days'
  | 'signed-at'
  | 'generic-name'
  | 'strength'
  | 'dosage-form'
  | 'refills-used'
  | 'override-reason'
  | 'override-warning'
  | 'test-status'
  | 'specimen-type'
  | 'sample-collected-at'
  | 'completed-at'
  | 'findings'
  | 'recommendations'
  | 'abnormal-finding'
  | 'is-abnormal'
  | 'is-critical'
  | 'verified-at'
  | 'exact-value'
  | 'critical-low'
  | 'critical-high'
  | 'expected'
  | 'range-basis'
  | 'access-level'
  | 'storage-key'
  | 'checksum-sha256'
  | 'version'
  | 'tag'
  | 'file-name';

export const extensionUrl = (name: ExtensionName) => `${CLINICDESK}/StructureDefinition/${name}`;

type ExtensionValue = string | number | boolean;

/** One extension, or none when the value is absent (FHIR has no empty values). */
export function ext(
  name: ExtensionName,
  value: ExtensionValue | null | undefined,
  as: 'string' | 'dateTime' | 'integer' = 'string',
): Extension[] {
  if (value === null || value === undefined || value === '') return [];
  const url = extensionUrl(name);
  if (typeof value === 'boolean') return [{ url, valueBoolean: value }];
  if (as === 'integer') return [{ url, valueInteger: Number(value) }];
  if (as === 'dateTime') return [{ url, valueDateTime: String(value) }];
  return [{ url, valueString: String(value) }];
}

/** Every value of an extension, in order. */
export function extValues(extensions: Extension[] | undefined, name: ExtensionName): ExtensionValue[] {
  const url = extensionUrl(name);
  return (extensions ?? [])
    .filter((e) => e.url === url)
    .map((e) => e.valueString ?? e.valueDateTime ?? e.valueInteger ?? e.valueBoolean)
    .filter((v): v is ExtensionValue => v !== undefined);
}

export function extValue(extensions: Extension[] | undefined, name: ExtensionName): ExtensionValue | null {
  return extValues(extensions, name)[0] ?? null;
}

export function extText(extensions: Extension[] | undefined, name: ExtensionName): string | null {
  const value = extValue(extensions, name);
  return value === null ? null : String(value);
}

/** A code of `system` in a concept, or null. */
export function codeIn(concept: CodeableConcept | undefined, system: string): string | null {
  return concept?.coding?.find((c) => c.system === system)?.code ?? null;
}

/** Reads a two-way table backwards: the key whose value is `value`. */
export function keyOf<K extends string>(table: Record<K, string>, value: string | undefined): K | undefined {
  return (Object.keys(table) as K[]).find((key) => table[key] === value);
}

export const GENDER = { Male: 'male', Female: 'female', Other: 'other', Unknown: 'unknown' } as const;

/** v3 MaritalStatus; "other" has no code there, so it is the null flavour OTH. */
export const MARITAL_STATUS = { single: 'S', married: 'M', divorced: 'D', widowed: 'W', partnered: 'T', other: 'OTH' } as const;

/** Our visit statuses onto FHIR's Appointment.status, one to one so an import reads them back. */
export const APPOINTMENT_STATUS = {
  scheduled: 'booked',
  confirmed: 'pending',
  checked_in: 'checked-in',
  in_progress: 'arrived',
  completed: 'fulfilled',
  cancelled: 'cancelled',
  no_show: 'noshow',
} as const;

/** HL7 v2 table 0276 where a visit type has a code there; ours are always given too. */
export const V2_APPOINTMENT_REASON: Record<string, string> = {
  consultation: 'ROUTINE',
  follow_up: 'FOLLOWUP',
  check_up: 'CHECKUP',
  emergency: 'EMERGENCY',
};

export const PRESCRIPTION_STATUS = {
  active: 'active',
  completed: 'completed',
  discontinued: 'stopped',
  cancelled: 'cancelled',
  on_hold: 'on-hold',
} as const;

/** FHIR's ServiceRequest.status is coarser than a test's steps: the exact step is in an extension. */
export const TEST_REQUEST_STATUS = {
  ordered: 'active',
  sample_collected: 'active',
  in_progress: 'active',
  completed: 'completed',
  verified: 'completed',
  cancelled: 'revoked',
} as const;

export const REPORT_STATUS = { draft: 'registered', preliminary: 'preliminary', final: 'final', amended: 'amended' } as const;

export const FLAG_INTERPRETATION = {
  normal: 'N',
  low: 'L',
  high: 'H',
  critical_low: 'LL',
  critical_high: 'HH',
  critical: 'AA',
  abnormal: 'A',
} as const;

/** Vital signs as LOINC observations (FHIR's vital signs profile) with UCUM units. */
export const VITAL_CODES: Record<Exclude<VitalSign, 'bp_systolic' | 'bp_diastolic'>, { loinc: string; display: string; unit: string }> = {
  pulse: { loinc: '8867-4', display: 'Heart rate', unit: '/min' },
  temperature_c: { loinc: '8310-5', display: 'Body temperature', unit: 'Cel' },
  respiratory_rate: { loinc: '9279-1', display: 'Respiratory rate', unit: '/min' },
  spo2: { loinc: '2708-6', display: 'Oxygen saturation in Arterial blood', unit: '%' },
  weight_kg: { loinc: '29463-7', display: 'Body weight', unit: 'kg' },
  height_cm: { loinc: '8302-2', display: 'Body height', unit: 'cm' },
  glucose_mmol_l: { loinc: '15074-8', display: 'Glucose [Moles/volume] in Blood', unit: 'mmol/L' },
};
export const BLOOD_PRESSURE = { panel: '85354-9', systolic: '8480-6', diastolic: '8462-4' } as const;
export const BMI_LOINC = '39156-5';

/** The catalog's units as UCUM codes; a unit not listed travels as text only. */
export const UCUM: Record<string, string> = {
  'g/L': 'g/L',
  'mmol/L': 'mmol/L',
  'mmol/mol': 'mmol/mol',
  'µmol/L': 'umol/L',
  'nmol/L': 'nmol/L',
  'pmol/L': 'pmol/L',
  'mU/L': 'm[IU]/L',
  'U/L': 'U/L',
  'mg/L': 'mg/L',
  'µg/L': 'ug/L',
  'ng/L': 'ng/L',
  fL: 'fL',
  'L/L': 'L/L',
  '×10⁹/L': '10*9/L',
  'mL/min/1.73m2': 'mL/min/{1.73_m2}',
};
