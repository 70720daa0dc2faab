import { FLAG_MARKS, isCriticalFlag, type ResultEntry } from '../../../../shared/results';

/** What a flag says in words, for the screen reader and the tooltip. */
const FLAG_WORDS: Record<NonNullable<ResultEntry['flag']>, string> = {
  normal: 'within range',
  low: 'low',
  high: 'high',
  critical_low: 'critically low',
  critical_high: 'critically high',
  critical: 'critical',
  abnormal: 'abnormal',
};

export function FlagMark({ flag }: { flag: ResultEntry['flag'] }) {
  if (!flag || flag === 'normal') return null;
  return (
    <span className={isCriticalFlag(flag) ? 'result-flag result-flag-critical' : 'result-flag'} title={FLAG_WORDS[flag]}>
      {FLAG_MARKS[flag]}
      <span className="visually-hidden"> ({FLAG_WORDS[flag]})</span>
    </span>
  );
}

/** One row an analyte: the value with its flag, the range it was read against and whose range that is. */
export function ResultsTable({ entries, onTrend }: { entries: readonly ResultEntry[]; onTrend?(parameter: string): void }) {
  return (
    <table className="data-table results-table">
      <thead>
        <tr>
          <th scope="col">Analyte</th>
          <th scope="col">Result</th>
          <th scope="col">Flag</th>
          <th scope="col">Reference range</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.code ?? entry.parameter} className={entry.flag && entry.flag !== 'normal' ? 'result-out' : undefined}>
            <th scope="row">
              {onTrend ? (
                <button type="button" className="button-quiet button-small" onClick={() => onTrend(entry.parameter)}>
                  {entry.parameter}
                </button>
              ) : (
                entry.parameter
              )}
            </th>
            <td>
              <strong>{entry.value}</strong> {entry.unit}
            </td>
            <td>
              <FlagMark flag={entry.flag} />
            </td>
            <td className="muted">
              {entry.reference_range ?? '—'} {entry.reference_range && entry.unit}
              {entry.range_basis && <span className="result-basis"> · {entry.range_basis}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
