import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { countTillInput, PAYMENT_METHOD_LABELS, type TillLine } from '../../../../shared/billing';
import { todayIn } from '../../../../shared/dates';
import { formErrorsOf, NO_ERRORS } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { formatClock, formatLongDay } from '../../ui/dates';
import { useCan, useSignedIn } from '../../ui/useSignedIn';
import { useMoney } from '../invoices/useMoney';

/** The end of the day: what each person took by each method, what they counted, and the difference, recorded. */
export function CashUpPage() {
  const { clinic } = useSignedIn();
  const can = useCan();
  const money = useMoney();
  const trpc = useTRPC();
  const [day, setDay] = useState(() => todayIn(clinic.timezone));
  const till = useQuery(trpc.billing.cashUp.queryOptions({ day }));
  const lines = till.data?.lines ?? [];

  return (
    <section className="panel cash-up" aria-labelledby="cash-up-title">
      <div className="invoice-list-head">
        <h2 id="cash-up-title">Cash-up for {formatLongDay(day, clinic.language)}</h2>
        <label className="field-inline">
          Day{' '}
          <input
            type="date"
            value={day}
            max={todayIn(clinic.timezone)}
            onChange={(event) => event.target.value && setDay(event.target.value)}
          />
        </label>
      </div>
      {till.isError && <p className="form-problem">{formErrorsOf(till.error).general}</p>}
      {till.isSuccess && lines.length === 0 && <p className="muted">Nothing was taken or refunded on this day.</p>}
      {lines.length > 0 && (
        <table className="data-table till">
          <thead>
            <tr>
              <th scope="col">Taken by</th>
              <th scope="col">Method</th>
              <th scope="col" className="number">
                Taken
              </th>
              <th scope="col" className="number">
                Refunded
              </th>
              <th scope="col" className="number">
                Expected
              </th>
              <th scope="col">Counted</th>
              <th scope="col" className="number">
                Difference
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <tr key={`${line.cashier_id}-${line.payment_method}`}>
                <td>{line.cashier_name}</td>
                <td>{PAYMENT_METHOD_LABELS[line.payment_method]}</td>
                <td className="number">{money(line.taken)}</td>
                <td className="number">{line.refunded === '0.00' ? '' : money(line.refunded)}</td>
                <td className="number">{money(line.expected)}</td>
                <td>
                  {can('payments.take') ? (
                    <CountForm key={`${day}-${line.counted ?? ''}`} day={day} line={line} />
                  ) : (
                    line.counted !== null && money(line.counted)
                  )}
                  {line.counted_at && (
                    <span className="muted">
                      {' '}
                      counted {formatClock(line.counted_at, clinic.timezone)} by {line.counted_by_name}
                    </span>
                  )}
                  {line.recount_needed && <span className="warning-alert"> Takings changed since: count again.</span>}
                </td>
                <td className={`number ${differenceClass(line.difference)}`}>{line.difference === null ? '—' : money(line.difference)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function differenceClass(difference: string | null): string {
  if (difference === null) return '';
  return /^0(\.0+)?$/.test(difference) ? 'status-ok' : 'status-critical';
}

function CountForm({ day, line }: { day: string; line: TillLine }) {
  const trpc = useTRPC();
  const refresh = useRefresh(trpc.billing);
  const record = useMutation(trpc.billing.countTill.mutationOptions({ onSuccess: refresh }));
  const [counted, setCounted] = useState(line.counted ?? '');
  const [checked, setChecked] = useState<Record<string, string>>({});
  const errors = record.isError ? formErrorsOf(record.error) : NO_ERRORS;
  const label = `Counted ${PAYMENT_METHOD_LABELS[line.payment_method].toLowerCase()} of ${line.cashier_name}`;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (record.isPending) return;
    const result = checkForm(countTillInput, { day, cashierId: line.cashier_id, method: line.payment_method, counted });
    setChecked(result.fields);
    if (result.ok) record.mutate(result.value);
  }

  const problem = checked.counted ?? errors.fields.counted ?? errors.fields.day ?? errors.general;
  return (
    <form className="count-form" onSubmit={submit} noValidate>
      <input
        aria-label={label}
        inputMode="decimal"
        size={8}
        value={counted}
        onChange={(event) => setCounted(event.target.value)}
        aria-invalid={problem ? true : undefined}
      />
      <button type="submit" className="button-secondary button-small" aria-disabled={record.isPending}>
        {line.counted === null ? 'Record' : 'Recount'}
      </button>
      {problem && <span className="field-error">{problem}</span>}
    </form>
  );
}
