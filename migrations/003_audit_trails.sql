-- ClinicDesk 003: audit trail, activity log, notifications, documents, medical records,
-- prescriptions, reporting views and the seed's stored procedures.

CREATE TABLE audit_logs (
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id        uuid,
  action         text NOT NULL CHECK (action IN ('INSERT', 'UPDATE', 'DELETE', 'SOFT_DELETE', 'RESTORE')),
  table_name     text NOT NULL,
  record_id      uuid,
  old_values     jsonb,
  new_values     jsonb,
  changed_fields text[],
  reason         text,
  ip_address     inet,
  user_agent     text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX idx_audit_logs_table_time ON audit_logs (tenant_id, table_name, created_at DESC);
CREATE INDEX idx_audit_logs_record ON audit_logs (tenant_id, record_id, created_at DESC);
CREATE INDEX idx_audit_logs_user ON audit_logs (tenant_id, user_id, created_at DESC);

CREATE TABLE activity_logs (
  tenant_id     uuid NOT NULL REFERENCES tenants (id),
  id            uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id       uuid,
  activity_type text NOT NULL CHECK (activity_type ~ '^[a-z][a-z0-9_.]{1,60}$'),
  description   text NOT NULL,
  entity_type   text,
  entity_id     uuid,
  metadata      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
  ip_address    inet,
  user_agent    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX idx_activity_logs_user_time ON activity_logs (tenant_id, user_id, created_at DESC);
CREATE INDEX idx_activity_logs_entity ON activity_logs (tenant_id, entity_type, entity_id, created_at DESC);
CREATE INDEX idx_activity_logs_type_time ON activity_logs (tenant_id, activity_type, created_at DESC);

CREATE TABLE notifications (
  tenant_id           uuid NOT NULL REFERENCES tenants (id),
  id                  uuid NOT NULL DEFAULT gen_random_uuid(),
  -- NULL user: for the whole clinic (e.g. a reminder the front desk sends).
  user_id             uuid,
  title               text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
  message             text NOT NULL,
  type                text NOT NULL DEFAULT 'info'
                      CHECK (type IN ('info', 'success', 'warning', 'error', 'reminder', 'appointment',
                                      'test_result', 'billing', 'system')),
  priority            text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  is_read             boolean NOT NULL DEFAULT false,
  read_at             timestamptz,
  action_url          text,
  related_entity_type text,
  related_entity_id   uuid,
  -- When a reminder falls due; NULL means now.
  scheduled_for       timestamptz,
  sent_at             timestamptz,
  expires_at          timestamptz,
  metadata            jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  deleted_at          timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
  CHECK (NOT is_read OR read_at IS NOT NULL)
);
CREATE INDEX idx_notifications_user_unread ON notifications (tenant_id, user_id, created_at DESC)
  WHERE NOT is_read AND deleted_at IS NULL;
CREATE INDEX idx_notifications_due ON notifications (tenant_id, scheduled_for)
  WHERE sent_at IS NULL AND deleted_at IS NULL;
CREATE INDEX idx_notifications_related ON notifications (tenant_id, related_entity_type, related_entity_id);

CREATE TABLE documents (
  tenant_id          uuid NOT NULL REFERENCES tenants (id),
  id                 uuid NOT NULL DEFAULT gen_random_uuid(),
  patient_id         uuid,
  user_id            uuid NOT NULL,
  appointment_id     uuid,
  document_type      text NOT NULL DEFAULT 'other'
                     CHECK (document_type IN ('lab_report', 'imaging', 'prescription', 'referral', 'consent',
                                              'insurance', 'identity', 'discharge_summary', 'invoice', 'other')),
  title              text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
  description        text,
  file_name          text NOT NULL,
  storage_key        text NOT NULL,
  mime_type          text NOT NULL,
  file_size          bigint NOT NULL CHECK (file_size >= 0),
  checksum_sha256    text CHECK (checksum_sha256 ~ '^[0-9a-f]{64}$'),
  version            integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  previous_version_id uuid,
  is_confidential    boolean NOT NULL DEFAULT false,
  access_level       text NOT NULL DEFAULT 'clinical' CHECK (access_level IN ('all_staff', 'clinical', 'restricted')),
  tags               text[] NOT NULL DEFAULT '{}',
  metadata           jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  deleted_at         timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, patient_id) REFERENCES patients (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, appointment_id) REFERENCES appointments (tenant_id, id),
  FOREIGN KEY (tenant_id, previous_version_id) REFERENCES documents (tenant_id, id)
);
CREATE INDEX idx_documents_patient ON documents (tenant_id, patient_id, created_at DESC);
CREATE INDEX idx_documents_appointment ON documents (tenant_id, appointment_id);
CREATE INDEX idx_documents_user ON documents (tenant_id, user_id);
CREATE INDEX idx_documents_previous ON documents (tenant_id, previous_version_id);

CREATE TABLE medical_records (
  tenant_id                 uuid NOT NULL REFERENCES tenants (id),
  id                        uuid NOT NULL DEFAULT gen_random_uuid(),
  patient_id                uuid NOT NULL,
  doctor_id                 uuid NOT NULL,
  appointment_id            uuid,
  record_type               text NOT NULL DEFAULT 'consultation'
                            CHECK (record_type IN ('consultation', 'progress_note', 'procedure', 'discharge_summary',
                                                   'referral', 'lab_review', 'immunization', 'other')),
  record_date               timestamptz NOT NULL DEFAULT now(),
  chief_complaint           text,
  history_of_present_illness text,
  vital_signs               jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(vital_signs) = 'object'),
  physical_examination      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(physical_examination) = 'object'),
  assessment                text,
  -- [{code, description, type: primary|secondary}]
  diagnosis                 jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(diagnosis) = 'array'),
  treatment_plan            text,
  clinical_data             jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(clinical_data) = 'object'),
  -- Confidential records are visible only to their author and to roles holding
  -- records.confidential (enforced by the RLS policy below, not by the screens).
  is_confidential           boolean NOT NULL DEFAULT false,
  signed_at                 timestamptz,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now(),
  deleted_at                timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, patient_id) REFERENCES patients (tenant_id, id),
  FOREIGN KEY (tenant_id, doctor_id) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, appointment_id) REFERENCES appointments (tenant_id, id)
);
CREATE INDEX idx_medical_records_patient ON medical_records (tenant_id, patient_id, record_date DESC);
CREATE INDEX idx_medical_records_doctor ON medical_records (tenant_id, doctor_id, record_date DESC);
CREATE INDEX idx_medical_records_appointment ON medical_records (tenant_id, appointment_id);

CREATE TABLE prescriptions (
  tenant_id           uuid NOT NULL REFERENCES tenants (id),
  id                  uuid NOT NULL DEFAULT gen_random_uuid(),
  patient_id          uuid NOT NULL,
  doctor_id           uuid NOT NULL,
  appointment_id      uuid,
  medical_record_id   uuid,
  medication_name     text NOT NULL CHECK (length(btrim(medication_name)) BETWEEN 1 AND 200),
  generic_name        text,
  strength            text,
  dosage_form         text CHECK (dosage_form IN ('tablet', 'capsule', 'syrup', 'suspension', 'injection', 'cream',
                                                  'ointment', 'drops', 'inhaler', 'patch', 'suppository', 'other')),
  dosage              text NOT NULL,
  frequency           text NOT NULL,
  route               text NOT NULL DEFAULT 'oral'
                      CHECK (route IN ('oral', 'topical', 'intravenous', 'intramuscular', 'subcutaneous',
                                       'inhalation', 'sublingual', 'rectal', 'ophthalmic', 'otic', 'nasal', 'other')),
  duration_days       integer CHECK (duration_days BETWEEN 1 AND 3650),
  quantity            numeric(10, 2) CHECK (quantity > 0),
  refills_allowed     integer NOT NULL DEFAULT 0 CHECK (refills_allowed BETWEEN 0 AND 12),
  refills_used        integer NOT NULL DEFAULT 0 CHECK (refills_used >= 0),
  instructions        text,
  start_date          date NOT NULL DEFAULT current_date,
  end_date            date,
  status              text NOT NULL DEFAULT 'active'
                      CHECK (status IN ('active', 'completed', 'discontinued', 'cancelled', 'on_hold')),
  discontinued_reason text,
  prescribed_at       timestamptz NOT NULL DEFAULT now(),
  dispensed_at        timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  deleted_at          timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, patient_id) REFERENCES patients (tenant_id, id),
  FOREIGN KEY (tenant_id, doctor_id) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, appointment_id) REFERENCES appointments (tenant_id, id),
  FOREIGN KEY (tenant_id, medical_record_id) REFERENCES medical_records (tenant_id, id),
  CHECK (refills_used <= refills_allowed),
  CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX idx_prescriptions_patient ON prescriptions (tenant_id, patient_id, prescribed_at DESC);
CREATE INDEX idx_prescriptions_doctor ON prescriptions (tenant_id, doctor_id, prescribed_at DESC);
CREATE INDEX idx_prescriptions_appointment ON prescriptions (tenant_id, appointment_id);
CREATE INDEX idx_prescriptions_record ON prescriptions (tenant_id, medical_record_id);
CREATE INDEX idx_prescriptions_active ON prescriptions (tenant_id, patient_id) WHERE status = 'active' AND deleted_at IS NULL;

SELECT enable_tenant_isolation('audit_logs', 'SELECT');
SELECT enable_tenant_isolation('activity_logs', 'SELECT, INSERT');
SELECT enable_tenant_isolation('notifications', 'SELECT, INSERT, UPDATE');
SELECT enable_tenant_isolation('documents', 'SELECT, INSERT, UPDATE');
SELECT enable_tenant_isolation('medical_records', 'SELECT, INSERT, UPDATE');
SELECT enable_tenant_isolation('prescriptions', 'SELECT, INSERT, UPDATE');

-- ---------------------------------------------------------------------------
-- Permissions as the database sees them: the current app user's role permissions.
-- SECURITY DEFINER so policies can call it without clinic_app reading roles directly.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION app_user_has_permission(permission text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT coalesce((
    SELECT r.permissions ? permission
    FROM users u JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id
    WHERE u.tenant_id = current_tenant_id() AND u.id = current_app_user_id()
      AND u.deleted_at IS NULL AND u.is_active AND r.deleted_at IS NULL AND r.is_active), false)
$$;
REVOKE ALL ON FUNCTION app_user_has_permission(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_user_has_permission(text) TO clinic_app;

-- Confidential records: replace the plain tenant policy with one that also checks the reader.
DROP POLICY tenant_isolation_medical_records ON medical_records;
CREATE POLICY tenant_isolation_medical_records ON medical_records FOR ALL TO clinic_app
  USING (tenant_id = current_tenant_id() AND deleted_at IS NULL
         AND (NOT is_confidential OR doctor_id = current_app_user_id()
              OR app_user_has_permission('records.confidential')))
  WITH CHECK (tenant_id = current_tenant_id() AND deleted_at IS NULL);

-- ---------------------------------------------------------------------------
-- Audit: every change to a major table writes who, what, old and new values in the same
-- transaction. Runs as the owner, so clinic_app needs (and has) no INSERT on audit_logs
-- and cannot forge or alter entries; it may only read its tenant's rows.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION audit_trigger_function() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  old_row jsonb := CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) - 'password_hash' END;
  new_row jsonb := CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) - 'password_hash' END;
  row_values jsonb := coalesce(new_row, old_row);
  audit_action text := TG_OP;
  changed text[];
BEGIN
  IF TG_OP = 'UPDATE' THEN
    SELECT array_agg(key ORDER BY key) INTO changed
    FROM jsonb_each(new_row) AS n(key, value)
    WHERE n.value IS DISTINCT FROM old_row -> n.key AND n.key <> 'updated_at';
    IF changed IS NULL AND (to_jsonb(OLD) ->> 'password_hash') IS NOT DISTINCT FROM (to_jsonb(NEW) ->> 'password_hash') THEN
      RETURN NULL; -- nothing but updated_at moved
    END IF;
    IF old_row ->> 'deleted_at' IS NULL AND new_row ->> 'deleted_at' IS NOT NULL THEN
      audit_action := 'SOFT_DELETE';
    ELSIF old_row ->> 'deleted_at' IS NOT NULL AND new_row ->> 'deleted_at' IS NULL THEN
      audit_action := 'RESTORE';
    END IF;
  END IF;
  INSERT INTO audit_logs (tenant_id, user_id, action, table_name, record_id, old_values, new_values,
                          changed_fields, reason)
  VALUES ((row_values ->> 'tenant_id')::uuid, current_app_user_id(), audit_action, TG_TABLE_NAME,
          (row_values ->> 'id')::uuid, old_row, new_row, changed,
          nullif(current_setting('app.change_reason', true), ''));
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION audit_trigger_function() FROM PUBLIC;

DO $$
DECLARE
  audited text;
BEGIN
  FOREACH audited IN ARRAY ARRAY['clinics', 'roles', 'users', 'patients', 'appointments', 'diagnostic_tests',
                                 'test_reports', 'invoices', 'payments', 'documents', 'medical_records',
                                 'prescriptions']
  LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW '
                   'EXECUTE FUNCTION audit_trigger_function()', 'audit_' || audited, audited);
  END LOOP;
END $$;

-- ---------------------------------------------------------------------------
-- Reporting views. security_invoker: the reader's RLS applies, so a view can never show
-- another tenant's rows or deleted rows.
-- ---------------------------------------------------------------------------
CREATE VIEW patient_summary WITH (security_invoker = true) AS
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
    AND status NOT IN ('completed', 'cancelled')
) t ON true;

CREATE VIEW doctor_summary WITH (security_invoker = true) AS
SELECT
  u.tenant_id,
  u.id AS doctor_id,
  u.first_name || ' ' || u.last_name AS doctor_name,
  u.specialization,
  u.consultation_fee,
  coalesce(a.total_appointments, 0) AS total_appointments,
  coalesce(a.completed_appointments, 0) AS completed_appointments,
  coalesce(a.cancelled_appointments, 0) AS cancelled_appointments,
  coalesce(a.no_show_appointments, 0) AS no_show_appointments,
  coalesce(a.appointments_today, 0) AS appointments_today,
  coalesce(a.unique_patients, 0) AS unique_patients,
  coalesce(t.tests_ordered, 0) AS tests_ordered,
  coalesce(rx.prescriptions_written, 0) AS prescriptions_written,
  coalesce(b.revenue_invoiced, 0)::numeric(12, 2) AS revenue_invoiced,
  coalesce(b.revenue_collected, 0)::numeric(12, 2) AS revenue_collected
FROM users u
JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id AND r.name = 'doctor'
LEFT JOIN LATERAL (
  SELECT count(*) AS total_appointments,
         count(*) FILTER (WHERE status = 'completed') AS completed_appointments,
         count(*) FILTER (WHERE status = 'cancelled') AS cancelled_appointments,
         count(*) FILTER (WHERE status = 'no_show') AS no_show_appointments,
         count(*) FILTER (WHERE starts_at >= date_trunc('day', now()) AND starts_at < date_trunc('day', now()) + interval '1 day') AS appointments_today,
         count(DISTINCT patient_id) AS unique_patients
  FROM appointments WHERE tenant_id = u.tenant_id AND doctor_id = u.id
) a ON true
LEFT JOIN LATERAL (
  SELECT count(*) AS tests_ordered FROM diagnostic_tests WHERE tenant_id = u.tenant_id AND doctor_id = u.id
) t ON true
LEFT JOIN LATERAL (
  SELECT count(*) AS prescriptions_written FROM prescriptions WHERE tenant_id = u.tenant_id AND doctor_id = u.id
) rx ON true
LEFT JOIN LATERAL (
  SELECT sum(i.total_amount) AS revenue_invoiced, sum(i.amount_paid) AS revenue_collected
  FROM invoices i JOIN appointments ap ON ap.tenant_id = i.tenant_id AND ap.id = i.appointment_id
  WHERE i.tenant_id = u.tenant_id AND ap.doctor_id = u.id AND i.status <> 'cancelled'
) b ON true;

CREATE VIEW revenue_summary WITH (security_invoker = true) AS
SELECT
  i.tenant_id,
  i.clinic_id,
  date_trunc('month', i.invoice_date)::date AS month,
  i.currency,
  count(*) AS invoice_count,
  sum(i.subtotal)::numeric(14, 2) AS gross_amount,
  sum(i.discount_amount)::numeric(14, 2) AS discounts,
  sum(i.tax_amount)::numeric(14, 2) AS taxes,
  sum(i.total_amount)::numeric(14, 2) AS total_invoiced,
  sum(i.amount_paid)::numeric(14, 2) AS total_collected,
  sum(i.balance_due)::numeric(14, 2) AS outstanding,
  count(*) FILTER (WHERE i.status = 'paid') AS paid_invoices,
  count(*) FILTER (WHERE i.status = 'overdue') AS overdue_invoices
FROM invoices i
WHERE i.status NOT IN ('draft', 'cancelled')
GROUP BY i.tenant_id, i.clinic_id, date_trunc('month', i.invoice_date), i.currency;

GRANT SELECT ON patient_summary, doctor_summary, revenue_summary TO clinic_app;

-- ---------------------------------------------------------------------------
-- Stored procedures of the seed.
-- ---------------------------------------------------------------------------

-- Everything a chart header and overview needs in one round trip. SECURITY INVOKER: the
-- caller's RLS decides what it sees (unknown or other-tenant patient → NULL).
CREATE OR REPLACE FUNCTION get_patient_dashboard(p_patient_id uuid) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
  SELECT jsonb_build_object(
    'patient', to_jsonb(p) - 'search_name' - 'phone_digits',
    'summary', (SELECT to_jsonb(s) FROM patient_summary s WHERE s.patient_id = p.id),
    'upcoming_appointments', coalesce((
      SELECT jsonb_agg(to_jsonb(a) ORDER BY a.starts_at) FROM (
        SELECT id, appointment_number, starts_at, ends_at, status, appointment_type, doctor_id, reason
        FROM appointments WHERE patient_id = p.id AND starts_at >= now()
          AND status IN ('scheduled', 'confirmed', 'checked_in') ORDER BY starts_at LIMIT 10) a), '[]'),
    'recent_appointments', coalesce((
      SELECT jsonb_agg(to_jsonb(a) ORDER BY a.starts_at DESC) FROM (
        SELECT id, appointment_number, starts_at, status, appointment_type, doctor_id, diagnosis
        FROM appointments WHERE patient_id = p.id AND starts_at < now()
        ORDER BY starts_at DESC LIMIT 10) a), '[]'),
    'active_prescriptions', coalesce((
      SELECT jsonb_agg(to_jsonb(rx) ORDER BY rx.prescribed_at DESC) FROM (
        SELECT id, medication_name, strength, dosage, frequency, route, prescribed_at, end_date
        FROM prescriptions WHERE patient_id = p.id AND status = 'active') rx), '[]'),
    'recent_tests', coalesce((
      SELECT jsonb_agg(to_jsonb(t) ORDER BY t.ordered_at DESC) FROM (
        SELECT dt.id, dt.test_number, dt.test_name, dt.status, dt.ordered_at,
               tr.report_number, tr.is_abnormal, tr.is_critical, tr.report_status
        FROM diagnostic_tests dt
        LEFT JOIN test_reports tr ON tr.tenant_id = dt.tenant_id AND tr.diagnostic_test_id = dt.id
        WHERE dt.patient_id = p.id ORDER BY dt.ordered_at DESC LIMIT 10) t), '[]'),
    'open_invoices', coalesce((
      SELECT jsonb_agg(to_jsonb(i) ORDER BY i.invoice_date) FROM (
        SELECT id, invoice_number, invoice_date, due_date, total_amount, amount_paid, balance_due, status
        FROM invoices WHERE patient_id = p.id AND status IN ('issued', 'partially_paid', 'overdue')) i), '[]')
  )
  FROM patients p
  WHERE p.id = p_patient_id AND p.tenant_id = current_tenant_id()
$$;
GRANT EXECUTE ON FUNCTION get_patient_dashboard(uuid) TO clinic_app;

-- SECURITY INVOKER: the notification is written under the caller's RLS, for its tenant.
CREATE OR REPLACE FUNCTION create_notification(
  p_user_id uuid,
  p_title text,
  p_message text,
  p_type text DEFAULT 'info',
  p_priority text DEFAULT 'normal',
  p_action_url text DEFAULT NULL,
  p_related_entity_type text DEFAULT NULL,
  p_related_entity_id uuid DEFAULT NULL,
  p_scheduled_for timestamptz DEFAULT NULL,
  p_metadata jsonb DEFAULT '{}'
) RETURNS uuid
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
  notification_id uuid;
BEGIN
  IF current_tenant_id() IS NULL THEN
    RAISE EXCEPTION 'No tenant context' USING ERRCODE = 'insufficient_privilege';
  END IF;
  INSERT INTO notifications (tenant_id, user_id, title, message, type, priority, action_url,
                             related_entity_type, related_entity_id, scheduled_for, metadata)
  VALUES (current_tenant_id(), p_user_id, p_title, p_message, p_type, p_priority, p_action_url,
          p_related_entity_type, p_related_entity_id, p_scheduled_for, coalesce(p_metadata, '{}'))
  RETURNING id INTO notification_id;
  RETURN notification_id;
END $$;
GRANT EXECUTE ON FUNCTION create_notification(uuid, text, text, text, text, text, text, uuid, timestamptz, jsonb) TO clinic_app;

-- Housekeeping for the current tenant only (overdue invoices, expired notifications; with no
-- tenant set these touch nothing) plus fresh planner statistics for the whole database.
-- VACUUM cannot run inside a function; the app's idle task runs it.
CREATE OR REPLACE FUNCTION perform_maintenance() RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  tenant uuid := current_tenant_id();
  overdue_count integer := 0;
  expired_count integer := 0;
  analyzed text[] := ARRAY[]::text[];
  relation record;
BEGIN
  UPDATE invoices SET status = 'overdue'
  WHERE tenant_id = tenant AND status IN ('issued', 'partially_paid') AND due_date < current_date
    AND deleted_at IS NULL;
  GET DIAGNOSTICS overdue_count = ROW_COUNT;
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
REVOKE ALL ON FUNCTION perform_maintenance() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION perform_maintenance() TO clinic_app;

-- pg_stat_statements answers only where the server preloads it. Probing the view works for
-- any role, unlike reading shared_preload_libraries (superuser-only).
CREATE OR REPLACE FUNCTION query_statistics_available() RETURNS boolean
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
  IF to_regclass('public.pg_stat_statements') IS NULL THEN
    RETURN false;
  END IF;
  PERFORM 1 FROM public.pg_stat_statements LIMIT 1;
  RETURN true;
EXCEPTION WHEN OTHERS THEN
  RETURN false; -- installed but not loaded
END $$;
REVOKE ALL ON FUNCTION query_statistics_available() FROM PUBLIC;

-- Health of the database as a list of named checks: ok / warning / critical.
CREATE OR REPLACE FUNCTION database_health_check()
RETURNS TABLE (check_name text, status text, value text, details text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  unprotected text;
  dead_ratio numeric;
  cache_ratio numeric;
BEGIN
  check_name := 'server_version'; status := 'ok';
  value := current_setting('server_version'); details := 'PostgreSQL server version';
  RETURN NEXT;

  check_name := 'database_size'; status := 'ok';
  value := pg_size_pretty(pg_database_size(current_database())); details := 'Size of this database on disk';
  RETURN NEXT;

  SELECT string_agg(c.relname, ', ' ORDER BY c.relname) INTO unprotected
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind = 'r'
    AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
    AND NOT (c.relrowsecurity AND c.relforcerowsecurity);
  check_name := 'tenant_isolation';
  status := CASE WHEN unprotected IS NULL THEN 'ok' ELSE 'critical' END;
  value := coalesce(unprotected, 'all tenant tables');
  details := CASE WHEN unprotected IS NULL THEN 'Row-level security is enabled and forced on every tenant table'
                  ELSE 'Tables without forced row-level security' END;
  RETURN NEXT;

  SELECT round(100.0 * sum(n_dead_tup) / nullif(sum(n_live_tup) + sum(n_dead_tup), 0), 1) INTO dead_ratio
  FROM pg_stat_user_tables;
  check_name := 'dead_rows'; value := coalesce(dead_ratio, 0) || '%';
  status := CASE WHEN coalesce(dead_ratio, 0) > 20 THEN 'warning' ELSE 'ok' END;
  details := 'Share of dead row versions awaiting VACUUM';
  RETURN NEXT;

  SELECT round(100.0 * sum(blks_hit) / nullif(sum(blks_hit) + sum(blks_read), 0), 1) INTO cache_ratio
  FROM pg_stat_database WHERE datname = current_database();
  check_name := 'cache_hit_ratio'; value := coalesce(cache_ratio, 100) || '%';
  status := CASE WHEN coalesce(cache_ratio, 100) < 90 THEN 'warning' ELSE 'ok' END;
  details := 'Share of block reads served from shared buffers';
  RETURN NEXT;

  check_name := 'connections'; status := 'ok';
  value := (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database())::text
           || ' / ' || current_setting('max_connections');
  details := 'Open connections to this database / server limit';
  RETURN NEXT;

  check_name := 'query_statistics';
  IF query_statistics_available() THEN
    status := 'ok'; value := 'available'; details := 'SELECT * FROM monitoring_query_stats lists the slowest queries';
  ELSE
    status := 'ok'; value := 'unavailable';
    details := 'pg_stat_statements is not loaded on this server (never on the embedded database); monitoring_query_stats says so';
  END IF;
  RETURN NEXT;
END $$;
REVOKE ALL ON FUNCTION database_health_check() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION database_health_check() TO clinic_app;

-- Slow-query monitoring where pg_stat_statements is loaded; elsewhere the view explains why
-- it is empty instead of failing. Never granted to clinic_app: it spans all tenants.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_stat_statements') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
    EXCEPTION WHEN OTHERS THEN
      NULL; -- not allowed or not installable here: fall through to the explanatory view
    END;
  END IF;
  IF query_statistics_available() THEN
    EXECUTE $view$
      CREATE VIEW monitoring_query_stats AS
      SELECT left(query, 500) AS query, calls, round(total_exec_time::numeric, 2) AS total_ms,
             round(mean_exec_time::numeric, 2) AS mean_ms, round(max_exec_time::numeric, 2) AS max_ms,
             rows, NULL::text AS note
      FROM pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
      ORDER BY mean_exec_time DESC
      LIMIT 50
    $view$;
  ELSE
    EXECUTE $view$
      CREATE VIEW monitoring_query_stats AS
      SELECT NULL::text AS query, NULL::bigint AS calls, NULL::numeric AS total_ms, NULL::numeric AS mean_ms,
             NULL::numeric AS max_ms, NULL::bigint AS rows,
             'pg_stat_statements is not available on this server: add it to shared_preload_libraries and run '
             || 'CREATE EXTENSION pg_stat_statements (the embedded offline database cannot load it)' AS note
    $view$;
  END IF;
END $$;
