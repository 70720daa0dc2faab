-- ClinicDesk 038: on the offline database, an import's batch skips the per-row triggers whose
-- work it has already done.
--
-- Measured on PGlite, 100,000 patients in batches of 10,000 (037): each batch took 1.15–1.2 s,
-- of which about 0.3 s was two BEFORE ROW triggers that do nothing for an import's rows
-- (assign_patient_number and stamp_author: the batch gives the numbers and the author), yet
-- each asked guard_passed (a query, 6 µs) for every row, with the trigger machinery around it.
-- With them skipped a batch takes 0.9 s: 2.5–3 s of the whole import.
--
-- * On PGlite, import_patients runs its one INSERT with session_replication_role = replica,
--   set inside the function and put back before it returns (an error rolls it back with the
--   statement). For that statement the database skips ordinary triggers: the two above,
--   default_clinic_id (the clinic is given), audit_new_patients (the function writes each
--   patient's audit row itself, as before) and the foreign-key checks of the new rows.
-- * What those checks would have asked of every row is asked once: each row's tenant, clinic
--   and author are the signed-in staff member's, so the batch checks that the clinic and the
--   author exist. Row checks (CHECK constraints), keys, row-level security and the name-word
--   index still apply to each row: index_new_patient_names is now ENABLE ALWAYS, so it fires
--   in replica mode too.
-- * Only the function owner, a superuser on PGlite, may set session_replication_role; staff
--   cannot, and only this statement runs under it. On a PostgreSQL server the owner is no
--   superuser, so there the import keeps its guard passes (033) as before.

ALTER TABLE patients ENABLE ALWAYS TRIGGER index_new_patient_names;

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
  IF offline THEN
    PERFORM set_config('session_replication_role', replication_role, true);
  ELSE
    PERFORM end_guard_passes('patients.assign_patient_number', 'patients.stamp_author', 'patients.audit_new_patients');
  END IF;
  first_number := 'P-' || lpad(first_taken::text, 6, '0');
  last_number := 'P-' || lpad(last_taken::text, 6, '0');
END $$;
