import { bodyMassIndex, VITAL_SIGNS, type ConsultationNote, type ConsultationNoteInput, type VitalSign } from '../../../../shared/clinical';

/** The note form as typed: every box holds text, numbers included, until it is sent. */
export interface NoteFormValues {
  vitals: Record<VitalSign, string>;
  chief_complaint: string;
  history: string;
  examination: string;
  assessment: string;
  plan: string;
  diagnosis: string;
  diagnosis_code: string;
  follow_up_days: string;
  is_confidential: boolean;
}

/** Vital signs as the form shows them: label and unit, in the order they are usually taken. */
export const VITAL_FIELDS: readonly { key: VitalSign; label: string; unit: string }[] = [
  { key: 'bp_systolic', label: 'Systolic BP', unit: 'mmHg' },
  { key: 'bp_diastolic', label: 'Diastolic BP', unit: 'mmHg' },
  { key: 'pulse', label: 'Pulse', unit: '/min' },
  { key: 'temperature_c', label: 'Temperature', unit: '°C' },
  { key: 'respiratory_rate', label: 'Resp. rate', unit: '/min' },
  { key: 'spo2', label: 'SpO₂', unit: '%' },
  { key: 'weight_kg', label: 'Weight', unit: 'kg' },
  { key: 'height_cm', label: 'Height', unit: 'cm' },
  { key: 'glucose_mmol_l', label: 'Glucose', unit: 'mmol/L' },
];

const shown = (value: number | undefined | null) => (value === undefined || value === null ? '' : String(value));

export function formValuesOf(note: ConsultationNote): NoteFormValues {
  const primary = note.diagnoses.find((d) => d.type === 'primary') ?? note.diagnoses[0];
  return {
    vitals: Object.fromEntries(VITAL_SIGNS.map((key) => [key, shown(note.vitals[key])])) as Record<VitalSign, string>,
    chief_complaint: note.chief_complaint,
    history: note.history,
    examination: note.examination,
    assessment: note.assessment,
    plan: note.plan,
    diagnosis: primary?.description ?? '',
    diagnosis_code: primary?.code ?? '',
    follow_up_days: shown(note.follow_up_days),
    is_confidential: note.is_confidential,
  };
}

/** A typed number, decimal comma allowed; what is not a number goes as NaN for the server to name. */
function typedNumber(text: string): number | undefined {
  const trimmed = text.trim().replace(',', '.');
  return trimmed === '' ? undefined : Number(trimmed);
}

export function noteInputOf(values: NoteFormValues): ConsultationNoteInput {
  const vitals: Partial<Record<VitalSign, number>> = {};
  for (const key of VITAL_SIGNS) {
    const value = typedNumber(values.vitals[key]);
    if (value !== undefined) vitals[key] = value;
  }
  const diagnosis = values.diagnosis.trim();
  return {
    version: 1,
    chief_complaint: values.chief_complaint,
    history: values.history,
    examination: values.examination,
    assessment: values.assessment,
    plan: values.plan,
    vitals: { version: 1, ...vitals },
    diagnoses: diagnosis === '' ? [] : [{ code: values.diagnosis_code, description: diagnosis, type: 'primary' }],
    follow_up_days: typedNumber(values.follow_up_days) ?? null,
    is_confidential: values.is_confidential,
  };
}

/** The BMI the typed weight and height give, for showing beside them. */
export function typedBmi(values: NoteFormValues): number | undefined {
  return bodyMassIndex(typedNumber(values.vitals.weight_kg), typedNumber(values.vitals.height_cm));
}
