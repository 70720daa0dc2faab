import { describe, expect, it } from 'vitest';
import { LAB_CATALOG, isFinding, type NumericAnalyte } from './lab-catalog';
import { boundsOf, referenceRangeFor, resultEntryFor, trendOf, type LabTest, type ResultEntry } from './results';

const analyte = (code: string) => LAB_CATALOG.flatMap((test) => test.analytes).find((a) => a.code === code) as NumericAnalyte;

describe('the catalog', () => {
  it('has unique codes, a unit and a range for every measured analyte, and critical limits outside the range', () => {
    const codes = LAB_CATALOG.map((test) => test.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const test of LAB_CATALOG) {
      const analyteCodes = test.analytes.map((a) => a.code);
      expect(new Set(analyteCodes).size, test.code).toBe(analyteCodes.length);
      for (const a of test.analytes) {
        if (isFinding(a)) {
          expect(a.options, a.code).toContain(a.expected);
          continue;
        }
        expect(a.ranges.length, a.code).toBeGreaterThan(0);
        for (const range of a.ranges) {
          if (range.low !== undefined && range.high !== undefined) expect(Number(range.low), a.code).toBeLessThan(Number(range.high));
          if (a.criticalLow !== undefined && range.low !== undefined) expect(Number(a.criticalLow), a.code).toBeLessThan(Number(range.low));
          if (a.criticalHigh !== undefined && range.high !== undefined)
            expect(Number(a.criticalHigh), a.code).toBeGreaterThan(Number(range.high));
        }
      }
    }
  });
});

describe('the reference range for a patient', () => {
  it('is chosen by sex and age band', () => {
    const haemoglobin = analyte('HGB').ranges;
    expect(referenceRangeFor(haemoglobin, 'Male', 40)).toEqual({ low: '130', high: '180', basis: 'Male, 18 years and over' });
    expect(referenceRangeFor(haemoglobin, 'Female', 18)).toEqual({ low: '115', high: '165', basis: 'Female, 18 years and over' });
    expect(referenceRangeFor(haemoglobin, 'Male', 17)).toEqual({ low: '120', high: '160', basis: '12–17 years' });
    expect(referenceRangeFor(haemoglobin, 'Female', 0)).toBeNull();
  });

  it('is the widest of the sexes when the sex is not recorded', () => {
    expect(referenceRangeFor(analyte('HGB').ranges, 'Unknown', 50)).toEqual({
      low: '115',
      high: '180',
      basis: '18 years and over, sex not recorded',
    });
    // HDL has only a lower limit for each sex.
    expect(referenceRangeFor(analyte('HDL').ranges, null, 50)).toEqual({
      low: '1.0',
      high: undefined,
      basis: '18 years and over, sex not recorded',
    });
  });

  it('goes into the stored entry with its critical limits (the database adds the flag)', () => {
    expect(resultEntryFor(analyte('K'), '6.8', 'Male', 56)).toEqual({
      code: 'K',
      parameter: 'Potassium',
      value: '6.8',
      unit: 'mmol/L',
      low: '3.5',
      high: '5.3',
      critical_low: '2.5',
      critical_high: '6.5',
      reference_range: '3.5–5.3',
      range_basis: '1 year and over',
    });
    expect(resultEntryFor(analyte('LDL'), '3.4', 'Female', 60)).toMatchObject({ reference_range: '< 3.0', high: '3.0' });
    expect(resultEntryFor(analyte('HGB'), '90', 'Female', 0)).not.toHaveProperty('low');
  });
});

describe('trends', () => {
  const entry = (parameter: string, value: string, extra: Partial<ResultEntry>): ResultEntry => ({
    parameter,
    value,
    unit: 'g/L',
    reference_range: null,
    flag: null,
    ...extra,
  });
  const test = (at: string, entries: ResultEntry[]) =>
    ({ ordered_at: at, collected_at: null, report: { result_values: entries } }) as unknown as LabTest;

  it('read the ranges of reports written before the catalog, and run oldest first', () => {
    expect(boundsOf(entry('LDL', '4.0', { reference_range: '<3.0' }))).toEqual({ low: null, high: 3 });
    expect(boundsOf(entry('HDL', '0.9', { reference_range: '>1.0' }))).toEqual({ low: 1, high: null });
    const tests = [
      test('2026-11-01T10:00:00.000Z', [entry('Haemoglobin', '128', { low: '115', high: '165', flag: 'normal' })]),
      test('2026-05-01T10:00:00.000Z', [entry('Haemoglobin', '104', { reference_range: '115-165', flag: 'low' })]),
      test('2026-06-01T10:00:00.000Z', [entry('Haemoglobin', 'haemolysed', {})]),
    ];
    expect(trendOf(tests, 'Haemoglobin')).toEqual([
      { at: '2026-05-01T10:00:00.000Z', value: 104, flag: 'low', low: 115, high: 165 },
      { at: '2026-11-01T10:00:00.000Z', value: 128, flag: 'normal', low: 115, high: 165 },
    ]);
  });
});
