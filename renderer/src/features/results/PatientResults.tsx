import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { ChosenPatient } from '../patients/patientsDesk';
import { formErrorsOf } from '../../errors';
import { useTRPC } from '../../trpc';
import { useCan } from '../../ui/useSignedIn';
import { OrderTestDialog } from './OrderTestDialog';
import { ResultTrend } from './ResultTrend';
import { TestDialog } from './TestDialog';
import { TestList } from './TestList';

/** The chart's tests: ordered and resulted, the latest first, one analyte's trend, and ordering another. */
export function PatientResults({ patient, appointmentId }: { patient: ChosenPatient; appointmentId?: string }) {
  const trpc = useTRPC();
  const can = useCan();
  const tests = useQuery(trpc.results.forPatient.queryOptions({ patientId: patient.id }));
  const [openTest, setOpenTest] = useState<string | null>(null);
  const [ordering, setOrdering] = useState(false);
  const measured = [
    ...new Set(
      (tests.data ?? []).flatMap((t) => (t.report?.result_values ?? []).filter((e) => /^[\d.]+$/.test(e.value)).map((e) => e.parameter)),
    ),
  ];
  const [chosen, setChosen] = useState<string | null>(null);
  const trend = chosen ?? measured[0] ?? null;
  return (
    <section className="panel patient-results" aria-labelledby="patient-results-title">
      <h2 id="patient-results-title">Tests and results</h2>
      {tests.isError && <p className="form-problem">{formErrorsOf(tests.error).general}</p>}
      {tests.data && (
        <TestList tests={tests.data} label="Tests" showPatient={false} empty="No tests yet." onOpen={(test) => setOpenTest(test.id)} />
      )}
      {measured.length > 0 && tests.data && (
        <div className="trend-picker">
          <label>
            Trend of{' '}
            <select value={trend ?? ''} onChange={(event) => setChosen(event.target.value)}>
              {measured.map((parameter) => (
                <option key={parameter}>{parameter}</option>
              ))}
            </select>
          </label>
          {trend && <ResultTrend tests={tests.data} parameter={trend} />}
        </div>
      )}
      {can('tests.order') && (
        <div className="panel-actions">
          <button type="button" className="button-secondary" onClick={() => setOrdering(true)}>
            Order a test…
          </button>
        </div>
      )}
      {ordering && <OrderTestDialog patient={patient} appointmentId={appointmentId} onClose={() => setOrdering(false)} />}
      {openTest && <TestDialog testId={openTest} onClose={() => setOpenTest(null)} />}
    </section>
  );
}
