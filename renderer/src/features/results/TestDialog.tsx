import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { catalogTest, isFinding, type CatalogTest } from '../../../../shared/lab-catalog';
import { printedRange, referenceRangeFor, TEST_STATUS_LABELS, type LabTest } from '../../../../shared/results';
import { formErrorsOf, NO_ERRORS } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { Dialog } from '../../ui/Dialog';
import { Field, SelectField, TextAreaField } from '../../ui/Field';
import { formatInstant } from '../../ui/dates';
import { savePdf } from '../../ui/savePdf';
import { useCan, useSignedIn } from '../../ui/useSignedIn';
import { ResultsTable } from './ResultsTable';
import { ResultTrend } from './ResultTrend';

/** One test: where it stands, the next step for whoever may take it, its results and their trend. */
export function TestDialog({ testId, onClose }: { testId: string; onClose(): void }) {
  const trpc = useTRPC();
  const { clinic, user } = useSignedIn();
  const can = useCan();
  const refresh = useRefresh(trpc.results);
  const test = useQuery(trpc.results.get.queryOptions({ testId }));
  const shown = test.data;
  const history = useQuery(trpc.results.forPatient.queryOptions({ patientId: shown?.patient_id ?? '' }, { enabled: !!shown }));
  const advance = useMutation(trpc.results.advance.mutationOptions({ onSuccess: refresh }));
  const verify = useMutation(trpc.results.verify.mutationOptions({ onSuccess: refresh }));
  const print = useMutation(trpc.results.print.mutationOptions({ onSuccess: savePdf }));
  const [trend, setTrend] = useState<string | null>(null);
  if (!shown) {
    return (
      <Dialog title="Test" onClose={onClose}>
        <p className={test.isError ? 'form-problem' : 'muted'}>{test.isError ? formErrorsOf(test.error).general : 'Loading…'}</p>
      </Dialog>
    );
  }
  const catalog = shown.test_code ? catalogTest(shown.test_code) : undefined;
  const when = (iso: string | null) => (iso ? formatInstant(iso, clinic.language, clinic.timezone) : '');
  const failed = advance.error ?? verify.error ?? print.error;
  const entries = shown.report?.result_values ?? [];
  const trendOf = trend ?? entries.find((e) => e.flag && e.flag !== 'normal' && /^[\d.]+$/.test(e.value))?.parameter ?? null;
  const enteredByMe = shown.report?.reported_by === user.id;

  return (
    <Dialog title={`${shown.test_name} · ${shown.patient_name}`} onClose={onClose} wide>
      <p className="test-summary">
        <span className={`status-tag test-status-${shown.status}`}>{TEST_STATUS_LABELS[shown.status]}</span>{' '}
        <span className="patient-number">{shown.patient_number}</span> · {shown.test_number} · ordered by {shown.doctor_name}{' '}
        {when(shown.ordered_at)}
        {shown.priority !== 'routine' && <strong> · {shown.priority}</strong>}
      </p>
      {shown.clinical_notes && <p className="muted">Clinical details: {shown.clinical_notes}</p>}
      {failed && (
        <p className="form-problem" role="alert">
          {formErrorsOf(failed).general}
        </p>
      )}
      <div className="panel-actions">
        {shown.status === 'ordered' && can('tests.report') && (
          <button type="button" className="button-primary" onClick={() => advance.mutate({ testId, to: 'sample_collected' })}>
            Sample collected
          </button>
        )}
        {shown.status === 'sample_collected' && can('tests.report') && (
          <button type="button" className="button-primary" onClick={() => advance.mutate({ testId, to: 'in_progress' })}>
            Sent to the laboratory
          </button>
        )}
        {shown.status === 'completed' && can('tests.verify') && !enteredByMe && (
          <button type="button" className="button-primary" aria-disabled={verify.isPending} onClick={() => verify.mutate({ testId })}>
            Verify results
          </button>
        )}
        {shown.status === 'completed' && enteredByMe && (
          <span className="muted">You entered these results: a colleague verifies them.</span>
        )}
        {shown.report && (
          <button type="button" className="button-secondary" aria-disabled={print.isPending} onClick={() => print.mutate({ testId })}>
            {print.isPending ? 'Preparing…' : 'Print report'}
          </button>
        )}
        {['ordered', 'sample_collected', 'in_progress'].includes(shown.status) && can('tests.order') && (
          <button type="button" className="button-secondary" onClick={() => advance.mutate({ testId, to: 'cancelled' })}>
            Cancel test
          </button>
        )}
      </div>
      {shown.report && (
        <section aria-label="Results">
          <p className="muted">
            Entered by {shown.report.reported_by_name} {when(shown.report.reported_at)}
            {shown.report.verified_at
              ? ` · verified by ${shown.report.verified_by_name} ${when(shown.report.verified_at)}`
              : ' · not yet verified'}
          </p>
          {entries.length > 0 && <ResultsTable entries={entries} onTrend={setTrend} />}
          {shown.report.findings && <p>{shown.report.findings}</p>}
          {shown.report.interpretation && <p className="muted">{shown.report.interpretation}</p>}
        </section>
      )}
      {(shown.status === 'in_progress' || (shown.status === 'completed' && !shown.report?.verified_at)) && can('tests.report') && (
        <ResultEntry key={shown.report?.reported_at ?? 'new'} test={shown} catalog={catalog} onSaved={() => setTrend(null)} />
      )}
      {trendOf && history.data && <ResultTrend tests={history.data} parameter={trendOf} />}
    </Dialog>
  );
}

/** The values of each analyte (with the range that applies to this patient beside it), or the findings of a free-text test. */
function ResultEntry({ test, catalog, onSaved }: { test: LabTest; catalog: CatalogTest | undefined; onSaved(): void }) {
  const trpc = useTRPC();
  const refresh = useRefresh(trpc.results);
  const enter = useMutation(trpc.results.enter.mutationOptions({ onSuccess: refresh }));
  const current = Object.fromEntries((test.report?.result_values ?? []).map((entry) => [entry.code ?? entry.parameter, entry.value]));
  const [values, setValues] = useState<Record<string, string>>(current);
  const [findings, setFindings] = useState(test.report?.findings ?? '');
  const [interpretation, setInterpretation] = useState(test.report?.interpretation ?? '');
  const server = enter.isError ? formErrorsOf(enter.error) : NO_ERRORS;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!enter.isPending) enter.mutate({ testId: test.id, values, findings, interpretation }, { onSuccess: onSaved });
  }
  const set = (code: string, value: string) => setValues((typed) => ({ ...typed, [code]: value }));

  return (
    <form className="panel result-entry" aria-label="Enter results" onSubmit={submit} noValidate>
      <h3>{test.report ? 'Correct the results' : 'Enter results'}</h3>
      <div className="result-entry-grid">
        {catalog?.analytes.map((analyte) => {
          if (isFinding(analyte)) {
            return (
              <SelectField
                key={analyte.code}
                label={analyte.name}
                value={values[analyte.code] ?? ''}
                onChange={(event) => set(analyte.code, event.target.value)}
                hint={`Expected: ${analyte.expected}`}
                error={server.fields[`values.${analyte.code}`]}
              >
                <option value="">Not tested</option>
                {analyte.options.map((option) => (
                  <option key={option}>{option}</option>
                ))}
              </SelectField>
            );
          }
          const range = referenceRangeFor(analyte.ranges, test.patient_sex, test.patient_age);
          const printed = printedRange(range?.low, range?.high);
          return (
            <Field
              key={analyte.code}
              label={analyte.unit ? `${analyte.name} (${analyte.unit})` : analyte.name}
              inputMode="decimal"
              value={values[analyte.code] ?? ''}
              onChange={(event) => set(analyte.code, event.target.value)}
              hint={printed ? `Range ${printed}` : 'No range for this patient'}
              error={server.fields[`values.${analyte.code}`]}
            />
          );
        })}
      </div>
      <TextAreaField
        label="Findings"
        rows={catalog ? 2 : 4}
        value={findings}
        onChange={(event) => setFindings(event.target.value)}
        error={server.fields.findings}
      />
      <Field label="Interpretation" value={interpretation} onChange={(event) => setInterpretation(event.target.value)} />
      <div role="alert" className="form-problem">
        {server.general ?? server.fields.values}
      </div>
      <div className="panel-actions">
        <button type="submit" className="button-primary" aria-disabled={enter.isPending}>
          {enter.isPending ? 'Saving…' : 'Save results'}
        </button>
        <span className="muted">Flags are worked out when saved; a colleague then verifies.</span>
      </div>
    </form>
  );
}
