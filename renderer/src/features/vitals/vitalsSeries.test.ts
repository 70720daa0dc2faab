import { describe, expect, it } from 'vitest';
import { consultationNote, type Note } from '../../../../shared/clinical';
import { hasAny, vitalsSeries } from './vitalsSeries';

function note(recordDate: string, vitals: Record<string, number>, signed = true): Note {
  return {
    id: recordDate,
    patient_id: 'p',
    appointment_id: null,
    doctor_id: 'd',
    doctor_name: 'Dr Priya Patel',
    record_date: `${recordDate}T09:00:00.000Z`,
    local_date: `${recordDate} 09:00`,
    signed_at: signed ? `${recordDate}T09:20:00.000Z` : null,
    note: consultationNote.parse({ vitals }),
    addenda: [],
  };
}

describe('vitals over time', () => {
  it('charts signed notes oldest first, with BMI from the last height known', () => {
    const points = vitalsSeries([
      note('2026-11-20', { bp_systolic: 150, bp_diastolic: 95, weight_kg: 80 }),
      note('2026-11-28', { weight_kg: 90 }, false),
      note('2026-09-01', { weight_kg: 82, height_cm: 180, temperature_c: 37.2 }),
      note('2026-10-01', {}),
    ]);
    expect(points).toEqual(
      [
        { date: '2026-09-01', weight_kg: 82, bmi: 25.3, temperature_c: 37.2 },
        { date: '2026-11-20', bp_systolic: 150, bp_diastolic: 95, weight_kg: 80, bmi: 24.7 },
      ].map((p) => expect.objectContaining(p)),
    );
    expect(hasAny(points, ['glucose_mmol_l'])).toBe(false);
    expect(hasAny(points, ['bp_systolic', 'bp_diastolic'])).toBe(true);
  });
});
