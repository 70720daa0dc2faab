import { describe, expect, it } from 'vitest';
import { consultationNote } from '../../../../shared/clinical';
import { formValuesOf, noteInputOf, typedBmi } from './noteForm';

describe('the note form', () => {
  const note = consultationNote.parse({
    assessment: 'Hypertension',
    vitals: { bp_systolic: 150, bp_diastolic: 95, weight_kg: 92.5 },
    diagnoses: [{ code: 'I10', description: 'Essential hypertension', type: 'primary' }],
    follow_up_days: 28,
  });

  it('round-trips a note through the boxes', () => {
    expect(consultationNote.parse(noteInputOf(formValuesOf(note)))).toEqual(note);
  });

  it('reads decimal commas and leaves empty boxes out', () => {
    const values = formValuesOf(note);
    values.vitals.temperature_c = '37,8';
    values.vitals.weight_kg = '';
    expect(noteInputOf(values).vitals).toEqual({ version: 1, bp_systolic: 150, bp_diastolic: 95, temperature_c: 37.8 });
  });

  it('sends what is not a number for the server to name, and computes BMI as typed', () => {
    const values = formValuesOf(note);
    values.vitals.pulse = 'fast';
    expect(consultationNote.safeParse(noteInputOf(values)).error?.issues[0]?.message).toBe('Pulse must be a number.');
    values.vitals.height_cm = '175';
    expect(typedBmi(values)).toBe(30.2);
  });
});
