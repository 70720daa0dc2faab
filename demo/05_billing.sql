-- The demo clinic, part 5: billing. The price list (with last year's consultation price, so
-- an old visit is priced as on its day); with part 1's invoices, a month of invoices and
-- payments; a refund, a credit note and the last day's cash-up. Loaded by the owner after the other
-- demo files, in the same transaction. Runs unchanged on PGlite (PostgreSQL 18) and 15+.

SELECT set_config('app.current_tenant_id', '00000000-0000-4000-8000-000000000001', true);

WITH clock AS (SELECT (now() AT TIME ZONE 'Europe/London')::date AS today)
INSERT INTO price_list (tenant_id, clinic_id, code, description, category, appointment_type, test_code, unit_price, tax_rate,
                        valid_from, valid_until)
SELECT '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', p.code, p.description, p.category,
       p.appointment_type, p.test_code, p.unit_price, p.tax_rate, clock.today + p.from_day, clock.today + p.until_day
FROM clock CROSS JOIN (VALUES
  -- visits, by appointment type; the consultation went up two months ago
  ('CONS-GP', 'GP consultation', 'consultation', 'consultation', NULL, 55.00, 0, -730, -60),
  ('CONS-GP', 'GP consultation', 'consultation', 'consultation', NULL, 60.00, 0, -60, NULL),
  ('CONS-GP-FU', 'Follow-up consultation', 'consultation', 'follow_up', NULL, 40.00, 0, -730, NULL),
  ('CHECK-UP', 'Health check', 'consultation', 'check_up', NULL, 60.00, 0, -730, NULL),
  ('CONS-URGENT', 'Urgent same-day consultation', 'consultation', 'emergency', NULL, 90.00, 0, -730, NULL),
  ('CONS-VIDEO', 'Video consultation', 'consultation', 'telemedicine', NULL, 45.00, 0, -730, NULL),
  ('PROC-MINOR', 'Minor procedure', 'procedure', 'procedure', NULL, 85.00, 0, -730, NULL),
  ('VACC', 'Vaccine and administration', 'procedure', 'vaccination', NULL, 25.00, 0, -730, NULL),
  -- tests, by the code they are ordered under
  ('TEST-HBA1C', 'HbA1c', 'test', NULL, 'HBA1C', 18.00, 0, -730, NULL),
  ('TEST-UE', 'Urea and electrolytes', 'test', NULL, 'UE', 22.00, 0, -730, NULL),
  ('TEST-ECG12', 'ECG (12-lead)', 'test', NULL, 'ECG12', 45.00, 0, -730, NULL),
  ('TEST-LIPID', 'Lipid profile', 'test', NULL, 'LIPID', 24.00, 0, -730, NULL),
  ('TEST-TFT', 'Thyroid function tests', 'test', NULL, 'TFT', 26.00, 0, -730, NULL),
  ('TEST-FBC', 'Full blood count', 'test', NULL, 'FBC', 15.00, 0, -730, NULL),
  ('TEST-CXR', 'Chest X-ray (PA)', 'test', NULL, 'CXR', 65.00, 0, -730, NULL),
  ('TEST-MSU', 'Urine culture (MSU)', 'test', NULL, 'MSU', 20.00, 0, -730, NULL),
  ('TEST-VITD', 'Vitamin D (25-OH)', 'test', NULL, 'VITD', 28.00, 0, -730, NULL),
  ('TEST-CRP', 'C-reactive protein', 'test', NULL, 'CRP', 14.00, 0, -730, NULL),
  ('TEST-LFT', 'Liver function tests', 'test', NULL, 'LFT', 20.00, 0, -730, NULL),
  -- non-clinical work carries VAT
  ('REPORT-INS', 'Medical report for insurer', 'other', NULL, NULL, 40.00, 20, -730, NULL)
) AS p (code, description, category, appointment_type, test_code, unit_price, tax_rate, from_day, until_day);

-- The rest of the month: completed visits of the last 30 days not invoiced in part 1, except
-- the last two days' (left for the desk to invoice), invoiced at the end of each visit at the
-- price list's prices; most paid at the desk, some in part, some still owed.
WITH clock AS (SELECT (now() AT TIME ZONE 'Europe/London')::date AS today),
visits AS (
  SELECT a.id, a.patient_id, a.appointment_type, a.completed_at, (a.starts_at AT TIME ZONE 'Europe/London')::date AS day,
         row_number() OVER (ORDER BY a.starts_at, a.id) AS n
  FROM appointments a CROSS JOIN clock
  WHERE a.tenant_id = '00000000-0000-4000-8000-000000000001' AND a.status = 'completed'
    AND (a.starts_at AT TIME ZONE 'Europe/London')::date BETWEEN clock.today - 30 AND clock.today - 3
    AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.tenant_id = a.tenant_id AND i.appointment_id = a.id)
),
lines AS (
  SELECT v.id AS appointment_id, 0 AS part, pl.code, pl.description, pl.unit_price, pl.tax_rate
  FROM visits v JOIN price_list pl ON pl.tenant_id = '00000000-0000-4000-8000-000000000001' AND pl.appointment_type = v.appointment_type
   AND pl.valid_from <= v.day AND (pl.valid_until IS NULL OR pl.valid_until > v.day)
  UNION ALL
  SELECT v.id, 1, coalesce(pl.code, 'TEST-' || t.test_code), coalesce(pl.description, t.test_name), coalesce(pl.unit_price, t.cost, 0),
         coalesce(pl.tax_rate, 0)
  FROM visits v JOIN diagnostic_tests t ON t.tenant_id = '00000000-0000-4000-8000-000000000001' AND t.appointment_id = v.id
   AND t.status <> 'cancelled'
  LEFT JOIN price_list pl ON pl.tenant_id = t.tenant_id AND pl.test_code = t.test_code
   AND pl.valid_from <= v.day AND (pl.valid_until IS NULL OR pl.valid_until > v.day)
),
new_invoices AS (
  INSERT INTO invoices (tenant_id, clinic_id, patient_id, appointment_id, invoice_date, due_date, line_items, currency, status,
                        payment_terms, issued_at, created_by, created_at)
  SELECT '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', v.patient_id, v.id, v.day, v.day + 30,
         (SELECT jsonb_agg(jsonb_build_object('code', l.code, 'description', l.description, 'quantity', '1',
                                              'unit_price', l.unit_price::text, 'tax_rate', l.tax_rate::text) ORDER BY l.part, l.code)
          FROM lines l WHERE l.appointment_id = v.id),
         'GBP', 'issued', 'Due within 30 days', v.completed_at + interval '6 minutes', '00000000-0000-4000-8000-000000000106',
         v.completed_at + interval '5 minutes'
  FROM visits v
  WHERE EXISTS (SELECT 1 FROM lines l WHERE l.appointment_id = v.id)
  ORDER BY v.completed_at
  RETURNING id, patient_id, total_amount, issued_at
)
INSERT INTO payments (tenant_id, invoice_id, patient_id, amount, currency, payment_method, transaction_reference, paid_at, received_by)
SELECT '00000000-0000-4000-8000-000000000001', ni.id, ni.patient_id,
       CASE WHEN plan.kind = 'part' THEN least(20.00, ni.total_amount) ELSE ni.total_amount END, 'GBP', plan.method,
       CASE plan.method WHEN 'card' THEN 'AUTH-' || upper(substr(md5(ni.id::text), 1, 6)) END,
       ni.issued_at + interval '3 minutes', '00000000-0000-4000-8000-000000000105'
FROM new_invoices ni
CROSS JOIN LATERAL (
  SELECT CASE abs(hashtext(ni.id::text)) % 20 WHEN 0 THEN 'owed' WHEN 1 THEN 'owed' WHEN 2 THEN 'owed' WHEN 3 THEN 'part' WHEN 4 THEN 'part'
              ELSE 'full' END AS kind,
         CASE WHEN abs(hashtext(ni.id::text)) % 3 = 0 THEN 'cash' ELSE 'card' END AS method
) plan
WHERE plan.kind <> 'owed' AND ni.total_amount > 0;

-- A refund: the latest card payment taken in full at the desk, £20 given back the next day
-- (a dressing charged but not used), by the billing clerk.
INSERT INTO refunds (tenant_id, payment_id, invoice_id, amount, currency, payment_method, reason, refunded_by, refunded_at)
SELECT p.tenant_id, p.id, p.invoice_id, 20.00, p.currency, p.payment_method, 'Dressing charged but not used',
       '00000000-0000-4000-8000-000000000106', least(p.paid_at + interval '1 day', now() - interval '2 hours')
FROM payments p
WHERE p.tenant_id = '00000000-0000-4000-8000-000000000001' AND p.payment_method = 'card' AND p.amount >= 40
  AND p.received_by = '00000000-0000-4000-8000-000000000105'
ORDER BY p.paid_at DESC LIMIT 1;

-- A credit note: £10 off the most recent part-paid invoice, for a long wait on the day. Issued
-- two days after it, or earlier when that is still to come (the invoice may be today's): dated
-- the day it was issued, never in the future.
INSERT INTO invoices (tenant_id, clinic_id, kind, credited_invoice_id, patient_id, invoice_date, line_items, currency,
                      status, notes, issued_at, created_by, created_at)
SELECT i.tenant_id, i.clinic_id, 'credit_note', i.id, i.patient_id, (issued.at AT TIME ZONE 'Europe/London')::date,
       '[{"code": "GOODWILL", "description": "Goodwill credit: 50-minute wait", "quantity": "1", "unit_price": "10.00"}]',
       i.currency, 'issued', 'Apology for the wait on the day of the visit',
       issued.at, '00000000-0000-4000-8000-000000000106', issued.at
FROM invoices i
CROSS JOIN LATERAL (SELECT greatest(i.issued_at, least(i.issued_at + interval '2 days', now() - interval '1 hour')) AS at) issued
WHERE i.tenant_id = '00000000-0000-4000-8000-000000000001' AND i.status = 'partially_paid' AND i.balance_due >= 10
ORDER BY i.issued_at DESC LIMIT 1;

-- The last day's cash-up before today: each person's takings by method, counted at the end of
-- the day; the front desk's cash was £2.00 short. The expected amounts are the database's.
WITH clock AS (
  SELECT max((p.paid_at AT TIME ZONE 'Europe/London')::date) AS day FROM payments p
  WHERE p.tenant_id = '00000000-0000-4000-8000-000000000001'
    AND (p.paid_at AT TIME ZONE 'Europe/London')::date < (now() AT TIME ZONE 'Europe/London')::date
)
INSERT INTO cash_ups (tenant_id, clinic_id, business_day, cashier_id, payment_method, counted, note, counted_by, counted_at)
SELECT '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', clock.day, t.cashier_id, t.payment_method,
       t.expected - CASE t.payment_method WHEN 'cash' THEN 2.00 ELSE 0 END,
       CASE t.payment_method WHEN 'cash' THEN 'Two pound coins short; float checked twice' END,
       '00000000-0000-4000-8000-000000000106', (clock.day + time '18:05') AT TIME ZONE 'Europe/London'
FROM clock
CROSS JOIN LATERAL till_takings('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', clock.day) t
WHERE t.expected >= 2;
