import { bodyMassIndex, type Note } from '../../../../shared/clinical';

/** One signed note's measurements, on the day it was written (clinic time). */
export interface VitalsPoint {
  date: string;
  bp_systolic?: number;
  bp_diastolic?: number;
  weight_kg?: number;
  bmi?: number;
  temperature_c?: number;
  glucose_mmol_l?: number;
}

/**
 * The vitals of signed notes, oldest first, for charting over time: a draft may still change.
 * BMI uses the note's height or, for an adult measured now and then, the last height before it.
 */
export function vitalsSeries(notes: readonly Note[]): VitalsPoint[] {
  const signed = notes.filter((note) => note.signed_at !== null).sort((a, b) => a.record_date.localeCompare(b.record_date));
  let height: number | undefined;
  const points: VitalsPoint[] = [];
  for (const { note, local_date } of signed) {
    const v = note.vitals;
    height = v.height_cm ?? height;
    const point: VitalsPoint = {
      date: local_date.slice(0, 10),
      bp_systolic: v.bp_systolic,
      bp_diastolic: v.bp_diastolic,
      weight_kg: v.weight_kg,
      bmi: bodyMassIndex(v.weight_kg, height),
      temperature_c: v.temperature_c,
      glucose_mmol_l: v.glucose_mmol_l,
    };
    if (Object.entries(point).some(([key, value]) => key !== 'date' && value !== undefined)) points.push(point);
  }
  return points;
}

/** Whether any point has a value for one of `keys`: a chart with nothing to draw is left out. */
export function hasAny(points: readonly VitalsPoint[], keys: readonly (keyof VitalsPoint)[]): boolean {
  return points.some((point) => keys.some((key) => key !== 'date' && point[key] !== undefined));
}
