import { z } from 'zod';
import type { Allergy, Medication } from './patients';
import type { AppointmentStatus } from './appointments';

/**
 * The consultation note as both sides read and write it. Its JSONB parts carry `version`:
 * a later shape gets version 2 and its own reader, and notes written today stay readable.
 */

/** A measurement with the range a person can plausibly have; outside it is a typing slip. */
function measured(label: string, min: number, max: number, unit: string, wholeNumber = false) {
  const message = `${label} must be between ${min} and ${max} ${unit}.`;
  const number = z
    .number({ message: `${label} must be a number.` })
    .min(min, message)
    .max(max, message);
  return (wholeNumber ? number.int(`${label} is a whole number of ${unit}.`) : number).optional();
}

/** Vitals as recorded at a visit: every field optional, since not every visit measures all. */
export const vitals = z
  .object({
    version: z.literal(1).default(1),
    bp_systolic: measured('Systolic pressure', 50, 260, 'mmHg', true),
    bp_diastolic: measured('Diastolic pressure', 20, 160, 'mmHg', true),
    pulse: measured('Pulse', 20, 250, 'beats a minute', true),
    temperature_c: measured('Temperature', 30, 44, '°C'),
    respiratory_rate: measured('Respiratory rate', 4, 80, 'breaths a minute', true),
    spo2: measured('Oxygen saturation', 50, 100, '%', true),
    weight_kg: measured('Weight', 0.3, 400, 'kg'),
    height_cm: measured('Height', 25, 250, 'cm'),
    glucose_mmol_l: measured('Blood glucose', 0.5, 50, 'mmol/L'),
  })
  .refine((v) => v.bp_systolic === undefined || v.bp_diastolic === undefined || v.bp_diastolic < v.bp_systolic, {
    message: 'Diastolic pressure must be lower than systolic.',
    path: ['bp_diastolic'],
  });
export type Vitals = z.output<typeof vitals>;
export type VitalsInput = z.input<typeof vitals>;
export type VitalSign = Exclude<keyof Vitals, 'version'>;

export const VITAL_SIGNS = [
  'bp_systolic',
  'bp_diastolic',
  'pulse',
  'temperature_c',
  'respiratory_rate',
  'spo2',
  'weight_kg',
  'height_cm',
  'glucose_mmol_l',
] as const satisfies readonly VitalSign[];

/**
 * Vitals as stored, read leniently: version 1, or the same keys without a version (written on
 * appointments before notes existed). Values are shown as recorded, never refused on reading.
 */
const storedVitals = z
  .object({ version: z.literal(1).optional() })
  .catchall(z.unknown())
  .transform((stored): Vitals => {
    const read: Vitals = { version: 1 };
    for (const key of VITAL_SIGNS) {
      const value = stored[key];
      if (typeof value === 'number' && Number.isFinite(value)) read[key] = value;
    }
    return read;
  });

/** Reads vitals JSONB of any version this app has written; anything unreadable reads as none. */
export function readVitals(stored: unknown): Vitals {
  const read = storedVitals.safeParse(stored);
  return read.success ? read.data : { version: 1 };
}

/** Body mass index, kg/m², to one decimal; undefined unless both weight and height are known. */
export function bodyMassIndex(weightKg: number | undefined, heightCm: number | undefined): number | undefined {
  if (weightKg === undefined || heightCm === undefined || weightKg <= 0 || heightCm <= 0) return undefined;
  const metres = heightCm / 100;
  return Math.round((weightKg / (metres * metres)) * 10) / 10;
}

const noteText = (label: string, max: number) =>
  z.string().trim().max(max, `${label} is too long (${max} characters at most).`).default('');

export const DIAGNOSIS_TYPES = ['primary', 'secondary'] as const;

/** A diagnosis as the seed stores it on medical_records.diagnosis: {code, description, type}. */
export const diagnosis = z.object({
  code: z
    .string()
    .trim()
    .max(10, 'A diagnosis code has at most 10 characters.')
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .default(null),
  description: z.string().trim().min(1, 'Describe the diagnosis.').max(300, 'The diagnosis is too long (300 characters at most).'),
  type: z.enum(DIAGNOSIS_TYPES).default('secondary'),
});
export type Diagnosis = z.output<typeof diagnosis>;

/** What the doctor writes: SOAP, vitals, diagnoses and the follow-up. */
export const consultationNote = z.object({
  version: z.literal(1).default(1),
  chief_complaint: noteText('The presenting complaint', 500),
  history: noteText('The history', 8000),
  examination: noteText('The examination', 8000),
  assessment: noteText('The assessment', 4000),
  plan: noteText('The plan', 4000),
  vitals: vitals.default({ version: 1 }),
  diagnoses: z
    .array(diagnosis)
    .max(12, 'At most 12 diagnoses on one note.')
    .refine((list) => list.filter((d) => d.type === 'primary').length <= 1, 'Only one diagnosis can be the primary one.')
    .default([]),
  follow_up_days: z
    .number()
    .int('Follow up in whole days.')
    .min(1, 'Follow up in 1 to 365 days.')
    .max(365, 'Follow up in 1 to 365 days.')
    .nullable()
    .default(null),
  is_confidential: z.boolean().default(false),
});
export type ConsultationNote = z.output<typeof consultationNote>;
export type ConsultationNoteInput = z.input<typeof consultationNote>;

const id = (what: string) => z.uuid(`Choose a ${what}.`);

export const appointmentInput = z.object({ appointmentId: id('visit') });
export const patientInput = z.object({ patientId: id('patient') });
export const recordInput = z.object({ recordId: id('note') });
export const saveDraftInput = z.object({ recordId: id('note'), note: consultationNote });
export const addAddendumInput = z.object({
  recordId: id('note'),
  text: z.string().trim().min(1, 'Write the addendum.').max(4000, 'An addendum is at most 4000 characters.'),
});
/** A follow-up booked as the visit ends: one of the free times the screen was offered. */
export const followUpBooking = z.object({
  startsAt: z.iso.datetime({ offset: true, message: 'Choose one of the free times.' }),
});

export const followUpSlotsInput = z.object({
  appointmentId: id('visit'),
  /** The first day looked at, this many days after today in the clinic. */
  afterDays: z.number().int().min(1, 'Follow up in 1 to 365 days.').max(365, 'Follow up in 1 to 365 days.'),
});

/** The free times of the visit's doctor on the first open day from the one asked for. */
export interface FollowUpSlots {
  /** YYYY-MM-DD in the clinic, or null when nothing is free in the fortnight looked at. */
  date: string | null;
  minutes: number;
  slots: { starts_at: string; local_time: string }[];
}

export const finishInput = z.object({
  appointmentId: id('visit'),
  followUp: followUpBooking.optional(),
  followUpDays: z
    .number()
    .int('Follow up in whole days.')
    .min(1, 'Follow up in 1 to 365 days.')
    .max(365, 'Follow up in 1 to 365 days.')
    .optional(),
});

/** One visit on the doctor's list for today. */
export interface DayVisit {
  appointment_id: string;
  patient_id: string;
  patient_number: string;
  patient_name: string;
  local_start: string;
  status: AppointmentStatus;
  reason: string | null;
  has_allergies: boolean;
  /** Minutes since check-in for a patient still waiting; null otherwise. */
  waiting_minutes: number | null;
  record_id: string | null;
}

export interface MyDay {
  /** Today's date in the clinic's timezone (YYYY-MM-DD). */
  date: string;
  visits: DayVisit[];
}

/** A note as the chart and the note form show it. */
export interface Note {
  id: string;
  patient_id: string;
  appointment_id: string | null;
  doctor_id: string;
  doctor_name: string;
  record_date: string;
  /** record_date in the clinic's timezone, "YYYY-MM-DD HH:MM". */
  local_date: string;
  signed_at: string | null;
  note: ConsultationNote;
  addenda: Addendum[];
}

export interface Addendum {
  id: string;
  written_by_name: string;
  addendum: string;
  created_at: string;
  local_date: string;
}

export interface LatestVitals {
  vitals: Vitals;
  bmi: number | null;
  local_date: string;
}

export interface Chart {
  patient: {
    id: string;
    patient_number: string;
    name: string;
    date_of_birth: string;
    gender: string;
    allergies: Allergy[];
    alerts: string | null;
  };
  /** Prescribed here and still active, then what the patient reports taking. */
  medications: { prescribed: PrescribedMedication[]; reported: Medication[] };
  /** Diagnoses of signed notes, most recent first, one line per diagnosis. */
  problems: { code: string | null; description: string; local_date: string }[];
  last_vitals: LatestVitals | null;
  /** Notes, newest first (drafts included: the doctor's own work in progress). */
  notes: Note[];
}

export interface PrescribedMedication {
  medication_name: string;
  strength: string | null;
  dosage: string;
  frequency: string;
  start_date: string;
}

/** One line of the chart's timeline: a note, a prescription, a test or a document. */
export interface TimelineEntry {
  kind: 'note' | 'prescription' | 'test' | 'document';
  id: string;
  occurred_at: string;
  /** occurred_at in the clinic's timezone, "YYYY-MM-DD HH:MM". */
  local_date: string;
  title: string;
  detail: string | null;
  /** The row's own status words: draft/signed, a prescription's or a test's status, filed. */
  status: string;
  is_confidential: boolean;
  author_name: string;
}
