-- ClinicDesk 033: guards that know exactly which code may pass them.
-- Runs unchanged on PGlite (PostgreSQL 18) and PostgreSQL 15+.
--
-- A few trusted definer functions must get past guard triggers: a merge moves signed notes and
-- tests to the survivor's chart (019), a FHIR import writes history with its own authors, times
-- and statuses (022), a patient import gives the batch's numbers and author itself (026). They did
-- it in two ways, both too broad:
-- * ALTER TABLE … DISABLE TRIGGER took an ACCESS EXCLUSIVE lock on each table until commit: while
--   one clinic merged or imported, every clinic's reads and writes of those tables waited. And the
--   trigger was off for everyone's statements for the rest of that transaction.
-- * acting_as_owner() let any code running as the schema owner past the patients' numbering and
--   authorship triggers and the billing guards: any of its dozens of definer functions, not only
--   the import, the settling of invoices and refunds, or the marking of overdue invoices.
-- Now a guard lets through only the transaction that holds its pass. A pass names one trigger of
-- one table; the entitled function takes it just before the writes that need it and ends it just
-- after. Passes live in guard_passes, an owner-only table (no grant, RLS forced, the owner's own
-- policy showing only the current transaction's rows): the app role can neither write one nor
-- read one, and a setting it could make (a GUC) is no part of it. A pass belongs to one
-- transaction id: a rolled-back transaction's pass vanishes with it, a committed one is ended by
-- its taker and could never match another transaction anyway (ids are never reused), and a
-- concurrent transaction on another connection never sees it. Guards ask only where they would
-- otherwise refuse or overwrite, so ordinary writes pay one index lookup at most. Passes nest:
-- settling an invoice (its own pass) runs inside a merge that holds the same one.
--
-- The owner's own session with no staff member (the operator, the demo loader, a restore) is
-- still let through, as the other guards always did: `current_app_user_id() IS NULL AND
-- session_is_owner()`, the rule of app_may. acting_as_owner() is dropped. (It was safe without SET
-- search_path, not being a definer and naming everything schema-qualified; it was too broad.)

CREATE TABLE guard_passes (
  xact xid8 NOT NULL,
  guarded_table regclass NOT NULL,
  guard name NOT NULL,
  holders integer NOT NULL DEFAULT 1, -- functions holding it at once, one inside another
  PRIMARY KEY (xact, guarded_table, guard)
);
REVOKE ALL ON guard_passes FROM PUBLIC;
ALTER TABLE guard_passes ENABLE ROW LEVEL SECURITY;
ALTER TABLE guard_passes FORCE ROW LEVEL SECURITY;
DO $$
BEGIN
  EXECUTE format('CREATE POLICY own_transaction ON guard_passes FOR ALL TO %I
                    USING (xact = pg_current_xact_id_if_assigned()) WITH CHECK (xact = pg_current_xact_id())', current_user);
END $$;

-- Does this transaction hold the pass of the trigger `p_guard` on `p_table`? Asked by guards as
-- whoever writes, so a definer (the app role cannot read the passes) that answers only for itself.
CREATE FUNCTION guard_passed(p_table regclass, p_guard name) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  RETURN EXISTS (SELECT 1 FROM guard_passes g
                 WHERE g.xact = pg_current_xact_id_if_assigned() AND g.guarded_table = p_table AND g.guard = p_guard);
END $$;
REVOKE ALL ON FUNCTION guard_passed(regclass, name) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION guard_passed(regclass, name) TO clinic_app;

-- Takes the passes of the named triggers ('table.trigger') for this transaction. Owner only: the
-- entitled definer functions call it. A name that is not a trigger is an error, not a guard kept up
-- by a typo's silence.
CREATE FUNCTION take_guard_passes(VARIADIC p_guards text[]) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  taken integer;
BEGIN
  INSERT INTO guard_passes AS p (xact, guarded_table, guard)
  SELECT pg_current_xact_id(), t.tgrelid, t.tgname
  FROM unnest(p_guards) AS g(full_name)
  JOIN pg_trigger t ON t.tgrelid = to_regclass(split_part(g.full_name, '.', 1)) AND t.tgname = split_part(g.full_name, '.', 2)
  ON CONFLICT (xact, guarded_table, guard) DO UPDATE SET holders = p.holders + 1;
  GET DIAGNOSTICS taken = ROW_COUNT;
  IF taken <> cardinality(p_guards) THEN
    RAISE EXCEPTION 'Not a guard: %', p_guards;
  END IF;
END $$;
REVOKE ALL ON FUNCTION take_guard_passes(text[]) FROM PUBLIC;

-- Gives back the passes taken with the same names: once no function of this transaction holds a
-- pass any more, what follows is guarded again.
CREATE FUNCTION end_guard_passes(VARIADIC p_guards text[]) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  UPDATE guard_passes p SET holders = p.holders - 1
  FROM unnest(p_guards) AS g(full_name)
  WHERE p.xact = pg_current_xact_id() AND p.guarded_table = to_regclass(split_part(g.full_name, '.', 1))
    AND p.guard = split_part(g.full_name, '.', 2);
  DELETE FROM guard_passes p WHERE p.xact = pg_current_xact_id() AND p.holders = 0;
END $$;
REVOKE ALL ON FUNCTION end_guard_passes(text[]) FROM PUBLIC;

-- ---------------------------------------------------------------------------
-- The guards, each asking for its own pass where it would refuse or overwrite.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION stamp_author() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  author uuid := current_app_user_id();
BEGIN
  IF author IS NULL OR guard_passed(TG_RELID, TG_NAME) THEN
    RETURN NEW; -- the owner's own work (demo data, the operator), or history imported as it was written
  END IF;
  RETURN jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[0], author));
END $$;

CREATE OR REPLACE FUNCTION lock_signed_note() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  signer uuid := current_app_user_id();
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- Written and signed at once: the signature's time is the database's, not the caller's
    -- (an imported note keeps the time it was signed).
    IF NEW.signed_at IS NOT NULL AND signer IS NOT NULL AND NOT guard_passed(TG_RELID, TG_NAME) THEN
      NEW.signed_at := now();
    END IF;
    RETURN NEW;
  END IF;
  IF OLD.signed_at IS NOT NULL THEN
    IF guard_passed(TG_RELID, TG_NAME) THEN
      RETURN NEW; -- a merge moving the note to the survivor's chart
    END IF;
    RAISE EXCEPTION 'This note is signed and can no longer be changed. Add an addendum instead.'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  IF signer IS NULL THEN
    RETURN NEW; -- the owner's own work (demo data, the operator)
  END IF;
  IF NEW.doctor_id IS DISTINCT FROM OLD.doctor_id THEN
    RAISE EXCEPTION 'The author of a note cannot be changed.'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  IF NEW.signed_at IS NOT NULL THEN
    IF OLD.doctor_id IS DISTINCT FROM signer THEN
      RAISE EXCEPTION 'Only the author of a note can sign it.'
        USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
    END IF;
    NEW.signed_at := now();
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION check_test_status_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  step record;
  staff boolean := current_app_user_id() IS NOT NULL;
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF staff AND NOT guard_passed(TG_RELID, TG_NAME) THEN
      -- A test starts as ordered, by whoever orders it, now: not as the caller says.
      NEW.status := 'ordered';
      NEW.sample_collected_at := NULL;
      NEW.completed_at := NULL;
      NEW.doctor_id := current_app_user_id();
      NEW.created_by := current_app_user_id();
      NEW.ordered_at := now();
    END IF;
    RETURN NEW;
  END IF;
  IF staff AND (NEW.patient_id, NEW.doctor_id) IS DISTINCT FROM (OLD.patient_id, OLD.doctor_id) THEN
    IF guard_passed(TG_RELID, TG_NAME) THEN
      RETURN NEW; -- a merge moving the test to the survivor's chart
    END IF;
    RAISE EXCEPTION 'The patient and the ordering doctor of a test cannot be changed.'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  IF NEW.status = OLD.status THEN
    RETURN NEW;
  END IF;
  SELECT * INTO step FROM diagnostic_test_status_transitions t WHERE t.from_status = OLD.status AND t.to_status = NEW.status;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'A test cannot go from % to %.', replace(OLD.status, '_', ' '), replace(NEW.status, '_', ' ')
      USING ERRCODE = 'check_violation', CONSTRAINT = 'test_status_transition';
  END IF;
  IF staff AND NOT app_may(step.permission) THEN
    RAISE EXCEPTION 'Your role does not allow this (needs %)', step.permission
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  -- Completed means results entered; verified means a second person verified them.
  IF NEW.status = 'completed' AND NOT EXISTS (
       SELECT 1 FROM test_reports r WHERE r.tenant_id = NEW.tenant_id AND r.diagnostic_test_id = NEW.id
         AND (r.result_values <> '[]' OR coalesce(btrim(r.findings), '') <> '')) THEN
    RAISE EXCEPTION 'A test is completed by entering its results.' USING ERRCODE = 'check_violation', CONSTRAINT = 'test_status_transition';
  END IF;
  IF NEW.status = 'verified' AND NOT EXISTS (
       SELECT 1 FROM test_reports r WHERE r.tenant_id = NEW.tenant_id AND r.diagnostic_test_id = NEW.id AND r.verified_at IS NOT NULL) THEN
    RAISE EXCEPTION 'A test is verified by verifying its results.' USING ERRCODE = 'check_violation', CONSTRAINT = 'test_status_transition';
  END IF;
  IF staff THEN
    CASE NEW.status
      WHEN 'sample_collected' THEN NEW.sample_collected_at := now();
      WHEN 'completed' THEN NEW.completed_at := now();
      ELSE NULL;
    END CASE;
  END IF;
  RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION keep_report_honest()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
  me uuid := current_app_user_id();
  test_status text;
BEGIN
  IF me IS NULL OR guard_passed(TG_RELID, TG_NAME) THEN
    RETURN NEW; -- the owner's own work (demo data, the operator), or history imported: as it happened
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.verified_at IS NOT NULL THEN
    RAISE EXCEPTION 'These results are verified and can no longer be changed.'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  IF TG_OP = 'INSERT' AND (NEW.verified_at IS NOT NULL OR NEW.verified_by IS NOT NULL) THEN
    RAISE EXCEPTION 'Results are verified by a second person, after they are entered.'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  IF TG_OP = 'INSERT' OR (NEW.result_values, NEW.findings, NEW.interpretation, NEW.recommendations)
                         IS DISTINCT FROM (OLD.result_values, OLD.findings, OLD.interpretation, OLD.recommendations) THEN
    IF TG_OP = 'UPDATE' AND NEW.verified_at IS NOT NULL THEN
      RAISE EXCEPTION 'Results are verified as they were entered, not changed and verified at once.'
        USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
    END IF;
    IF NOT app_may('tests.report') THEN
      RAISE EXCEPTION 'Your role does not allow this (needs tests.report)'
        USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
    END IF;
    SELECT t.status INTO test_status FROM diagnostic_tests t WHERE t.tenant_id = NEW.tenant_id AND t.id = NEW.diagnostic_test_id;
    IF test_status IS NULL OR test_status NOT IN ('in_progress', 'completed') THEN
      RAISE EXCEPTION 'Results are entered once the sample is at the laboratory (this test is: %).', coalesce(replace(test_status, '_', ' '), 'not found')
        USING ERRCODE = 'check_violation', CONSTRAINT = 'test_report_status';
    END IF;
    SELECT coalesce(jsonb_agg(e.entry || jsonb_build_object('flag', result_flag(e.entry)) ORDER BY e.n), '[]')
      INTO NEW.result_values
    FROM jsonb_array_elements(NEW.result_values) WITH ORDINALITY AS e (entry, n);
    NEW.abnormal_findings := coalesce((
      SELECT jsonb_agg(concat_ws(' ', e ->> 'parameter', e ->> 'value', e ->> 'unit', '(' || replace(e ->> 'flag', '_', ' ') || ')'))
      FROM jsonb_array_elements(NEW.result_values) e WHERE e ->> 'flag' NOT IN ('normal')), '[]');
    NEW.is_abnormal := NEW.abnormal_findings <> '[]';
    NEW.is_critical := EXISTS (SELECT 1 FROM jsonb_array_elements(NEW.result_values) e WHERE e ->> 'flag' LIKE 'critical%');
    NEW.reported_by := me;
    NEW.reported_at := now();
    NEW.report_status := 'preliminary';
    RETURN NEW;
  END IF;
  IF (NEW.is_abnormal, NEW.is_critical, NEW.abnormal_findings, NEW.reported_by, NEW.reported_at)
     IS DISTINCT FROM (OLD.is_abnormal, OLD.is_critical, OLD.abnormal_findings, OLD.reported_by, OLD.reported_at) THEN
    RAISE EXCEPTION 'Flags and the person who entered results follow from the values.'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  IF NEW.verified_at IS NOT NULL THEN
    IF OLD.reported_by = me THEN
      RAISE EXCEPTION 'Results are verified by a second person: you entered these.'
        USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
    END IF;
    SELECT t.status INTO test_status FROM diagnostic_tests t WHERE t.tenant_id = NEW.tenant_id AND t.id = NEW.diagnostic_test_id;
    IF test_status IS DISTINCT FROM 'completed' THEN
      RAISE EXCEPTION 'Only completed results can be verified.' USING ERRCODE = 'check_violation', CONSTRAINT = 'test_report_status';
    END IF;
    NEW.verified_at := now();
    NEW.report_status := 'final';
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION follow_report()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
  test record;
BEGIN
  IF current_app_user_id() IS NULL OR NEW.tenant_id IS DISTINCT FROM current_tenant_id() OR guard_passed(TG_RELID, TG_NAME) THEN
    RETURN NULL; -- (an imported report's test keeps the status it had)
  END IF;
  SELECT t.id, t.status, t.doctor_id, t.test_name, p.first_name || ' ' || p.last_name AS patient_name
    INTO test
  FROM diagnostic_tests t JOIN patients p ON p.tenant_id = t.tenant_id AND p.id = t.patient_id
  WHERE t.tenant_id = NEW.tenant_id AND t.id = NEW.diagnostic_test_id;
  IF test.status = 'in_progress' THEN
    UPDATE diagnostic_tests SET status = 'completed' WHERE tenant_id = NEW.tenant_id AND id = test.id;
  ELSIF test.status = 'completed' AND NEW.verified_at IS NOT NULL THEN
    UPDATE diagnostic_tests SET status = 'verified' WHERE tenant_id = NEW.tenant_id AND id = test.id;
  END IF;
  IF NEW.is_critical AND (TG_OP = 'INSERT' OR NOT OLD.is_critical OR NEW.result_values IS DISTINCT FROM OLD.result_values) THEN
    INSERT INTO notifications (tenant_id, user_id, title, message, type, priority, related_entity_type, related_entity_id)
    VALUES (NEW.tenant_id, test.doctor_id, 'Critical result: ' || test.patient_name,
            test.test_name || ': ' || (SELECT string_agg(f, '; ') FROM jsonb_array_elements_text(NEW.abnormal_findings) f),
            'test_result', 'urgent', 'diagnostic_test', test.id);
  END IF;
  RETURN NULL;
END $$;

-- ---------------------------------------------------------------------------
-- The entitled functions, as schema.sql had them, with passes instead of DISABLE TRIGGER.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION merge_patients(p_survivor_id uuid, p_duplicate_id uuid, p_reason text)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
  tenant uuid := current_tenant_id();
  survivor patients;
  duplicate patients;
  link record;
  affected integer;
  moved jsonb := '{}';
  -- A signed note, a test's patient and verified results never change, nor do an issued invoice and
  -- a payment, except for the one thing a merge must change: whose chart they are in. This
  -- transaction passes those guards for the moves only (verified results could not be moved before
  -- 033), and a report moved is not a report entered: its test's status stays as it is.
  passes CONSTANT text[] := ARRAY['medical_records.lock_signed_note', 'diagnostic_tests.check_test_status_change',
                                  'test_reports.verify_by_second_person', 'test_reports.follow_report',
                                  'invoices.guard_invoice_edits', 'payments.guard_payment_edits'];
BEGIN
  PERFORM require_permission('patients.archive');
  IF p_survivor_id = p_duplicate_id THEN
    RAISE EXCEPTION 'Choose two different records to merge.' USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  IF length(btrim(coalesce(p_reason, ''))) < 3 THEN
    RAISE EXCEPTION 'Say why these records are merged.' USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  -- Both locked, in one order: two desks merging the same pair (either way round) are taken in turn.
  PERFORM 1 FROM patients p WHERE p.tenant_id = tenant AND p.id IN (p_survivor_id, p_duplicate_id) ORDER BY p.id FOR UPDATE;
  SELECT * INTO survivor FROM patients p WHERE p.tenant_id = tenant AND p.id = p_survivor_id AND p.deleted_at IS NULL;
  SELECT * INTO duplicate FROM patients p WHERE p.tenant_id = tenant AND p.id = p_duplicate_id AND p.deleted_at IS NULL;
  IF survivor.id IS NULL OR duplicate.id IS NULL THEN
    RETURN NULL;
  END IF;

  PERFORM set_config('app.change_reason', format('Merged into %s: %s', survivor.patient_number, btrim(p_reason)), true);
  -- First the duplicate goes (nothing new can be attached to it), then what referred to it follows.
  UPDATE patients SET merged_into_id = survivor.id, deleted_at = now() WHERE tenant_id = tenant AND id = duplicate.id;
  UPDATE patients s SET
    allergies = s.allergies || coalesce((SELECT jsonb_agg(e) FROM jsonb_array_elements(duplicate.allergies) e
                                         WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(s.allergies) k
                                                           WHERE lower(k ->> 'substance') = lower(e ->> 'substance'))), '[]'),
    medical_history = s.medical_history || coalesce((SELECT jsonb_agg(e) FROM jsonb_array_elements(duplicate.medical_history) e
                                                     WHERE NOT s.medical_history @> jsonb_build_array(e)), '[]'),
    current_medications = s.current_medications || coalesce((SELECT jsonb_agg(e) FROM jsonb_array_elements(duplicate.current_medications) e
                                                             WHERE NOT s.current_medications @> jsonb_build_array(e)), '[]'),
    alerts = CASE WHEN coalesce(btrim(duplicate.alerts), '') = '' OR strpos(coalesce(s.alerts, ''), duplicate.alerts) > 0 THEN s.alerts
                  WHEN coalesce(btrim(s.alerts), '') = '' THEN duplicate.alerts
                  ELSE s.alerts || E'\n' || duplicate.alerts END
  WHERE s.tenant_id = tenant AND s.id = survivor.id;

  PERFORM take_guard_passes(VARIADIC passes);
  FOR link IN
    SELECT c.conrelid::regclass AS target, a.attname AS column_name
    FROM pg_constraint c
    CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(own, referenced)
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.own
    JOIN pg_attribute r ON r.attrelid = c.confrelid AND r.attnum = k.referenced
    WHERE c.contype = 'f' AND c.confrelid = 'public.patients'::regclass AND r.attname = 'id'
      -- The search index of names (017) is derived from each patient's own name, not a record to move.
      AND c.conrelid <> 'public.patient_name_words'::regclass
    ORDER BY c.conrelid::regclass::text, a.attname
  LOOP
    EXECUTE format('UPDATE %s SET %I = $1 WHERE tenant_id = $2 AND %I = $3', link.target, link.column_name, link.column_name)
      USING survivor.id, tenant, duplicate.id;
    GET DIAGNOSTICS affected = ROW_COUNT;
    IF affected > 0 THEN
      moved := jsonb_set(moved, ARRAY[link.target::text], to_jsonb(coalesce((moved ->> link.target::text)::integer, 0) + affected));
    END IF;
  END LOOP;
  PERFORM end_guard_passes(VARIADIC passes);
  PERFORM set_config('app.change_reason', '', true);
  RETURN moved;
END $$;

CREATE OR REPLACE FUNCTION import_clinic_records(p_records jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
  tenant uuid := current_tenant_id();
  clinic uuid := current_app_clinic_id();
  missing_role text;
  counts jsonb;
  -- History keeps its authors, times and statuses: the guards that would stamp the administrator
  -- and now() on it are passed, by this transaction only, until the rows are written.
  passes CONSTANT text[] := ARRAY['patients.stamp_author', 'appointments.stamp_author', 'medical_records.stamp_author',
                                  'medical_records.lock_signed_note', 'prescriptions.stamp_author',
                                  'diagnostic_tests.check_test_status_change', 'test_reports.stamp_author',
                                  'test_reports.verify_by_second_person', 'test_reports.follow_report', 'documents.stamp_author'];
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

  PERFORM take_guard_passes(VARIADIC passes);

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

  PERFORM end_guard_passes(VARIADIC passes);

  SELECT jsonb_object_agg(k, jsonb_array_length(coalesce(p_records -> k, '[]')))
    INTO counts
  FROM unnest(ARRAY['users', 'patients', 'appointments', 'medical_records', 'prescriptions', 'diagnostic_tests',
                    'test_reports', 'documents']) k;
  RETURN counts;
END $$;

-- ---------------------------------------------------------------------------
-- Patient import (026): its numbers and author are kept by its passes, no longer by whoever owns
-- the code. Only the guard lines of import_patients change (take_guard_passes, end_guard_passes,
-- around its INSERT INTO patients).
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION import_patients(p_rows jsonb, OUT imported integer, OUT first_number text, OUT last_number text)
 RETURNS record
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
  tenant uuid := current_tenant_id();
  clinic uuid := current_app_clinic_id();
  author uuid := current_app_user_id();
  last_taken bigint;
BEGIN
  PERFORM require_permission('patients.write');
  IF author IS NULL OR clinic IS NULL THEN
    RAISE EXCEPTION 'Patients are imported by a signed-in staff member' USING ERRCODE = 'insufficient_privilege';
  END IF;
  imported := jsonb_array_length(p_rows);
  IF imported = 0 THEN
    RETURN;
  END IF;
  -- The whole batch's numbers at once, under the counter's row lock as a registration takes one.
  INSERT INTO number_sequences AS s (tenant_id, kind, period, last_value)
  VALUES (tenant, 'patients', 0, imported)
  ON CONFLICT (tenant_id, kind, period) DO UPDATE SET last_value = s.last_value + imported
  RETURNING s.last_value INTO last_taken;

  -- The numbers and author given here are kept: this transaction passes those two guards for the batch.
  PERFORM take_guard_passes('patients.assign_patient_number', 'patients.stamp_author');
  INSERT INTO patients (tenant_id, clinic_id, patient_number, created_by, first_name, middle_name, last_name, date_of_birth,
                        gender, phone, alternate_phone, email, address_line1, address_line2, city, postal_code, country,
                        national_id, insurance_info, notes, phone_e164, alternate_phone_e164)
  SELECT tenant, clinic, 'P-' || lpad((last_taken - imported + r.n)::text, 6, '0'), author, r.first_name, r.middle_name,
         r.last_name, r.date_of_birth, r.gender, r.phone, r.alternate_phone, r.email, r.address_line1, r.address_line2,
         r.city, r.postal_code, r.country, r.national_id, coalesce(r.insurance_info, '{}'), r.notes, r.phone_e164,
         r.alternate_phone_e164
  FROM ROWS FROM (jsonb_to_recordset(p_rows) AS (first_name text, middle_name text, last_name text, date_of_birth date,
                  gender text, phone text, alternate_phone text, email text, address_line1 text, address_line2 text,
                  city text, postal_code text, country text, national_id text, insurance_info jsonb, notes text,
                  phone_e164 text, alternate_phone_e164 text))
       WITH ORDINALITY AS r(first_name, middle_name, last_name, date_of_birth, gender, phone, alternate_phone, email,
                            address_line1, address_line2, city, postal_code, country, national_id, insurance_info, notes,
                            phone_e164, alternate_phone_e164, n)
  ORDER BY r.n;
  PERFORM end_guard_passes('patients.assign_patient_number', 'patients.stamp_author');
  first_number := 'P-' || lpad((last_taken - imported + 1)::text, 6, '0');
  last_number := 'P-' || lpad(last_taken::text, 6, '0');
END $$;

-- ---------------------------------------------------------------------------
-- Billing (015): an issued invoice and a payment change only as the database settles them. Their
-- guards let through the owner's own session and the passes of the functions that settle:
-- settle_invoice (payments, refunds, credit notes), apply_refund, the maintenance marking invoices
-- overdue, and a merge moving them to the survivor (above).
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION guard_invoice_edits()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
  -- What the database itself derives (balance_due is not computed yet in a BEFORE trigger).
  derived CONSTANT text[] := ARRAY['amount_paid', 'amount_credited', 'paid_at', 'updated_at', 'balance_due'];
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NOT (current_app_user_id() IS NULL AND session_is_owner()) THEN
      IF NEW.status NOT IN ('draft', 'issued') THEN
        RAISE EXCEPTION 'An invoice is written as a draft, or issued at once'
          USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
      END IF;
      NEW.amount_paid := 0;
      NEW.amount_credited := 0;
      NEW.paid_at := NULL;
      NEW.voided_at := NULL;
    END IF;
    RETURN NEW;
  END IF;
  IF OLD.status <> 'draft' AND NEW.deleted_at IS DISTINCT FROM OLD.deleted_at THEN
    RAISE EXCEPTION 'An issued invoice is never archived: void it or correct it with a credit note'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  IF (current_app_user_id() IS NULL AND session_is_owner()) OR guard_passed(TG_RELID, TG_NAME) THEN
    RETURN NEW; -- the owner's own work, or the database settling it (settle_invoice, maintenance, a merge)
  END IF;
  IF OLD.status = 'draft' THEN
    IF NEW.status NOT IN ('draft', 'issued')
       OR (NEW.kind, NEW.credited_invoice_id, NEW.invoice_number, NEW.amount_paid, NEW.amount_credited, NEW.paid_at)
          IS DISTINCT FROM (OLD.kind, OLD.credited_invoice_id, OLD.invoice_number, OLD.amount_paid, OLD.amount_credited, OLD.paid_at) THEN
      RAISE EXCEPTION 'A draft is edited and issued; its number, payments and credits come from the database'
        USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.status = 'cancelled' AND OLD.status IN ('issued', 'overdue') AND OLD.kind = 'invoice'
     AND OLD.amount_paid = 0 AND OLD.amount_credited = 0
     AND to_jsonb(NEW) - derived - ARRAY['status', 'void_reason', 'voided_at'] = to_jsonb(OLD) - derived - ARRAY['status', 'void_reason', 'voided_at'] THEN
    NEW.voided_at := now();
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'An issued invoice is never edited: void it while nothing is paid, or correct it with a credit note'
    USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
END $$;

CREATE OR REPLACE FUNCTION guard_payment_edits()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
  IF NEW.deleted_at IS DISTINCT FROM OLD.deleted_at
     OR ((to_jsonb(NEW) - 'notes' - 'updated_at') <> (to_jsonb(OLD) - 'notes' - 'updated_at')
         AND NOT (current_app_user_id() IS NULL AND session_is_owner()) AND NOT guard_passed(TG_RELID, TG_NAME)) THEN
    RAISE EXCEPTION 'A payment is never changed or archived: refund it instead'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION settle_invoice(p_tenant_id uuid, p_invoice_id uuid)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
  paid numeric(12, 2);
  credited numeric(12, 2);
BEGIN
  SELECT coalesce(sum(p.amount - p.refund_amount), 0) INTO paid FROM payments p
  WHERE p.tenant_id = p_tenant_id AND p.invoice_id = p_invoice_id AND p.deleted_at IS NULL
    AND p.payment_status IN ('completed', 'partially_refunded', 'refunded');
  SELECT coalesce(sum(c.total_amount), 0) INTO credited FROM invoices c
  WHERE c.tenant_id = p_tenant_id AND c.credited_invoice_id = p_invoice_id AND c.status <> 'draft' AND c.deleted_at IS NULL;
  PERFORM take_guard_passes('invoices.guard_invoice_edits');
  UPDATE invoices i
  SET amount_paid = CASE WHEN i.kind = 'credit_note' THEN 0 ELSE paid END,
      amount_credited = CASE WHEN i.kind = 'credit_note' THEN i.total_amount ELSE credited END,
      status = CASE
        WHEN i.status IN ('draft', 'cancelled') OR i.kind = 'credit_note' THEN i.status
        WHEN credited >= i.total_amount AND i.total_amount > 0 THEN 'credited'
        WHEN paid + credited >= i.total_amount THEN 'paid'
        WHEN paid + credited > 0 THEN 'partially_paid'
        WHEN i.status IN ('overdue', 'refunded') OR i.due_date < current_date THEN 'overdue'
        ELSE 'issued' END,
      paid_at = CASE WHEN i.kind = 'invoice' AND paid > 0 AND paid + credited >= i.total_amount THEN coalesce(i.paid_at, now()) END
  WHERE i.tenant_id = p_tenant_id AND i.id = p_invoice_id;
  PERFORM end_guard_passes('invoices.guard_invoice_edits');
END $$;

CREATE OR REPLACE FUNCTION apply_refund()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
  PERFORM take_guard_passes('payments.guard_payment_edits');
  UPDATE payments p
  SET refund_amount = p.refund_amount + NEW.amount,
      refunded_at = NEW.refunded_at,
      refund_reason = NEW.reason,
      payment_status = CASE WHEN p.refund_amount + NEW.amount = p.amount THEN 'refunded' ELSE 'partially_refunded' END
  WHERE p.tenant_id = NEW.tenant_id AND p.id = NEW.payment_id;
  PERFORM end_guard_passes('payments.guard_payment_edits');
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION run_tenant_maintenance()
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
  tenant uuid := current_tenant_id();
  overdue_count integer := 0;
  expired_count integer := 0;
  analyzed text[] := ARRAY[]::text[];
  relation record;
BEGIN
  PERFORM take_guard_passes('invoices.guard_invoice_edits');
  UPDATE invoices SET status = 'overdue'
  WHERE tenant_id = tenant AND status IN ('issued', 'partially_paid') AND due_date < current_date
    AND deleted_at IS NULL;
  GET DIAGNOSTICS overdue_count = ROW_COUNT;
  PERFORM end_guard_passes('invoices.guard_invoice_edits');
  UPDATE notifications SET deleted_at = now()
  WHERE tenant_id = tenant AND deleted_at IS NULL AND expires_at < now();
  GET DIAGNOSTICS expired_count = ROW_COUNT;
  FOR relation IN
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY c.relname
  LOOP
    EXECUTE format('ANALYZE public.%I', relation.relname);
    analyzed := analyzed || relation.relname::text;
  END LOOP;
  RETURN jsonb_build_object('overdue_invoices_marked', overdue_count,
                            'expired_notifications_removed', expired_count,
                            'tables_analyzed', to_jsonb(analyzed),
                            'ran_at', now());
END $$;

-- Triggers of a new patient (026), run only where they have something to do: the import's passes
-- keep what it gives; what any other code gives is replaced.
DROP TRIGGER assign_patient_number ON patients;
CREATE TRIGGER assign_patient_number BEFORE INSERT ON patients
  FOR EACH ROW WHEN (coalesce(NEW.patient_number, '') = '' OR NOT guard_passed('patients', 'assign_patient_number'))
  EXECUTE FUNCTION assign_record_number('patient_number', 'P', 'running');

DROP TRIGGER stamp_author ON patients;
CREATE TRIGGER stamp_author BEFORE INSERT ON patients
  FOR EACH ROW WHEN (NEW.created_by IS NULL OR NOT guard_passed('patients', 'stamp_author'))
  EXECUTE FUNCTION stamp_author('created_by');

-- Nothing asks it any more.
DROP FUNCTION acting_as_owner();
