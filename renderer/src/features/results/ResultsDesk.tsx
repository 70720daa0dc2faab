import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { formErrorsOf } from '../../errors';
import { useTRPC } from '../../trpc';
import { useCan } from '../../ui/useSignedIn';
import { OrderTestDialog } from './OrderTestDialog';
import { TestDialog } from './TestDialog';
import { TestList } from './TestList';

const REFRESH_MS = 30_000;

/**
 * Results for the clinic's clinical staff: a doctor's own results to read and verify (critical
 * and abnormal first), and the tests in hand, whose samples are taken and results entered here.
 */
export function ResultsDesk({ ownResults }: { ownResults: boolean }) {
  const trpc = useTRPC();
  const can = useCan();
  const [openTest, setOpenTest] = useState<string | null>(null);
  const [ordering, setOrdering] = useState(false);
  const live = { refetchInterval: REFRESH_MS, placeholderData: keepPreviousData };
  const inbox = useQuery(trpc.results.inbox.queryOptions(undefined, { ...live, enabled: ownResults }));
  const worklist = useQuery(trpc.results.worklist.queryOptions(undefined, live));
  const toVerify = inbox.data?.filter((test) => test.status === 'completed').length ?? 0;
  return (
    <div className="results-desk">
      {can('tests.order') && (
        <div className="panel-actions results-actions">
          <button type="button" className="button-primary" onClick={() => setOrdering(true)}>
            Order a test…
          </button>
        </div>
      )}
      {ownResults && (
        <section className="panel" aria-labelledby="results-inbox-title">
          <h2 id="results-inbox-title">Your results {toVerify > 0 && <span className="count-badge">{toVerify} to verify</span>}</h2>
          {inbox.isError && <p className="form-problem">{formErrorsOf(inbox.error).general}</p>}
          {inbox.data && (
            <TestList
              tests={inbox.data}
              label="Your results"
              showPatient
              empty="No results of tests you ordered in the last 30 days."
              onOpen={(test) => setOpenTest(test.id)}
            />
          )}
        </section>
      )}
      <section className="panel" aria-labelledby="results-worklist-title">
        <h2 id="results-worklist-title">Tests in hand</h2>
        {worklist.isError && <p className="form-problem">{formErrorsOf(worklist.error).general}</p>}
        {worklist.data && (
          <TestList
            tests={worklist.data}
            label="Tests in hand"
            showPatient
            empty="No tests waiting for a sample, the laboratory or verification."
            onOpen={(test) => setOpenTest(test.id)}
          />
        )}
      </section>
      {ordering && <OrderTestDialog onClose={() => setOrdering(false)} onOrdered={(test) => setOpenTest(test.id)} />}
      {openTest && <TestDialog testId={openTest} onClose={() => setOpenTest(null)} />}
    </div>
  );
}
