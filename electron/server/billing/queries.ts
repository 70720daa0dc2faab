import type {
  DraftInvoice,
  Invoice,
  InvoiceableVisit,
  InvoiceFilter,
  InvoiceLineInput,
  InvoiceSummary,
  PaymentMethod,
} from '../../../shared/billing';
import { maybeOne, one } from '../db/rows';
import type { Queryable } from '../db/types';

const SUMMARY_COLUMNS = `
  i.id, i.kind, i.invoice_number, i.patient_id, p.patient_number, p.first_name || ' ' || p.last_name AS patient_name,
  i.invoice_date, i.due_date, i.total_amount, i.amount_paid, i.amount_credited, i.balance_due, i.currency, i.status, i.issued_at`;

const FROM_INVOICES = `FROM invoices i JOIN patients p ON p.tenant_id = i.tenant_id AND p.id = i.patient_id`;

const FILTERS: Record<InvoiceFilter, string> = {
  unpaid: `i.kind = 'invoice' AND i.status IN ('issued', 'partially_paid', 'overdue')`,
  drafts: `i.status = 'draft'`,
  issued: `i.status <> 'draft'`,
  all: `true`,
};

/** The latest 200 of a list, newest first; one patient's when asked. */
export async function listInvoices(tx: Queryable, filter: InvoiceFilter, patientId: string | null): Promise<InvoiceSummary[]> {
  const { rows } = await tx.query<InvoiceSummary>(
    `SELECT ${SUMMARY_COLUMNS} ${FROM_INVOICES}
     WHERE ${FILTERS[filter]} AND ($1::uuid IS NULL OR i.patient_id = $1)
     ORDER BY coalesce(i.issued_at, i.created_at) DESC, i.id LIMIT 200`,
    [patientId],
  );
  return rows;
}

const staffName = (alias: string) => `nullif(concat_ws(' ', ${alias}.title, ${alias}.first_name, ${alias}.last_name), '')`;

/** One invoice with its lines, payments, refunds and credit notes; null when the request cannot see it. */
export async function findInvoice(tx: Queryable, id: string): Promise<Invoice | null> {
  const invoice = await maybeOne<Invoice>(
    tx,
    `SELECT ${SUMMARY_COLUMNS}, i.appointment_id, i.credited_invoice_id, credited.invoice_number AS credited_invoice_number,
       i.line_items, i.subtotal, i.discount_amount, i.tax_amount, i.insurer_name, i.insurer_percent, i.insurer_amount,
       i.notes, i.void_reason, ${staffName('author')} AS created_by_name,
       coalesce((SELECT jsonb_agg(jsonb_build_object(
           'id', pay.id, 'payment_number', pay.payment_number, 'amount', pay.amount::text, 'refund_amount', pay.refund_amount::text,
           'payment_method', pay.payment_method, 'payment_status', pay.payment_status,
           'transaction_reference', pay.transaction_reference, 'paid_at', pay.paid_at, 'received_by_name', ${staffName('taker')})
           ORDER BY pay.paid_at, pay.payment_number)
         FROM payments pay LEFT JOIN users taker ON taker.tenant_id = pay.tenant_id AND taker.id = pay.received_by
         WHERE pay.invoice_id = i.id), '[]') AS payments,
       coalesce((SELECT jsonb_agg(jsonb_build_object(
           'id', r.id, 'refund_number', r.refund_number, 'payment_id', r.payment_id, 'amount', r.amount::text,
           'payment_method', r.payment_method, 'reason', r.reason, 'refunded_at', r.refunded_at, 'refunded_by_name', ${staffName('giver')})
           ORDER BY r.refunded_at, r.refund_number)
         FROM refunds r LEFT JOIN users giver ON giver.tenant_id = r.tenant_id AND giver.id = r.refunded_by
         WHERE r.invoice_id = i.id), '[]') AS refunds,
       coalesce((SELECT jsonb_agg(jsonb_build_object(
           'id', cn.id, 'invoice_number', cn.invoice_number, 'total_amount', cn.total_amount::text, 'issued_at', cn.issued_at)
           ORDER BY cn.issued_at)
         FROM invoices cn WHERE cn.credited_invoice_id = i.id AND cn.status <> 'draft'), '[]') AS credit_notes
     ${FROM_INVOICES}
     LEFT JOIN invoices credited ON credited.tenant_id = i.tenant_id AND credited.id = i.credited_invoice_id
     LEFT JOIN users author ON author.tenant_id = i.tenant_id AND author.id = i.created_by
     WHERE i.id = $1`,
    [id],
  );
  return invoice ?? null;
}

/** Completed visits of the last 90 days with no invoice yet (a voided one frees the visit). */
export async function invoiceableVisits(tx: Queryable): Promise<InvoiceableVisit[]> {
  const { rows } = await tx.query<InvoiceableVisit>(
    `SELECT a.id AS appointment_id, a.appointment_number, a.patient_id, p.patient_number,
       p.first_name || ' ' || p.last_name AS patient_name, ${staffName('d')} AS doctor_name, a.appointment_type, a.starts_at
     FROM appointments a
     JOIN patients p ON p.tenant_id = a.tenant_id AND p.id = a.patient_id
     JOIN users d ON d.tenant_id = a.tenant_id AND d.id = a.doctor_id
     WHERE a.status = 'completed' AND a.starts_at >= now() - interval '90 days'
       AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.appointment_id = a.id AND i.kind = 'invoice' AND i.status <> 'cancelled')
     ORDER BY a.starts_at DESC LIMIT 100`,
  );
  return rows;
}

/** A completed visit of this clinic: its patient, or null when there is none such. */
export async function completedVisit(tx: Queryable, appointmentId: string): Promise<{ patient_id: string } | null> {
  return (
    (await maybeOne<{ patient_id: string }>(tx, `SELECT patient_id FROM appointments WHERE id = $1 AND status = 'completed'`, [
      appointmentId,
    ])) ?? null
  );
}

/**
 * What a visit is charged, priced as on the day of the visit: the price list's service for its
 * type, then each test ordered at it (the price list's price for the test's code, else the
 * test's own cost).
 */
export async function visitLines(tx: Queryable, appointmentId: string): Promise<InvoiceLineInput[]> {
  const { rows } = await tx.query<InvoiceLineInput>(
    `WITH visit AS (
       SELECT a.id, a.clinic_id, a.appointment_type, (a.starts_at AT TIME ZONE c.timezone)::date AS day
       FROM appointments a JOIN clinics c ON c.tenant_id = a.tenant_id AND c.id = a.clinic_id WHERE a.id = $1
     ),
     priced AS (
       SELECT pl.code, pl.description, pl.unit_price, pl.tax_rate, 0 AS part, pl.code AS sort
       FROM visit v JOIN price_list pl ON pl.clinic_id = v.clinic_id AND pl.appointment_type = v.appointment_type
        AND pl.valid_from <= v.day AND (pl.valid_until IS NULL OR pl.valid_until > v.day)
       UNION ALL
       SELECT coalesce(pl.code, upper('TEST-' || t.test_code)), coalesce(pl.description, t.test_name),
              coalesce(pl.unit_price, t.cost, 0), coalesce(pl.tax_rate, 0), 1, t.ordered_at::text
       FROM visit v JOIN diagnostic_tests t ON t.appointment_id = v.id AND t.status <> 'cancelled'
       LEFT JOIN price_list pl ON pl.clinic_id = v.clinic_id AND pl.test_code = t.test_code
        AND pl.valid_from <= v.day AND (pl.valid_until IS NULL OR pl.valid_until > v.day)
     )
     SELECT code, description, '1' AS quantity, unit_price::text AS "unitPrice", '0' AS discount, tax_rate::text AS "taxRate"
     FROM priced ORDER BY part, sort`,
    [appointmentId],
  );
  return rows;
}

/** Lines as the invoices table stores them (the database adds amount and tax). */
function storedLines(lines: DraftInvoice['lines']): string {
  return JSON.stringify(
    lines.map((line) => ({
      code: line.code ?? null,
      description: line.description,
      quantity: line.quantity,
      unit_price: line.unitPrice,
      discount: line.discount,
      tax_rate: line.taxRate,
    })),
  );
}

/** A draft of the request's clinic, in its currency. Returns the id. */
export async function insertDraft(tx: Queryable, draft: DraftInvoice): Promise<string> {
  const { id } = await one<{ id: string }>(
    tx,
    `INSERT INTO invoices (tenant_id, clinic_id, patient_id, appointment_id, line_items, insurer_name, insurer_percent, notes, currency)
     SELECT current_tenant_id(), c.id, $1, $2, $3::jsonb, $4, $5::numeric, $6, c.currency
     FROM clinics c WHERE c.id = current_app_clinic_id()
     RETURNING id`,
    [
      draft.patientId,
      draft.appointmentId ?? null,
      storedLines(draft.lines),
      draft.insurerName ?? null,
      draft.insurerPercent,
      draft.notes ?? null,
    ],
  );
  return id;
}

/** False when it is no longer a draft. */
export async function updateDraft(
  tx: Queryable,
  id: string,
  draft: Pick<DraftInvoice, 'lines' | 'insurerName' | 'insurerPercent' | 'notes'>,
): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE invoices SET line_items = $2::jsonb, insurer_name = $3, insurer_percent = $4::numeric, notes = $5
     WHERE id = $1 AND status = 'draft'`,
    [id, storedLines(draft.lines), draft.insurerName ?? null, draft.insurerPercent, draft.notes ?? null],
  );
  return rowCount === 1;
}

/** The database numbers it. False when it is no longer a draft. */
export async function issueInvoice(tx: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await tx.query(`UPDATE invoices SET status = 'issued' WHERE id = $1 AND status = 'draft'`, [id]);
  return rowCount === 1;
}

/** False when something is paid or credited, or it is not issued. */
export async function voidInvoice(tx: Queryable, id: string, reason: string): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE invoices SET status = 'cancelled', void_reason = $2
     WHERE id = $1 AND kind = 'invoice' AND status IN ('issued', 'overdue') AND amount_paid = 0 AND amount_credited = 0`,
    [id, reason],
  );
  return rowCount === 1;
}

/** A credit note against the invoice, issued at once (the database checks and numbers it). Returns its id. */
export async function insertCreditNote(tx: Queryable, invoiceId: string, lines: DraftInvoice['lines'], reason: string): Promise<string> {
  const { id } = await one<{ id: string }>(
    tx,
    `INSERT INTO invoices (tenant_id, kind, credited_invoice_id, clinic_id, patient_id, line_items, notes, currency, status)
     SELECT current_tenant_id(), 'credit_note', i.id, i.clinic_id, i.patient_id, $2::jsonb, $3, i.currency, 'issued'
     FROM invoices i WHERE i.id = $1
     RETURNING id`,
    [invoiceId, storedLines(lines), reason],
  );
  return id;
}

/** What a payment by this method may still take on the invoice (null: it takes no payments). */
export async function payableOn(tx: Queryable, invoiceId: string, method: PaymentMethod): Promise<string | null> {
  const row = await one<{ payable: string | null }>(tx, `SELECT amount_payable(current_tenant_id(), $1, $2)::text AS payable`, [
    invoiceId,
    method,
  ]);
  return row.payable;
}

/** A payment taken now by the request's user (the database checks it against what is owed). Returns its id. */
export async function insertPayment(
  tx: Queryable,
  payment: { invoiceId: string; amount: string; method: PaymentMethod; reference?: string | null },
): Promise<string> {
  const { id } = await one<{ id: string }>(
    tx,
    `INSERT INTO payments (tenant_id, invoice_id, patient_id, amount, currency, payment_method, transaction_reference)
     SELECT current_tenant_id(), i.id, i.patient_id, $2::numeric, i.currency, $3, $4 FROM invoices i WHERE i.id = $1
     RETURNING id`,
    [payment.invoiceId, payment.amount, payment.method, payment.reference ?? null],
  );
  return id;
}

export interface PaymentRow {
  id: string;
  invoice_id: string;
  payment_number: string;
  left_to_refund: string;
  currency: string;
}

export async function findPayment(tx: Queryable, id: string): Promise<PaymentRow | null> {
  return (
    (await maybeOne<PaymentRow>(
      tx,
      `SELECT id, invoice_id, payment_number, (amount - refund_amount)::text AS left_to_refund, currency FROM payments WHERE id = $1`,
      [id],
    )) ?? null
  );
}

/** A refund of part or all of a payment, by the request's user. Returns its id. */
export async function insertRefund(tx: Queryable, refund: { paymentId: string; amount: string; reason: string }): Promise<string> {
  const { id } = await one<{ id: string }>(
    tx,
    `INSERT INTO refunds (tenant_id, payment_id, invoice_id, amount, currency, payment_method, reason)
     SELECT current_tenant_id(), p.id, p.invoice_id, $2::numeric, p.currency, p.payment_method, $3 FROM payments p WHERE p.id = $1
     RETURNING id`,
    [refund.paymentId, refund.amount, refund.reason],
  );
  return id;
}

/** The clinic's currency and language, for the messages and prints that show money. */
export function clinicMoney(tx: Queryable): Promise<{ currency: string; language: string; timezone: string; name: string }> {
  return one(tx, `SELECT currency, language, timezone, name FROM clinics WHERE id = current_app_clinic_id()`);
}
