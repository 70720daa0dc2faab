import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { REVENUE_PERIODS, revenueInput, type RevenueByKey, type RevenuePeriod } from '../../../../shared/billing';
import { addDays, todayIn } from '../../../../shared/dates';
import { formErrorsOf } from '../../errors';
import { useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { formatDay } from '../../ui/dates';
import { Field } from '../../ui/Field';
import { useSignedIn } from '../../ui/useSignedIn';
import { useMoney } from '../invoices/useMoney';
import { downloadText, revenueCsv } from './revenueCsv';

const PERIOD_LABELS: Record<RevenuePeriod, string> = { day: 'By day', week: 'By week', month: 'By month' };

/** Invoiced and collected over time, by doctor and by service, in the clinic's currency; CSV for the accountant. */
export function RevenuePage() {
  const { clinic } = useSignedIn();
  const money = useMoney();
  const trpc = useTRPC();
  const today = todayIn(clinic.timezone);
  const [range, setRange] = useState({ from: addDays(today, -29), to: today, period: 'day' as RevenuePeriod });
  const checked = checkForm(revenueInput, range);
  const report = useQuery(
    trpc.billing.revenue.queryOptions(checked.ok ? checked.value : { from: today, to: today }, {
      enabled: checked.ok,
      placeholderData: keepPreviousData,
    }),
  );
  // Plotted as numbers (display only); every total shown in figures is the server's decimal.
  const chart = (report.data?.rows ?? []).map((row) => ({
    label: formatDay(row.period, clinic.language),
    Invoiced: Number(row.invoiced) - Number(row.credited),
    Collected: Number(row.collected) - Number(row.refunded),
  }));

  return (
    <section className="panel revenue" aria-labelledby="revenue-title">
      <div className="invoice-list-head">
        <h2 id="revenue-title">Revenue</h2>
        <button
          type="button"
          className="button-secondary button-small"
          disabled={!report.data}
          onClick={() => report.data && downloadText(`revenue-${range.from}-to-${range.to}.csv`, revenueCsv(report.data), 'text/csv')}
        >
          Export CSV
        </button>
      </div>
      <div className="form-row revenue-range">
        <Field
          label="From"
          type="date"
          value={range.from}
          onChange={(e) => setRange({ ...range, from: e.target.value })}
          error={checked.fields.from}
        />
        <Field
          label="To"
          type="date"
          value={range.to}
          onChange={(e) => setRange({ ...range, to: e.target.value })}
          error={checked.fields.to}
        />
        <div className="segmented" role="group" aria-label="Group">
          {REVENUE_PERIODS.map((period) => (
            <button key={period} type="button" aria-pressed={range.period === period} onClick={() => setRange({ ...range, period })}>
              {PERIOD_LABELS[period]}
            </button>
          ))}
        </div>
      </div>
      {report.isError && <p className="form-problem">{formErrorsOf(report.error).general}</p>}
      <div className="revenue-chart" aria-label="Invoiced and collected, net of credit notes and refunds" role="img">
        <ResponsiveContainer width="100%" height={260}>
          <BarChart data={chart}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" fontSize={12} />
            <YAxis fontSize={12} tickFormatter={(value: number) => money(String(value)).replace(/\.00$/, '')} width={70} />
            <Tooltip formatter={(value) => money(String(value))} />
            <Legend />
            <Bar dataKey="Invoiced" fill="#0b6b76" />
            <Bar dataKey="Collected" fill="#7fb8bf" />
          </BarChart>
        </ResponsiveContainer>
      </div>
      {report.data && (
        <div className="revenue-tables">
          <RankedTable title="By doctor" rows={report.data.byDoctor} money={money} />
          <RankedTable title="By service (before tax)" rows={report.data.byService} money={money} showCode />
        </div>
      )}
    </section>
  );
}

/** showCode: services are told apart by their price-list code, as two may share a description. */
function RankedTable({
  title,
  rows,
  money,
  showCode = false,
}: {
  title: string;
  rows: RevenueByKey[];
  money(amount: string): string;
  showCode?: boolean;
}) {
  return (
    <table className="data-table">
      <caption>{title}</caption>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <td>
              {row.label}
              {showCode && row.key !== row.label && <span className="patient-number"> {row.key}</span>}
            </td>
            <td className="number">{money(row.invoiced)}</td>
          </tr>
        ))}
        {rows.length === 0 && (
          <tr>
            <td className="muted">Nothing invoiced in this range.</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
