import { formatMoney, PAYMENT_METHOD_LABELS, type InvoiceLine, type PaymentMethod } from '../../../shared/billing';
import type { PrintedPdf } from '../../../shared/print';
import { maybeOne } from '../db/rows';
import type { Queryable } from '../db/types';
import type { PdfContent } from '../print/document';
import { clinicLetterhead, letterheadBlock } from '../print/letterhead';
import { printedPdf } from '../print/pdf';

/** One payment with what the receipt shows of its invoice; amounts and times as the database gives them. */
interface ReceiptRow {
  payment_number: string;
  amount: string;
  refund_amount: string;
  payment_method: PaymentMethod;
  transaction_reference: string | null;
  paid_at: string;
  timezone: string;
  taken_by: string | null;
  invoice_number: string;
  line_items: InvoiceLine[];
  subtotal: string;
  discount_amount: string;
  tax_amount: string;
  total_amount: string;
  amount_paid: string;
  amount_credited: string;
  balance_due: string;
  currency: string;
  language: string;
  patient_name: string;
  patient_number: string;
  clinic_id: string;
}

export async function receiptRow(tx: Queryable, paymentId: string): Promise<ReceiptRow | null> {
  return (
    (await maybeOne<ReceiptRow>(
      tx,
      `SELECT pay.payment_number, pay.amount, pay.refund_amount, pay.payment_method, pay.transaction_reference,
         pay.paid_at, c.timezone,
         nullif(concat_ws(' ', taker.title, taker.first_name, taker.last_name), '') AS taken_by,
         i.invoice_number, i.line_items, i.subtotal, i.discount_amount, i.tax_amount, i.total_amount, i.amount_paid,
         i.amount_credited, i.balance_due, i.currency, c.language, p.first_name || ' ' || p.last_name AS patient_name,
         p.patient_number, i.clinic_id
       FROM payments pay
       JOIN invoices i ON i.tenant_id = pay.tenant_id AND i.id = pay.invoice_id
       JOIN clinics c ON c.tenant_id = i.tenant_id AND c.id = i.clinic_id
       JOIN patients p ON p.tenant_id = pay.tenant_id AND p.id = pay.patient_id
       LEFT JOIN users taker ON taker.tenant_id = pay.tenant_id AND taker.id = pay.received_by
       WHERE pay.id = $1`,
      [paymentId],
    )) ?? null
  );
}

const right = (text: string): PdfContent => ({ text, alignment: 'right' });

/**
 * The receipt of one payment: the clinic, the patient and their number, the invoice's items and
 * totals, this payment (method, reference, who took it) and what is still owed after it.
 */
export async function receiptPdf(tx: Queryable, row: ReceiptRow): Promise<PrintedPdf> {
  const money = (amount: string) => formatMoney(amount, row.currency, row.language);
  const letterhead = await clinicLetterhead(tx, row.clinic_id);
  const paidAt = new Intl.DateTimeFormat(row.language, { dateStyle: 'medium', timeStyle: 'short', timeZone: row.timezone }).format(
    new Date(row.paid_at),
  );
  const totals: [string, string][] = [
    ['Subtotal', row.subtotal],
    ...(row.discount_amount !== '0.00' ? ([['Discounts', `-${row.discount_amount}`]] as [string, string][]) : []),
    ['Tax', row.tax_amount],
    ['Total', row.total_amount],
    ...(row.amount_credited !== '0.00' ? ([['Credited', row.amount_credited]] as [string, string][]) : []),
    ['Paid to date', row.amount_paid],
    ['Balance still owed', row.balance_due],
  ];
  return printedPdf(`receipt-${row.payment_number}.pdf`, {
    info: { title: `Receipt ${row.payment_number}`, author: letterhead.name },
    content: [
      letterheadBlock(letterhead),
      { text: `Receipt ${row.payment_number}`, style: 'title' },
      {
        columns: [
          { stack: [{ text: 'Patient', style: 'label' }, { text: row.patient_name, bold: true }, row.patient_number] },
          { stack: [{ text: 'Invoice', style: 'label' }, row.invoice_number] },
          { stack: [{ text: 'Paid', style: 'label' }, paidAt] },
        ],
        margin: [0, 0, 0, 12],
      },
      {
        table: {
          headerRows: 1,
          widths: ['*', 'auto', 'auto', 'auto', 'auto'],
          body: [
            [
              { text: 'Item', style: 'tableHeader' },
              { text: 'Qty', style: 'tableHeader', alignment: 'right' },
              { text: 'Unit price', style: 'tableHeader', alignment: 'right' },
              { text: 'Tax', style: 'tableHeader', alignment: 'right' },
              { text: 'Amount', style: 'tableHeader', alignment: 'right' },
            ],
            ...row.line_items.map((line) => [
              line.description,
              right(line.quantity),
              right(money(line.unit_price)),
              right(line.tax === '0.00' ? '' : money(line.tax)),
              right(money(line.amount)),
            ]),
          ],
        },
        layout: 'lightHorizontalLines',
      },
      {
        table: { widths: ['*', 'auto'], body: totals.map(([label, amount]) => [right(label), right(money(amount))]) },
        layout: 'noBorders',
        margin: [0, 8, 0, 12],
      },
      {
        table: {
          widths: ['*', 'auto'],
          body: [
            [
              { text: 'This payment', bold: true },
              { text: money(row.amount), bold: true, alignment: 'right' },
            ],
            ...(row.refund_amount !== '0.00' ? [['Refunded from it', right(money(row.refund_amount))]] : []),
            ['Method', right(PAYMENT_METHOD_LABELS[row.payment_method])],
            ...(row.transaction_reference ? [['Reference', right(row.transaction_reference)]] : []),
            ['Taken by', right(row.taken_by ?? '')],
          ],
        },
        layout: 'lightHorizontalLines',
      },
      { text: 'Thank you. Please keep this receipt.', style: 'small', margin: [0, 16, 0, 0] },
    ],
  });
}
