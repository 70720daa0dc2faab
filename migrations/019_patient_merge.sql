-- ClinicDesk 019: merging two records of the same patient; a health check that a fresh install passes.
-- Runs unchanged on PGlite (PostgreSQL 18) and PostgreSQL 15+.

-- ---------------------------------------------------------------------------
-- Duplicate patients. Search finds the duplicates clinics already have; the desk keeps one record
-- (the survivor) and merges the other into it: everything that refers to the other record moves
-- to the survivor, and the other is archived pointing at it, so its number still leads somewhere.
-- ---------------------------------------------------------------------------
ALTER TABLE patients ADD COLUMN merged_into_id uuid;
ALTER TABLE patients ADD CONSTRAINT patients_merged_into_fkey
  FOREIGN KEY (tenant_id, merged_into_id) REFERENCES patients (tenant_id, id);
-- Set only by merge_patients (no column grant to the app role).

-- Moves every row that refers to the duplicate (each foreign key to patients, as the catalog lists
-- them, so tables added later are moved too) and archives it with the reason and its pointer. The
-- duplicate's allergies, history, medications and alerts the survivor lacks are added to it: a merge
-- must not lose a warning. Returns the rows moved per table; NULL when either record is not a live
-- patient of the caller's clinic (as if absent). Every change is audited, with the reason.
CREATE OR REPLACE FUNCTION merge_patients(p_survivor_id uuid, p_duplicate_id uuid, p_reason text) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  tenant uuid := current_tenant_id();
  survivor patients;
  duplicate patients;
  link record;
  affected integer;
  moved jsonb := '{}';
BEGIN
  PERFORM require_permission('patients.archive');
  IF p_survivor_id = p_duplicate_id THEN
    RAISE EXCEPTION 'Choose two different records to merge.' USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  IF length(btrim(coalesce(p_reason, ''))) < 3 THEN
    RAISE EXCEPTION 'Say why these records are merged.' USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  -- Both locked, in one order: two desks merging the same pair (either way round) are taken in turn.
  PERFORM 1 FROM patients p WHERE p.tenant_id = tenant AND p.id IN (p_survivor_id, p_duplicate_id) ORDER BY p.id FOR UPDATE;
  SELECT * INTO survivor FROM patients p WHERE p.tenant_id = tenant AND p.id = p_survivor_id AND p.deleted_at IS NULL;
  SELECT * INTO duplicate FROM patients p WHERE p.tenant_id = tenant AND p.id = p_duplicate_id AND p.deleted_at IS NULL;
  IF survivor.id IS NULL OR duplicate.id IS NULL THEN
    RETURN NULL;
  END IF;

  PERFORM set_config('app.change_reason', format('Merged into %s: %s', survivor.patient_number, btrim(p_reason)), true);
  -- First the duplicate goes (nothing new can be attached to it), then what referred to it follows.
  UPDATE patients SET merged_into_id = survivor.id, deleted_at = now() WHERE tenant_id = tenant AND id = duplicate.id;
  UPDATE patients s SET
    allergies = s.allergies || coalesce((SELECT jsonb_agg(e) FROM jsonb_array_elements(duplicate.allergies) e
                                         WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(s.allergies) k
                                                           WHERE lower(k ->> 'substance') = lower(e ->> 'substance'))), '[]'),
    medical_history = s.medical_history || coalesce((SELECT jsonb_agg(e) FROM jsonb_array_elements(duplicate.medical_history) e
                                                     WHERE NOT s.medical_history @> jsonb_build_array(e)), '[]'),
    current_medications = s.current_medications || coalesce((SELECT jsonb_agg(e) FROM jsonb_array_elements(duplicate.current_medications) e
                                                             WHERE NOT s.current_medications @> jsonb_build_array(e)), '[]'),
    alerts = CASE WHEN coalesce(btrim(duplicate.alerts), '') = '' OR strpos(coalesce(s.alerts, ''), duplicate.alerts) > 0 THEN s.alerts
                  WHEN coalesce(btrim(s.alerts), '') = '' THEN duplicate.alerts
                  ELSE s.alerts || E'\n' || duplicate.alerts END
  WHERE s.tenant_id = tenant AND s.id = survivor.id;

  -- A signed note, and a test's patient, never change, except for the one thing a merge must change:
  -- whose chart they are in. Those guards are lifted for this transaction's moves only (others'
  -- writes to the two tables wait meanwhile).
  ALTER TABLE medical_records DISABLE TRIGGER lock_signed_note;
  ALTER TABLE diagnostic_tests DISABLE TRIGGER check_test_status_change;
  FOR link IN
    SELECT c.conrelid::regclass AS target, a.attname AS column_name
    FROM pg_constraint c
    CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(own, referenced)
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.own
    JOIN pg_attribute r ON r.attrelid = c.confrelid AND r.attnum = k.referenced
    WHERE c.contype = 'f' AND c.confrelid = 'public.patients'::regclass AND r.attname = 'id'
      -- The search index of names (017) is derived from each patient's own name, not a record to move.
      AND c.conrelid <> 'public.patient_name_words'::regclass
    ORDER BY c.conrelid::regclass::text, a.attname
  LOOP
    EXECUTE format('UPDATE %s SET %I = $1 WHERE tenant_id = $2 AND %I = $3', link.target, link.column_name, link.column_name)
      USING survivor.id, tenant, duplicate.id;
    GET DIAGNOSTICS affected = ROW_COUNT;
    IF affected > 0 THEN
      moved := jsonb_set(moved, ARRAY[link.target::text], to_jsonb(coalesce((moved ->> link.target::text)::integer, 0) + affected));
    END IF;
  END LOOP;
  ALTER TABLE medical_records ENABLE TRIGGER lock_signed_note;
  ALTER TABLE diagnostic_tests ENABLE TRIGGER check_test_status_change;
  PERFORM set_config('app.change_reason', '', true);
  RETURN moved;
END $$;
REVOKE ALL ON FUNCTION merge_patients(uuid, uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION merge_patients(uuid, uuid, text) TO clinic_app;

-- ---------------------------------------------------------------------------
-- Health check: dead row versions matter once there are enough of them to cost anything. A fresh
-- install has a few hundred (from creating its own tables and rows) and a high share of few rows,
-- which VACUUM will take care of unasked: no warning for that.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION read_database_health()
RETURNS TABLE (check_name text, status text, value text, details text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  unprotected text;
  dead_ratio numeric;
  dead_rows bigint;
  cache_ratio numeric;
BEGIN
  check_name := 'server_version'; status := 'ok';
  value := current_setting('server_version'); details := 'PostgreSQL server version';
  RETURN NEXT;

  check_name := 'database_size'; status := 'ok';
  value := pg_size_pretty(pg_database_size(current_database())); details := 'Size of this database on disk';
  RETURN NEXT;

  SELECT string_agg(c.relname, ', ' ORDER BY c.relname) INTO unprotected
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind = 'r'
    AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
    AND NOT (c.relrowsecurity AND c.relforcerowsecurity);
  check_name := 'tenant_isolation';
  status := CASE WHEN unprotected IS NULL THEN 'ok' ELSE 'critical' END;
  value := coalesce(unprotected, 'all tenant tables');
  details := CASE WHEN unprotected IS NULL THEN 'Row-level security is enabled and forced on every tenant table'
                  ELSE 'Tables without forced row-level security' END;
  RETURN NEXT;

  SELECT round(100.0 * sum(n_dead_tup) / nullif(sum(n_live_tup) + sum(n_dead_tup), 0), 1), coalesce(sum(n_dead_tup), 0)
  INTO dead_ratio, dead_rows
  FROM pg_stat_user_tables;
  check_name := 'dead_rows'; value := coalesce(dead_ratio, 0) || '%';
  status := CASE WHEN coalesce(dead_ratio, 0) > 20 AND dead_rows >= 10000 THEN 'warning' ELSE 'ok' END;
  details := 'Share of dead row versions awaiting VACUUM';
  RETURN NEXT;

  SELECT round(100.0 * sum(blks_hit) / nullif(sum(blks_hit) + sum(blks_read), 0), 1) INTO cache_ratio
  FROM pg_stat_database WHERE datname = current_database();
  check_name := 'cache_hit_ratio'; value := coalesce(cache_ratio, 100) || '%';
  status := CASE WHEN coalesce(cache_ratio, 100) < 90 THEN 'warning' ELSE 'ok' END;
  details := 'Share of block reads served from shared buffers';
  RETURN NEXT;

  check_name := 'connections'; status := 'ok';
  value := (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database())::text
           || ' / ' || current_setting('max_connections');
  details := 'Open connections to this database / server limit';
  RETURN NEXT;

  check_name := 'query_statistics';
  IF query_statistics_available() THEN
    status := 'ok'; value := 'available'; details := 'SELECT * FROM monitoring_query_stats lists the slowest queries';
  ELSE
    status := 'ok'; value := 'unavailable';
    details := 'pg_stat_statements is not loaded on this server (never on the embedded database); monitoring_query_stats says so';
  END IF;
  RETURN NEXT;
END $$;

