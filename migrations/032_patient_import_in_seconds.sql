-- ClinicDesk 032: a 100,000-row patient import with less work per row, every guarantee kept.
--
-- Measured on PGlite (EXPLAIN ANALYZE of a 2,000-row batch after 20,000 imported):
-- * The statement-level audit (026) read each new row's jsonb from a subquery the planner pulled
--   up, so to_jsonb(row) - 'password_hash' was built once per reference: five times per patient.
--   It is now built once (OFFSET 0 keeps the subquery apart), with the same content.
-- * A patient's name word is checked against its patient (tenant_id, patient_id), whose clinic is a
--   tenant already: its own reference to tenants was a second foreign-key check per word, thousands
--   per batch, proving nothing more.
-- * Patient numbers are searched by equality and ranges (>=, <: 031), which the key
--   (tenant_id, patient_number) serves; the text_pattern_ops index of 004 served only LIKE, which no
--   query uses any more, and cost every new patient one more index entry.

CREATE OR REPLACE FUNCTION audit_trigger_function() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  old_row jsonb;
  new_row jsonb;
  row_values jsonb;
  audit_action text := TG_OP;
  changed text[];
  author uuid;
  who uuid;
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    who := current_app_user_id();
    INSERT INTO audit_logs (tenant_id, user_id, action, table_name, record_id, old_values, new_values,
                            changed_fields, reason, confidential_author_id)
    SELECT (r ->> 'tenant_id')::uuid, who, 'INSERT', TG_TABLE_NAME, (r ->> 'id')::uuid, NULL, r, NULL, NULL,
           CASE WHEN coalesce((r ->> 'is_confidential')::boolean, false) THEN coalesce(r ->> 'doctor_id', r ->> 'user_id')::uuid END
    -- OFFSET 0: each row's jsonb is built once, not once per column that reads it.
    FROM (SELECT to_jsonb(n) - 'password_hash' AS r FROM new_rows n OFFSET 0) AS added;
    RETURN NULL;
  END IF;
  old_row := CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) - 'password_hash' END;
  new_row := CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) - 'password_hash' END;
  row_values := coalesce(new_row, old_row);
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
  IF coalesce((old_row ->> 'is_confidential')::boolean, false) OR coalesce((new_row ->> 'is_confidential')::boolean, false) THEN
    author := coalesce(row_values ->> 'doctor_id', row_values ->> 'user_id')::uuid;
    -- Made confidential later: its earlier rows are fenced from now on too.
    UPDATE audit_logs a SET confidential_author_id = author
    WHERE a.tenant_id = (row_values ->> 'tenant_id')::uuid AND a.table_name = TG_TABLE_NAME
      AND a.record_id = (row_values ->> 'id')::uuid AND a.confidential_author_id IS NULL;
  END IF;
  INSERT INTO audit_logs (tenant_id, user_id, action, table_name, record_id, old_values, new_values,
                          changed_fields, reason, confidential_author_id)
  VALUES ((row_values ->> 'tenant_id')::uuid, current_app_user_id(), audit_action, TG_TABLE_NAME,
          (row_values ->> 'id')::uuid, old_row, new_row, changed,
          -- Only archiving and restoring (set_record_deleted, which sets it) carry a reason.
          CASE WHEN audit_action IN ('SOFT_DELETE', 'RESTORE') THEN nullif(current_setting('app.change_reason', true), '') END,
          author);
  RETURN NULL;
END $$;

ALTER TABLE patient_name_words DROP CONSTRAINT patient_name_words_tenant_id_fkey;
DROP INDEX idx_patients_tenant_number_pattern;

-- ---------------------------------------------------------------------------
-- Possible duplicates of a batch of rows (021's rule, unchanged). A phone matched either of a
-- patient's two numbers through one OR, which the planner can only test pair by pair: 50 patients
-- against a chunk of 5,000 rows was 500,000 comparisons (0.4–0.9 s). Each number is its own equality
-- join now (hashed, or the phone indexes on a large clinic).
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION find_import_duplicates(p_rows jsonb)
RETURNS TABLE (row_number integer, patient_id uuid, patient_number text, first_name text, last_name text,
               date_of_birth date, reason text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  tenant uuid := current_tenant_id();
BEGIN
  PERFORM require_permission('patients.write');
  IF tenant IS NULL THEN
    RETURN;
  END IF;
  RETURN QUERY
  WITH typed AS (
    SELECT r."row", fold_name(btrim(r.first_name)) AS first, fold_name(btrim(r.last_name)) AS last, r.date_of_birth, r.phones
    FROM jsonb_to_recordset(p_rows) AS r("row" integer, first_name text, last_name text, date_of_birth date, phones text[])
  ),
  typed_phones AS (
    SELECT t."row", typed_phone FROM typed t, unnest(t.phones) AS typed_phone
  ),
  matches AS (
    SELECT t."row", p.id, 'same_phone'::text AS reason
    FROM typed_phones t JOIN patients p ON p.tenant_id = tenant AND p.deleted_at IS NULL AND p.phone_e164 = t.typed_phone
    UNION
    SELECT t."row", p.id, 'same_phone'::text
    FROM typed_phones t JOIN patients p ON p.tenant_id = tenant AND p.deleted_at IS NULL AND p.alternate_phone_e164 = t.typed_phone
    UNION
    SELECT t."row", p.id, 'similar_name_same_birth_date'
    FROM typed t
    JOIN patients p ON p.tenant_id = tenant AND p.deleted_at IS NULL AND p.date_of_birth = t.date_of_birth
    WHERE similarity(fold_name(p.first_name || ' ' || p.last_name), t.first || ' ' || t.last) >= 0.5
       OR (fold_name(p.last_name) = t.last
           AND (starts_with(fold_name(p.first_name), t.first) OR starts_with(t.first, fold_name(p.first_name))))
  )
  SELECT m."row", p.id, p.patient_number, p.first_name, p.last_name, p.date_of_birth, m.reason
  FROM matches m JOIN patients p ON p.tenant_id = tenant AND p.id = m.id
  ORDER BY m."row", m.reason DESC, p.patient_number;
END $$;
