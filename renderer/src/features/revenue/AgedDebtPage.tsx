import { useQuery } from '@tanstack/react-query';
import { formErrorsOf } from '../../errors';
import { useTRPC } from '../../trpc';
import { formatDate } from '../../ui/dates';
import { useSignedIn } from '../../ui/useSignedIn';
import { useMoney } from '../invoices/useMoney';

/** Who owes what, by how far past the due date: the list to chase. */
export function AgedDebtPage() {
  const { clinic } = useSignedIn();
  const money = useMoney();
  const trpc = useTRPC();
  const debts = useQuery(trpc.billing.agedDebt.queryOptions());
  const amount = (value: string) => (value === '0' || value === '0.00' ? '' : money(value));
  return (
    <section className="panel" aria-labelledby="aged-debt-title">
      <h2 id="aged-debt-title">Aged debt</h2>
      {debts.isError && <p className="form-problem">{formErrorsOf(debts.error).general}</p>}
      {debts.isSuccess && debts.data.length === 0 && <p className="muted">Nobody owes the clinic anything.</p>}
      {debts.isSuccess && debts.data.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Patient</th>
              <th scope="col">Oldest due</th>
              <th scope="col" className="number">
                Up to 30 days
              </th>
              <th scope="col" className="number">
                31–60 days
              </th>
              <th scope="col" className="number">
                61–90 days
              </th>
              <th scope="col" className="number">
                Over 90 days
              </th>
              <th scope="col" className="number">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {debts.data.map((debt) => (
              <tr key={debt.patient_id}>
                <td>
                  {debt.patient_name} <span className="patient-number">{debt.patient_number}</span>
                </td>
                <td>{formatDate(debt.oldest_due, clinic.language)}</td>
                <td className="number">{amount(debt.current)}</td>
                <td className="number">{amount(debt.days_31_60)}</td>
                <td className="number">{amount(debt.days_61_90)}</td>
                <td className="number">{amount(debt.over_90)}</td>
                <td className="number">
                  <strong>{money(debt.total)}</strong>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
