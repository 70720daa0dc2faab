-- ClinicDesk 016: administration. The last-administrator rule of 008 held for one change at a
-- time only: two administrators demoted at the same moment each saw the other still in office
-- (READ COMMITTED) and both committed. Changes that take an administrator away now queue on a
-- per-clinic lock and count again after it, seeing what the other committed.
-- Runs unchanged on PGlite (PostgreSQL 18) and PostgreSQL 15+.

CREATE OR REPLACE FUNCTION keep_an_administrator() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  -- Only a change that took an administrator away counts (a clinic being set up has none yet).
  IF NOT EXISTS (
    SELECT 1 FROM roles r
    WHERE r.tenant_id = OLD.tenant_id AND r.id = CASE TG_TABLE_NAME WHEN 'users' THEN (to_jsonb(OLD) ->> 'role_id')::uuid
                                                                   ELSE (to_jsonb(OLD) ->> 'id')::uuid END
      AND r.permissions ? 'admin.users' OR (TG_TABLE_NAME = 'roles' AND (to_jsonb(OLD) -> 'permissions') ? 'admin.users'))
  THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('clinicdesk.administrators:' || OLD.tenant_id::text, 0));
  -- A new statement, so a new snapshot: what a concurrent demotion committed while we waited is seen.
  IF NOT EXISTS (
    SELECT 1 FROM users u JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id
    WHERE u.tenant_id = NEW.tenant_id AND u.deleted_at IS NULL AND u.is_active
      AND r.deleted_at IS NULL AND r.is_active AND r.permissions ? 'admin.users')
  THEN
    RAISE EXCEPTION 'The clinic must keep at least one active administrator'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'last_administrator';
  END IF;
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION keep_an_administrator() FROM PUBLIC;
