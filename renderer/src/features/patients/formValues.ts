import { parseTypedDate } from '../../../../shared/dates';
import type { Allergy, HistoryEntry, Medication, Patient, PatientDetails } from '../../../../shared/patients';
import { dateExample, typedDate } from '../../ui/dates';
import type { RegistrationStart } from './patientsDesk';

/** The single-value fields of `patientDetails`, edited as text (selects use '' for "not given"). */
const SCALAR_FIELDS = [
  'first_name',
  'middle_name',
  'last_name',
  'date_of_birth',
  'gender',
  'blood_group',
  'marital_status',
  'occupation',
  'preferred_language',
  'national_id',
  'email',
  'phone',
  'alternate_phone',
  'address_line1',
  'address_line2',
  'city',
  'state',
  'postal_code',
  'country',
  'emergency_contact_name',
  'emergency_contact_phone',
  'emergency_contact_relationship',
  'alerts',
  'primary_care_physician_id',
  'notes',
] as const satisfies readonly (keyof PatientDetails)[];
export type ScalarField = (typeof SCALAR_FIELDS)[number];

type AsText<T> = { [K in keyof T]-?: string };
type AllergyRow = AsText<Allergy>;
type HistoryRow = AsText<HistoryEntry>;
type MedicationRow = AsText<Medication>;

export type PatientFormValues = Record<ScalarField, string> & {
  insurance_info: AsText<PatientDetails['insurance_info']>;
  allergies: AllergyRow[];
  medical_history: HistoryRow[];
  current_medications: MedicationRow[];
};

export const EMPTY_ROWS = {
  allergies: { substance: '', reaction: '', severity: '' } satisfies AllergyRow,
  medical_history: { condition: '', since: '', notes: '' } satisfies HistoryRow,
  current_medications: { name: '', dose: '', frequency: '' } satisfies MedicationRow,
};

export function valuesFromStart(start: RegistrationStart, language: string): PatientFormValues {
  const blank = Object.fromEntries(SCALAR_FIELDS.map((field) => [field, ''])) as Record<ScalarField, string>;
  return {
    ...blank,
    first_name: start.first_name ?? '',
    last_name: start.last_name ?? '',
    date_of_birth: start.date_of_birth ? typedDate(start.date_of_birth, language) : '',
    phone: start.phone ?? '',
    insurance_info: { provider: '', policy_number: '', group_number: '', valid_until: '' },
    allergies: [],
    medical_history: [],
    current_medications: [],
  };
}

const textOf = (value: string | null | undefined) => value ?? '';

export function valuesFromPatient(patient: Patient, language: string): PatientFormValues {
  const scalars = Object.fromEntries(SCALAR_FIELDS.map((field) => [field, textOf(patient[field])])) as Record<ScalarField, string>;
  const insurance = patient.insurance_info;
  return {
    ...scalars,
    date_of_birth: typedDate(patient.date_of_birth, language),
    insurance_info: {
      provider: textOf(insurance.provider),
      policy_number: textOf(insurance.policy_number),
      group_number: textOf(insurance.group_number),
      valid_until: insurance.valid_until ? typedDate(insurance.valid_until, language) : '',
    },
    allergies: patient.allergies.map((a) => ({ substance: a.substance, reaction: textOf(a.reaction), severity: a.severity })),
    medical_history: patient.medical_history.map((h) => ({ condition: h.condition, since: textOf(h.since), notes: textOf(h.notes) })),
    current_medications: patient.current_medications.map((m) => ({
      name: m.name,
      dose: textOf(m.dose),
      frequency: textOf(m.frequency),
    })),
  };
}

/** A typed date as ISO; null when nothing was typed; undefined when it is not a date. */
function isoFromTyped(text: string, language: string): string | null | undefined {
  if (text.trim() === '') return null;
  return parseTypedDate(text, language) ?? undefined;
}

/**
 * The form as `patientDetails` input, plus messages for typed dates that are no date at all
 * (the schema only knows ISO dates, and would ask for "1980-05-17").
 */
export function detailsInput(values: PatientFormValues, language: string): { input: unknown; dateProblems: Record<string, string> } {
  const dateProblems: Record<string, string> = {};
  const example = `Use a date like ${dateExample(language)}.`;
  const birth = isoFromTyped(values.date_of_birth, language);
  if (birth === null) dateProblems.date_of_birth = 'Enter the date of birth.';
  if (birth === undefined) dateProblems.date_of_birth = example;
  const validUntil = isoFromTyped(values.insurance_info.valid_until, language);
  if (validUntil === undefined) dateProblems['insurance_info.valid_until'] = example;
  const orNull = (value: string) => (value === '' ? null : value);
  return {
    input: {
      ...values,
      date_of_birth: birth ?? '',
      blood_group: orNull(values.blood_group),
      marital_status: orNull(values.marital_status),
      primary_care_physician_id: orNull(values.primary_care_physician_id),
      insurance_info: { ...values.insurance_info, valid_until: validUntil ?? null },
    },
    dateProblems,
  };
}
