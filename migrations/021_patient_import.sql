-- ClinicDesk 021: importing patients from a spreadsheet or an old system, 100,000 at a time.
--
-- The import inserts into patients as the signed-in person (clinic_app under forced RLS), so the
-- database checks patients.write, numbers every patient and audits every row as it does for a
-- registration. What would make a large import crawl is indexing names row by row: a new
-- patient's name words are now indexed once per statement, from the statement's new rows.

-- ---------------------------------------------------------------------------
-- Name words of new patients, once per INSERT statement (one registration or a batch of
-- thousands alike); a renamed patient is still reindexed row by row (017's function).
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION index_new_patient_names() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  clinic uuid;
BEGIN
  INSERT INTO patient_name_words (tenant_id, patient_id, word)
  SELECT n.tenant_id, n.id, w
  FROM new_patients n, unnest(name_words(concat_ws(' ', n.first_name, n.middle_name, n.last_name))) AS w;
  FOR clinic IN SELECT DISTINCT tenant_id FROM new_patients LOOP
    PERFORM remember_name_words(clinic, ARRAY(
      SELECT DISTINCT w FROM new_patients n, unnest(name_words(concat_ws(' ', n.first_name, n.middle_name, n.last_name))) AS w
      WHERE n.tenant_id = clinic));
  END LOOP;
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION index_new_patient_names() FROM PUBLIC;

DROP TRIGGER index_patient_name ON patients;
CREATE TRIGGER index_patient_name AFTER UPDATE OF first_name, middle_name, last_name ON patients
  FOR EACH ROW EXECUTE FUNCTION index_patient_name();
CREATE TRIGGER index_new_patient_names AFTER INSERT ON patients
  REFERENCING NEW TABLE AS new_patients FOR EACH STATEMENT EXECUTE FUNCTION index_new_patient_names();

-- ---------------------------------------------------------------------------
-- Who in a batch of rows to import may already be a patient here: the rule of
-- find_possible_duplicates (017) for many rows at once. Rows are
-- [{"row": n, "first_name", "last_name", "date_of_birth", "phones": ["+44…", …]}], phones as E.164 keys.
-- Importing needs patients.write; the clinic's own patients only.
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
  matches AS (
    SELECT t."row", p.id, 'same_phone'::text AS reason
    FROM typed t, unnest(t.phones) AS typed_phone
    JOIN patients p ON p.tenant_id = tenant AND p.deleted_at IS NULL
                   AND (p.phone_e164 = typed_phone OR p.alternate_phone_e164 = typed_phone)
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
REVOKE ALL ON FUNCTION find_import_duplicates(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION find_import_duplicates(jsonb) TO clinic_app;
