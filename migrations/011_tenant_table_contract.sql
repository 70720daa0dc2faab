-- ClinicDesk 011: one declaration per tenant table.
--
-- A new table that holds a clinic's data is created with its keys (leading with tenant_id,
-- foreign keys to other tenant tables including tenant_id) and then declared once:
--
--   SELECT declare_tenant_table('invoice_lines',
--     inserts => ARRAY['billing.write'], updates => ARRAY['billing.write']);
--
-- which sets everything the tenant-table contract (test/schema/contract.test.ts) checks:
-- forced row-level security, the tenant policies (live rows only for the app), the permission
-- policies for reads and writes, SELECT and column-level INSERT/UPDATE grants to clinic_app,
-- the updated_at trigger and the audit trigger. Tables that must not be audited say why in the
-- contract test's one exemption list.

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
  -- Generated columns cannot be written; the identity of a row never changes.
  insertable text := (SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
                      WHERE attrelid = target AND attnum > 0 AND NOT attisdropped AND attgenerated = '');
  updatable text := (SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
                     WHERE attrelid = target AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
                       AND attname NOT IN ('tenant_id', 'id', 'created_at'));
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
REVOKE ALL ON FUNCTION declare_tenant_table(regclass, text[], text[], text[], boolean) FROM PUBLIC;
