import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { INVOICE_STATUS_LABELS, PAYMENT_METHOD_LABELS, type Invoice, type Payment } from '../../../../shared/billing';
import { formErrorsOf } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { formatDate, formatInstant } from '../../ui/dates';
import { savePdf } from '../../ui/savePdf';
import { useCan, useSignedIn } from '../../ui/useSignedIn';
import { RefundDialog } from '../payments/RefundDialog';
import { TakePaymentDialog } from '../payments/TakePaymentDialog';
import { CreditNoteDialog } from './CreditNoteDialog';
import { DraftDialog } from './DraftDialog';
import { useMoney } from './useMoney';
import { VoidDialog } from './VoidDialog';

type Open = { name: 'edit' } | { name: 'pay' } | { name: 'credit' } | { name: 'void' } | { name: 'refund'; payment: Payment } | null;

const OWED = ['issued', 'partially_paid', 'overdue'];

/** One invoice as billing works on it: lines and totals (the database's), payments, refunds, credits, and what can be done next. */
export function InvoiceDetail({ invoiceId }: { invoiceId: string }) {
  const { clinic } = useSignedIn();
  const can = useCan();
  const money = useMoney();
  const trpc = useTRPC();
  const refresh = useRefresh(trpc.billing);
  const query = useQuery(trpc.billing.invoice.queryOptions({ id: invoiceId }));
  const issue = useMutation(trpc.billing.issue.mutationOptions({ onSuccess: refresh }));
  const client = useQueryClient();
  const receipt = useMutation({
    mutationFn: async (paymentId: string) =>
      savePdf(await client.fetchQuery({ ...trpc.billing.receipt.queryOptions({ paymentId }), staleTime: 0 })),
  });
  const [open, setOpen] = useState<Open>(null);
  const close = () => setOpen(null);
  const invoice: Invoice | undefined = query.data;
  if (query.isError) return <p className="form-problem">{formErrorsOf(query.error).general}</p>;
  if (!invoice) return <p className="muted">Loading…</p>;
  const owed = invoice.kind === 'invoice' && OWED.includes(invoice.status);
  const title = invoice.kind === 'credit_note' ? 'Credit note' : 'Invoice';

  return (
    <section className="panel invoice-detail" aria-labelledby="invoice-title">
      <header className="invoice-heading">
        <h2 id="invoice-title">
          {title} {invoice.invoice_number ?? '(draft, numbered when issued)'}
        </h2>
        <span className={`status-pill invoice-${invoice.status}`}>{INVOICE_STATUS_LABELS[invoice.status]}</span>
      </header>
      <p>
        <strong>{invoice.patient_name}</strong> <span className="patient-number">{invoice.patient_number}</span>
        {invoice.issued_at && <span className="muted"> · issued {formatDate(invoice.invoice_date, clinic.language)}</span>}
        {invoice.due_date && invoice.status !== 'draft' && (
          <span className="muted"> · due {formatDate(invoice.due_date, clinic.language)}</span>
        )}
        {invoice.credited_invoice_number && <span className="muted"> · credits {invoice.credited_invoice_number}</span>}
      </p>
      <table className="data-table invoice-lines">
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col" className="number">
              Qty
            </th>
            <th scope="col" className="number">
              Unit price
            </th>
            <th scope="col" className="number">
              Discount
            </th>
            <th scope="col" className="number">
              Tax
            </th>
            <th scope="col" className="number">
              Amount
            </th>
          </tr>
        </thead>
        <tbody>
          {invoice.line_items.map((line, index) => (
            <tr key={index}>
              <td>
                {line.description} {line.code && <span className="muted">{line.code}</span>}
              </td>
              <td className="number">{line.quantity}</td>
              <td className="number">{money(line.unit_price)}</td>
              <td className="number">{line.discount === '0.00' ? '' : money(line.discount)}</td>
              <td className="number">{line.tax_rate === '0.00' ? '' : `${money(line.tax)} (${line.tax_rate}%)`}</td>
              <td className="number">{money(line.amount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="invoice-totals">
        <dt>Subtotal</dt>
        <dd>{money(invoice.subtotal)}</dd>
        {invoice.discount_amount !== '0.00' && (
          <>
            <dt>Discounts</dt>
            <dd>−{money(invoice.discount_amount)}</dd>
          </>
        )}
        <dt>Tax</dt>
        <dd>{money(invoice.tax_amount)}</dd>
        <dt className="total">Total</dt>
        <dd className="total">{money(invoice.total_amount)}</dd>
        {invoice.kind === 'invoice' && (
          <>
            <dt>Paid</dt>
            <dd>{money(invoice.amount_paid)}</dd>
            {invoice.amount_credited !== '0.00' && (
              <>
                <dt>Credited</dt>
                <dd>{money(invoice.amount_credited)}</dd>
              </>
            )}
            <dt className="total">Balance</dt>
            <dd className="total" data-testid="balance">
              {money(invoice.balance_due)}
            </dd>
          </>
        )}
      </dl>
      {invoice.insurer_name && (
        <p className="muted">
          {invoice.insurer_name} pays {invoice.insurer_percent}%: {money(invoice.insurer_amount)}.
        </p>
      )}
      {invoice.notes && <p className="muted">{invoice.notes}</p>}
      {invoice.void_reason && <p className="warning warning-alert">Void: {invoice.void_reason}</p>}

      {invoice.payments.length > 0 && (
        <>
          <h3>Payments</h3>
          <table className="data-table invoice-payments">
            <tbody>
              {invoice.payments.map((payment) => (
                <tr key={payment.id}>
                  <td>{payment.payment_number}</td>
                  <td>{formatInstant(payment.paid_at, clinic.language, clinic.timezone)}</td>
                  <td>{PAYMENT_METHOD_LABELS[payment.payment_method]}</td>
                  <td className="number">{money(payment.amount)}</td>
                  <td>{payment.refund_amount !== '0.00' && <span className="muted">{money(payment.refund_amount)} refunded</span>}</td>
                  <td className="muted">{payment.received_by_name}</td>
                  <td className="button-row">
                    <button
                      type="button"
                      className="button-secondary button-small"
                      aria-disabled={receipt.isPending}
                      onClick={() => receipt.isPending || receipt.mutate(payment.id)}
                    >
                      Receipt
                    </button>
                    {can('payments.refund') && payment.refund_amount !== payment.amount && (
                      <button type="button" className="button-secondary button-small" onClick={() => setOpen({ name: 'refund', payment })}>
                        Refund
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {invoice.refunds.length > 0 && (
        <>
          <h3>Refunds</h3>
          <ul className="plain-list">
            {invoice.refunds.map((refund) => (
              <li key={refund.id}>
                {refund.refund_number}: {money(refund.amount)} by {PAYMENT_METHOD_LABELS[refund.payment_method].toLowerCase()},{' '}
                {formatInstant(refund.refunded_at, clinic.language, clinic.timezone)}, {refund.refunded_by_name} — {refund.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      {invoice.credit_notes.length > 0 && (
        <>
          <h3>Credit notes</h3>
          <ul className="plain-list">
            {invoice.credit_notes.map((note) => (
              <li key={note.id}>
                {note.invoice_number}: {money(note.total_amount)}, {formatInstant(note.issued_at, clinic.language, clinic.timezone)}
              </li>
            ))}
          </ul>
        </>
      )}

      <div className="panel-actions">
        {invoice.status === 'draft' && can('billing.write') && (
          <>
            <button
              type="button"
              className="button-primary"
              aria-disabled={issue.isPending}
              onClick={() => issue.isPending || issue.mutate({ id: invoice.id })}
            >
              {issue.isPending ? 'Issuing…' : 'Issue invoice'}
            </button>
            <button type="button" className="button-secondary" onClick={() => setOpen({ name: 'edit' })}>
              Edit draft
            </button>
          </>
        )}
        {owed && can('payments.take') && (
          <button type="button" className="button-primary" onClick={() => setOpen({ name: 'pay' })}>
            Take payment
          </button>
        )}
        {owed && can('billing.write') && (
          <button type="button" className="button-secondary" onClick={() => setOpen({ name: 'credit' })}>
            Credit note
          </button>
        )}
        {owed && can('billing.write') && invoice.amount_paid === '0.00' && invoice.amount_credited === '0.00' && (
          <button type="button" className="button-danger" onClick={() => setOpen({ name: 'void' })}>
            Void
          </button>
        )}
        {issue.isError && <p className="form-problem">{formErrorsOf(issue.error).general}</p>}
        {receipt.isError && <p className="form-problem">{formErrorsOf(receipt.error).general}</p>}
      </div>

      {open?.name === 'edit' && <DraftDialog draft={invoice} onClose={close} onSaved={close} />}
      {open?.name === 'pay' && <TakePaymentDialog invoice={invoice} onClose={close} onTaken={close} />}
      {open?.name === 'credit' && <CreditNoteDialog invoice={invoice} onClose={close} />}
      {open?.name === 'void' && <VoidDialog invoice={invoice} onClose={close} />}
      {open?.name === 'refund' && <RefundDialog payment={open.payment} onClose={close} />}
    </section>
  );
}
