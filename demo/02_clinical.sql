-- The demo clinic, part 2: consultation notes. Every completed visit of demo/01 has its
-- doctor's signed note, written from what the visit recorded (presenting complaint, vitals,
-- diagnosis, plan), so a chart opens with a history. Notes about low mood are confidential:
-- Dr Okafor does not see Dr Patel's, the administrator (records.confidential) does.
-- Today's visit in progress has no note yet: starting it in the app writes the draft.
-- Runs unchanged on PGlite (PostgreSQL 18) and PostgreSQL 15+.

SELECT set_config('app.current_tenant_id', '00000000-0000-4000-8000-000000000001', true);

INSERT INTO medical_records (
  tenant_id, patient_id, doctor_id, appointment_id, record_type, record_date, chief_complaint,
  history_of_present_illness, vital_signs, physical_examination, assessment, diagnosis, treatment_plan,
  clinical_data, is_confidential, signed_at, created_at)
SELECT a.tenant_id, a.patient_id, a.doctor_id, a.id,
       CASE a.appointment_type WHEN 'procedure' THEN 'procedure' WHEN 'vaccination' THEN 'immunization' ELSE 'consultation' END,
       a.started_at, coalesce(a.symptoms, a.reason), a.reason,
       -- Version 1 vitals: what the visit measured, a height for adults now and then, and a
       -- finger-prick glucose at diabetes reviews.
       jsonb_build_object('version', 1) || a.vital_signs
         || CASE WHEN age(a.starts_at, p.date_of_birth) >= interval '18 years' AND ('x' || substr(md5(a.id::text), 1, 2))::bit(8)::integer % 3 = 0
                 THEN jsonb_build_object('height_cm', 152 + ('x' || substr(md5(p.id::text), 1, 4))::bit(16)::integer % 38) ELSE '{}' END
         || CASE WHEN a.reason LIKE '%iabetes%'
                 THEN jsonb_build_object('glucose_mmol_l', round(5.5 + (('x' || substr(md5(a.id::text), 3, 2))::bit(8)::integer % 60) / 10.0, 1))
                 ELSE '{}' END,
       jsonb_build_object('version', 1, 'text', coalesce(a.notes, '')),
       a.diagnosis,
       CASE WHEN a.diagnosis IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(jsonb_build_object(
         'code', CASE a.diagnosis
                   WHEN 'Essential hypertension, well controlled' THEN 'I10'
                   WHEN 'Type 2 diabetes mellitus' THEN 'E11.9'
                   WHEN 'Viral pharyngitis' THEN 'J02.9'
                   WHEN 'Tension-type headache' THEN 'G44.209'
                   WHEN 'Mechanical low back pain' THEN 'M54.50'
                   WHEN 'Impacted ear wax (left)' THEN 'H61.22'
                   WHEN 'Contact dermatitis' THEN 'L25.9'
                   WHEN 'Lower urinary tract infection' THEN 'N39.0'
                   WHEN 'Mild depressive episode' THEN 'F32.0'
                   WHEN 'Influenza vaccine given' THEN 'Z23'
                 END,
         'description', a.diagnosis, 'type', 'primary')) END,
       a.treatment_plan,
       jsonb_build_object('version', 1, 'follow_up_days', a.follow_up_date - (a.starts_at AT TIME ZONE 'Europe/London')::date),
       a.diagnosis = 'Mild depressive episode',
       a.completed_at, a.started_at
FROM appointments a
JOIN patients p ON p.tenant_id = a.tenant_id AND p.id = a.patient_id
WHERE a.tenant_id = '00000000-0000-4000-8000-000000000001' AND a.status = 'completed'
ORDER BY a.starts_at;

-- A result that came back after the note was signed, on the latest diabetes review.
INSERT INTO medical_record_addenda (tenant_id, medical_record_id, doctor_id, written_by, addendum, created_at)
SELECT m.tenant_id, m.id, m.doctor_id, m.doctor_id,
       'HbA1c 58 mmol/mol, eGFR 78: continue metformin, recheck in three months.', m.signed_at + interval '2 days'
FROM medical_records m
WHERE m.tenant_id = '00000000-0000-4000-8000-000000000001' AND m.assessment = 'Type 2 diabetes mellitus'
  AND m.signed_at < now() - interval '2 days'
ORDER BY m.signed_at DESC
LIMIT 1;
