import { CartesianGrid, Line, LineChart, ReferenceArea, Tooltip, XAxis, YAxis } from 'recharts';
import { trendOf, type LabTest } from '../../../../shared/results';
import { formatInstant } from '../../ui/dates';
import { useSignedIn } from '../../ui/useSignedIn';

/**
 * An analyte over time, with the reference band of its latest result shaded: a value's course
 * matters more than one value outside the band.
 */
export function ResultTrend({ tests, parameter }: { tests: readonly LabTest[]; parameter: string }) {
  const { clinic } = useSignedIn();
  const points = trendOf(tests, parameter).map((point) => ({
    ...point,
    when: formatInstant(point.at, clinic.language, clinic.timezone).split(',')[0],
  }));
  const unit = tests.flatMap((test) => test.report?.result_values ?? []).find((entry) => entry.parameter === parameter)?.unit ?? '';
  const latest = points.at(-1);
  if (!latest) return <p className="muted">No earlier {parameter} results to chart.</p>;
  const values = points.flatMap((p) => [p.value, p.low, p.high]).filter((v): v is number => v !== null);
  const padding = (Math.max(...values) - Math.min(...values)) * 0.15 || 1;
  return (
    <figure className="result-trend" aria-label={`${parameter} over time`}>
      <figcaption>
        <strong>{parameter}</strong> {unit && <span className="muted">({unit})</span>} · {points.length} result
        {points.length === 1 ? '' : 's'}
        {(latest.low !== null || latest.high !== null) && <span className="muted"> · shaded: reference range</span>}
      </figcaption>
      <LineChart width={560} height={200} data={points} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
        <CartesianGrid stroke="#e6eaee" vertical={false} />
        <XAxis dataKey="when" tick={{ fontSize: 12 }} />
        <YAxis
          tick={{ fontSize: 12 }}
          width={48}
          domain={[Math.max(0, Math.floor(Math.min(...values) - padding)), Math.ceil(Math.max(...values) + padding)]}
        />
        {(latest.low !== null || latest.high !== null) && (
          <ReferenceArea
            y1={latest.low ?? undefined}
            y2={latest.high ?? undefined}
            fill="#2e9e6b"
            fillOpacity={0.12}
            ifOverflow="extendDomain"
          />
        )}
        <Tooltip formatter={(value) => [`${String(value)} ${unit}`, parameter]} />
        <Line type="monotone" dataKey="value" stroke="#0b6b76" strokeWidth={2} dot={{ r: 4 }} isAnimationActive={false} />
      </LineChart>
      <ol className="visually-hidden">
        {points.map((p) => (
          <li key={p.at}>
            {p.when}: {p.value} {unit}
            {p.flag && p.flag !== 'normal' ? ` (${p.flag.replace('_', ' ')})` : ''}
          </li>
        ))}
      </ol>
    </figure>
  );
}
