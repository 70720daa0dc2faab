-- ClinicDesk 026: a 100,000-row patient import in seconds, with every guarantee of a registration.
--
-- Row by row, a patient's insert ran five triggers; on a large import the patient numbering (one
-- counter row updated once per patient in one transaction: a growing chain of row versions) and
-- the audit row dominated. Now:
-- * import_patients() checks patients.write itself, takes the tenant, clinic and author from the
--   trusted identity, reserves the batch's numbers with one counter update and inserts the batch
--   in one statement.
-- * A number, an author or a clinic given in an INSERT is kept only when the inserting code is the
--   schema owner's (its definer functions, its own session): the numbering and authorship
--   triggers still replace whatever the app role writes. acting_as_owner() is that test.
-- * New patients are audited once per statement from the statement's new rows, by the same audit
--   function and with the same content as the per-row audit, which keeps updates and deletes.

-- The code running is the schema owner's: its own session, or one of its SECURITY DEFINER
-- functions (current_user, unlike session_user, is the definer inside them). Not a definer
-- itself: it must see who calls it. Asked for every inserted row, so no SET clause (which would
-- cost a settings save and restore per call): every name in it is schema-qualified instead.
CREATE OR REPLACE FUNCTION acting_as_owner() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT EXISTS (
    SELECT 1 FROM pg_catalog.pg_roles r
    WHERE r.rolname OPERATOR(pg_catalog.=) current_user
      AND (r.rolsuper OR r.oid OPERATOR(pg_catalog.=) (
        SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) 'public.tenants'::pg_catalog.regclass)))
$$;
REVOKE ALL ON FUNCTION acting_as_owner() FROM PUBLIC;
-- The triggers below ask it as whoever inserts.
GRANT EXECUTE ON FUNCTION acting_as_owner() TO clinic_app;

-- ---------------------------------------------------------------------------
-- Triggers of a new patient, run only where they have something to do.
-- ---------------------------------------------------------------------------
DROP TRIGGER assign_patient_number ON patients;
CREATE TRIGGER assign_patient_number BEFORE INSERT ON patients
  FOR EACH ROW WHEN (coalesce(NEW.patient_number, '') = '' OR NOT acting_as_owner())
  EXECUTE FUNCTION assign_record_number('patient_number', 'P', 'running');

DROP TRIGGER stamp_author ON patients;
CREATE TRIGGER stamp_author BEFORE INSERT ON patients
  FOR EACH ROW WHEN (NEW.created_by IS NULL OR NOT acting_as_owner())
  EXECUTE FUNCTION stamp_author('created_by');

DROP TRIGGER default_clinic_id ON patients;
CREATE TRIGGER default_clinic_id BEFORE INSERT ON patients
  FOR EACH ROW WHEN (NEW.clinic_id IS NULL) EXECUTE FUNCTION default_clinic_id();

-- ---------------------------------------------------------------------------
-- Audit: a statement-level AFTER INSERT trigger (transition table new_rows) writes one row per
-- new record, exactly as the row-level branch does for an INSERT.
-- ---------------------------------------------------------------------------
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
    FROM (SELECT to_jsonb(n) - 'password_hash' AS r FROM new_rows n) AS added;
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

DROP TRIGGER audit_patients ON patients;
CREATE TRIGGER audit_patients AFTER UPDATE OR DELETE ON patients FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER audit_new_patients AFTER INSERT ON patients
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit_trigger_function();

-- ---------------------------------------------------------------------------
-- Name words of new patients (021), each distinct first, middle or last name folded once: a
-- full name's words are its parts' words (name_words folds and splits character by character,
-- and the parts are joined with spaces), and in a clinic's file the same names come again and again.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION index_new_patient_names() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  clinic uuid;
BEGIN
  WITH parts AS (
    SELECT n.tenant_id, n.id, part FROM new_patients n, unnest(ARRAY[n.first_name, n.middle_name, n.last_name]) AS part
    WHERE part IS NOT NULL
  ),
  folded AS MATERIALIZED (
    SELECT d.part, w FROM (SELECT DISTINCT part FROM parts) d, unnest(name_words(d.part)) AS w
  )
  INSERT INTO patient_name_words (tenant_id, patient_id, word)
  SELECT DISTINCT p.tenant_id, p.id, f.w FROM parts p JOIN folded f ON f.part = p.part;
  FOR clinic IN SELECT DISTINCT tenant_id FROM new_patients LOOP
    PERFORM remember_name_words(clinic, ARRAY(
      SELECT DISTINCT w FROM (SELECT DISTINCT part FROM new_patients n, unnest(ARRAY[n.first_name, n.middle_name, n.last_name]) AS part
                              WHERE n.tenant_id = clinic AND part IS NOT NULL) d, unnest(name_words(d.part)) AS w));
  END LOOP;
  RETURN NULL;
END $$;

-- ---------------------------------------------------------------------------
-- Registering a batch of patients from a file, in the file's order. Rows are the columns an
-- import fills ([{"first_name", "last_name", "date_of_birth", "gender", "phone", …}]); the
-- tenant, clinic, author and numbers come from here, never from the rows. Returns how many were
-- registered and the first and last numbers given.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION import_patients(p_rows jsonb, OUT imported integer, OUT first_number text, OUT last_number text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
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
  first_number := 'P-' || lpad((last_taken - imported + 1)::text, 6, '0');
  last_number := 'P-' || lpad(last_taken::text, 6, '0');
END $$;
REVOKE ALL ON FUNCTION import_patients(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION import_patients(jsonb) TO clinic_app;
