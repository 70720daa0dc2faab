-- ClinicDesk 014: tests and verified results.
--
-- A test (diagnostic_tests) goes ordered → sample_collected → in_progress → completed → verified,
-- or is cancelled before it has results; any other change is refused here. Its results are one
-- report (test_reports), one entry per analyte in result_values. The backend picks each
-- analyte's reference range from the shipped catalog (shared/lab-catalog.ts) for the patient's
-- sex and age at collection and stores it beside the value; the flag (low, high, critical,
-- abnormal) is computed here, from the value and the stored range, and nowhere else, so a stored
-- flag always matches what it was computed against.
--
-- Decisions written down:
-- * A second person verifies: whoever last entered or changed the values cannot verify them,
--   and a verified report never changes. Checked by the database, against every caller that
--   is not the owner (demo data and the operator may write history as it happened).
-- * A critical value notifies the ordering doctor at once (notifications), whoever entered it.
-- * Results are as confidential as a chart: clinical.read to read (migration 008).
-- Runs unchanged on PGlite (PostgreSQL 18) and PostgreSQL 15+.

ALTER TABLE diagnostic_tests DROP CONSTRAINT diagnostic_tests_status_check;
ALTER TABLE diagnostic_tests ADD CONSTRAINT diagnostic_tests_status_check
  CHECK (status IN ('ordered', 'sample_collected', 'in_progress', 'completed', 'verified', 'cancelled'));

-- A verified test is finished, like a completed one.
DROP INDEX idx_diagnostic_tests_open;
CREATE INDEX idx_diagnostic_tests_open ON diagnostic_tests (tenant_id, status)
  WHERE deleted_at IS NULL AND status NOT IN ('completed', 'verified', 'cancelled');

CREATE INDEX idx_test_reports_reported_by ON test_reports (tenant_id, reported_by);
CREATE INDEX idx_test_reports_verified_by ON test_reports (tenant_id, verified_by);

-- ---------------------------------------------------------------------------
-- Status changes. The legal ones, as data; TEST_STATUS_TRANSITIONS in shared/results.ts is the
-- same list (a test compares the two and tries every pair through the trigger), with the
-- permission each step needs.
-- ---------------------------------------------------------------------------
CREATE VIEW diagnostic_test_status_transitions (from_status, to_status, permission) AS
VALUES ('ordered', 'sample_collected', 'tests.report'), ('sample_collected', 'in_progress', 'tests.report'),
       ('in_progress', 'completed', 'tests.report'), ('completed', 'verified', 'tests.verify'),
       ('ordered', 'cancelled', 'tests.order'), ('sample_collected', 'cancelled', 'tests.order'),
       ('in_progress', 'cancelled', 'tests.order');
GRANT SELECT ON diagnostic_test_status_transitions TO clinic_app;

CREATE OR REPLACE FUNCTION check_test_status_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  step record;
  staff boolean := current_app_user_id() IS NOT NULL;
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF staff THEN
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
REVOKE ALL ON FUNCTION check_test_status_change() FROM PUBLIC;
CREATE TRIGGER check_test_status_change BEFORE INSERT OR UPDATE ON diagnostic_tests
  FOR EACH ROW EXECUTE FUNCTION check_test_status_change();

-- ---------------------------------------------------------------------------
-- Flags. One entry of result_values, as the backend writes it:
--   {"code": "HGB", "parameter": "Haemoglobin", "value": "112", "unit": "g/L",
--    "low": "115", "high": "165", "critical_low": "70", "critical_high": "200",
--    "reference_range": "115–165", "range_basis": "Female, 18 years and over"}
-- or, for a finding read by eye, "expected": "Negative" instead of the numbers. Any bound may be
-- absent. The flag is added here: critical_low/critical_high beyond a critical limit, low/high
-- outside the range, abnormal when a finding differs from the expected one, normal otherwise,
-- null when there is nothing to compare with.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION result_flag(entry jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  value numeric;
BEGIN
  IF entry ? 'expected' THEN
    RETURN CASE WHEN lower(btrim(entry ->> 'value')) = lower(btrim(entry ->> 'expected')) THEN 'normal' ELSE 'abnormal' END;
  END IF;
  IF NOT (entry ->> 'value') ~ '^-?[0-9]+(\.[0-9]+)?$' THEN
    RAISE EXCEPTION '% must be a number.', coalesce(entry ->> 'parameter', 'A result')
      USING ERRCODE = 'check_violation', CONSTRAINT = 'result_value_number';
  END IF;
  value := (entry ->> 'value')::numeric;
  RETURN CASE
    WHEN value < (entry ->> 'critical_low')::numeric THEN 'critical_low'
    WHEN value > (entry ->> 'critical_high')::numeric THEN 'critical_high'
    WHEN value < (entry ->> 'low')::numeric THEN 'low'
    WHEN value > (entry ->> 'high')::numeric THEN 'high'
    WHEN entry ? 'low' OR entry ? 'high' THEN 'normal'
  END;
END $$;
GRANT EXECUTE ON FUNCTION result_flag(jsonb) TO clinic_app;

-- Stamps the flags, the abnormal and critical marks, who entered the values and when; keeps
-- reports verified and refuses verification by the person who entered the values.
CREATE OR REPLACE FUNCTION keep_report_honest() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  me uuid := current_app_user_id();
  test_status text;
BEGIN
  IF me IS NULL THEN
    RETURN NEW; -- the owner's own work (demo data, the operator): history as it happened
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
REVOKE ALL ON FUNCTION keep_report_honest() FROM PUBLIC;
-- Named to fire after protect_verification (008), which checks tests.verify and names the verifier.
CREATE TRIGGER verify_by_second_person BEFORE INSERT OR UPDATE ON test_reports
  FOR EACH ROW EXECUTE FUNCTION keep_report_honest();

-- Entering results completes the test; verifying them verifies it; a critical value (new, or
-- newly critical) tells the ordering doctor. SECURITY DEFINER: the notice is the clinic's, not a
-- write the person entering the value needs a permission for.
CREATE OR REPLACE FUNCTION follow_report() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  test record;
BEGIN
  IF current_app_user_id() IS NULL OR NEW.tenant_id IS DISTINCT FROM current_tenant_id() THEN
    RETURN NULL;
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
REVOKE ALL ON FUNCTION follow_report() FROM PUBLIC;
CREATE TRIGGER follow_report AFTER INSERT OR UPDATE ON test_reports
  FOR EACH ROW EXECUTE FUNCTION follow_report();

-- A verified test no longer counts as pending in the patient summary (003, otherwise unchanged).
CREATE OR REPLACE VIEW patient_summary WITH (security_invoker = true) AS
SELECT
  p.tenant_id,
  p.id AS patient_id,
  p.patient_number,
  p.first_name,
  p.last_name,
  p.first_name || ' ' || p.last_name AS full_name,
  p.date_of_birth,
  extract(year FROM age(current_date, p.date_of_birth))::integer AS age,
  p.gender,
  p.phone,
  p.email,
  jsonb_array_length(p.allergies) AS allergy_count,
  coalesce(a.total_appointments, 0) AS total_appointments,
  coalesce(a.completed_appointments, 0) AS completed_appointments,
  coalesce(a.missed_appointments, 0) AS missed_appointments,
  a.last_visit_at,
  a.next_appointment_at,
  coalesce(b.total_invoiced, 0)::numeric(12, 2) AS total_invoiced,
  coalesce(b.total_paid, 0)::numeric(12, 2) AS total_paid,
  coalesce(b.outstanding_balance, 0)::numeric(12, 2) AS outstanding_balance,
  coalesce(rx.active_prescriptions, 0) AS active_prescriptions,
  coalesce(t.pending_tests, 0) AS pending_tests,
  p.created_at AS registered_at
FROM patients p
LEFT JOIN LATERAL (
  SELECT count(*) AS total_appointments,
         count(*) FILTER (WHERE status = 'completed') AS completed_appointments,
         count(*) FILTER (WHERE status = 'no_show') AS missed_appointments,
         max(starts_at) FILTER (WHERE status = 'completed') AS last_visit_at,
         min(starts_at) FILTER (WHERE starts_at > now() AND status IN ('scheduled', 'confirmed')) AS next_appointment_at
  FROM appointments WHERE tenant_id = p.tenant_id AND patient_id = p.id
) a ON true
LEFT JOIN LATERAL (
  SELECT sum(total_amount) AS total_invoiced, sum(amount_paid) AS total_paid,
         sum(balance_due) FILTER (WHERE status NOT IN ('draft', 'cancelled')) AS outstanding_balance
  FROM invoices WHERE tenant_id = p.tenant_id AND patient_id = p.id AND status <> 'cancelled'
) b ON true
LEFT JOIN LATERAL (
  SELECT count(*) AS active_prescriptions
  FROM prescriptions WHERE tenant_id = p.tenant_id AND patient_id = p.id AND status = 'active'
) rx ON true
LEFT JOIN LATERAL (
  SELECT count(*) AS pending_tests
  FROM diagnostic_tests WHERE tenant_id = p.tenant_id AND patient_id = p.id
    AND status NOT IN ('completed', 'verified', 'cancelled')
) t ON true;
