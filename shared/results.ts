import { z } from 'zod';
import type { Permission } from './permissions';
import { catalogTest, isFinding, type Analyte, type ReferenceRange } from './lab-catalog';
import { optionalText } from './text';

export const TEST_STATUSES = ['ordered', 'sample_collected', 'in_progress', 'completed', 'verified', 'cancelled'] as const;
export type TestStatus = (typeof TEST_STATUSES)[number];

export const TEST_STATUS_LABELS: Record<TestStatus, string> = {
  ordered: 'Ordered',
  sample_collected: 'Sample collected',
  in_progress: 'At the laboratory',
  completed: 'Results in, to verify',
  verified: 'Verified',
  cancelled: 'Cancelled',
};

/** The legal steps and who may take them: the same list as the database's (migration 014). */
export const TEST_STATUS_TRANSITIONS: readonly { from: TestStatus; to: TestStatus; permission: Permission }[] = [
  { from: 'ordered', to: 'sample_collected', permission: 'tests.report' },
  { from: 'sample_collected', to: 'in_progress', permission: 'tests.report' },
  { from: 'in_progress', to: 'completed', permission: 'tests.report' },
  { from: 'completed', to: 'verified', permission: 'tests.verify' },
  { from: 'ordered', to: 'cancelled', permission: 'tests.order' },
  { from: 'sample_collected', to: 'cancelled', permission: 'tests.order' },
  { from: 'in_progress', to: 'cancelled', permission: 'tests.order' },
];

export const PRIORITIES = ['routine', 'urgent', 'stat'] as const;
export type TestPriority = (typeof PRIORITIES)[number];

/** As the database computes them (result_flag, migration 014); "critical" is the demo's older word. */
export type ResultFlag = 'normal' | 'low' | 'high' | 'critical_low' | 'critical_high' | 'critical' | 'abnormal';

export const FLAG_MARKS: Record<ResultFlag, string> = {
  normal: '',
  low: 'L',
  high: 'H',
  critical_low: 'LL',
  critical_high: 'HH',
  critical: '!!',
  abnormal: 'A',
};

export const isCriticalFlag = (flag: ResultFlag | null): boolean =>
  flag === 'critical_low' || flag === 'critical_high' || flag === 'critical';

/** One analyte's result as stored: the value, the range it was read against, and the database's flag. */
export interface ResultEntry {
  code?: string;
  parameter: string;
  value: string;
  unit: string | null;
  low?: string;
  high?: string;
  critical_low?: string;
  critical_high?: string;
  expected?: string;
  /** The range as printed, e.g. "115–165" or "< 5.0". */
  reference_range: string | null;
  /** Whose range it is, e.g. "Female, 18 years and over". */
  range_basis?: string;
  flag: ResultFlag | null;
}

export type PatientSex = 'Male' | 'Female' | 'Other' | 'Unknown' | null;

function bandLabel(range: ReferenceRange): string {
  const who = range.sex === 'any' ? '' : range.sex === 'male' ? 'Male, ' : 'Female, ';
  if (range.minAge === undefined && range.maxAge === undefined) return who ? who.slice(0, -2) : 'All ages';
  if (range.maxAge === undefined) return `${who}${range.minAge} ${range.minAge === 1 ? 'year' : 'years'} and over`;
  return `${who}${range.minAge ?? 0}–${range.maxAge} years`;
}

export function printedRange(low: string | undefined, high: string | undefined): string | null {
  if (low !== undefined && high !== undefined) return `${low}–${high}`;
  if (high !== undefined) return `< ${high}`;
  if (low !== undefined) return `> ${low}`;
  return null;
}

/** The loosest of several bounds, as written; none when any of them is open. */
function widest(values: (string | undefined)[], pick: (...numbers: number[]) => number): string | undefined {
  if (values.includes(undefined)) return undefined;
  const loosest = pick(...values.map(Number));
  return values.find((value) => Number(value) === loosest);
}

const inBand = (range: ReferenceRange, age: number) => (range.minAge ?? 0) <= age && age <= (range.maxAge ?? Infinity);

/**
 * The range an analyte is read against for this patient: their sex and age in whole years when
 * the sample was taken. Where only sex-specific ranges exist and the sex is not recorded as male
 * or female, the widest of them (low of the lower, high of the higher), so nothing is flagged
 * that either would call normal.
 */
export function referenceRangeFor(
  ranges: readonly ReferenceRange[],
  sex: PatientSex,
  age: number,
): { low?: string; high?: string; basis: string } | null {
  const own = sex === 'Male' ? 'male' : sex === 'Female' ? 'female' : null;
  const match = ranges.find((range) => inBand(range, age) && (range.sex === 'any' || range.sex === own));
  if (match) return { low: match.low, high: match.high, basis: bandLabel(match) };
  if (own) return null;
  const either = ranges.filter((range) => inBand(range, age) && range.sex !== 'any');
  if (either.length === 0) return null;
  return {
    low: widest(
      either.map((range) => range.low),
      Math.min,
    ),
    high: widest(
      either.map((range) => range.high),
      Math.max,
    ),
    basis: `${bandLabel({ ...either[0]!, sex: 'any' })}, sex not recorded`,
  };
}

/** A value as entered for a catalog analyte, with the range that applies to the patient (the database adds the flag). */
export function resultEntryFor(analyte: Analyte, value: string, sex: PatientSex, age: number): Omit<ResultEntry, 'flag'> {
  if (isFinding(analyte)) {
    return {
      code: analyte.code,
      parameter: analyte.name,
      value,
      unit: null,
      expected: analyte.expected,
      reference_range: analyte.expected,
    };
  }
  const range = referenceRangeFor(analyte.ranges, sex, age);
  const defined = <T extends object>(entry: T) =>
    Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
  return defined({
    code: analyte.code,
    parameter: analyte.name,
    value,
    unit: analyte.unit || null,
    low: range?.low,
    high: range?.high,
    critical_low: analyte.criticalLow,
    critical_high: analyte.criticalHigh,
    reference_range: printedRange(range?.low, range?.high),
    range_basis: range?.basis ?? 'No reference range for this age',
  });
}

/** The low and high of a stored entry, also for reports written before 014 (a printed "115-165", "<5.0"). */
export function boundsOf(entry: ResultEntry): { low: number | null; high: number | null } {
  if (entry.low !== undefined || entry.high !== undefined) {
    return { low: entry.low === undefined ? null : Number(entry.low), high: entry.high === undefined ? null : Number(entry.high) };
  }
  const printed = (entry.reference_range ?? '').replace(/\s/g, '');
  const between = /^(-?[\d.]+)[-–](-?[\d.]+)$/.exec(printed);
  if (between) return { low: Number(between[1]), high: Number(between[2]) };
  const below = /^<(-?[\d.]+)$/.exec(printed);
  if (below) return { low: null, high: Number(below[1]) };
  const above = /^>(-?[\d.]+)$/.exec(printed);
  return { low: above ? Number(above[1]) : null, high: null };
}

/** One point of an analyte's history: when the sample was taken, the value and its range then. */
export interface TrendPoint {
  at: string;
  value: number;
  flag: ResultFlag | null;
  low: number | null;
  high: number | null;
}

/** An analyte's numeric results across a patient's tests, oldest first (the chart draws left to right). */
export function trendOf(tests: readonly LabTest[], parameter: string): TrendPoint[] {
  return tests
    .flatMap((test) =>
      (test.report?.result_values ?? [])
        .filter((entry) => entry.parameter === parameter && /^-?\d+(\.\d+)?$/.test(entry.value))
        .map((entry) => ({ at: test.collected_at ?? test.ordered_at, value: Number(entry.value), flag: entry.flag, ...boundsOf(entry) })),
    )
    .sort((a, b) => a.at.localeCompare(b.at));
}

const patientId = z.uuid('Choose a patient.');
const testId = z.uuid('Unknown test.');

export const orderTestInput = z
  .object({
    patientId,
    appointmentId: z.uuid().nullable().optional(),
    /** A test of the catalog, or … */
    catalogCode: z.string().nullable().optional(),
    /** … a test the catalog does not have, by name. */
    testName: optionalText('Test name', 200),
    priority: z.enum(PRIORITIES, { message: 'Choose routine, urgent or same day.' }).default('routine'),
    clinicalNotes: optionalText('Clinical details', 1000),
    /** Seen only by the ordering doctor and holders of records.confidential, results included. */
    isConfidential: z.boolean().default(false),
  })
  .superRefine((input, ctx) => {
    if (input.catalogCode && !catalogTest(input.catalogCode)) {
      ctx.addIssue({ code: 'custom', path: ['catalogCode'], message: 'Choose a test from the list.' });
    } else if (!input.catalogCode && !input.testName) {
      ctx.addIssue({ code: 'custom', path: ['testName'], message: 'Choose a test from the list or name it.' });
    }
  });
export type OrderTestInput = z.input<typeof orderTestInput>;

export const testInput = z.object({ testId });

export const advanceTestInput = z.object({
  testId,
  to: z.enum(['sample_collected', 'in_progress', 'cancelled'], { message: 'Unknown step.' }),
});

export const enterResultsInput = z.object({
  testId,
  /** Catalog analytes by code; a blank value is left out (not measured). */
  values: z.record(z.string(), z.string().trim().max(40, 'A result is 40 characters at most.')).default({}),
  findings: optionalText('Findings', 4000),
  interpretation: optionalText('Interpretation', 4000),
});
export type EnterResultsInput = z.input<typeof enterResultsInput>;

export const patientTestsInput = z.object({ patientId });

export interface TestReport {
  id: string;
  report_number: string;
  result_values: ResultEntry[];
  findings: string | null;
  interpretation: string | null;
  is_abnormal: boolean;
  is_critical: boolean;
  reported_by: string | null;
  reported_by_name: string | null;
  reported_at: string | null;
  verified_by_name: string | null;
  verified_at: string | null;
}

export interface LabTest {
  id: string;
  test_number: string;
  patient_id: string;
  patient_name: string;
  patient_number: string;
  patient_sex: PatientSex;
  /** Whole years when the sample was taken (or today): the age the ranges are read for. */
  patient_age: number;
  test_name: string;
  test_code: string | null;
  status: TestStatus;
  priority: TestPriority;
  clinical_notes: string | null;
  instructions: string | null;
  doctor_id: string;
  doctor_name: string | null;
  is_confidential: boolean;
  ordered_at: string;
  collected_at: string | null;
  completed_at: string | null;
  report: TestReport | null;
}
