import { describe, expect, it } from 'vitest';
import { FIRST_NAMES, SURNAMES } from '../bench/names';
import {
  duplicatesWithinFile,
  foldName,
  guessMapping,
  mappedRow,
  readImportRow,
  type ImportedPatient,
  type ImportLocale,
} from './patient-import';

const GB: ImportLocale = { language: 'en-GB', phoneCountry: 'GB' };
const TODAY = '2026-11-30';

const good = { first_name: 'Zoë', last_name: 'García López', date_of_birth: '17/05/1980', gender: 'F', phone: '07700 900123' };
const errorsOf = (row: Record<string, string>, locale = GB) => readImportRow(row, 2, locale, TODAY).errors ?? [];

describe('column mapping', () => {
  it('guesses the fields from the header names old systems use', () => {
    const mapping = guessMapping([
      'Surname',
      'First name',
      'DOB',
      'Gender',
      'Mobile',
      'Home phone',
      'E-mail',
      'Address',
      'Post code',
      'NHS number',
      'Shoe size',
    ]);
    expect(mapping).toMatchObject({
      last_name: 0,
      first_name: 1,
      date_of_birth: 2,
      gender: 3,
      phone: 4,
      alternate_phone: 5,
      email: 6,
      address_line1: 7,
      postal_code: 8,
      national_id: 9,
      middle_name: null,
    });
    expect(Object.values(mapping)).not.toContain(10);
  });

  it('reads "Last name", "Date of birth", "Sex", "Insurance number" and gives a second phone column to the other phone', () => {
    expect(guessMapping(['FIRST NAME', 'Last name', 'Date of birth', 'Sex', 'Phone', 'Mobile', 'Insurance number'])).toMatchObject({
      first_name: 0,
      last_name: 1,
      date_of_birth: 2,
      gender: 3,
      phone: 4,
      alternate_phone: 5,
      insurance_number: 6,
    });
  });

  it('takes each field from the column chosen for it', () => {
    const mapping = { ...guessMapping(['a', 'b']), first_name: 1, last_name: 0 };
    expect(mappedRow(['Smith', 'Anna'], mapping)).toEqual({ first_name: 'Anna', last_name: 'Smith' });
  });
});

describe('reading a row', () => {
  it('stores the clinic’s dates, sex words and phones as a registration would', () => {
    const { patient } = readImportRow({ ...good, alternate_phone: '+44 20 7946 0000', insurance_number: 'AX-1' }, 7, GB, TODAY);
    expect(patient).toMatchObject({
      row: 7,
      details: {
        first_name: 'Zoë',
        last_name: 'García López',
        date_of_birth: '1980-05-17',
        gender: 'Female',
        insurance_info: { policy_number: 'AX-1' },
      },
      phone_e164: '+447700900123',
      alternate_phone_e164: '+442079460000',
    });
    expect(readImportRow({ ...good, date_of_birth: '1980-05-17', gender: '' }, 2, GB, TODAY).patient?.details).toMatchObject({
      date_of_birth: '1980-05-17',
      gender: 'Unknown',
    });
    // US English writes the month first.
    expect(readImportRow({ ...good, date_of_birth: '05/17/1980' }, 2, { language: 'en-US', phoneCountry: 'US' }, TODAY).errors).toEqual([
      expect.objectContaining({ field: 'phone' }),
    ]);
  });

  it.each([
    ['a missing first name', { first_name: ' ' }, 'first_name', /first name is missing/],
    ['a missing last name', { last_name: '' }, 'last_name', /last name is missing/],
    ['a missing birth date', { date_of_birth: '' }, 'date_of_birth', /missing/],
    ['a date that does not exist', { date_of_birth: '31/02/1990' }, 'date_of_birth', /not a date: write dd\/mm\/yyyy or yyyy-mm-dd/],
    ['text for a date', { date_of_birth: 'last May' }, 'date_of_birth', /not a date/],
    ['a birth date in the future', { date_of_birth: '01/12/2026' }, 'date_of_birth', /in the future/],
    ['a phone of letters', { phone: '0770 ABC' }, 'phone', /not a phone number/],
    ['a phone too short', { phone: '123' }, 'phone', /not a phone number/],
    ['a mobile two digits short', { phone: '07275 4435' }, 'phone', /not a phone number/],
    ['a bad email', { email: 'anna@' }, 'email', /valid email/],
    ['an unknown sex', { gender: 'Q' }, 'gender', /not a sex the clinic records/],
  ])('reports %s beside its column', (_, change, field, message) => {
    expect(errorsOf({ ...good, ...change })).toEqual([{ row: 2, field, message: expect.stringMatching(message) }]);
  });

  it('reports every problem of a row, not only the first', () => {
    expect(errorsOf({ first_name: '', last_name: '', date_of_birth: 'x', gender: 'Q' }).map((error) => error.field)).toEqual([
      'first_name',
      'last_name',
      'date_of_birth',
      'gender',
    ]);
  });
});

describe('folding names', () => {
  it('folds plain ASCII by its short way exactly as by the full one, for every character and many names', () => {
    const ascii = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code));
    const samples = [
      ...ascii,
      ...ascii.map((c) => `Mary${c}Ann  O${c}Neil `),
      ...FIRST_NAMES.map((first, i) => `${first} ${SURNAMES[(i * 7) % SURNAMES.length]}`).filter((name) =>
        /^[^\u0080-\uffff]*$/.test(name),
      ),
    ];
    // A combining mark alone is dropped by the full way, and makes the text take it.
    const byFullWay = (name: string) => foldName(`${name}\u0301`);
    expect(samples.filter((name) => foldName(name) !== byFullWay(name))).toEqual([]);
    expect(foldName("  D'Arcy-SMITH\tjr. ")).toBe('darcy smith jr');
  });
});

describe('duplicates within the file', () => {
  const patient = (row: number, change: Record<string, string> = {}): ImportedPatient =>
    readImportRow({ ...good, ...change }, row, GB, TODAY).patient!;

  it('finds a repeated name and birth date (accents aside) and a repeated phone, across chunks', () => {
    const seen = new Map<string, number>();
    expect(duplicatesWithinFile([patient(2), patient(3, { first_name: 'Zoe', phone: '' })], seen)).toEqual([
      { row: 3, reason: 'similar_name_same_birth_date', patient: null, same_as_row: 2 },
    ]);
    expect(duplicatesWithinFile([patient(4, { first_name: 'Ann', last_name: 'Other', phone: '+44 7700 900123' })], seen)).toEqual([
      { row: 4, reason: 'same_phone', patient: null, same_as_row: 2 },
    ]);
    expect(duplicatesWithinFile([patient(5, { first_name: 'Bea', last_name: 'Other', phone: '07700 900999' })], seen)).toEqual([]);
  });
});
