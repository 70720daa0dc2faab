-- ClinicDesk 004: soft delete and restore under RLS, reception search, default roles.

-- The SELECT policy hides deleted rows, so clinic_app cannot UPDATE deleted_at itself (the
-- new row must stay visible). These run as the owner, only on the current tenant's rows of
-- the listed tables, and leave the reason in the audit entry the update writes.
CREATE OR REPLACE FUNCTION set_record_deleted(target regclass, record_id uuid, deleted boolean, reason text)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  affected integer;
BEGIN
  IF current_tenant_id() IS NULL THEN
    RAISE EXCEPTION 'No tenant context' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF target NOT IN ('patients'::regclass, 'appointments'::regclass, 'diagnostic_tests'::regclass,
                    'test_reports'::regclass, 'invoices'::regclass, 'payments'::regclass,
                    'documents'::regclass, 'medical_records'::regclass, 'prescriptions'::regclass,
                    'notifications'::regclass, 'users'::regclass, 'roles'::regclass, 'clinics'::regclass) THEN
    RAISE EXCEPTION 'Records in % cannot be archived', target USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM set_config('app.change_reason', coalesce(reason, ''), true);
  EXECUTE format('UPDATE %s SET deleted_at = CASE WHEN $3 THEN now() END '
                 'WHERE tenant_id = $1 AND id = $2 AND (deleted_at IS NULL) = $3', target)
    USING current_tenant_id(), record_id, deleted;
  GET DIAGNOSTICS affected = ROW_COUNT;
  PERFORM set_config('app.change_reason', '', true);
  RETURN affected = 1;
END $$;
REVOKE ALL ON FUNCTION set_record_deleted(regclass, uuid, boolean, text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION soft_delete(target regclass, record_id uuid, reason text DEFAULT NULL)
RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public
RETURN set_record_deleted(target, record_id, true, reason);

CREATE OR REPLACE FUNCTION restore_deleted(target regclass, record_id uuid, reason text DEFAULT NULL)
RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public
RETURN set_record_deleted(target, record_id, false, reason);

REVOKE ALL ON FUNCTION soft_delete(regclass, uuid, text), restore_deleted(regclass, uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION soft_delete(regclass, uuid, text), restore_deleted(regclass, uuid, text) TO clinic_app;

-- Archived patients, for the admin's restore screen (clinic_app cannot see deleted rows).
CREATE OR REPLACE FUNCTION archived_patients(p_limit integer DEFAULT 50)
RETURNS TABLE (id uuid, patient_number text, first_name text, last_name text, date_of_birth date,
               deleted_at timestamptz, reason text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT p.id, p.patient_number, p.first_name, p.last_name, p.date_of_birth, p.deleted_at,
         (SELECT a.reason FROM audit_logs a
          WHERE a.tenant_id = p.tenant_id AND a.record_id = p.id AND a.action = 'SOFT_DELETE'
          ORDER BY a.created_at DESC LIMIT 1)
  FROM patients p
  WHERE p.tenant_id = current_tenant_id() AND p.deleted_at IS NOT NULL
  ORDER BY p.deleted_at DESC
  LIMIT least(greatest(p_limit, 1), 200)
$$;
REVOKE ALL ON FUNCTION archived_patients(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION archived_patients(integer) TO clinic_app;

-- ---------------------------------------------------------------------------
-- Reception search. Under forced RLS the planner may not use LIKE or trigram operators as
-- index conditions (they are not leakproof), so a naive search scans the whole tenant.
-- This function runs as the owner, filters the tenant itself, and so keeps index use.
-- Matches: patient number (prefix), phone digits (prefix, then contained), date of birth
-- (ISO date), name (prefix, every word contained, or similar spelling). Ranked best first.
-- ---------------------------------------------------------------------------
CREATE INDEX IF NOT EXISTS idx_patients_phone_digits_trgm ON patients USING gin (phone_digits gin_trgm_ops);
CREATE INDEX IF NOT EXISTS idx_patients_tenant_number_pattern ON patients (tenant_id, patient_number text_pattern_ops);

CREATE OR REPLACE FUNCTION search_patients(p_query text, p_limit integer DEFAULT 20)
RETURNS TABLE (id uuid, patient_number text, first_name text, middle_name text, last_name text,
               date_of_birth date, gender text, phone text, email text, allergies jsonb, alerts text,
               match_kind text, score real)
LANGUAGE plpgsql STABLE SECURITY DEFINER
-- Custom plans see the typed text as constants, which LIKE-prefix index scans need.
SET search_path = pg_catalog, public SET plan_cache_mode = force_custom_plan AS $$
DECLARE
  tenant uuid := current_tenant_id();
  birth_date date;
  typed text := btrim(coalesce(p_query, ''));
  folded text := fold_text(btrim(regexp_replace(coalesce(p_query, ''), '\s+', ' ', 'g')));
  digits text := digits_only(p_query);
  words text[];
  pattern text;
  result_limit integer := least(greatest(coalesce(p_limit, 20), 1), 100);
BEGIN
  IF tenant IS NULL OR length(typed) = 0 THEN
    RETURN;
  END IF;
  -- Escape LIKE wildcards typed by the user.
  folded := replace(replace(replace(folded, '\', '\\'), '%', '\%'), '_', '\_');
  words := string_to_array(folded, ' ');
  IF typed ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
    BEGIN
      birth_date := typed::date;
    EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
      birth_date := NULL; -- "2026-02-31": not a date, so no birth-date match
    END;
  END IF;
  pattern := '%' || array_to_string(words, '%') || '%';

  RETURN QUERY
  WITH candidates AS (
    -- patient number: "P-000123", "p123", "000123"
    SELECT p.id AS patient_id, 'patient_number'::text AS kind, 1.0::real AS rank
    FROM patients p
    WHERE typed ~* '^p?-?[0-9]+$' AND p.tenant_id = tenant
      AND p.patient_number LIKE 'P-' || lpad(digits, 6, '0') || '%'
    UNION ALL
    SELECT p.id, 'patient_number', 0.95
    FROM patients p
    WHERE typed ~* '^p-[0-9]{1,5}$' AND p.tenant_id = tenant AND p.patient_number LIKE upper(typed) || '%'
    UNION ALL
    -- date of birth, ISO form (the app turns the clinic's date format into ISO)
    SELECT p.id, 'date_of_birth', 0.9
    FROM patients p
    WHERE birth_date IS NOT NULL AND p.tenant_id = tenant AND p.date_of_birth = birth_date
    UNION ALL
    -- phone, any formatting: prefix first, then anywhere in the number
    SELECT p.id, 'phone', 0.85
    FROM patients p
    WHERE typed ~ '^[0-9 ()+./-]+$' AND length(digits) >= 3 AND p.tenant_id = tenant
      AND p.phone_digits LIKE digits || '%'
    UNION ALL
    SELECT p.id, 'phone', 0.7
    FROM patients p
    WHERE typed ~ '^[0-9 ()+./-]+$' AND length(digits) >= 4 AND p.tenant_id = tenant
      AND p.phone_digits LIKE '%' || digits || '%'
    UNION ALL
    -- name: the whole name starts with what was typed
    SELECT p.id, 'name', 0.8 + 0.1 * similarity(p.search_name, folded)
    FROM patients p
    WHERE typed ~ '[[:alpha:]]' AND p.tenant_id = tenant AND p.search_name LIKE folded || '%'
    UNION ALL
    -- name: every typed word appears, in order ("jo do" finds "John Doe")
    SELECT p.id, 'name', 0.5 + 0.3 * similarity(p.search_name, folded)
    FROM patients p
    WHERE typed ~ '[[:alpha:]]' AND p.tenant_id = tenant AND p.search_name LIKE pattern
    UNION ALL
    -- name: misspelt ("jonh smiht"), by trigram word similarity
    SELECT p.id, 'similar_name', 0.5 * word_similarity(folded, p.search_name)
    FROM patients p
    WHERE typed ~ '[[:alpha:]]' AND length(folded) >= 3 AND p.tenant_id = tenant
      AND folded <% p.search_name
  ), best AS (
    SELECT DISTINCT ON (c.patient_id) c.patient_id, c.kind, c.rank
    FROM candidates c
    ORDER BY c.patient_id, c.rank DESC
  )
  SELECT p.id, p.patient_number, p.first_name, p.middle_name, p.last_name, p.date_of_birth, p.gender,
         p.phone, p.email, p.allergies, p.alerts, b.kind, b.rank::real
  FROM best b
  JOIN patients p ON p.tenant_id = tenant AND p.id = b.patient_id
  WHERE p.deleted_at IS NULL
  ORDER BY b.rank DESC, p.search_name, p.date_of_birth
  LIMIT result_limit;
END $$;
REVOKE ALL ON FUNCTION search_patients(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION search_patients(text, integer) TO clinic_app;

-- ---------------------------------------------------------------------------
-- The five roles every clinic starts with. Permission names match shared/permissions.ts
-- (a test checks it). Used by the demo seed and the operator CLI's tenant creation.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION create_default_roles(p_tenant_id uuid) RETURNS void
LANGUAGE sql SET search_path = pg_catalog, public AS $$
  INSERT INTO roles (tenant_id, name, description, permissions, is_system_role)
  VALUES
    (p_tenant_id, 'admin', 'Clinic administrator: everything, including users, settings and audit',
     '["patients.read","patients.write","patients.archive","patients.restore","appointments.read",
       "appointments.write","appointments.checkin","queue.read","clinical.read","clinical.write",
       "records.confidential","prescriptions.write","tests.order","tests.report","tests.verify",
       "documents.read","documents.write","billing.read","billing.write","payments.take","payments.refund",
       "reports.financial","notifications.read","admin.users","admin.settings","admin.audit",
       "admin.maintenance"]', true),
    (p_tenant_id, 'doctor', 'Doctor: consultations, records, prescriptions, tests and reports',
     '["patients.read","patients.write","appointments.read","queue.read","clinical.read","clinical.write",
       "prescriptions.write","tests.order","tests.report","tests.verify","documents.read","documents.write",
       "billing.read","notifications.read"]', true),
    (p_tenant_id, 'nurse', 'Nurse: vitals, check-in, queue, test samples and reports',
     '["patients.read","patients.write","appointments.read","appointments.checkin","queue.read",
       "clinical.read","clinical.write","tests.report","documents.read","documents.write",
       "notifications.read"]', true),
    (p_tenant_id, 'receptionist', 'Front desk: patients, calendar, check-in, payments',
     '["patients.read","patients.write","patients.archive","appointments.read","appointments.write",
       "appointments.checkin","queue.read","documents.read","billing.read","payments.take",
       "notifications.read"]', true),
    (p_tenant_id, 'billing', 'Billing: invoices, payments, refunds and revenue reports',
     '["patients.read","appointments.read","billing.read","billing.write","payments.take",
       "payments.refund","reports.financial","notifications.read"]', true)
  ON CONFLICT (tenant_id, name) DO NOTHING
$$;
REVOKE ALL ON FUNCTION create_default_roles(uuid) FROM PUBLIC;
