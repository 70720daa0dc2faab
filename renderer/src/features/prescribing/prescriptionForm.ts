import type { CreatePrescriptionInput, DosageForm, Route } from '../../../../shared/prescriptions';

/** The prescription form as typed: text in every box until it is sent. */
export interface PrescriptionFormValues {
  medication: string;
  strength: string;
  form: DosageForm | '';
  dose: string;
  route: Route;
  frequency: string;
  durationDays: string;
  quantity: string;
  instructions: string;
  repeats: string;
  overrideReason: string;
}

export const EMPTY_PRESCRIPTION: PrescriptionFormValues = {
  medication: '',
  strength: '',
  form: '',
  dose: '',
  route: 'oral',
  frequency: '',
  durationDays: '',
  quantity: '',
  instructions: '',
  repeats: '0',
  overrideReason: '',
};

/** A whole number as typed; anything else goes as NaN for the schema to name beside its box. */
const wholeNumber = (typed: string) => (/^\s*\d+\s*$/.test(typed) ? Number(typed) : Number.NaN);

export function prescriptionInputOf(patientId: string, values: PrescriptionFormValues): CreatePrescriptionInput {
  return {
    patientId,
    medication: values.medication,
    strength: values.strength,
    form: values.form === '' ? null : values.form,
    dose: values.dose,
    route: values.route,
    frequency: values.frequency,
    durationDays: values.durationDays.trim() === '' ? null : wholeNumber(values.durationDays),
    quantity: values.quantity,
    instructions: values.instructions,
    repeats: values.repeats.trim() === '' ? 0 : wholeNumber(values.repeats),
    overrideReason: values.overrideReason,
  };
}
