-- ClinicDesk 036: a large import into the offline database builds its indexes once, at commit.
--
-- Measured on PGlite, 100,000 patients in batches of 10,000 (035): keeping the patients' twelve
-- secondary indexes, the name-word index and the audit trail's three indexes up to date row by
-- row took 8 s of the 24 s; building them again from scratch after the rows are in takes 2.6 s.
--
-- * begin_patient_import(rows) is called by the import, in its transaction, before its first
--   batch. When the import is large (at least 10,000 rows, and at least as many rows as a
--   table already holds, so rebuilding costs less than keeping up), it drops that table's
--   secondary indexes (not those behind a key or a constraint) and queues their definitions,
--   with an ANALYZE of the table, to run at commit.
-- * The queue is a temporary table whose deferred trigger runs each statement at commit, so the
--   indexes come back whatever the caller does next: at commit they are built (a failure there
--   fails the commit, and the import with it), and a rollback puts the dropped ones back as they
--   were. Nothing is imported until both have happened.
-- * Only on PGlite: it has one session, which the import holds anyway. On a PostgreSQL server,
--   dropping an index locks the table against every clinic, so there it returns false and the
--   indexes are kept up to date row by row as before.

CREATE FUNCTION run_at_commit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  EXECUTE NEW.statement;
  RETURN NULL;
END $$;
-- Fired by the queue's trigger only: nobody may attach it to a table of their own.
REVOKE ALL ON FUNCTION run_at_commit() FROM PUBLIC;

CREATE FUNCTION begin_patient_import(p_rows integer) RETURNS boolean
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
