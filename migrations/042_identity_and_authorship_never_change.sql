-- ClinicDesk 042: a record's identity, when it was made and by whom never change.
--
-- Found by an attacker's review (typing SQL as the receptionist): the app role could
-- `UPDATE patients SET created_by = <anyone>` (or a uuid of nobody), and change a row's id or
-- created_at, on the tables declared before 011's contract (patients, appointments, invoices,
-- notes, tests, ...), whose column grants listed every column. The audit trail recorded the
-- change, but the record itself then named another author, or lost its history (audit rows
-- follow the old id). No screen changes these columns.
--
-- * UPDATE on tenant_id, id, created_at and created_by is revoked from clinic_app wherever it
--   was granted; definer functions (a merge, an import) are the owner's and keep what they need.
-- * declare_tenant_table (011) leaves created_by out of a new table's updatable columns too.
-- * The tenant-table contract (test/schema/contract.ts) checks every table in the catalog for it.

DO $$
DECLARE
  granted record;
BEGIN
  FOR granted IN
    SELECT a.attrelid::regclass AS target, string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) AS columns
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid AND c.relnamespace = 'public'::regnamespace
    CROSS JOIN LATERAL aclexplode(a.attacl) acl
    WHERE a.attname IN ('tenant_id', 'id', 'created_at', 'created_by') AND NOT a.attisdropped
      AND acl.grantee = 'clinic_app'::regrole AND acl.privilege_type = 'UPDATE'
    GROUP BY a.attrelid
  LOOP
    EXECUTE format('REVOKE UPDATE (%s) ON %s FROM clinic_app', granted.columns, granted.target);
  END LOOP;
END $$;

CREATE OR REPLACE FUNCTION declare_tenant_table(
  target regclass,
  inserts text[] DEFAULT NULL,   -- permissions that may insert; NULL: the app never inserts
  updates text[] DEFAULT NULL,   -- permissions that may update; NULL: the app never updates
  reads text[] DEFAULT NULL,     -- permissions that may read; NULL: any signed-in staff member
  audited boolean DEFAULT true
) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  table_name text := (SELECT relname FROM pg_class WHERE oid = target);
  has_column text[] := ARRAY(SELECT attname::text FROM pg_attribute
                             WHERE attrelid = target AND attnum > 0 AND NOT attisdropped);
  -- Generated columns cannot be written; a row's identity, when it was made and by whom never change.
  insertable text := (SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
                      WHERE attrelid = target AND attnum > 0 AND NOT attisdropped AND attgenerated = '');
  updatable text := (SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
                     WHERE attrelid = target AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
                       AND attname NOT IN ('tenant_id', 'id', 'created_at', 'created_by'));
BEGIN
  IF NOT 'tenant_id' = ANY (has_column) THEN
    RAISE EXCEPTION '% has no tenant_id column: only tenant tables are declared', target;
  END IF;
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
  PERFORM apply_tenant_policies(target);
  EXECUTE format('GRANT SELECT ON %s TO clinic_app', target);
  IF inserts IS NOT NULL THEN
    EXECUTE format('GRANT INSERT (%s) ON %s TO clinic_app', insertable, target);
  END IF;
  IF updates IS NOT NULL THEN
    EXECUTE format('GRANT UPDATE (%s) ON %s TO clinic_app', updatable, target);
  END IF;
  IF inserts IS NOT NULL OR updates IS NOT NULL THEN
    -- A missing side gets an empty list: refused by the policy as well as by the grant.
    PERFORM require_write_permission(target, coalesce(inserts, '{}'), coalesce(updates, '{}'));
  END IF;
  IF reads IS NOT NULL THEN
    PERFORM require_read_permission(target, reads);
  END IF;
  IF 'updated_at' = ANY (has_column) THEN
    EXECUTE format('CREATE OR REPLACE TRIGGER set_updated_at BEFORE UPDATE ON %s '
                   'FOR EACH ROW EXECUTE FUNCTION set_updated_at()', target);
  END IF;
  IF audited THEN
    EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s '
                   'FOR EACH ROW EXECUTE FUNCTION audit_trigger_function()', 'audit_' || table_name, target);
  END IF;
END $$;
