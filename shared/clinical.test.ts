import { describe, expect, it } from 'vitest';
import { bodyMassIndex, consultationNote, readVitals, vitals } from './clinical';

describe('body mass index', () => {
  it('is weight over height squared, to one decimal', () => {
    expect(bodyMassIndex(80, 180)).toBe(24.7);
    expect(bodyMassIndex(52.5, 160)).toBe(20.5);
  });

  it('is unknown without both measurements', () => {
    expect(bodyMassIndex(80, undefined)).toBeUndefined();
    expect(bodyMassIndex(undefined, 180)).toBeUndefined();
    expect(bodyMassIndex(80, 0)).toBeUndefined();
  });
});

describe('vitals', () => {
  it('accepts plausible values and stamps version 1', () => {
    expect(vitals.parse({ bp_systolic: 120, bp_diastolic: 80, temperature_c: 37.2 })).toEqual({
      version: 1,
      bp_systolic: 120,
      bp_diastolic: 80,
      temperature_c: 37.2,
    });
  });

  it('refuses implausible values with a message naming the field and its range', () => {
    const result = vitals.safeParse({ bp_systolic: 300, spo2: 101, pulse: 72.5 });
    expect(result.success).toBe(false);
    expect(Object.fromEntries(result.error!.issues.map((issue) => [issue.path.join('.'), issue.message]))).toEqual({
      bp_systolic: 'Systolic pressure must be between 50 and 260 mmHg.',
      spo2: 'Oxygen saturation must be between 50 and 100 %.',
      pulse: 'Pulse is a whole number of beats a minute.',
    });
  });

  it('wants the diastolic pressure below the systolic', () => {
    const result = vitals.safeParse({ bp_systolic: 90, bp_diastolic: 90 });
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['bp_diastolic'] })]);
  });

  it('reads what was stored before versions, and never refuses on reading', () => {
    expect(readVitals({ bp_systolic: 130, weight_kg: 71.5, note: 'x' })).toEqual({ version: 1, bp_systolic: 130, weight_kg: 71.5 });
    expect(readVitals({ version: 1, bp_systolic: 400 })).toEqual({ version: 1, bp_systolic: 400 });
    expect(readVitals(null)).toEqual({ version: 1 });
    expect(readVitals({ version: 7, pulse: 60 })).toEqual({ version: 1 });
  });
});

describe('consultation note', () => {
  it('fills what was left out', () => {
    expect(consultationNote.parse({ assessment: ' Viral URTI ' })).toMatchObject({
      version: 1,
      assessment: 'Viral URTI',
      chief_complaint: '',
      vitals: { version: 1 },
      diagnoses: [],
      follow_up_days: null,
      is_confidential: false,
    });
  });

  it('allows one primary diagnosis', () => {
    const twice = { description: 'Asthma', type: 'primary' as const };
    expect(consultationNote.safeParse({ diagnoses: [twice, twice] }).error?.issues[0]?.message).toBe(
      'Only one diagnosis can be the primary one.',
    );
  });
});
