import { TEST_STATUS_LABELS, type LabTest } from '../../../../shared/results';
import { formatInstant } from '../../ui/dates';
import { useSignedIn } from '../../ui/useSignedIn';

/** What needs the eye first: a critical value, then anything out of range. */
export function ResultMark({ test }: { test: LabTest }) {
  if (test.report?.is_critical) return <span className="status-pill status-critical">Critical</span>;
  if (test.report?.is_abnormal) return <span className="status-pill status-warning">Abnormal</span>;
  if (test.report) return <span className="status-pill status-ok">Normal</span>;
  return null;
}

/** Tests in a list, each opening its own page; `showPatient` where they are of many patients. */
export function TestList(props: {
  tests: readonly LabTest[];
  label: string;
  showPatient: boolean;
  empty: string;
  onOpen(test: LabTest): void;
}) {
  const { clinic } = useSignedIn();
  if (props.tests.length === 0) return <p className="muted">{props.empty}</p>;
  return (
    <ul className="test-list" aria-label={props.label}>
      {props.tests.map((test) => {
        const out = (test.report?.result_values ?? []).filter((entry) => entry.flag && entry.flag !== 'normal');
        return (
          <li key={test.id} className={test.report?.is_critical ? 'test-item test-item-critical' : 'test-item'}>
            <button type="button" className="test-open" onClick={() => props.onOpen(test)}>
              <span className="test-what">
                <strong>{test.test_name}</strong>
                {props.showPatient && (
                  <span>
                    {' '}
                    · {test.patient_name} <span className="patient-number">{test.patient_number}</span>
                  </span>
                )}
                {out.length > 0 && (
                  <span className="muted test-out">
                    {out.map((entry) => `${entry.parameter} ${entry.value}${entry.unit ? ` ${entry.unit}` : ''}`).join(' · ')}
                  </span>
                )}
              </span>
              <span className="test-state">
                <ResultMark test={test} />
                <span className={`status-tag test-status-${test.status}`}>{TEST_STATUS_LABELS[test.status]}</span>
                <span className="muted">
                  {formatInstant(test.report?.reported_at ?? test.ordered_at, clinic.language, clinic.timezone)}
                </span>
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
