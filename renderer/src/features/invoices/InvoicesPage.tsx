import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { INVOICE_STATUS_LABELS, type InvoiceFilter } from '../../../../shared/billing';
import { formErrorsOf } from '../../errors';
import { useTRPC } from '../../trpc';
import { formatDate } from '../../ui/dates';
import { useCan, useSignedIn } from '../../ui/useSignedIn';
import { DraftDialog } from './DraftDialog';
import { InvoiceDetail } from './InvoiceDetail';
import { useMoney } from './useMoney';

const FILTERS: readonly { id: InvoiceFilter; label: string }[] = [
  { id: 'unpaid', label: 'Unpaid' },
  { id: 'drafts', label: 'Drafts' },
  { id: 'issued', label: 'Issued' },
  { id: 'all', label: 'All' },
];

/** The invoices of the clinic by what needs doing, and the one being worked on beside them. */
export function InvoicesPage() {
  const { clinic } = useSignedIn();
  const can = useCan();
  const money = useMoney();
  const trpc = useTRPC();
  const [filter, setFilter] = useState<InvoiceFilter>('unpaid');
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const list = useQuery(trpc.billing.invoices.queryOptions({ filter }, { placeholderData: keepPreviousData }));

  return (
    <div className="billing-columns">
      <section className="panel invoice-list" aria-labelledby="invoices-title">
        <div className="invoice-list-head">
          <h2 id="invoices-title">Invoices</h2>
          {can('billing.write') && (
            <button type="button" className="button-primary button-small" onClick={() => setCreating(true)}>
              New invoice
            </button>
          )}
        </div>
        <div className="segmented" role="group" aria-label="Show">
          {FILTERS.map((f) => (
            <button key={f.id} type="button" aria-pressed={filter === f.id} onClick={() => setFilter(f.id)}>
              {f.label}
            </button>
          ))}
        </div>
        {list.isError && <p className="form-problem">{formErrorsOf(list.error).general}</p>}
        {list.isSuccess && list.data.length === 0 && <p className="muted">No invoices here.</p>}
        <table className="data-table invoice-rows">
          <tbody>
            {list.data?.map((invoice) => (
              <tr key={invoice.id} className={invoice.id === openId ? 'picked' : undefined}>
                <td>
                  <button type="button" className="button-quiet invoice-open" onClick={() => setOpenId(invoice.id)}>
                    {invoice.invoice_number ?? 'Draft'}
                  </button>
                  <span className="muted"> {formatDate(invoice.invoice_date, clinic.language)}</span>
                </td>
                <td>
                  {invoice.patient_name} <span className="patient-number">{invoice.patient_number}</span>
                </td>
                <td className="number">
                  {money(invoice.kind === 'invoice' && invoice.status !== 'draft' ? invoice.balance_due : invoice.total_amount)}
                </td>
                <td>
                  <span className={`status-pill invoice-${invoice.status}`}>
                    {invoice.kind === 'credit_note' ? 'Credit note' : INVOICE_STATUS_LABELS[invoice.status]}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {openId ? (
        <InvoiceDetail key={openId} invoiceId={openId} />
      ) : (
        <p className="panel muted">Open an invoice from the list, or start a new one from a completed visit.</p>
      )}
      {creating && (
        <DraftDialog
          onClose={() => setCreating(false)}
          onSaved={(invoice) => {
            setCreating(false);
            setFilter('drafts');
            setOpenId(invoice.id);
          }}
        />
      )}
    </div>
  );
}
