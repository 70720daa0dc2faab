import { describe, expect, it } from 'vitest';
import { readImportRows, type ImportRowText } from '../../../shared/patient-import';
import { readRowsOnTwoThreads } from './reading';

const locale = { language: 'en-GB', phoneCountry: 'GB' as const };

/** A chunk of a file with a bad row every so often, in both halves. */
const chunk: ImportRowText[] = Array.from({ length: 3001 }, (_, i) => ({
  first_name: i % 250 === 7 ? '' : `Ann${i}`,
  last_name: 'Lee',
  date_of_birth: i % 400 === 13 ? '31/02/1970' : `0${(i % 9) + 1}/02/1970`,
  gender: i % 2 ? 'F' : 'M',
  phone: i % 333 === 5 ? '0770' : `07700 9${String(i).padStart(5, '0')}`,
}));

describe('reading a chunk of an import on two threads', () => {
  it('gives exactly what one thread gives: the same patients and errors, in row order', async () => {
    const alone = readImportRows(chunk, 2, locale, '2026-11-30');
    const shared = await readRowsOnTwoThreads(chunk, 2, locale, '2026-11-30');
    expect(alone.errors.length).toBeGreaterThan(20);
    expect(shared).toEqual(alone);
    expect(shared.patients.map((patient) => patient.row)).toEqual([...shared.patients.map((patient) => patient.row)].sort((a, b) => a - b));
  });
});
