-- The demo clinic, part 5: billing. The price list (with last year's consultation price, so
-- an old visit is priced as on its day), and on top of the month of invoices and payments of
-- part 1: a refund, a credit note and yesterday's cash-up. Loaded by the owner after the other
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

-- A refund: the latest card payment taken in full at the desk, £20 given back the next day
-- (a dressing charged but not used), by the billing clerk.
INSERT INTO refunds (tenant_id, payment_id, invoice_id, amount, currency, payment_method, reason, refunded_by, refunded_at)
SELECT p.tenant_id, p.id, p.invoice_id, 20.00, p.currency, p.payment_method, 'Dressing charged but not used',
       '00000000-0000-4000-8000-000000000106', least(p.paid_at + interval '1 day', now() - interval '2 hours')
FROM payments p
WHERE p.tenant_id = '00000000-0000-4000-8000-000000000001' AND p.payment_method = 'card' AND p.amount >= 40
  AND p.received_by = '00000000-0000-4000-8000-000000000105'
ORDER BY p.paid_at DESC LIMIT 1;

-- A credit note: £10 off the most recent part-paid invoice, for a long wait on the day.
INSERT INTO invoices (tenant_id, clinic_id, kind, credited_invoice_id, patient_id, invoice_date, line_items, currency,
                      status, notes, issued_at, created_by, created_at)
SELECT i.tenant_id, i.clinic_id, 'credit_note', i.id, i.patient_id, (i.issued_at AT TIME ZONE 'Europe/London')::date + 2,
       '[{"code": "GOODWILL", "description": "Goodwill credit: 50-minute wait", "quantity": "1", "unit_price": "10.00"}]',
       i.currency, 'issued', 'Apology for the wait on the day of the visit',
       least(i.issued_at + interval '2 days', now() - interval '1 hour'), '00000000-0000-4000-8000-000000000106',
       least(i.issued_at + interval '2 days', now() - interval '1 hour')
FROM invoices i
WHERE i.tenant_id = '00000000-0000-4000-8000-000000000001' AND i.status = 'partially_paid' AND i.balance_due >= 10
ORDER BY i.issued_at DESC LIMIT 1;

-- Yesterday's cash-up: each person's takings by method, counted at the end of the day; the
-- front desk's cash was £2.00 short. The expected amounts are the database's.
WITH clock AS (SELECT (now() AT TIME ZONE 'Europe/London')::date - 1 AS day)
INSERT INTO cash_ups (tenant_id, clinic_id, business_day, cashier_id, payment_method, counted, note, counted_by, counted_at)
SELECT '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', clock.day, t.cashier_id, t.payment_method,
       t.expected - CASE t.payment_method WHEN 'cash' THEN 2.00 ELSE 0 END,
       CASE t.payment_method WHEN 'cash' THEN 'Two pound coins short; float checked twice' END,
       '00000000-0000-4000-8000-000000000106', (clock.day + time '18:05') AT TIME ZONE 'Europe/London'
FROM clock
CROSS JOIN LATERAL till_takings('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', clock.day) t
WHERE t.expected >= 2;
