import { z } from 'zod';
import { isoDate } from './dates';
import { optionalText, personName } from './text';

/** Phone numbers in any formatting; 6 to 15 digits (E.164 allows 15). */
export const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ().-]*$/, 'Use digits, spaces, +, -, ( ) only.')
  .refine((value) => {
    const digits = value.replace(/\D/g, '').length;
    return digits >= 6 && digits <= 15;
  }, 'A phone number has 6 to 15 digits.');
// Trimmed before the union, so a field holding only spaces counts as left empty.
export const optionalPhone = z
  .string()
  .trim()
  .pipe(z.union([z.literal(''), phone]))
  .transform((value) => (value === '' ? null : value))
  .nullable()
  .optional();

export const GENDERS = ['Male', 'Female', 'Other', 'Unknown'] as const;
export const BLOOD_GROUPS = ['A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-'] as const;
export const MARITAL_STATUSES = ['single', 'married', 'divorced', 'widowed', 'partnered', 'other'] as const;
export const ALLERGY_SEVERITIES = ['mild', 'moderate', 'severe'] as const;

export const allergy = z.object({
  substance: z.string().trim().min(1, 'Name the allergen.').max(100, 'Allergen name is too long.'),
  reaction: optionalText('Reaction', 200),
  severity: z.enum(ALLERGY_SEVERITIES, { message: 'Choose mild, moderate or severe.' }),
});
export type Allergy = z.infer<typeof allergy>;

export const historyEntry = z.object({
  condition: z.string().trim().min(1, 'Name the condition.').max(200, 'Condition is too long.'),
  since: optionalText('Since', 20),
  notes: optionalText('Notes', 500),
});
export type HistoryEntry = z.infer<typeof historyEntry>;

export const medication = z.object({
  name: z.string().trim().min(1, 'Name the medication.').max(200, 'Medication name is too long.'),
  dose: optionalText('Dose', 100),
  frequency: optionalText('Frequency', 100),
});
export type Medication = z.infer<typeof medication>;

export const insurance = z.object({
  provider: optionalText('Insurer', 200),
  policy_number: optionalText('Policy number', 100),
  group_number: optionalText('Group number', 100),
  valid_until: isoDate.nullable().optional(),
});
export type Insurance = z.infer<typeof insurance>;

const email = z
  .string()
  .trim()
  .pipe(z.union([z.literal(''), z.string().max(254).email('Enter a valid email address, like name@example.com.')]))
  .transform((value) => (value === '' ? null : value))
  .nullable()
  .optional();

/** Everything reception records about a patient (the seed's patients table, in its words). */
export const patientDetails = z.object({
  first_name: personName('First name').pipe(z.string().min(1, 'Enter the first name.')),
  middle_name: personName('Middle name')
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .optional(),
  last_name: personName('Last name').pipe(z.string().min(1, 'Enter the last name.')),
  date_of_birth: isoDate
    .refine((value) => value >= '1890-01-01', 'Check the year of birth.')
    .refine(
      // Compared as text against tomorrow in UTC so no timezone can reject a real birthday.
      (value) => value <= new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
      'The date of birth cannot be in the future.',
    ),
  gender: z.enum(GENDERS, { message: 'Choose a gender.' }),
  blood_group: z.enum(BLOOD_GROUPS).nullable().optional(),
  marital_status: z.enum(MARITAL_STATUSES).nullable().optional(),
  occupation: optionalText('Occupation', 100),
  preferred_language: optionalText('Language', 50),
  national_id: optionalText('National id', 50),
  email,
  phone: optionalPhone,
  alternate_phone: optionalPhone,
  address_line1: optionalText('Address', 200),
  address_line2: optionalText('Address', 200),
  city: optionalText('City', 100),
  state: optionalText('County / state', 100),
  postal_code: optionalText('Postcode', 20),
  country: optionalText('Country', 100),
  emergency_contact_name: optionalText('Emergency contact', 200),
  emergency_contact_phone: optionalPhone,
  emergency_contact_relationship: optionalText('Relationship', 50),
  allergies: z.array(allergy).max(50, 'At most 50 allergies.').default([]),
  medical_history: z.array(historyEntry).max(100, 'At most 100 history entries.').default([]),
  current_medications: z.array(medication).max(100, 'At most 100 medications.').default([]),
  insurance_info: insurance.default({}),
  alerts: optionalText('Alerts', 500),
  primary_care_physician_id: z.uuid('Choose a doctor from the list.').nullable().optional(),
  notes: optionalText('Notes', 2000),
});
export type PatientDetails = z.infer<typeof patientDetails>;
export type PatientDetailsInput = z.input<typeof patientDetails>;

export const patientId = z.object({ id: z.uuid('Unknown patient.') });

export const searchPatientsInput = z.object({
  query: z.string().max(100, 'Type at most 100 characters.'),
  limit: z.number().int().min(1).max(50).default(20),
});

export const findDuplicatesInput = z.object({
  first_name: z.string().trim().max(100),
  last_name: z.string().trim().max(100),
  date_of_birth: isoDate.nullable().optional(),
  phone: z.string().trim().max(40).nullable().optional(),
  /** When editing: the patient being edited is not their own duplicate. */
  exclude_id: z.uuid().nullable().optional(),
});

export const registerPatientInput = z.object({
  patient: patientDetails,
  /** The receptionist saw the possible duplicates and confirmed this is someone else. */
  duplicates_acknowledged: z.boolean().default(false),
});

export const updatePatientInput = z.object({ id: z.uuid('Unknown patient.'), patient: patientDetails });

export const archivePatientInput = z.object({
  id: z.uuid('Unknown patient.'),
  reason: z.string().trim().min(3, 'Say why this record is archived.').max(500, 'The reason is too long.'),
});

/** Two records of one person: the survivor keeps everything of both; the duplicate is archived pointing at it. */
export const mergePatientsInput = z.object({
  survivor_id: z.uuid('Choose the record to keep.'),
  duplicate_id: z.uuid('Choose the record to merge into it.'),
  reason: z.string().trim().min(3, 'Say why these records are merged.').max(500, 'The reason is too long.'),
});

/** What a merge moved, per table (only tables that had rows of the duplicate). */
export interface MergeResult {
  survivor_id: string;
  moved: Record<string, number>;
}

export const restorePatientInput = z.object({
  id: z.uuid('Unknown patient.'),
  reason: z.string().trim().max(500).optional(),
});

/** A row of the search results list. */
export interface PatientSearchResult {
  id: string;
  patient_number: string;
  first_name: string;
  middle_name: string | null;
  last_name: string;
  date_of_birth: string;
  gender: string;
  phone: string | null;
  email: string | null;
  allergies: Allergy[];
  alerts: string | null;
  match_kind: 'patient_number' | 'date_of_birth' | 'phone' | 'name' | 'similar_name';
  score: number;
}

export interface DuplicateCandidate {
  id: string;
  patient_number: string;
  first_name: string;
  last_name: string;
  date_of_birth: string;
  phone: string | null;
  /** Why it looks like the same person. */
  reasons: ('same_phone' | 'similar_name_same_birth_date')[];
}

/** A row of the admin's restore list. */
export interface ArchivedPatient {
  id: string;
  patient_number: string;
  first_name: string;
  last_name: string;
  date_of_birth: string;
  archived_at: string;
  /** The reason given when it was archived. */
  reason: string | null;
}

/** The full record, as the patient screen and header show it. */
export interface Patient extends PatientDetails {
  id: string;
  patient_number: string;
  created_at: string;
  updated_at: string;
  primary_care_physician_name: string | null;
}
