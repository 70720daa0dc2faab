-- ClinicDesk 037: a large import into the offline database checks its keys once, at commit.
--
-- Measured on PGlite, 100,000 patients in batches of 10,000 (036): the foreign keys of the new
-- patients (clinic, tenant, doctor, merged-into) and of their audit rows were checked row by
-- row, five trigger events per patient, about 2 s of the 21 s write. Without them the batches
-- took 1.35 s instead of 1.6 s.
--
-- * begin_patient_import (036) now also sets aside, for each table it rebuilds, the table's
--   foreign keys, and its primary key and unique constraints when no foreign key refers to the
--   table (the name words' and the audit trail's keys; the patients' own keys stay, as the rest
--   of the clinic refers to them). Each is added again at commit, as it was, by the statement
--   queue of 036: adding a foreign key checks every row in one join, and adding a key builds
--   its index once; a row that breaks either fails the commit, and the import with it. A
--   rollback puts them back as they were.
-- * As before, only on PGlite (one session, which the import holds) and only for tables holding
--   fewer rows than the import.

CREATE OR REPLACE FUNCTION begin_patient_import(p_rows integer) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  large constant integer := 10000;
  tbl regclass;
  existing real;
  dropped record;
BEGIN
  PERFORM require_permission('patients.write');
  IF version() NOT LIKE '%PGlite%' OR p_rows < large THEN
    RETURN false;
  END IF;
  IF to_regclass('pg_temp.statements_at_commit') IS NOT NULL THEN
    RETURN true; -- begun already in this transaction
  END IF;
  CREATE TEMPORARY TABLE statements_at_commit (statement text NOT NULL) ON COMMIT DROP;
  CREATE CONSTRAINT TRIGGER run_at_commit AFTER INSERT ON statements_at_commit
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION run_at_commit();
  FOREACH tbl IN ARRAY ARRAY['patients', 'patient_name_words', 'audit_logs']::regclass[] LOOP
    -- Rows held now: the last vacuum's count, or counted when there has been none.
    existing := (SELECT c.reltuples FROM pg_class c WHERE c.oid = tbl AND c.reltuples >= 0);
    IF existing IS NULL THEN
      EXECUTE format('SELECT count(*) FROM %s', tbl) INTO existing;
    END IF;
    CONTINUE WHEN existing > p_rows;
    -- Keys first (at commit, a table's keys are back before the foreign keys that may use them).
    FOR dropped IN
      SELECT k.conname AS name, pg_get_constraintdef(k.oid) AS definition
      FROM pg_constraint k
      WHERE k.conrelid = tbl
        AND (k.contype = 'f'
             OR (k.contype IN ('p', 'u') AND NOT EXISTS (SELECT 1 FROM pg_constraint r WHERE r.confrelid = tbl)))
      ORDER BY k.contype = 'f', k.conname
    LOOP
      INSERT INTO statements_at_commit VALUES (format('ALTER TABLE %s ADD CONSTRAINT %I %s', tbl, dropped.name, dropped.definition));
      EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', tbl, dropped.name);
    END LOOP;
    FOR dropped IN
      SELECT i.indexrelid::regclass AS name, pg_get_indexdef(i.indexrelid) AS definition
      FROM pg_index i
      WHERE i.indrelid = tbl AND NOT i.indisunique AND NOT i.indisprimary AND NOT i.indisexclusion
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
      ORDER BY i.indexrelid
    LOOP
      INSERT INTO statements_at_commit VALUES (dropped.definition);
      EXECUTE format('DROP INDEX %s', dropped.name);
    END LOOP;
    INSERT INTO statements_at_commit VALUES (format('ANALYZE %s', tbl));
  END LOOP;
  RETURN true;
END $$;
REVOKE ALL ON FUNCTION begin_patient_import(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION begin_patient_import(integer) TO clinic_app;
