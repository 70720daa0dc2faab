-- ClinicDesk 040: an imported patient's audit row built in half the time.
--
-- Measured on PGlite, 100,000 patients in batches of 10,000 (038): building each audit row's
-- values with jsonb_build_object (23 key/value pairs, each argument's type looked up again for
-- every row) took about 0.2 s of a batch's 0.9 s. to_jsonb of a row whose columns are named
-- as the keys gives the same object (tested) in 8 µs instead of 16 µs per patient: about 0.8 s
-- of the import. Nothing else changes.

CREATE OR REPLACE FUNCTION import_patients(p_rows jsonb, p_import uuid DEFAULT gen_random_uuid(),
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
  offline constant boolean := version() LIKE '%PGlite%';
  replication_role text := current_setting('session_replication_role');
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
  IF offline THEN
    -- Every row's keys point at this clinic and this author: checked once here rather than per row.
    IF NOT EXISTS (SELECT 1 FROM clinics c WHERE c.tenant_id = tenant AND c.id = clinic)
       OR NOT EXISTS (SELECT 1 FROM users u WHERE u.tenant_id = tenant AND u.id = author) THEN
      RAISE EXCEPTION 'Patients are imported into an existing clinic by an existing staff member'
        USING ERRCODE = 'foreign_key_violation';
    END IF;
    PERFORM set_config('session_replication_role', 'replica', true);
  ELSE
    PERFORM take_guard_passes('patients.assign_patient_number', 'patients.stamp_author', 'patients.audit_new_patients');
  END IF;
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
         -- A row's values by their column names (to_jsonb of a subquery's row builds the object in
         -- half the time jsonb_build_object takes with 23 pairs); blanks left out.
         (SELECT jsonb_strip_nulls(to_jsonb(entered))
          FROM (SELECT a.patient_number, a.first_name, a.middle_name, a.last_name, a.date_of_birth, a.gender, a.phone,
                       a.alternate_phone, a.email, a.address_line1, a.address_line2, a.city, a.postal_code, a.country,
                       a.national_id, nullif(a.insurance_info, '{}') AS insurance_info, a.notes,
                       -- The phones' search keys come from the caller (as a registration's do): audited as stored.
                       a.phone_e164, a.alternate_phone_e164,
                       (SELECT source FROM (SELECT p_import AS import,
                                                   -- The patient's place in the batch is its number's place in the batch's numbers.
                                                   p_rows -> (substr(a.patient_number, 3)::bigint - first_taken)::integer -> 'file_row'
                                                     AS file_row) AS source) AS imported) AS entered)
  FROM added a;
  IF offline THEN
    PERFORM set_config('session_replication_role', replication_role, true);
  ELSE
    PERFORM end_guard_passes('patients.assign_patient_number', 'patients.stamp_author', 'patients.audit_new_patients');
  END IF;
  first_number := 'P-' || lpad(first_taken::text, 6, '0');
  last_number := 'P-' || lpad(last_taken::text, 6, '0');
END $$;
