-- The demo clinic, tests and results: Dr Patel's results inbox has a critical potassium for
-- David Okonkwo (P-000016) entered by the nurse this morning and waiting for verification (with
-- its notification), a raised lipid profile for Björn Andersson (P-000012) and a normal CRP for Wei
-- Chen (P-000009); Ananya Sharma (P-000015) and Siobhán O'Brien (P-000005) have earlier results to
-- trend (haemoglobin recovering on iron, HbA1c rising).
--
-- The results go through the same rules as the app's: each report is written as the nurse and
-- verified as Dr Patel (the database computes the flags, completes and verifies the tests and
-- sends the critical notice), then dated back as the owner. Ranges are the catalog's
-- (shared/lab-catalog.ts) for each patient's sex and age. Loaded after demo/01–03 by the owner in
-- the same transaction; runs on PGlite and PostgreSQL 15+.

SELECT set_config('app.current_tenant_id', '00000000-0000-4000-8000-000000000001', true);

CREATE TEMP TABLE demo_results (
  test_id uuid, patient_n integer, test_name text, test_code text, specimen text, priority text,
  days_ago numeric, clinical_notes text, entries jsonb, interpretation text, verified boolean
) ON COMMIT DROP;

INSERT INTO demo_results VALUES
  ('00000000-0000-4000-8000-000000000701', 16, 'Urea and electrolytes (renal profile)', 'UE', 'Blood (serum)', 'urgent', 0.1,
   'Started spironolactone last month; ankle swelling',
   '[{"code":"NA","parameter":"Sodium","value":"138","unit":"mmol/L","low":"133","high":"146","critical_low":"120","critical_high":"160","reference_range":"133–146","range_basis":"1 year and over"},
     {"code":"K","parameter":"Potassium","value":"6.6","unit":"mmol/L","low":"3.5","high":"5.3","critical_low":"2.5","critical_high":"6.5","reference_range":"3.5–5.3","range_basis":"1 year and over"},
     {"code":"UREA","parameter":"Urea","value":"9.1","unit":"mmol/L","low":"2.5","high":"7.8","critical_high":"30.0","reference_range":"2.5–7.8","range_basis":"18 years and over"},
     {"code":"CREAT","parameter":"Creatinine","value":"135","unit":"umol/L","low":"59","high":"104","critical_high":"500","reference_range":"59–104","range_basis":"Male, 18 years and over"},
     {"code":"EGFR","parameter":"eGFR","value":"45","unit":"mL/min/1.73m2","low":"60","reference_range":"> 60","range_basis":"18 years and over"}]',
   NULL, false),
  ('00000000-0000-4000-8000-000000000702', 12, 'Lipid profile', 'LIPID', 'Blood (serum)', 'routine', 0.3,
   'Cardiovascular risk assessment',
   '[{"code":"CHOL","parameter":"Total cholesterol","value":"5.6","unit":"mmol/L","high":"5.0","reference_range":"< 5.0","range_basis":"18 years and over"},
     {"code":"LDL","parameter":"LDL cholesterol","value":"3.6","unit":"mmol/L","high":"3.0","reference_range":"< 3.0","range_basis":"18 years and over"},
     {"code":"HDL","parameter":"HDL cholesterol","value":"1.1","unit":"mmol/L","low":"1.0","reference_range":"> 1.0","range_basis":"Male, 18 years and over"},
     {"code":"TRIG","parameter":"Triglycerides","value":"1.5","unit":"mmol/L","high":"1.7","critical_high":"20.0","reference_range":"< 1.7","range_basis":"18 years and over"}]',
   NULL, false),
  ('00000000-0000-4000-8000-000000000703', 9, 'C-reactive protein', 'CRP', 'Blood (serum)', 'routine', 0.2,
   'Sore throat for a week',
   '[{"code":"CRP","parameter":"CRP","value":"3","unit":"mg/L","low":"0","high":"5","reference_range":"0–5","range_basis":"1 year and over"}]',
   NULL, false),
  ('00000000-0000-4000-8000-000000000704', 15, 'Full blood count', 'FBC', 'Blood (EDTA)', 'routine', 210,
   'Tired, heavy periods',
   '[{"code":"HGB","parameter":"Haemoglobin","value":"104","unit":"g/L","low":"115","high":"165","critical_low":"70","critical_high":"200","reference_range":"115–165","range_basis":"Female, 18 years and over"},
     {"code":"WBC","parameter":"White cell count","value":"5.8","unit":"10^9/L","low":"4.0","high":"11.0","critical_low":"2.0","critical_high":"30.0","reference_range":"4.0–11.0","range_basis":"18 years and over"},
     {"code":"PLT","parameter":"Platelets","value":"310","unit":"10^9/L","low":"150","high":"400","critical_low":"20","critical_high":"1000","reference_range":"150–400","range_basis":"18 years and over"},
     {"code":"MCV","parameter":"MCV","value":"74","unit":"fL","low":"80","high":"100","reference_range":"80–100","range_basis":"18 years and over"}]',
   'Microcytic anaemia, likely iron deficiency.', true),
  ('00000000-0000-4000-8000-000000000705', 15, 'Full blood count', 'FBC', 'Blood (EDTA)', 'routine', 120,
   'Three months on ferrous fumarate',
   '[{"code":"HGB","parameter":"Haemoglobin","value":"116","unit":"g/L","low":"115","high":"165","critical_low":"70","critical_high":"200","reference_range":"115–165","range_basis":"Female, 18 years and over"},
     {"code":"WBC","parameter":"White cell count","value":"6.0","unit":"10^9/L","low":"4.0","high":"11.0","critical_low":"2.0","critical_high":"30.0","reference_range":"4.0–11.0","range_basis":"18 years and over"},
     {"code":"PLT","parameter":"Platelets","value":"280","unit":"10^9/L","low":"150","high":"400","critical_low":"20","critical_high":"1000","reference_range":"150–400","range_basis":"18 years and over"},
     {"code":"MCV","parameter":"MCV","value":"79","unit":"fL","low":"80","high":"100","reference_range":"80–100","range_basis":"18 years and over"}]',
   'Improving on oral iron.', true),
  ('00000000-0000-4000-8000-000000000706', 5, 'HbA1c', 'HBA1C', 'Blood (EDTA)', 'routine', 370,
   'Annual diabetes review',
   '[{"code":"HBA1C","parameter":"HbA1c","value":"52","unit":"mmol/mol","low":"20","high":"41","reference_range":"20–41","range_basis":"1 year and over"}]',
   'At the individual target of 53 mmol/mol.', true),
  ('00000000-0000-4000-8000-000000000707', 5, 'HbA1c', 'HBA1C', 'Blood (EDTA)', 'routine', 185,
   'Six-monthly diabetes review',
   '[{"code":"HBA1C","parameter":"HbA1c","value":"58","unit":"mmol/mol","low":"20","high":"41","reference_range":"20–41","range_basis":"1 year and over"}]',
   'Above target; diet reviewed.', true);

-- Ordered by Dr Patel, the sample taken 20 minutes later and at the laboratory.
INSERT INTO diagnostic_tests (tenant_id, id, clinic_id, patient_id, doctor_id, test_name, test_code, test_category, specimen_type,
  priority, status, ordered_at, sample_collected_at, clinical_notes, performing_lab, cost, created_by)
SELECT '00000000-0000-4000-8000-000000000001', r.test_id, '00000000-0000-4000-8000-000000000002',
       ('00000000-0000-4000-8000-' || lpad((200 + r.patient_n)::text, 12, '0'))::uuid,
       '00000000-0000-4000-8000-000000000102', r.test_name, r.test_code, 'laboratory', r.specimen, r.priority, 'in_progress',
       now() - make_interval(secs => r.days_ago * 86400) - interval '3 hours',
       now() - make_interval(secs => r.days_ago * 86400) - interval '2 hours 40 minutes',
       r.clinical_notes, 'Riverside Pathology', 18.00, '00000000-0000-4000-8000-000000000102'
FROM demo_results r;

-- The nurse enters the results: the database flags them and completes the tests.
SELECT set_config('app.current_user_id', '00000000-0000-4000-8000-000000000104', true);
INSERT INTO test_reports (tenant_id, diagnostic_test_id, patient_id, result_values, interpretation)
SELECT t.tenant_id, t.id, t.patient_id, r.entries, r.interpretation
FROM demo_results r JOIN diagnostic_tests t ON t.tenant_id = '00000000-0000-4000-8000-000000000001' AND t.id = r.test_id;

-- Dr Patel verifies the earlier ones.
SELECT set_config('app.current_user_id', '00000000-0000-4000-8000-000000000102', true);
UPDATE test_reports tr SET verified_at = now(), verified_by = '00000000-0000-4000-8000-000000000102'
FROM demo_results r WHERE tr.diagnostic_test_id = r.test_id AND r.verified;

-- Back to the owner, to date everything as it happened.
SELECT set_config('app.current_user_id', '', true);
UPDATE diagnostic_tests t SET completed_at = t.sample_collected_at + interval '2 hours'
FROM demo_results r WHERE t.id = r.test_id;
UPDATE test_reports tr
SET reported_at = t.completed_at, created_at = t.completed_at,
    verified_at = CASE WHEN r.verified THEN t.completed_at + interval '3 hours' END
FROM demo_results r JOIN diagnostic_tests t ON t.id = r.test_id
WHERE tr.diagnostic_test_id = r.test_id;
UPDATE notifications n SET created_at = t.completed_at
FROM diagnostic_tests t WHERE n.related_entity_id = t.id AND t.id = '00000000-0000-4000-8000-000000000701';
