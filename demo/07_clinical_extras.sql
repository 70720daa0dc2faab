-- The demo clinic, note templates: the SOAP wording Riverside's doctors start from, offered in
-- the consultation note (migration 018). Loaded after the earlier demo files by the owner in
-- the same transaction; runs on PGlite and PostgreSQL 15+.

SELECT set_config('app.current_tenant_id', '00000000-0000-4000-8000-000000000001', true);

INSERT INTO note_templates (tenant_id, name, chief_complaint, history, examination, assessment, plan, created_by)
VALUES
  ('00000000-0000-4000-8000-000000000001', 'Hypertension review',
   'Blood pressure review',
   'Home readings: . Side effects of treatment: none reported. Smoking: . Alcohol:  units a week.',
   'BP as recorded. Heart sounds normal, no peripheral oedema.',
   'Essential hypertension.',
   'Continue current treatment. Annual bloods (U&E, lipids, HbA1c). Review in 3 months.',
   '00000000-0000-4000-8000-000000000102'),
  ('00000000-0000-4000-8000-000000000001', 'Type 2 diabetes review',
   'Diabetes review',
   'Glucose control at home: . Hypoglycaemia: none. Foot problems: none. Last eye screening: .',
   'Feet: pulses present, sensation intact to monofilament. Injection sites normal.',
   'Type 2 diabetes mellitus.',
   'HbA1c and urine ACR. Continue metformin. Diet and activity advice given. Review in 3 months.',
   '00000000-0000-4000-8000-000000000102'),
  ('00000000-0000-4000-8000-000000000001', 'Urinary tract infection (adult)',
   'Burning when passing urine',
   'Dysuria and frequency for  days. No fever, no loin pain, no vaginal discharge. Not pregnant.',
   'Afebrile. Abdomen soft, suprapubic tenderness, no renal angle tenderness. Urine dipstick: .',
   'Uncomplicated lower urinary tract infection.',
   'Nitrofurantoin 100 mg modified-release twice daily for 3 days. Fluids. Return if fever or loin pain.',
   '00000000-0000-4000-8000-000000000102'),
  ('00000000-0000-4000-8000-000000000001', 'Child with cough (paediatrics)',
   'Cough',
   'Cough for  days. Feeding and wet nappies normal. No breathing difficulty reported. Immunisations up to date.',
   'Alert, well hydrated. No recession, chest clear. Ears and throat: .',
   'Viral upper respiratory tract infection.',
   'Safety-netting advice given (breathing, feeding, fever). Paracetamol or ibuprofen as needed. Review if worse.',
   '00000000-0000-4000-8000-000000000103');
