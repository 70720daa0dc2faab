import type { AgedDebt, PatientBalance, RevenueByKey, RevenuePeriod, RevenueRow, TillLine } from '../../../shared/billing';
import { one } from '../db/rows';
import type { Queryable } from '../db/types';

const OPEN = `i.kind = 'invoice' AND i.status IN ('issued', 'partially_paid', 'overdue')`;
const staffName = (alias: string) => `nullif(concat_ws(' ', ${alias}.title, ${alias}.first_name, ${alias}.last_name), '')`;

/** What the patient still owes this clinic, over their issued invoices. */
export function patientBalance(tx: Queryable, patientId: string): Promise<PatientBalance> {
  return one<PatientBalance>(
    tx,
    `SELECT coalesce(sum(i.balance_due), 0)::numeric(12, 2)::text AS outstanding, count(i.id)::int AS open_invoices, c.currency
     FROM clinics c LEFT JOIN invoices i ON i.patient_id = $1 AND ${OPEN}
     WHERE c.id = current_app_clinic_id() GROUP BY c.currency`,
    [patientId],
  );
}

/** Who owes what, by how long past the due date (the clinic's today), the largest debts first. */
export async function agedDebt(tx: Queryable): Promise<AgedDebt[]> {
  const { rows } = await tx.query<AgedDebt>(
    `WITH today AS (SELECT (now() AT TIME ZONE timezone)::date AS day FROM clinics WHERE id = current_app_clinic_id()),
     owed AS (
       SELECT i.patient_id, i.balance_due, today.day - coalesce(i.due_date, i.invoice_date) AS days_late, coalesce(i.due_date, i.invoice_date) AS due
       FROM invoices i CROSS JOIN today WHERE ${OPEN} AND i.balance_due > 0
     )
     SELECT o.patient_id, p.patient_number, p.first_name || ' ' || p.last_name AS patient_name,
       coalesce(sum(o.balance_due) FILTER (WHERE o.days_late <= 30), 0)::text AS current,
       coalesce(sum(o.balance_due) FILTER (WHERE o.days_late BETWEEN 31 AND 60), 0)::text AS days_31_60,
       coalesce(sum(o.balance_due) FILTER (WHERE o.days_late BETWEEN 61 AND 90), 0)::text AS days_61_90,
       coalesce(sum(o.balance_due) FILTER (WHERE o.days_late > 90), 0)::text AS over_90,
       sum(o.balance_due)::text AS total, min(o.due) AS oldest_due
     FROM owed o JOIN patients p ON p.tenant_id = current_tenant_id() AND p.id = o.patient_id
     GROUP BY o.patient_id, p.patient_number, p.first_name, p.last_name
     ORDER BY sum(o.balance_due) DESC, p.patient_number LIMIT 500`,
  );
  return rows;
}

/** The day's takings per person and method with their counts (a count may stand alone: nothing taken). */
export async function tillLines(tx: Queryable, day: string): Promise<TillLine[]> {
  const { rows } = await tx.query<TillLine>(
    `WITH takings AS (SELECT * FROM till_takings(current_tenant_id(), current_app_clinic_id(), $1::date)),
     counts AS (SELECT * FROM cash_ups WHERE business_day = $1::date)
     SELECT coalesce(t.cashier_id, cu.cashier_id) AS cashier_id, ${staffName('cashier')} AS cashier_name,
       coalesce(t.payment_method, cu.payment_method) AS payment_method,
       coalesce(t.taken, 0)::text AS taken, coalesce(t.refunded, 0)::text AS refunded, coalesce(t.expected, 0)::text AS expected,
       cu.counted::text AS counted, (cu.counted - coalesce(t.expected, 0))::text AS difference, cu.counted_at,
       ${staffName('counter')} AS counted_by_name, cu.expected IS DISTINCT FROM coalesce(t.expected, 0) AND cu.id IS NOT NULL AS recount_needed
     FROM takings t
     FULL JOIN counts cu ON cu.cashier_id = t.cashier_id AND cu.payment_method = t.payment_method
     JOIN users cashier ON cashier.tenant_id = current_tenant_id() AND cashier.id = coalesce(t.cashier_id, cu.cashier_id)
     LEFT JOIN users counter ON counter.tenant_id = current_tenant_id() AND counter.id = cu.counted_by
     ORDER BY cashier_name, payment_method`,
    [day],
  );
  return rows;
}

/** Records (or corrects) a count; the database writes what was expected at this moment. */
export async function recordCount(
  tx: Queryable,
  count: { day: string; cashierId: string; method: string; counted: string; note?: string | null },
): Promise<void> {
  await tx.query(
    `INSERT INTO cash_ups (tenant_id, clinic_id, business_day, cashier_id, payment_method, counted, note)
     VALUES (current_tenant_id(), current_app_clinic_id(), $1, $2, $3, $4::numeric, $5)
     ON CONFLICT (tenant_id, clinic_id, business_day, cashier_id, payment_method)
     DO UPDATE SET counted = EXCLUDED.counted, note = EXCLUDED.note`,
    [count.day, count.cashierId, count.method, count.counted, count.note ?? null],
  );
}

/**
 * Revenue per day, week or month between two dates of the clinic: invoiced (issued invoices by
 * their date), credited (credit notes), collected (payments by the clinic's day they were
 * taken) and refunded. Periods with nothing show as zero.
 */
export async function revenueRows(tx: Queryable, from: string, to: string, period: RevenuePeriod): Promise<RevenueRow[]> {
  const { rows } = await tx.query<RevenueRow>(
    `WITH clinic AS (SELECT timezone FROM clinics WHERE id = current_app_clinic_id()),
     span AS (
       SELECT ($1::date::timestamp AT TIME ZONE clinic.timezone) AS starts, (($2::date + 1)::timestamp AT TIME ZONE clinic.timezone) AS ends,
              clinic.timezone
       FROM clinic
     ),
     invoiced AS (
       SELECT date_trunc($3, i.invoice_date::timestamp)::date AS period,
              sum(i.total_amount) FILTER (WHERE i.kind = 'invoice') AS invoiced,
              sum(i.total_amount) FILTER (WHERE i.kind = 'credit_note') AS credited
       FROM invoices i WHERE i.status NOT IN ('draft', 'cancelled') AND i.invoice_date BETWEEN $1::date AND $2::date
       GROUP BY 1
     ),
     collected AS (
       SELECT date_trunc($3, p.paid_at AT TIME ZONE span.timezone)::date AS period, sum(p.amount) AS collected
       FROM payments p CROSS JOIN span WHERE p.paid_at >= span.starts AND p.paid_at < span.ends GROUP BY 1
     ),
     refunded AS (
       SELECT date_trunc($3, r.refunded_at AT TIME ZONE span.timezone)::date AS period, sum(r.amount) AS refunded
       FROM refunds r CROSS JOIN span WHERE r.refunded_at >= span.starts AND r.refunded_at < span.ends GROUP BY 1
     )
     SELECT to_char(s.period, 'YYYY-MM-DD') AS period,
       coalesce(i.invoiced, 0)::text AS invoiced, coalesce(i.credited, 0)::text AS credited,
       coalesce(c.collected, 0)::text AS collected, coalesce(r.refunded, 0)::text AS refunded
     FROM generate_series(date_trunc($3, $1::date::timestamp), $2::date::timestamp, ('1 ' || $3)::interval) AS s (period)
     LEFT JOIN invoiced i ON i.period = s.period::date
     LEFT JOIN collected c ON c.period = s.period::date
     LEFT JOIN refunded r ON r.period = s.period::date
     ORDER BY s.period`,
    [from, to, period],
  );
  return rows;
}

/**
 * Invoiced in the range by the doctor of the visit, net of the credit notes issued in the range
 * (each against the doctor of the invoice it credits), as the periods count them: a credit note
 * dated in the range takes off here even when its invoice is older. Invoices without a visit together.
 */
export async function revenueByDoctor(tx: Queryable, from: string, to: string): Promise<RevenueByKey[]> {
  const { rows } = await tx.query<RevenueByKey>(
    `SELECT coalesce(a.doctor_id::text, '') AS key, coalesce(${staffName('d')}, 'Without a visit') AS label,
       sum(CASE i.kind WHEN 'credit_note' THEN -i.total_amount ELSE i.total_amount END)::text AS invoiced
     FROM invoices i
     LEFT JOIN invoices credited ON credited.tenant_id = i.tenant_id AND credited.id = i.credited_invoice_id
     LEFT JOIN appointments a ON a.tenant_id = i.tenant_id AND a.id = coalesce(credited.appointment_id, i.appointment_id)
     LEFT JOIN users d ON d.tenant_id = a.tenant_id AND d.id = a.doctor_id
     WHERE i.status NOT IN ('draft', 'cancelled') AND i.invoice_date BETWEEN $1::date AND $2::date
     GROUP BY 1, 2 ORDER BY sum(CASE i.kind WHEN 'credit_note' THEN -i.total_amount ELSE i.total_amount END) DESC, 2`,
    [from, to],
  );
  return rows;
}

/**
 * Invoiced in the range by service (line code), before tax, credit notes' lines taken off. The
 * lines are read as records in one pass per invoice (jsonb_to_recordset), not field by field.
 */
export async function revenueByService(tx: Queryable, from: string, to: string): Promise<RevenueByKey[]> {
  const { rows } = await tx.query<RevenueByKey>(
    `SELECT coalesce(line.code, line.description) AS key, min(line.description) AS label,
       sum(CASE i.kind WHEN 'credit_note' THEN -line.amount ELSE line.amount END)::text AS invoiced
     FROM invoices i CROSS JOIN LATERAL jsonb_to_recordset(i.line_items) AS line (code text, description text, amount numeric)
     WHERE i.status NOT IN ('draft', 'cancelled') AND i.invoice_date BETWEEN $1::date AND $2::date
     GROUP BY 1 ORDER BY sum(CASE i.kind WHEN 'credit_note' THEN -line.amount ELSE line.amount END) DESC, 1
     LIMIT 30`,
    [from, to],
  );
  return rows;
}
