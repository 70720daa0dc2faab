import { z } from 'zod';
import { optionalText, requiredText } from './text';
import type { PrescribingWarning } from './prescribing-checks';

/** As the prescriptions table allows them (migrations/003). */
export const DOSAGE_FORMS = [
  'tablet',
  'capsule',
  'syrup',
  'suspension',
  'injection',
  'cream',
  'ointment',
  'drops',
  'inhaler',
  'patch',
  'suppository',
  'other',
] as const;
export type DosageForm = (typeof DOSAGE_FORMS)[number];

export const ROUTES = [
  'oral',
  'topical',
  'intravenous',
  'intramuscular',
  'subcutaneous',
  'inhalation',
  'sublingual',
  'rectal',
  'ophthalmic',
  'otic',
  'nasal',
  'other',
] as const;
export type Route = (typeof ROUTES)[number];

export const PRESCRIPTION_STATUSES = ['active', 'completed', 'discontinued', 'cancelled', 'on_hold'] as const;
export type PrescriptionStatus = (typeof PRESCRIPTION_STATUSES)[number];

/** "21.00" → "21", "2.50" → "2.5": a stored quantity as a person writes it. */
export function plainQuantity(quantity: string): string {
  return quantity.includes('.') ? quantity.replace(/\.?0+$/, '') : quantity;
}

/** A quantity as typed: a decimal string (kept exact, stored as numeric(10, 2)). */
export const quantity = z
  .string()
  .trim()
  .regex(/^\d{1,8}(\.\d{1,2})?$/, 'Give the quantity as a number, such as 21 or 2.5.')
  .refine((value) => Number(value) > 0, 'The quantity must be more than nothing.');

export const medicationName = requiredText('Medication name', 'Name the medication.', 200);

const patientId = z.uuid('Choose a patient.');

export const checkPrescriptionInput = z.object({ patientId, medication: medicationName });

export const createPrescriptionInput = z.object({
  patientId,
  medication: medicationName,
  strength: optionalText('Strength', 100),
  form: z.enum(DOSAGE_FORMS, { message: 'Choose a form from the list.' }).nullable().optional(),
  dose: requiredText('Dose', 'Give the dose.', 100),
  route: z.enum(ROUTES, { message: 'Choose a route from the list.' }).default('oral'),
  frequency: requiredText('Frequency', 'Say how often.', 100),
  durationDays: z
    .number('Give the duration in days.')
    .int('Give the duration in whole days.')
    .min(1, 'A course lasts a day at least.')
    .max(3650, 'A course lasts ten years at most.')
    .nullable()
    .optional(),
  quantity: z
    .union([z.literal('').transform(() => null), quantity])
    .nullable()
    .optional(),
  instructions: optionalText('Instructions', 1000),
  repeats: z
    .number('Give the number of repeats.')
    .int('Give a whole number of repeats.')
    .min(0, 'Repeats cannot be negative.')
    .max(12, 'Twelve repeats at most.')
    .default(0),
  /** Why the warnings shown are overridden: required when there are any. */
  overrideReason: optionalText('Reason', 1000),
});
export type CreatePrescriptionInput = z.input<typeof createPrescriptionInput>;
export type PrescriptionDraft = z.output<typeof createPrescriptionInput>;

export const prescriptionId = z.object({ id: z.uuid('Unknown prescription.') });

export const discontinuePrescriptionInput = z.object({
  id: z.uuid('Unknown prescription.'),
  reason: requiredText('Reason', 'Say why the prescription is stopped.', 500),
});

export const patientPrescriptionsInput = z.object({ patientId });

export interface Prescription {
  id: string;
  patient_id: string;
  doctor_id: string;
  doctor_name: string | null;
  medication_name: string;
  generic_name: string | null;
  strength: string | null;
  dosage_form: DosageForm | null;
  dosage: string;
  route: Route;
  frequency: string;
  duration_days: number | null;
  /** Exact decimal text, e.g. "21.00". */
  quantity: string | null;
  refills_allowed: number;
  instructions: string | null;
  start_date: string;
  end_date: string | null;
  status: PrescriptionStatus;
  /** Active and not past its end date: what duplicate-therapy checks compare against. */
  is_active: boolean;
  discontinued_reason: string | null;
  /** The warnings shown when it was written and overridden, with the reason. */
  warnings_overridden: PrescribingWarning[] | null;
  override_reason: string | null;
  prescribed_at: string;
  updated_at: string;
}

/** Prescriptions printed together on one sheet: one patient's, by one prescriber. */
export const printPrescriptionsInput = z.object({
  ids: z.array(z.uuid('Unknown prescription.')).min(1, 'Choose what to print.').max(20, 'Twenty items on one prescription at most.'),
});
