import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Note } from '../../../../shared/clinical';
import { formatDate } from '../../ui/dates';
import { hasAny, vitalsSeries, type VitalsPoint } from './vitalsSeries';

type Measure = Exclude<keyof VitalsPoint, 'date'>;

/** The four charts a doctor looks at over time, each line with its unit. */
const CHARTS: { title: string; unit: string; lines: { key: Measure; name: string; color: string; ownScale?: boolean }[] }[] = [
  {
    title: 'Blood pressure',
    unit: 'mmHg',
    lines: [
      { key: 'bp_systolic', name: 'Systolic', color: '#b42318' },
      { key: 'bp_diastolic', name: 'Diastolic', color: '#175cd3' },
    ],
  },
  {
    title: 'Weight and BMI',
    unit: 'kg · kg/m²',
    lines: [
      { key: 'weight_kg', name: 'Weight (kg)', color: '#0e7a6e' },
      // BMI (about 20–40) beside weight (about 50–120 kg) would flatten both: it gets the right-hand scale.
      { key: 'bmi', name: 'BMI', color: '#7a5af8', ownScale: true },
    ],
  },
  { title: 'Temperature', unit: '°C', lines: [{ key: 'temperature_c', name: 'Temperature', color: '#c4320a' }] },
  { title: 'Blood glucose', unit: 'mmol/L', lines: [{ key: 'glucose_mmol_l', name: 'Glucose', color: '#6941c6' }] },
];

/** Whole numbers around the values, so a small change is not drawn as a cliff. */
const PADDED: [(min: number) => number, (max: number) => number] = [(min) => Math.floor(min - 1), (max) => Math.ceil(max + 1)];
const tick = (value: number) => String(Math.round(value * 10) / 10);

/** Vitals of the signed notes charted over time; a measure never taken gets no chart (nor line). */
export function VitalsCharts({ notes, language }: { notes: readonly Note[]; language: string }) {
  const points = vitalsSeries(notes);
  const charts = CHARTS.filter((chart) =>
    hasAny(
      points,
      chart.lines.map((line) => line.key),
    ),
  );
  const day = (date: string) => formatDate(date, language);
  return (
    <section className="panel vitals-charts" aria-labelledby="vitals-charts-title">
      <h2 id="vitals-charts-title">Vitals over time</h2>
      {charts.length === 0 && <p className="muted">No vitals in signed notes yet.</p>}
      <div className="vitals-chart-grid">
        {charts.map((chart) => (
          <figure key={chart.title} className="vitals-chart" aria-label={chart.title}>
            <figcaption>
              {chart.title} <span className="muted">({chart.unit})</span>
            </figcaption>
            <ResponsiveContainer width="100%" height={170}>
              <LineChart data={points} margin={{ top: 6, right: 12, bottom: 0, left: -12 }}>
                <CartesianGrid stroke="#e4e7ec" strokeDasharray="3 3" />
                <XAxis dataKey="date" tickFormatter={day} tick={{ fontSize: 11 }} minTickGap={24} />
                <YAxis yAxisId="left" domain={PADDED} tickFormatter={tick} tick={{ fontSize: 11 }} width={48} />
                {chart.lines.some((line) => line.ownScale) && (
                  <YAxis yAxisId="right" orientation="right" domain={PADDED} tickFormatter={tick} tick={{ fontSize: 11 }} width={36} />
                )}
                <Tooltip labelFormatter={(date) => day(String(date))} />
                {chart.lines.length > 1 && <Legend iconSize={10} wrapperStyle={{ fontSize: 12 }} />}
                {chart.lines.map((line) => (
                  <Line
                    key={line.key}
                    yAxisId={line.ownScale ? 'right' : 'left'}
                    type="monotone"
                    dataKey={line.key}
                    name={line.name}
                    stroke={line.color}
                    strokeWidth={2}
                    dot={{ r: 3 }}
                    connectNulls
                    isAnimationActive={false}
                  />
                ))}
              </LineChart>
            </ResponsiveContainer>
          </figure>
        ))}
      </div>
    </section>
  );
}
