-- FHIR R4 import (issue 14): a clinic's records from a Bundle, written as they happened.
--
-- * Into an empty clinic only (no patient, archived ones included), by an administrator
--   (admin.maintenance), checked here; one import at a time per clinic (the clinic row is locked).
-- * History keeps its authors and times: the triggers that stamp the signed-in person and now()
--   on new rows (stamp_author, lock_signed_note, check_test_status_change, keep_report_honest,
--   follow_report) are switched off for the length of this one call and on again before it
--   returns. ALTER TABLE … DISABLE TRIGGER is transactional and locks the table against writes
--   until commit, so no other request ever runs without them; an error rolls everything back.
--   Audit triggers stay on: every imported row is audited as the administrator's insert.
-- * Rows keep their uuids; record numbers (P-, APT-, TST-, RPT-) are the clinic's own, taken in
--   the order the rows come. The tenant and clinic are this request's, whatever the rows say.
-- * Staff the Bundle names come in disabled, with no usable password and a change required:
--   an administrator enables each one with a temporary password (which provisions their login).

CREATE OR REPLACE FUNCTION import_clinic_records(p_records jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  tenant uuid := current_tenant_id();
  clinic uuid := current_app_clinic_id();
  missing_role text;
  counts jsonb;
BEGIN
  PERFORM require_permission('admin.maintenance');
  PERFORM 1 FROM clinics c WHERE c.tenant_id = tenant AND c.id = clinic FOR UPDATE;
  IF EXISTS (SELECT 1 FROM patients p WHERE p.tenant_id = tenant) THEN
    RAISE EXCEPTION 'This clinic already has patients: a FHIR Bundle is imported into an empty clinic only.'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'import_into_empty_clinic', HINT = 'clinicdesk:user-message';
  END IF;
  SELECT u ->> 'role' INTO missing_role FROM jsonb_array_elements(p_records -> 'users') u
  WHERE NOT EXISTS (SELECT 1 FROM roles r WHERE r.tenant_id = tenant AND r.name = u ->> 'role') LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'The Bundle names a staff role this clinic does not have: %.', missing_role
      USING ERRCODE = 'check_violation', CONSTRAINT = 'import_staff_role', HINT = 'clinicdesk:user-message';
  END IF;

  ALTER TABLE patients DISABLE TRIGGER stamp_author;
  ALTER TABLE appointments DISABLE TRIGGER stamp_author;
  ALTER TABLE medical_records DISABLE TRIGGER stamp_author;
  ALTER TABLE medical_records DISABLE TRIGGER lock_signed_note;
  ALTER TABLE prescriptions DISABLE TRIGGER stamp_author;
  ALTER TABLE diagnostic_tests DISABLE TRIGGER check_test_status_change;
  ALTER TABLE test_reports DISABLE TRIGGER stamp_author;
  ALTER TABLE test_reports DISABLE TRIGGER verify_by_second_person;
  ALTER TABLE test_reports DISABLE TRIGGER follow_report;
  ALTER TABLE documents DISABLE TRIGGER stamp_author;

  INSERT INTO users (tenant_id, id, clinic_id, role_id, email, password_hash, title, first_name, last_name, phone, gender,
                     date_of_birth, specialization, license_number, qualification, is_active, password_change_required)
  SELECT tenant, r.id, clinic, (SELECT o.id FROM roles o WHERE o.tenant_id = tenant AND o.name = e.value ->> 'role'),
         r.email, 'scrypt$imported', r.title, r.first_name, r.last_name, r.phone, r.gender, r.date_of_birth,
         r.specialization, r.license_number, r.qualification, false, true
  FROM jsonb_array_elements(p_records -> 'users') WITH ORDINALITY e, jsonb_populate_record(NULL::users, e.value) r
  ORDER BY e.ordinality;

  INSERT INTO patients (tenant_id, id, clinic_id, patient_number, first_name, middle_name, last_name, date_of_birth, gender,
                        blood_group, marital_status, occupation, preferred_language, national_id, email, phone, alternate_phone,
                        address_line1, address_line2, city, state, postal_code, country, emergency_contact_name,
                        emergency_contact_phone, emergency_contact_relationship, allergies, medical_history,
                        current_medications, alerts, primary_care_physician_id, notes, is_active, created_by)
  SELECT tenant, r.id, clinic, '', r.first_name, r.middle_name, r.last_name, r.date_of_birth, r.gender,
         r.blood_group, r.marital_status, r.occupation, r.preferred_language, r.national_id, r.email, r.phone, r.alternate_phone,
         r.address_line1, r.address_line2, r.city, r.state, r.postal_code, r.country, r.emergency_contact_name,
         r.emergency_contact_phone, r.emergency_contact_relationship, r.allergies, r.medical_history,
         r.current_medications, r.alerts, r.primary_care_physician_id, r.notes, r.is_active, NULL
  FROM jsonb_array_elements(p_records -> 'patients') WITH ORDINALITY e, jsonb_populate_record(NULL::patients, e.value) r
  ORDER BY e.ordinality;

  INSERT INTO appointments (tenant_id, id, clinic_id, appointment_number, patient_id, doctor_id, appointment_type, starts_at,
                            ends_at, status, is_walk_in, reason, notes, cancellation_reason, created_at, created_by)
  SELECT tenant, r.id, clinic, '', r.patient_id, r.doctor_id, r.appointment_type, r.starts_at,
         r.ends_at, r.status, r.is_walk_in, r.reason, r.notes, r.cancellation_reason, r.created_at, NULL
  FROM jsonb_array_elements(p_records -> 'appointments') WITH ORDINALITY e, jsonb_populate_record(NULL::appointments, e.value) r
  ORDER BY e.ordinality;

  INSERT INTO medical_records (tenant_id, id, patient_id, doctor_id, appointment_id, record_type, record_date, chief_complaint,
                               history_of_present_illness, vital_signs, physical_examination, assessment, diagnosis,
                               treatment_plan, clinical_data, is_confidential, signed_at)
  SELECT tenant, r.id, r.patient_id, r.doctor_id, r.appointment_id, r.record_type, r.record_date, r.chief_complaint,
         r.history_of_present_illness, r.vital_signs, r.physical_examination, r.assessment, r.diagnosis,
         r.treatment_plan, r.clinical_data, r.is_confidential, r.signed_at
  FROM jsonb_array_elements(p_records -> 'medical_records') WITH ORDINALITY e, jsonb_populate_record(NULL::medical_records, e.value) r
  ORDER BY e.ordinality;

  INSERT INTO prescriptions (tenant_id, id, patient_id, doctor_id, appointment_id, medical_record_id, medication_name,
                             generic_name, strength, dosage_form, dosage, frequency, route, duration_days, quantity,
                             refills_allowed, refills_used, instructions, start_date, end_date, status, discontinued_reason,
                             prescribed_at, warnings_overridden, override_reason)
  SELECT tenant, r.id, r.patient_id, r.doctor_id, r.appointment_id, r.medical_record_id, r.medication_name,
         r.generic_name, r.strength, r.dosage_form, r.dosage, r.frequency, r.route, r.duration_days, r.quantity,
         r.refills_allowed, r.refills_used, r.instructions, r.start_date, r.end_date, r.status, r.discontinued_reason,
         r.prescribed_at, r.warnings_overridden, r.override_reason
  FROM jsonb_array_elements(p_records -> 'prescriptions') WITH ORDINALITY e, jsonb_populate_record(NULL::prescriptions, e.value) r
  ORDER BY e.ordinality;

  INSERT INTO diagnostic_tests (tenant_id, id, clinic_id, test_number, patient_id, doctor_id, appointment_id, test_name,
                                test_code, test_category, specimen_type, priority, status, ordered_at, scheduled_at,
                                sample_collected_at, completed_at, instructions, clinical_notes, performing_lab, created_by)
  SELECT tenant, r.id, clinic, '', r.patient_id, r.doctor_id, r.appointment_id, r.test_name,
         r.test_code, r.test_category, r.specimen_type, r.priority, r.status, r.ordered_at, r.scheduled_at,
         r.sample_collected_at, r.completed_at, r.instructions, r.clinical_notes, r.performing_lab, r.doctor_id
  FROM jsonb_array_elements(p_records -> 'diagnostic_tests') WITH ORDINALITY e, jsonb_populate_record(NULL::diagnostic_tests, e.value) r
  ORDER BY e.ordinality;

  INSERT INTO test_reports (tenant_id, id, report_number, diagnostic_test_id, patient_id, findings, interpretation,
                            recommendations, result_values, abnormal_findings, is_abnormal, is_critical, report_status,
                            reported_by, reported_at, verified_by, verified_at)
  SELECT tenant, r.id, '', r.diagnostic_test_id, r.patient_id, r.findings, r.interpretation,
         r.recommendations, r.result_values, r.abnormal_findings, r.is_abnormal, r.is_critical, r.report_status,
         r.reported_by, r.reported_at, r.verified_by, r.verified_at
  FROM jsonb_array_elements(p_records -> 'test_reports') WITH ORDINALITY e, jsonb_populate_record(NULL::test_reports, e.value) r
  ORDER BY e.ordinality;

  INSERT INTO documents (tenant_id, id, patient_id, user_id, appointment_id, document_type, title, description, file_name,
                         storage_key, mime_type, file_size, checksum_sha256, version, is_confidential, access_level, tags,
                         created_at)
  SELECT tenant, r.id, r.patient_id, r.user_id, r.appointment_id, r.document_type, r.title, r.description, r.file_name,
         r.storage_key, r.mime_type, r.file_size, r.checksum_sha256, r.version, r.is_confidential, r.access_level, r.tags,
         r.created_at
  FROM jsonb_array_elements(p_records -> 'documents') WITH ORDINALITY e, jsonb_populate_record(NULL::documents, e.value) r
  ORDER BY e.ordinality;

  ALTER TABLE patients ENABLE TRIGGER stamp_author;
  ALTER TABLE appointments ENABLE TRIGGER stamp_author;
  ALTER TABLE medical_records ENABLE TRIGGER stamp_author;
  ALTER TABLE medical_records ENABLE TRIGGER lock_signed_note;
  ALTER TABLE prescriptions ENABLE TRIGGER stamp_author;
  ALTER TABLE diagnostic_tests ENABLE TRIGGER check_test_status_change;
  ALTER TABLE test_reports ENABLE TRIGGER stamp_author;
  ALTER TABLE test_reports ENABLE TRIGGER verify_by_second_person;
  ALTER TABLE test_reports ENABLE TRIGGER follow_report;
  ALTER TABLE documents ENABLE TRIGGER stamp_author;

  SELECT jsonb_object_agg(k, jsonb_array_length(coalesce(p_records -> k, '[]')))
    INTO counts
  FROM unnest(ARRAY['users', 'patients', 'appointments', 'medical_records', 'prescriptions', 'diagnostic_tests',
                    'test_reports', 'documents']) k;
  RETURN counts;
END $$;
REVOKE ALL ON FUNCTION import_clinic_records(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION import_clinic_records(jsonb) TO clinic_app;
