-- ClinicDesk 004: soft delete and restore under RLS, reception search.

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
-- What was typed decides the kind: patient number, ISO date of birth, phone digits, or a
-- name (prefix, word start, words in order, then similar spelling). Ranked best first.
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
  typed text := btrim(coalesce(p_query, ''));
  folded text;
  digits text := digits_only(p_query);
  word_pattern text;
  reversed_pattern text;
  birth_date date;
  found_count integer;
  tier_count integer;
  plain text;
  first_chunk text;
  last_chunk text;
  result_limit integer := least(greatest(coalesce(p_limit, 20), 1), 100);
BEGIN
  IF tenant IS NULL OR length(typed) = 0 THEN
    RETURN;
  END IF;

  -- Patient number: "P-000123", "p123", "P-0001".
  IF typed ~* '^p-?[0-9]+$' THEN
    RETURN QUERY
    SELECT p.id, p.patient_number, p.first_name, p.middle_name, p.last_name, p.date_of_birth, p.gender,
           p.phone, p.email, p.allergies, p.alerts, 'patient_number'::text,
           CASE WHEN p.patient_number = 'P-' || lpad(digits, 6, '0') THEN 1.0 ELSE 0.9 END::real
    FROM patients p
    WHERE p.tenant_id = tenant AND p.deleted_at IS NULL
      AND (p.patient_number = 'P-' || lpad(digits, 6, '0')
           OR p.patient_number LIKE 'P-' || substr(digits, 1, 6) || '%')
    ORDER BY 13 DESC, p.patient_number
    LIMIT result_limit;
    RETURN;
  END IF;

  -- Date of birth, ISO form (the app turns the clinic's date format into ISO).
  IF typed ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
    BEGIN
      birth_date := typed::date;
    EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
      RETURN; -- "2026-02-31" is no date
    END;
    RETURN QUERY
    SELECT p.id, p.patient_number, p.first_name, p.middle_name, p.last_name, p.date_of_birth, p.gender,
           p.phone, p.email, p.allergies, p.alerts, 'date_of_birth'::text, 1.0::real
    FROM patients p
    WHERE p.tenant_id = tenant AND p.deleted_at IS NULL AND p.date_of_birth = birth_date
    ORDER BY p.search_name
    LIMIT result_limit;
    RETURN;
  END IF;

  -- Phone, any formatting: numbers that start with the digits first, then contain them.
  IF typed ~ '^[0-9 ()+./-]+$' THEN
    IF length(digits) < 3 THEN
      RETURN;
    END IF;
    RETURN QUERY
    SELECT p.id, p.patient_number, p.first_name, p.middle_name, p.last_name, p.date_of_birth, p.gender,
           p.phone, p.email, p.allergies, p.alerts, 'phone'::text,
           CASE WHEN p.phone_digits LIKE digits || '%' THEN 0.9 ELSE 0.7 END::real
    FROM patients p
    WHERE p.tenant_id = tenant AND p.deleted_at IS NULL
      AND (p.phone_digits LIKE digits || '%' OR (length(digits) >= 4 AND p.phone_digits LIKE '%' || digits || '%'))
    ORDER BY 13 DESC, p.search_name
    LIMIT result_limit;
    RETURN;
  END IF;

  -- Name, cheapest first, each tier only while the list is short: the name starts with the
  -- text, first-name-first or surname-first (index range scans read in index order, ~<~
  -- being the text_pattern_ops order, so LIMIT stops early even for "j"); then the
  -- typed words appear inside the name, in either order; then similar spellings
  -- ("jonh smiht"). Accents and case never matter.
  folded := fold_text(regexp_replace(typed, '\s+', ' ', 'g'));
  -- Typed % and _ are letters, not LIKE wildcards.
  folded := replace(replace(replace(folded, '\', '\\'), '%', '\%'), '_', '\_');
  word_pattern := '%' || replace(folded, ' ', '%') || '%';
  -- "garcia maria" is Maria Garcia: two words may come in either order.
  reversed_pattern := CASE WHEN array_length(string_to_array(folded, ' '), 1) = 2
    THEN '%' || split_part(folded, ' ', 2) || '%' || split_part(folded, ' ', 1) || '%' ELSE word_pattern END;

  RETURN QUERY
  SELECT p.id, p.patient_number, p.first_name, p.middle_name, p.last_name, p.date_of_birth, p.gender,
         p.phone, p.email, p.allergies, p.alerts, 'name'::text, 0.9::real
  FROM patients p
  WHERE p.tenant_id = tenant AND p.deleted_at IS NULL AND p.search_name LIKE folded || '%'
  ORDER BY p.search_name USING ~<~, p.date_of_birth
  LIMIT result_limit;
  GET DIAGNOSTICS found_count = ROW_COUNT;
  IF found_count >= result_limit THEN
    RETURN;
  END IF;

  RETURN QUERY
  SELECT p.id, p.patient_number, p.first_name, p.middle_name, p.last_name, p.date_of_birth, p.gender,
         p.phone, p.email, p.allergies, p.alerts, 'name'::text, 0.85::real
  FROM patients p
  WHERE p.tenant_id = tenant AND p.deleted_at IS NULL AND p.search_name_last_first LIKE folded || '%'
    AND p.search_name NOT LIKE folded || '%'
  ORDER BY p.search_name_last_first USING ~<~, p.date_of_birth
  LIMIT result_limit - found_count;
  GET DIAGNOSTICS tier_count = ROW_COUNT;
  found_count := found_count + tier_count;
  IF found_count >= result_limit THEN
    RETURN;
  END IF;

  RETURN QUERY
  SELECT p.id, p.patient_number, p.first_name, p.middle_name, p.last_name, p.date_of_birth, p.gender,
         p.phone, p.email, p.allergies, p.alerts, 'name'::text, 0.6::real
  FROM patients p
  WHERE p.tenant_id = tenant AND p.deleted_at IS NULL
    AND (p.search_name LIKE word_pattern OR p.search_name LIKE reversed_pattern)
    AND p.search_name NOT LIKE folded || '%' AND p.search_name_last_first NOT LIKE folded || '%'
  ORDER BY p.search_name COLLATE "C", p.date_of_birth
  LIMIT result_limit - found_count;
  GET DIAGNOSTICS tier_count = ROW_COUNT;
  found_count := found_count + tier_count;

  IF found_count < result_limit AND length(folded) >= 3 THEN
    -- Misspellings: candidates share three letters with the start of the first or the last
    -- typed word (a LIKE the trigram index serves), ranked by trigram similarity. Not the
    -- pg_trgm % operators: PGlite was seen to hang on them.
    plain := btrim(regexp_replace(fold_text(typed), '[^[:alnum:] ]+', '', 'g'));
    first_chunk := '%' || nullif(left(split_part(plain, ' ', 1), 3), '') || '%';
    last_chunk := '%' || nullif(left(regexp_replace(plain, '^.* ', ''), 3), '') || '%';
    RETURN QUERY
    SELECT p.id, p.patient_number, p.first_name, p.middle_name, p.last_name, p.date_of_birth, p.gender,
           p.phone, p.email, p.allergies, p.alerts, 'similar_name'::text,
           (0.5 * greatest(word_similarity(plain, p.search_name), similarity(plain, p.search_name)))::real
    FROM patients p
    WHERE p.tenant_id = tenant AND p.deleted_at IS NULL
      AND length(first_chunk) = 5 AND (p.search_name LIKE first_chunk OR p.search_name LIKE last_chunk)
      AND greatest(word_similarity(plain, p.search_name), similarity(plain, p.search_name)) >= 0.3
      AND NOT (p.search_name LIKE word_pattern OR p.search_name LIKE reversed_pattern)
      AND p.search_name_last_first NOT LIKE folded || '%'
    ORDER BY 13 DESC, p.search_name COLLATE "C"
    LIMIT result_limit - found_count;
  END IF;
END $$;
REVOKE ALL ON FUNCTION search_patients(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION search_patients(text, integer) TO clinic_app;
