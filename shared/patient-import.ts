import type { CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { parseTypedDate } from './dates';
import { patientDetails, type PatientDetails } from './patients';
import { readPhoneNumber } from './phones';
import { unsafeTextReason } from './text';

/**
 * Importing patients from a spreadsheet or an old system. The file is read in the renderer
 * (papaparse) and its columns mapped to these fields there; the rows go to the backend in
 * chunks, as text, and both sides read them with `readImportRow`: the screen for its preview
 * and errors, the backend again because the screen is not trusted.
 */
export const IMPORT_FIELDS = [
  'first_name',
  'middle_name',
  'last_name',
  'date_of_birth',
  'gender',
  'phone',
  'alternate_phone',
  'email',
  'address_line1',
  'address_line2',
  'city',
  'postal_code',
  'country',
  'national_id',
  'insurance_number',
  'notes',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export const IMPORT_FIELD_LABELS: Record<ImportField, string> = {
  first_name: 'First name',
  middle_name: 'Middle name',
  last_name: 'Last name',
  date_of_birth: 'Date of birth',
  gender: 'Sex',
  phone: 'Phone',
  alternate_phone: 'Other phone',
  email: 'Email',
  address_line1: 'Address',
  address_line2: 'Address line 2',
  city: 'Town or city',
  postal_code: 'Postcode',
  country: 'Country',
  national_id: 'NHS / national number',
  insurance_number: 'Insurance number',
  notes: 'Notes',
};

/** Header names old systems and spreadsheets use for each field, compared folded (case, spaces, punctuation). */
const HEADER_NAMES: Record<ImportField, string[]> = {
  first_name: ['first name', 'firstname', 'forename', 'forenames', 'given name', 'given names', 'first'],
  middle_name: ['middle name', 'middle names', 'middle', 'second name'],
  last_name: ['last name', 'lastname', 'surname', 'family name', 'last'],
  date_of_birth: ['date of birth', 'dob', 'birth date', 'birthdate', 'born', 'birthday'],
  gender: ['sex', 'gender'],
  phone: ['phone', 'telephone', 'tel', 'phone number', 'mobile', 'mobile phone', 'cell', 'cell phone', 'contact number'],
  alternate_phone: ['other phone', 'alternate phone', 'home phone', 'work phone', 'landline', 'phone 2', 'second phone'],
  email: ['email', 'e mail', 'email address'],
  address_line1: ['address', 'address 1', 'address line 1', 'street', 'street address', 'address1'],
  address_line2: ['address 2', 'address line 2', 'address2'],
  city: ['city', 'town', 'town city', 'locality'],
  postal_code: ['postcode', 'post code', 'postal code', 'zip', 'zip code', 'zipcode'],
  country: ['country'],
  national_id: ['nhs number', 'nhs no', 'nhs', 'national id', 'national number', 'id number', 'chi number'],
  insurance_number: ['insurance number', 'insurance no', 'policy number', 'insurance', 'membership number'],
  notes: ['notes', 'note', 'comments', 'remarks'],
};

const foldHeader = (header: string) =>
  header
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** Which column (by index) each field comes from; null when the file has none for it. */
export type ColumnMapping = Record<ImportField, number | null>;

/**
 * The mapping guessed from the file's header names; a column is given to one field at most
 * (the first "Phone" column is the phone, a second "Mobile" the other phone).
 */
export function guessMapping(headers: readonly string[]): ColumnMapping {
  const folded = headers.map(foldHeader);
  const taken = new Set<number>();
  const mapping = Object.fromEntries(IMPORT_FIELDS.map((field) => [field, null])) as ColumnMapping;
  for (const field of IMPORT_FIELDS) {
    const column = folded.findIndex((header, i) => !taken.has(i) && HEADER_NAMES[field].includes(header));
    if (column >= 0) {
      mapping[field] = column;
      taken.add(column);
    }
  }
  // A second phone-like column ("Mobile" beside "Phone") is the other phone.
  if (mapping.phone !== null && mapping.alternate_phone === null) {
    const other = folded.findIndex((header, i) => !taken.has(i) && HEADER_NAMES.phone.includes(header));
    if (other >= 0) mapping.alternate_phone = other;
  }
  return mapping;
}

/** One row of the file as text, by field (what the mapping took from its columns). */
export type ImportRowText = Partial<Record<ImportField, string>>;

export function mappedRow(cells: readonly string[], mapping: ColumnMapping): ImportRowText {
  const row: ImportRowText = {};
  for (const field of IMPORT_FIELDS) {
    const column = mapping[field];
    if (column !== null) row[field] = cells[column] ?? '';
  }
  return row;
}

/** How the clinic writes dates (its language) and reads national phone numbers (its country). */
export interface ImportLocale {
  language: string;
  phoneCountry?: CountryCode | undefined;
}

export interface RowError {
  /** The row's number as a spreadsheet shows it: the header is row 1, the first patient row 2. */
  row: number;
  field: ImportField;
  message: string;
}

/** A patient ready to store, with the E.164 keys search and the duplicate check compare. */
export interface ImportedPatient {
  row: number;
  details: PatientDetails;
  phone_e164: string | null;
  alternate_phone_e164: string | null;
}

const SEXES: Record<string, PatientDetails['gender']> = {
  m: 'Male',
  male: 'Male',
  man: 'Male',
  f: 'Female',
  female: 'Female',
  woman: 'Female',
  o: 'Other',
  other: 'Other',
  u: 'Unknown',
  unknown: 'Unknown',
  'not known': 'Unknown',
  x: 'Other',
};

function readDate(text: string, locale: ImportLocale, today: string): { value?: string; error?: string } {
  if (text === '') return { error: 'The date of birth is missing.' };
  const date = parseTypedDate(text, locale.language);
  if (!date) {
    const usual = locale.language === 'en-US' ? 'mm/dd/yyyy' : 'dd/mm/yyyy';
    return { error: `“${text}” is not a date: write ${usual} or yyyy-mm-dd.` };
  }
  if (date > today) return { error: `The date of birth ${text} is in the future.` };
  if (date < '1890-01-01') return { error: `Check the year of birth (${text}).` };
  return { value: date };
}

/** A phone as the file gives it: the key a registration would store, if it can be a whole number here. */
function readPhone(text: string, locale: ImportLocale): { value: string | null; error?: string } {
  if (text === '') return { value: null };
  // One reading gives both: the number stored is the number checked (and libphonenumber reads each phone once).
  const { key, possible } = readPhoneNumber(text, locale.phoneCountry);
  if (!/^[0-9 ()+./-]+$/.test(text) || !possible) {
    return { value: null, error: `“${text}” is not a phone number here: write it as dialled in the country, or with its +code.` };
  }
  return { value: key };
}

/** Field names of patientDetails that come from a field of the file under another name. */
const DETAIL_FIELD: Partial<Record<string, ImportField>> = { insurance_info: 'insurance_number' };

/**
 * One row read the clinic's way: the patient to store, or every problem found in it, each
 * with its field. `today` is the clinic's date (no birth date after it).
 */
export function readImportRow(
  text: ImportRowText,
  row: number,
  locale: ImportLocale,
  today: string,
): { patient: ImportedPatient; errors?: never } | { patient?: never; errors: RowError[] } {
  const errors: RowError[] = [];
  const problem = (field: ImportField, message: string) => errors.push({ row, field, message });
  const value = (field: ImportField) => (text[field] ?? '').trim();
  for (const field of IMPORT_FIELDS) {
    const unsafe = unsafeTextReason(value(field));
    if (unsafe) problem(field, unsafe);
  }
  if (errors.length > 0) return { errors };
  if (value('first_name') === '') problem('first_name', 'The first name is missing.');
  if (value('last_name') === '') problem('last_name', 'The last name is missing.');
  const birth = readDate(value('date_of_birth'), locale, today);
  if (birth.error) problem('date_of_birth', birth.error);
  const sexText = value('gender').toLowerCase();
  const gender = sexText === '' ? 'Unknown' : SEXES[sexText];
  if (!gender) problem('gender', `“${value('gender')}” is not a sex the clinic records: write M, F, Other or Unknown.`);
  const phone = readPhone(value('phone'), locale);
  if (phone.error) problem('phone', phone.error);
  const alternate = readPhone(value('alternate_phone'), locale);
  if (alternate.error) problem('alternate_phone', alternate.error);

  const parsed = patientDetails.safeParse({
    first_name: value('first_name'),
    middle_name: value('middle_name'),
    last_name: value('last_name'),
    date_of_birth: birth.value ?? '1890-01-01',
    gender: gender ?? 'Unknown',
    phone: phone.error ? '' : value('phone'),
    alternate_phone: alternate.error ? '' : value('alternate_phone'),
    email: value('email'),
    address_line1: value('address_line1'),
    address_line2: value('address_line2'),
    city: value('city'),
    postal_code: value('postal_code'),
    country: value('country'),
    national_id: value('national_id'),
    insurance_info: value('insurance_number') === '' ? {} : { policy_number: value('insurance_number') },
    notes: value('notes'),
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0]);
      const field = DETAIL_FIELD[key] ?? (key as ImportField);
      if (!errors.some((error) => error.field === field)) problem(field, issue.message);
    }
  }
  if (errors.length > 0 || !parsed.success) return { errors };
  return { patient: { row, details: parsed.data, phone_e164: phone.value, alternate_phone_e164: alternate.value } };
}

/** Rows read in order, from spreadsheet row `firstRow` on: the patients to store, and every problem found. */
export function readImportRows(
  rows: readonly ImportRowText[],
  firstRow: number,
  locale: ImportLocale,
  today: string,
): { patients: ImportedPatient[]; errors: RowError[] } {
  const patients: ImportedPatient[] = [];
  const errors: RowError[] = [];
  rows.forEach((text, i) => {
    const read = readImportRow(text, firstRow + i, locale, today);
    if (read.patient) patients.push(read.patient);
    else errors.push(...read.errors);
  });
  return { patients, errors };
}

/** Accents, case and punctuation aside, as the database's fold_name compares names. */
export function foldName(name: string): string {
  // Plain ASCII (most names): nothing to decompose, the same result sooner.
  if (/^[^\u0080-\uffff]*$/.test(name)) {
    return name
      .toLowerCase()
      .replace(/'/g, '')
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  }
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Why a row may be someone already in the clinic or earlier in the file. */
export type DuplicateReason = 'same_phone' | 'similar_name_same_birth_date';

export interface ImportDuplicate {
  row: number;
  reason: DuplicateReason;
  /** An existing patient of the clinic, or null when it is an earlier row of the file. */
  patient: { id: string; patient_number: string; first_name: string; last_name: string; date_of_birth: string } | null;
  /** The earlier row of the file it repeats, when it is one. */
  same_as_row: number | null;
}

/**
 * Rows that repeat an earlier row of the file: the same name and birth date, or the same phone
 * (the rule the database applies against existing patients, with names compared folded).
 * `seen` carries the keys from chunk to chunk.
 */
export function duplicatesWithinFile(patients: readonly ImportedPatient[], seen: Map<string, number>): ImportDuplicate[] {
  const found: ImportDuplicate[] = [];
  for (const patient of patients) {
    const { details } = patient;
    const keys: [string, DuplicateReason][] = [
      [`name:${foldName(details.first_name)}|${foldName(details.last_name)}|${details.date_of_birth}`, 'similar_name_same_birth_date'],
    ];
    for (const phone of new Set([patient.phone_e164, patient.alternate_phone_e164])) if (phone) keys.push([`phone:${phone}`, 'same_phone']);
    const reported = new Set<number>();
    for (const [key, reason] of keys) {
      const earlier = seen.get(key);
      if (earlier === undefined) seen.set(key, patient.row);
      else if (!reported.has(earlier)) {
        reported.add(earlier);
        found.push({ row: patient.row, reason, patient: null, same_as_row: earlier });
      }
    }
  }
  return found;
}

/** At most this many rows per request (the wire takes 8 MB a request; a row is well under 1 kB). */
export const IMPORT_CHUNK_ROWS = 5000;

const rowText = z.partialRecord(z.enum(IMPORT_FIELDS), z.string().max(2000, 'A cell holds at most 2,000 characters.'));

/** A chunk of the file, checked and kept by the backend until the import is confirmed. */
export const stageImportInput = z.object({
  import_id: z.uuid(),
  /** The spreadsheet row number of the chunk's first row. */
  first_row: z.number().int().min(2),
  rows: z.array(rowText).min(1).max(IMPORT_CHUNK_ROWS),
});

/** What checking a chunk found: rows with errors, and rows that may be patients already here or earlier in the file. */
export interface StagedChunk {
  checked: number;
  errors: RowError[];
  duplicates: ImportDuplicate[];
}

export const importPatientsInput = z.object({
  import_id: z.uuid(),
  /** How many rows the screen checked: the backend must hold exactly those. */
  rows: z.number().int().min(1),
  /** The user chose to leave rows with errors out (otherwise any error refuses the import). */
  skip_errors: z.boolean(),
  /** The user chose to leave possible duplicates out (otherwise they are imported as new patients). */
  skip_duplicates: z.boolean(),
});

export const importProgressInput = z.object({ import_id: z.uuid() });

export interface ImportProgress {
  checked: number;
  written: number;
  /** Rows being written, once the import started. */
  writing: number;
}

export interface ImportResult {
  imported: number;
  skipped_errors: number;
  skipped_duplicates: number;
  /** The first and last patient numbers given, when any were. */
  first_number: string | null;
  last_number: string | null;
}
