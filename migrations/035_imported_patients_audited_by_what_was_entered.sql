-- ClinicDesk 035: an imported patient's audit row holds what the file gave, not a copy of the row.
--
-- Measured on PGlite, 20,000 imported patients: the statement-level audit (026) took 2.3 s of
-- the write's 5.5 s. Building each row's jsonb took 0.4 s; the rest was writing 1.7 kB per
-- patient (every column, its name keys, phone keys, tenant and clinic ids, empty histories) into
-- audit_logs. An audit row of a few hundred bytes took 0.5 s.
--
-- * import_patients writes each imported patient's audit row itself, in the statement that
--   inserts them: the values entered (number, names, birth date, sex, phones and their search
--   keys, email, address, national id, insurance, notes; blanks left out), and where they came from ({"import": the
--   import's id, "file_row": its row in the file}). That is what the audit viewer shows of a new
--   registration; the computed keys and bookkeeping columns it hides are no longer stored for
--   these rows. By whom and when are the row's own user_id and created_at, as for any change.
-- * It does so under a pass for audit_new_patients, whose statement-level trigger now skips a
--   statement only when its transaction holds that pass (033: owner code only, for the length of
--   its call). Every other insert of a patient is audited by the trigger as before.
-- * The partial index on the primary care physician: most patients have none, and an index entry
--   per patient was kept for a lookup (is anyone's doctor this user?) that never asks for null.
-- * Name words follow a deleted patient by a statement trigger instead of a foreign key: the key
--   was checked for each of a new patient's 2–3 words, 2.6 s of a 100,000-row import, for
--   entries that only the owner's triggers write, from the patient row itself. (Patients are
--   archived, not deleted; the operator's clean-up is what deletes them, or empties the table.)
-- * The duplicate check (032) folds a row's names only when the clinic has a patient born that
--   day, and compares with the stored name_key instead of folding each candidate's full name
--   again: folding every row of the file was 2 s of checking 100,000 rows against a new clinic.

DROP TRIGGER audit_new_patients ON patients;
CREATE TRIGGER audit_new_patients AFTER INSERT ON patients
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  WHEN (NOT guard_passed('patients'::regclass, 'audit_new_patients'))
  EXECUTE FUNCTION audit_trigger_function();

DROP INDEX idx_patients_tenant_pcp;
CREATE INDEX idx_patients_tenant_pcp ON patients (tenant_id, primary_care_physician_id)
  WHERE primary_care_physician_id IS NOT NULL;

DROP FUNCTION import_patients(jsonb);
-- p_import names the file the rows come from (a batch typed by hand is an import of its own);
-- each row may carry its "file_row".
CREATE FUNCTION import_patients(p_rows jsonb, p_import uuid DEFAULT gen_random_uuid(),
                                OUT imported integer, OUT first_number text, OUT last_number text)
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
  first_taken bigint;
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
  first_taken := last_taken - imported + 1;

  -- The numbers and author given here are kept, and the audit rows are written here.
  PERFORM take_guard_passes('patients.assign_patient_number', 'patients.stamp_author', 'patients.audit_new_patients');
  WITH added AS (
    INSERT INTO patients (tenant_id, clinic_id, patient_number, created_by, first_name, middle_name, last_name, date_of_birth,
                          gender, phone, alternate_phone, email, address_line1, address_line2, city, postal_code, country,
                          national_id, insurance_info, notes, phone_e164, alternate_phone_e164)
    SELECT tenant, clinic, 'P-' || lpad((first_taken - 1 + r.n)::text, 6, '0'), author, r.first_name, r.middle_name,
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
    ORDER BY r.n
    RETURNING id, patient_number, first_name, middle_name, last_name, date_of_birth, gender, phone, alternate_phone, email,
              address_line1, address_line2, city, postal_code, country, national_id, insurance_info, notes, phone_e164,
              alternate_phone_e164
  )
  INSERT INTO audit_logs (tenant_id, user_id, action, table_name, record_id, new_values)
  SELECT tenant, author, 'INSERT', 'patients', a.id,
         jsonb_strip_nulls(jsonb_build_object(
           'patient_number', a.patient_number, 'first_name', a.first_name, 'middle_name', a.middle_name,
           'last_name', a.last_name, 'date_of_birth', a.date_of_birth, 'gender', a.gender, 'phone', a.phone,
           'alternate_phone', a.alternate_phone, 'email', a.email, 'address_line1', a.address_line1,
           'address_line2', a.address_line2, 'city', a.city, 'postal_code', a.postal_code, 'country', a.country,
           'national_id', a.national_id, 'insurance_info', nullif(a.insurance_info, '{}'), 'notes', a.notes,
           -- The phones' search keys come from the caller (as a registration's do): audited as stored.
           'phone_e164', a.phone_e164, 'alternate_phone_e164', a.alternate_phone_e164,
           'imported', jsonb_build_object(
             'import', p_import,
             -- The patient's place in the batch is its number's place in the batch's numbers.
             'file_row', p_rows -> (substr(a.patient_number, 3)::bigint - first_taken)::integer -> 'file_row')))
  FROM added a;
  PERFORM end_guard_passes('patients.assign_patient_number', 'patients.stamp_author', 'patients.audit_new_patients');
  first_number := 'P-' || lpad(first_taken::text, 6, '0');
  last_number := 'P-' || lpad(last_taken::text, 6, '0');
END $$;
REVOKE ALL ON FUNCTION import_patients(jsonb, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION import_patients(jsonb, uuid) TO clinic_app;

-- ---------------------------------------------------------------------------
-- Name words of deleted patients go with them.
-- ---------------------------------------------------------------------------
ALTER TABLE patient_name_words DROP CONSTRAINT patient_name_words_tenant_id_patient_id_fkey;

CREATE FUNCTION forget_deleted_patient_names() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    TRUNCATE patient_name_words;
  ELSE
    -- Under the deleting session's clinic, as the delete's own audit rows are: a patient is
    -- deleted only by a session set to its clinic (the audit trigger refuses any other).
    DELETE FROM patient_name_words w USING gone_patients g WHERE w.tenant_id = g.tenant_id AND w.patient_id = g.id;
  END IF;
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION forget_deleted_patient_names() FROM PUBLIC;
CREATE TRIGGER forget_deleted_patient_names AFTER DELETE ON patients
  REFERENCING OLD TABLE AS gone_patients FOR EACH STATEMENT EXECUTE FUNCTION forget_deleted_patient_names();
CREATE TRIGGER forget_truncated_patient_names AFTER TRUNCATE ON patients
  FOR EACH STATEMENT EXECUTE FUNCTION forget_deleted_patient_names();

-- ---------------------------------------------------------------------------
-- The duplicate check of an import (032), folding only where a birth date matches.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION find_import_duplicates(p_rows jsonb)
 RETURNS TABLE(row_number integer, patient_id uuid, patient_number text, first_name text, last_name text, date_of_birth date, reason text)
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $$
DECLARE
  tenant uuid := current_tenant_id();
BEGIN
  PERFORM require_permission('patients.write');
  IF tenant IS NULL THEN
    RETURN;
  END IF;
  RETURN QUERY
  WITH typed AS (
    SELECT r."row", r.first_name, r.last_name, r.date_of_birth, r.phones
    FROM jsonb_to_recordset(p_rows) AS r("row" integer, first_name text, last_name text, date_of_birth date, phones text[])
  ),
  typed_phones AS (
    SELECT t."row", typed_phone FROM typed t, unnest(t.phones) AS typed_phone
  ),
  born_that_day AS (
    SELECT t."row", f.first, f.last, t.date_of_birth
    FROM typed t, LATERAL (SELECT fold_name(btrim(t.first_name)) AS first, fold_name(btrim(t.last_name)) AS last) AS f
    WHERE EXISTS (SELECT 1 FROM patients p WHERE p.tenant_id = tenant AND p.date_of_birth = t.date_of_birth AND p.deleted_at IS NULL)
  ),
  matches AS (
    SELECT t."row", p.id, 'same_phone'::text AS reason
    FROM typed_phones t JOIN patients p ON p.tenant_id = tenant AND p.deleted_at IS NULL AND p.phone_e164 = t.typed_phone
    UNION
    SELECT t."row", p.id, 'same_phone'::text
    FROM typed_phones t JOIN patients p ON p.tenant_id = tenant AND p.deleted_at IS NULL AND p.alternate_phone_e164 = t.typed_phone
    UNION
    SELECT t."row", p.id, 'similar_name_same_birth_date'
    FROM born_that_day t
    JOIN patients p ON p.tenant_id = tenant AND p.deleted_at IS NULL AND p.date_of_birth = t.date_of_birth
    WHERE similarity(p.name_key, t.first || ' ' || t.last) >= 0.5
       OR (fold_name(p.last_name) = t.last
           AND (starts_with(fold_name(p.first_name), t.first) OR starts_with(t.first, fold_name(p.first_name))))
  )
  SELECT m."row", p.id, p.patient_number, p.first_name, p.last_name, p.date_of_birth, m.reason
  FROM matches m JOIN patients p ON p.tenant_id = tenant AND p.id = m.id
  ORDER BY m."row", m.reason DESC, p.patient_number;
END $$;
