-- ClinicDesk 023: the follow-up booked when a visit ends, documents in the chart, one timeline of
-- the chart, confidential tests. Runs unchanged on PGlite (PostgreSQL 18) and PostgreSQL 15+.
--
-- Decisions written down:
-- * A follow-up is booked with the doctor who saw the patient, by that doctor or by anyone who
--   books appointments (appointments.write). Doctors do not hold appointments.write, so the
--   booking goes through book_follow_up, which checks who asks, the clinic's and the doctor's
--   hours, and leaves double booking to the appointments_no_double_booking constraint (two
--   desks taking one slot at once: the second is refused). A follow-up with another doctor is
--   a referral for the front desk's calendar.
-- * A document's bytes are kept in the database (document_files). The offline backup is the
--   database's data directory and nothing beside it, so files kept in a folder would be lost
--   with the PC; the same table serves remote clinics. The app role cannot touch that table:
--   bytes go in and come out only through store_document_file and read_document_file, and the
--   second logs every read, so no read of a document escapes the activity log. 5 MiB a file:
--   a request carries at most 8 MiB, base64 adds a third.
-- * A confidential test is fenced like a confidential note: its ordering doctor and holders of
--   records.confidential; its reports follow the test, so the results inbox, the trend and the
--   timeline leave it out for everyone else. Whether a test is confidential is decided when it is
--   ordered (its audit rows are fenced from the first).

-- ---------------------------------------------------------------------------
-- Hours. An hours object is {"mon": [["08:00", "12:30"], ["13:30", "18:00"]], …, "sun": []}
-- (clinics.opening_hours, users.working_hours). Does [local start, + minutes) lie in one period?
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION within_hours(p_hours jsonb, p_local_start timestamp, p_minutes integer) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT EXISTS (
    SELECT 1
    FROM jsonb_array_elements(coalesce(
      p_hours -> (ARRAY['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'])[extract(dow FROM p_local_start)::integer + 1],
      '[]')) AS period
    WHERE (period ->> 0)::time <= p_local_start::time
      -- In minutes, not times: 17:30 + 45 minutes must not wrap round to 18:15 of no day.
      AND extract(epoch FROM p_local_start::time) / 60 + p_minutes <= extract(epoch FROM (period ->> 1)::time) / 60)
$$;
GRANT EXECUTE ON FUNCTION within_hours(jsonb, timestamp, integer) TO clinic_app;

-- ---------------------------------------------------------------------------
-- Follow-up slots: the free starts of the visit's doctor on the first open day from p_from (up to
-- p_days days on), p_minutes long, within the clinic's and the doctor's hours, not past, clear of
-- their bookings. Runs as the caller: someone who cannot see the visit gets no slots.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION follow_up_slots(p_visit_id uuid, p_from date, p_days integer, p_minutes integer)
RETURNS TABLE (starts_at timestamptz, local_date text, local_time text)
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
  WITH candidate AS (
    SELECT a.doctor_id, c.timezone, s.starts_at
    FROM appointments a
    JOIN clinics c ON c.tenant_id = a.tenant_id AND c.id = a.clinic_id
    JOIN users u ON u.tenant_id = a.tenant_id AND u.id = a.doctor_id
    CROSS JOIN LATERAL generate_series(0, least(greatest(p_days, 1), 31) - 1) AS d(day)
    CROSS JOIN LATERAL generate_series(clinic_instant(p_from + d.day, time '00:00', c.timezone),
                                       clinic_instant(p_from + d.day + 1, time '00:00', c.timezone) - interval '1 minute',
                                       make_interval(mins => p_minutes)) AS s(starts_at)
    WHERE a.id = p_visit_id AND p_minutes BETWEEN 5 AND 240
      AND s.starts_at > now()
      AND within_hours(c.opening_hours, s.starts_at AT TIME ZONE c.timezone, p_minutes)
      AND (u.working_hours IS NULL OR within_hours(u.working_hours, s.starts_at AT TIME ZONE c.timezone, p_minutes))
      AND NOT EXISTS (
        SELECT 1 FROM appointments b
        WHERE b.doctor_id = a.doctor_id AND NOT b.is_walk_in AND b.status NOT IN ('cancelled', 'no_show')
          AND tstzrange(b.starts_at, b.ends_at, '[)') && tstzrange(s.starts_at, s.starts_at + make_interval(mins => p_minutes), '[)'))
  ), dated AS (
    SELECT starts_at, to_char(starts_at AT TIME ZONE timezone, 'YYYY-MM-DD') AS local_date,
           to_char(starts_at AT TIME ZONE timezone, 'HH24:MI') AS local_time
    FROM candidate
  )
  SELECT starts_at, local_date, local_time FROM dated
  WHERE local_date = (SELECT min(local_date) FROM dated)
  ORDER BY starts_at
$$;
REVOKE ALL ON FUNCTION follow_up_slots(uuid, date, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION follow_up_slots(uuid, date, integer, integer) TO clinic_app;

-- ---------------------------------------------------------------------------
-- Booking the follow-up. Refusals a person can act on carry HINT clinicdesk:user-message.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION book_follow_up(p_visit_id uuid, p_starts_at timestamptz, p_minutes integer, p_reason text)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  visit record;
  local_start timestamp;
  new_id uuid;
BEGIN
  SELECT a.clinic_id, a.patient_id, a.doctor_id, a.status, c.timezone, c.opening_hours, u.working_hours,
         doctor_display_name(u.title, u.first_name, u.last_name) AS doctor_name
  INTO visit
  FROM appointments a
  JOIN clinics c ON c.tenant_id = a.tenant_id AND c.id = a.clinic_id
  JOIN users u ON u.tenant_id = a.tenant_id AND u.id = a.doctor_id
  WHERE a.tenant_id = current_tenant_id() AND a.id = p_visit_id AND a.deleted_at IS NULL
    AND (current_app_user_id() IS NULL OR a.clinic_id = current_app_clinic_id());
  IF NOT FOUND THEN
    RAISE EXCEPTION 'This visit was not found.' USING ERRCODE = 'no_data_found';
  END IF;
  IF NOT ((visit.doctor_id = current_app_user_id() AND app_may('clinical.write')) OR app_may('appointments.write')) THEN
    RAISE EXCEPTION 'Only the doctor who saw the patient, or the front desk, can book this follow-up.'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  IF visit.status NOT IN ('in_progress', 'completed') THEN
    RAISE EXCEPTION 'A follow-up is booked from a visit that has taken place.'
      USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  IF p_minutes IS NULL OR p_minutes NOT BETWEEN 5 AND 240 THEN
    RAISE EXCEPTION 'A follow-up lasts 5 to 240 minutes.' USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  IF p_starts_at <= now() OR p_starts_at > now() + interval '2 years' THEN
    RAISE EXCEPTION 'Choose a time from now to two years ahead.' USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  local_start := p_starts_at AT TIME ZONE visit.timezone;
  IF NOT within_hours(visit.opening_hours, local_start, p_minutes) THEN
    RAISE EXCEPTION 'The clinic is closed then.' USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  IF visit.working_hours IS NOT NULL AND NOT within_hours(visit.working_hours, local_start, p_minutes) THEN
    RAISE EXCEPTION '% does not work then.', visit.doctor_name USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  INSERT INTO appointments (tenant_id, clinic_id, patient_id, doctor_id, appointment_type, starts_at, ends_at, reason, created_by)
  VALUES (current_tenant_id(), visit.clinic_id, visit.patient_id, visit.doctor_id, 'follow_up', p_starts_at,
          p_starts_at + make_interval(mins => p_minutes), coalesce(nullif(btrim(p_reason), ''), 'Follow-up'), current_app_user_id())
  RETURNING id INTO new_id;
  PERFORM queue_appointment_reminder(new_id);
  RETURN new_id;
END $$;
REVOKE ALL ON FUNCTION book_follow_up(uuid, timestamptz, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION book_follow_up(uuid, timestamptz, integer, text) TO clinic_app;

-- ---------------------------------------------------------------------------
-- Documents: the date the document bears (a letter of last March), and only readers see them.
-- ---------------------------------------------------------------------------
ALTER TABLE documents ADD COLUMN document_date date;
GRANT INSERT (document_date), UPDATE (document_date) ON documents TO clinic_app;
SELECT require_read_permission('documents', ARRAY['documents.read']);

CREATE TABLE document_files (
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  document_id uuid NOT NULL,
  content     bytea NOT NULL CHECK (octet_length(content) BETWEEN 1 AND 5242880),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, document_id),
  FOREIGN KEY (tenant_id, document_id) REFERENCES documents (tenant_id, id)
);
ALTER TABLE document_files ENABLE ROW LEVEL SECURITY;
ALTER TABLE document_files FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_tenant_access_document_files ON document_files FOR ALL TO CURRENT_USER
  USING (tenant_id = (SELECT current_tenant_id())) WITH CHECK (tenant_id = (SELECT current_tenant_id()));

-- The bytes of a document the caller has just added (by their own hand: the row is theirs, checked
-- against its size and checksum). Once only: a document's bytes never change, a new version is a new row.
CREATE OR REPLACE FUNCTION store_document_file(p_document_id uuid, p_content bytea) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  doc record;
BEGIN
  PERFORM require_permission('documents.write');
  SELECT d.user_id, d.file_size, d.checksum_sha256 INTO doc
  FROM documents d WHERE d.tenant_id = current_tenant_id() AND d.id = p_document_id AND d.deleted_at IS NULL;
  IF NOT FOUND OR (current_app_user_id() IS NOT NULL AND doc.user_id IS DISTINCT FROM current_app_user_id()) THEN
    RAISE EXCEPTION 'This document was not found.' USING ERRCODE = 'no_data_found';
  END IF;
  IF octet_length(p_content) <> doc.file_size OR encode(sha256(p_content), 'hex') IS DISTINCT FROM doc.checksum_sha256 THEN
    RAISE EXCEPTION 'The file does not match its document (size or checksum).'
      USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  INSERT INTO document_files (tenant_id, document_id, content) VALUES (current_tenant_id(), p_document_id, p_content);
END $$;
REVOKE ALL ON FUNCTION store_document_file(uuid, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION store_document_file(uuid, bytea) TO clinic_app;


-- The bytes of a document the caller may see (their clinic, documents.read, and a confidential one
-- only as its author or with records.confidential, as the documents policy says), the read logged.
CREATE OR REPLACE FUNCTION read_document_file(p_document_id uuid, p_user_agent text DEFAULT NULL)
RETURNS TABLE (file_name text, mime_type text, content bytea)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  doc record;
BEGIN
  PERFORM require_permission('documents.read');
  SELECT d.id, d.patient_id, d.title, d.file_name, d.mime_type, f.content INTO doc
  FROM documents d JOIN document_files f ON f.tenant_id = d.tenant_id AND f.document_id = d.id
  WHERE d.tenant_id = current_tenant_id() AND d.id = p_document_id AND d.deleted_at IS NULL
    AND (NOT d.is_confidential OR d.user_id = current_app_user_id() OR app_may('records.confidential'));
  IF NOT FOUND THEN
    RETURN; -- as if it did not exist: the caller may not see it
  END IF;
  PERFORM log_activity('document.view', 'Opened the document ' || doc.title, 'document', doc.id,
                       jsonb_build_object('patient_id', doc.patient_id), p_user_agent);
  RETURN QUERY SELECT doc.file_name, doc.mime_type, doc.content;
END $$;
REVOKE ALL ON FUNCTION read_document_file(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION read_document_file(uuid, text) TO clinic_app;

-- ---------------------------------------------------------------------------
-- Confidential tests.
-- ---------------------------------------------------------------------------
ALTER TABLE diagnostic_tests ADD COLUMN is_confidential boolean NOT NULL DEFAULT false;
GRANT INSERT (is_confidential) ON diagnostic_tests TO clinic_app;

DROP POLICY tenant_isolation_diagnostic_tests ON diagnostic_tests;
CREATE POLICY tenant_isolation_diagnostic_tests ON diagnostic_tests FOR ALL TO clinic_app
  USING (tenant_id = (SELECT current_tenant_id()) AND deleted_at IS NULL
         AND (NOT is_confidential OR doctor_id = (SELECT current_app_user_id())
              OR (SELECT app_user_has_permission('records.confidential'))))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()) AND deleted_at IS NULL);

-- A report is seen with its test: a confidential test's results stay behind the same fence.
DROP POLICY tenant_isolation_test_reports ON test_reports;
CREATE POLICY tenant_isolation_test_reports ON test_reports FOR ALL TO clinic_app
  USING (tenant_id = (SELECT current_tenant_id()) AND deleted_at IS NULL
         AND EXISTS (SELECT 1 FROM diagnostic_tests t WHERE t.tenant_id = test_reports.tenant_id AND t.id = test_reports.diagnostic_test_id))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()) AND deleted_at IS NULL);

CREATE OR REPLACE FUNCTION keep_test_confidentiality() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF NEW.is_confidential IS DISTINCT FROM OLD.is_confidential THEN
    RAISE EXCEPTION 'Whether a test is confidential is decided when it is ordered.'
      USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION keep_test_confidentiality() FROM PUBLIC;
CREATE TRIGGER keep_test_confidentiality BEFORE UPDATE OF is_confidential ON diagnostic_tests
  FOR EACH ROW EXECUTE FUNCTION keep_test_confidentiality();

-- ---------------------------------------------------------------------------
-- The chart's timeline: notes, prescriptions, tests and documents of a patient in one list.
-- security_invoker: each part is read through its own table's policies, so a confidential note,
-- test or document is absent for whoever may not see it, and documents for those without
-- documents.read.
-- ---------------------------------------------------------------------------
CREATE VIEW chart_timeline WITH (security_invoker = true) AS
SELECT m.patient_id, 'note'::text AS kind, m.id, m.record_date AS occurred_at,
       coalesce(nullif(btrim(m.assessment), ''), nullif(btrim(m.chief_complaint), ''), 'Consultation note') AS title,
       nullif(btrim(m.treatment_plan), '') AS detail,
       CASE WHEN m.signed_at IS NULL THEN 'draft' ELSE 'signed' END AS status,
       m.is_confidential, m.doctor_id AS author_id
FROM medical_records m
UNION ALL
SELECT p.patient_id, 'prescription', p.id, p.prescribed_at,
       p.medication_name || coalesce(' ' || p.strength, ''), p.dosage || ', ' || p.frequency, p.status, false, p.doctor_id
FROM prescriptions p
UNION ALL
SELECT t.patient_id, 'test', t.id, t.ordered_at, t.test_name,
       (SELECT CASE WHEN r.is_critical THEN 'Critical result' WHEN r.is_abnormal THEN 'Abnormal result' END
        FROM test_reports r WHERE r.tenant_id = t.tenant_id AND r.diagnostic_test_id = t.id
        ORDER BY r.created_at DESC LIMIT 1),
       t.status, t.is_confidential, t.doctor_id
FROM diagnostic_tests t
UNION ALL
SELECT d.patient_id, 'document', d.id, d.created_at, d.title, d.document_type, 'filed', d.is_confidential, d.user_id
FROM documents d
WHERE d.patient_id IS NOT NULL;
GRANT SELECT ON chart_timeline TO clinic_app;
