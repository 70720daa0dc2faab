/**
 * The tests a clinic orders most often, with their analytes, units, reference ranges by sex and
 * age and the critical limits a laboratory phones through. Written by us for ClinicDesk from the
 * commonly published adult and paediatric ranges of UK laboratories (SI units), reviewed against
 * nothing licensed: no LOINC codes are shipped (their table may be bundled only with its notice,
 * which we have not taken on), the codes below are our own.
 *
 * Scope: about a dozen primary-care panels. Reference ranges vary by laboratory, method and
 * population: the range printed on the laboratory's own report wins, and a result outside these
 * ranges is a prompt to look, not a diagnosis. Children under one year have no ranges here, so
 * their values are shown without a flag. Anything else is ordered as free text.
 */

/** Who a range applies to: `any` sex, and an age band in whole years at collection. */
export interface ReferenceRange {
  sex: 'male' | 'female' | 'any';
  /** Inclusive lower age bound in years (0 when absent). */
  minAge?: number;
  /** Inclusive upper age bound in years (no limit when absent). */
  maxAge?: number;
  low?: string;
  high?: string;
}

export interface NumericAnalyte {
  code: string;
  name: string;
  unit: string;
  /** First match wins, so narrower bands come first. */
  ranges: readonly ReferenceRange[];
  criticalLow?: string;
  criticalHigh?: string;
}

/** A finding read by eye (a dipstick), normal when it is the expected one. */
export interface FindingAnalyte {
  code: string;
  name: string;
  expected: string;
  options: readonly string[];
}

export type Analyte = NumericAnalyte | FindingAnalyte;

export interface CatalogTest {
  code: string;
  name: string;
  specimen: string;
  analytes: readonly Analyte[];
  /** Said to the patient when the test is ordered. */
  preparation?: string;
}

const adult = (low: string | undefined, high: string | undefined): ReferenceRange => ({ sex: 'any', minAge: 18, low, high });
const child = (minAge: number, maxAge: number, low: string, high: string): ReferenceRange => ({ sex: 'any', minAge, maxAge, low, high });
const male = (low: string | undefined, high: string | undefined, minAge = 18): ReferenceRange => ({ sex: 'male', minAge, low, high });
const female = (low: string | undefined, high: string | undefined, minAge = 18): ReferenceRange => ({ sex: 'female', minAge, low, high });
const dipstick = (code: string, name: string): FindingAnalyte => ({
  code,
  name,
  expected: 'Negative',
  options: ['Negative', 'Trace', '+', '++', '+++'],
});

export const LAB_CATALOG: readonly CatalogTest[] = [
  {
    code: 'FBC',
    name: 'Full blood count',
    specimen: 'Blood (EDTA)',
    analytes: [
      {
        code: 'HGB',
        name: 'Haemoglobin',
        unit: 'g/L',
        ranges: [
          male('130', '180'),
          female('115', '165'),
          child(1, 5, '110', '140'),
          child(6, 11, '115', '155'),
          child(12, 17, '120', '160'),
        ],
        criticalLow: '70',
        criticalHigh: '200',
      },
      {
        code: 'WBC',
        name: 'White cell count',
        unit: '10^9/L',
        ranges: [adult('4.0', '11.0'), child(1, 5, '5.0', '15.0'), child(6, 17, '4.5', '13.5')],
        criticalLow: '2.0',
        criticalHigh: '30.0',
      },
      {
        code: 'PLT',
        name: 'Platelets',
        unit: '10^9/L',
        ranges: [adult('150', '400'), child(1, 17, '150', '450')],
        criticalLow: '20',
        criticalHigh: '1000',
      },
      {
        code: 'HCT',
        name: 'Haematocrit',
        unit: 'L/L',
        ranges: [male('0.40', '0.52'), female('0.37', '0.47'), child(1, 17, '0.33', '0.45')],
      },
      { code: 'MCV', name: 'MCV', unit: 'fL', ranges: [adult('80', '100'), child(1, 17, '75', '95')] },
      { code: 'NEUT', name: 'Neutrophils', unit: '10^9/L', ranges: [adult('2.0', '7.5'), child(1, 17, '1.5', '8.0')], criticalLow: '0.5' },
      { code: 'LYMPH', name: 'Lymphocytes', unit: '10^9/L', ranges: [adult('1.0', '4.0'), child(1, 17, '1.5', '6.5')] },
    ],
  },
  {
    code: 'LIPID',
    name: 'Lipid profile',
    specimen: 'Blood (serum)',
    preparation: 'Fast for 10 hours before the blood test (water is fine).',
    analytes: [
      { code: 'CHOL', name: 'Total cholesterol', unit: 'mmol/L', ranges: [adult(undefined, '5.0')] },
      { code: 'LDL', name: 'LDL cholesterol', unit: 'mmol/L', ranges: [adult(undefined, '3.0')] },
      { code: 'HDL', name: 'HDL cholesterol', unit: 'mmol/L', ranges: [male('1.0', undefined), female('1.2', undefined)] },
      { code: 'TRIG', name: 'Triglycerides', unit: 'mmol/L', ranges: [adult(undefined, '1.7')], criticalHigh: '20.0' },
      { code: 'NHDL', name: 'Non-HDL cholesterol', unit: 'mmol/L', ranges: [adult(undefined, '4.0')] },
    ],
  },
  {
    code: 'HBA1C',
    name: 'HbA1c',
    specimen: 'Blood (EDTA)',
    analytes: [{ code: 'HBA1C', name: 'HbA1c', unit: 'mmol/mol', ranges: [{ sex: 'any', minAge: 1, low: '20', high: '41' }] }],
  },
  {
    code: 'TFT',
    name: 'Thyroid function (TSH, free T4)',
    specimen: 'Blood (serum)',
    analytes: [
      { code: 'TSH', name: 'TSH', unit: 'mU/L', ranges: [adult('0.27', '4.20'), child(1, 17, '0.70', '5.97')] },
      { code: 'FT4', name: 'Free T4', unit: 'pmol/L', ranges: [adult('12.0', '22.0'), child(1, 17, '12.0', '22.0')] },
    ],
  },
  {
    code: 'UE',
    name: 'Urea and electrolytes (renal profile)',
    specimen: 'Blood (serum)',
    analytes: [
      {
        code: 'NA',
        name: 'Sodium',
        unit: 'mmol/L',
        ranges: [{ sex: 'any', minAge: 1, low: '133', high: '146' }],
        criticalLow: '120',
        criticalHigh: '160',
      },
      {
        code: 'K',
        name: 'Potassium',
        unit: 'mmol/L',
        ranges: [{ sex: 'any', minAge: 1, low: '3.5', high: '5.3' }],
        criticalLow: '2.5',
        criticalHigh: '6.5',
      },
      { code: 'UREA', name: 'Urea', unit: 'mmol/L', ranges: [adult('2.5', '7.8'), child(1, 17, '2.5', '6.5')], criticalHigh: '30.0' },
      {
        code: 'CREAT',
        name: 'Creatinine',
        unit: 'umol/L',
        ranges: [male('59', '104'), female('45', '84'), child(1, 11, '15', '60'), child(12, 17, '35', '90')],
        criticalHigh: '500',
      },
      { code: 'EGFR', name: 'eGFR', unit: 'mL/min/1.73m2', ranges: [adult('60', undefined)] },
    ],
  },
  {
    code: 'LFT',
    name: 'Liver function tests',
    specimen: 'Blood (serum)',
    analytes: [
      { code: 'BILI', name: 'Bilirubin', unit: 'umol/L', ranges: [{ sex: 'any', minAge: 1, low: '0', high: '21' }] },
      { code: 'ALT', name: 'ALT', unit: 'U/L', ranges: [male('0', '50'), female('0', '35'), child(1, 17, '0', '40')] },
      { code: 'ALP', name: 'Alkaline phosphatase', unit: 'U/L', ranges: [adult('30', '130'), child(1, 17, '100', '500')] },
      { code: 'GGT', name: 'Gamma GT', unit: 'U/L', ranges: [male('0', '70'), female('0', '40'), child(1, 17, '0', '40')] },
      { code: 'ALB', name: 'Albumin', unit: 'g/L', ranges: [{ sex: 'any', minAge: 1, low: '35', high: '50' }] },
    ],
  },
  {
    code: 'UA',
    name: 'Urinalysis (dipstick)',
    specimen: 'Urine (midstream)',
    analytes: [
      { code: 'UPH', name: 'pH', unit: '', ranges: [{ sex: 'any', low: '4.5', high: '8.0' }] },
      { code: 'USG', name: 'Specific gravity', unit: '', ranges: [{ sex: 'any', low: '1.005', high: '1.030' }] },
      dipstick('UPRO', 'Protein'),
      dipstick('UGLU', 'Glucose'),
      dipstick('UBLD', 'Blood'),
      dipstick('ULEU', 'Leucocytes'),
      dipstick('UNIT', 'Nitrite'),
      dipstick('UKET', 'Ketones'),
    ],
  },
  {
    code: 'FGLU',
    name: 'Fasting glucose',
    specimen: 'Blood (fluoride oxalate)',
    preparation: 'Nothing to eat for 8 hours before the test (water is fine).',
    analytes: [
      {
        code: 'FGLU',
        name: 'Fasting glucose',
        unit: 'mmol/L',
        ranges: [{ sex: 'any', minAge: 1, low: '3.0', high: '6.0' }],
        criticalLow: '2.5',
        criticalHigh: '25.0',
      },
    ],
  },
  {
    code: 'CRP',
    name: 'C-reactive protein',
    specimen: 'Blood (serum)',
    analytes: [{ code: 'CRP', name: 'CRP', unit: 'mg/L', ranges: [{ sex: 'any', minAge: 1, low: '0', high: '5' }] }],
  },
  {
    code: 'FERR',
    name: 'Ferritin',
    specimen: 'Blood (serum)',
    analytes: [
      { code: 'FERR', name: 'Ferritin', unit: 'ug/L', ranges: [male('30', '400'), female('15', '150'), child(1, 17, '10', '140')] },
    ],
  },
  {
    code: 'VITD',
    name: 'Vitamin D (25-hydroxy)',
    specimen: 'Blood (serum)',
    analytes: [{ code: 'VITD', name: 'Vitamin D', unit: 'nmol/L', ranges: [{ sex: 'any', minAge: 1, low: '50', high: '250' }] }],
  },
  {
    code: 'B12F',
    name: 'Vitamin B12 and folate',
    specimen: 'Blood (serum)',
    analytes: [
      { code: 'B12', name: 'Vitamin B12', unit: 'ng/L', ranges: [adult('197', '771')] },
      { code: 'FOL', name: 'Folate', unit: 'ug/L', ranges: [adult('3.9', '26.8')] },
    ],
  },
];

export function catalogTest(code: string): CatalogTest | undefined {
  return LAB_CATALOG.find((test) => test.code === code);
}

export function isFinding(analyte: Analyte): analyte is FindingAnalyte {
  return 'expected' in analyte;
}
