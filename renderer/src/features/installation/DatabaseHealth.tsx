import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { formErrorsOf } from '../../errors';
import { useTRPC } from '../../trpc';

export function DatabaseHealth() {
  const client = useQueryClient();
  const trpc = useTRPC();
  const health = useQuery(trpc.admin.health.queryOptions());
  const maintenance = useMutation(
    trpc.admin.runMaintenance.mutationOptions({ onSuccess: () => client.invalidateQueries(trpc.admin.health.queryFilter()) }),
  );
  return (
    <section className="panel" aria-labelledby="health-title">
      <h2 id="health-title">Database health</h2>
      {health.isPending && <p className="muted">Checking…</p>}
      {health.error && <p role="alert">{formErrorsOf(health.error).general}</p>}
      {health.data && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Check</th>
              <th scope="col">Status</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {health.data.map((check) => (
              <tr key={check.check_name} title={check.details}>
                <td>{check.check_name.replaceAll('_', ' ')}</td>
                <td>
                  <span className={`status-pill status-${check.status}`}>{check.status}</span>
                </td>
                <td>{check.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="panel-actions">
        <button type="button" onClick={() => maintenance.mutate()} disabled={maintenance.isPending}>
          {maintenance.isPending ? 'Running maintenance…' : 'Run maintenance'}
        </button>
        {maintenance.data && (
          <p role="status">
            Done: {maintenance.data.overdue_invoices_marked} invoice(s) marked overdue, {maintenance.data.tables_analyzed.length} tables
            analysed.
          </p>
        )}
        {maintenance.error && <p role="alert">{formErrorsOf(maintenance.error).general}</p>}
      </div>
    </section>
  );
}
