-- The demo clinic, prescribing: Olumide Adebayo (P-000010) takes amlodipine and allopurinol on
-- repeat prescriptions from Dr Patel, stopped ramipril for a cough, and has a penicillin allergy,
-- so prescribing amoxicillin (or co-amoxiclav) to him shows an allergy warning, cefalexin a
-- cross-sensitivity, and another calcium channel blocker a duplicate-therapy warning.
-- Loaded after demo/01 (and any demo/02) by the owner in the same transaction; runs on PGlite
-- and PostgreSQL 15+.

SELECT set_config('app.current_tenant_id', '00000000-0000-4000-8000-000000000001', true);

UPDATE patients
SET allergies = allergies || '[{"substance":"Penicillin","reaction":"Widespread itchy rash (2016)","severity":"moderate"}]'::jsonb
WHERE id = '00000000-0000-4000-8000-000000000210';

INSERT INTO prescriptions (tenant_id, id, patient_id, doctor_id, medication_name, generic_name, strength, dosage_form,
  dosage, route, frequency, duration_days, quantity, refills_allowed, refills_used, instructions, start_date, end_date,
  status, discontinued_reason, prescribed_at)
VALUES
  ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000601',
   '00000000-0000-4000-8000-000000000210', '00000000-0000-4000-8000-000000000102',
   'Ramipril', 'ramipril', '5 mg', 'capsule', 'One capsule', 'oral', 'Once daily', NULL, 28, 6, 2,
   NULL, current_date - 420, current_date - 380, 'discontinued',
   'Persistent dry cough; changed to amlodipine', now() - interval '380 days'),
  ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000602',
   '00000000-0000-4000-8000-000000000210', '00000000-0000-4000-8000-000000000102',
   'Amlodipine', 'amlodipine', '10 mg', 'tablet', 'One tablet', 'oral', 'Once daily', NULL, 28, 6, 1,
   'Review blood pressure at the next visit.', current_date - 60, NULL, 'active', NULL, now() - interval '60 days'),
  ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000603',
   '00000000-0000-4000-8000-000000000210', '00000000-0000-4000-8000-000000000102',
   'Allopurinol', NULL, '100 mg', 'tablet', 'One tablet', 'oral', 'Once daily after food', NULL, 28, 6, 1,
   'Drink plenty of water.', current_date - 60, NULL, 'active', NULL, now() - interval '60 days');
