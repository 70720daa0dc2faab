-- ClinicDesk 031: search as fast with a schema owner that is not a superuser, and identity
-- checks that do not re-plan themselves on every call.
--
-- Measured on PostgreSQL 15 at 100,000 patients, the schema owned by an ordinary CREATEROLE role
-- as the README's operator set-up has it, searching as a receptionist's own login:
--
-- * Phone endings and patient-number prefixes read the whole clinic: 200–500 ms a keystroke.
--   The definer function's queries run under the owner's forced RLS policy, and under RLS only
--   conditions built from leakproof functions may become index conditions: reverse() and LIKE
--   are not (a superuser owner skips RLS, which is why the benchmark never showed it). The
--   reversed phones are now stored columns compared with plain text operators, and a number
--   prefix is a range.
-- * The identity functions (session_is_owner, current_tenant_id, …) were SQL functions. With
--   SECURITY DEFINER and SET they are never inlined, and PostgreSQL 15 parses and plans a SQL
--   function's body on each call from a new statement: a search calls them about thirty times
--   (every RLS policy of every table it reads), and require_permission alone took 2.2 ms. As
--   PL/pgSQL their plans are kept for the connection, and a staff login skips the owner test:
--   current_tenant_id() from 70 to 25 µs a call. The rules and answers are unchanged.
-- The search function that uses them, with number prefixes as ranges and phone endings from the
-- stored columns, is restated once, in 034.

-- ---------------------------------------------------------------------------
-- Identity, as in 008 and 010, in PL/pgSQL.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION session_is_owner() RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  RETURN EXISTS (
    SELECT 1 FROM pg_catalog.pg_roles r
    WHERE r.rolname = session_user
      AND (r.rolsuper OR r.oid = (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = 'public.tenants'::regclass)));
END $$;

-- A staff login is looked up first: it is every remote request, and the owner test (pg_roles) is
-- then not needed. Same answers as 008: staff_logins holds only cd_<hash> names the provisioning
-- code derives from a clinic code and email, never the owner or a superuser; a disabled login
-- is no owner either, so it still gets nothing.
CREATE OR REPLACE FUNCTION current_tenant_id() RETURNS uuid
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  staff_tenant uuid := (SELECT s.tenant_id FROM staff_logins s WHERE s.role_name = session_user AND s.disabled_at IS NULL);
BEGIN
  IF staff_tenant IS NOT NULL OR NOT session_is_owner() THEN
    RETURN staff_tenant;
  END IF;
  RETURN nullif(current_setting('app.current_tenant_id', true), '')::uuid;
END $$;

CREATE OR REPLACE FUNCTION current_app_user_id() RETURNS uuid
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  staff_user uuid := (SELECT s.user_id FROM staff_logins s WHERE s.role_name = session_user AND s.disabled_at IS NULL);
BEGIN
  IF staff_user IS NOT NULL OR NOT session_is_owner() THEN
    RETURN staff_user;
  END IF;
  RETURN nullif(current_setting('app.current_user_id', true), '')::uuid;
END $$;

CREATE OR REPLACE FUNCTION current_app_clinic_id() RETURNS uuid
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  RETURN (SELECT u.clinic_id FROM users u WHERE u.tenant_id = current_tenant_id() AND u.id = current_app_user_id());
END $$;

CREATE OR REPLACE FUNCTION app_user_has_any_permission(p_permissions text[]) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  RETURN coalesce((
    SELECT r.permissions ?| p_permissions
    FROM users u JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id
    WHERE u.tenant_id = current_tenant_id() AND u.id = current_app_user_id()
      AND u.deleted_at IS NULL AND u.is_active AND NOT u.password_change_required
      AND r.deleted_at IS NULL AND r.is_active), false);
END $$;

CREATE OR REPLACE FUNCTION app_may(VARIADIC p_permissions text[]) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  RETURN app_user_has_any_permission(p_permissions) OR (session_is_owner() AND current_app_user_id() IS NULL);
END $$;

-- ---------------------------------------------------------------------------
-- Phone endings as stored columns (replacing 017's indexes on reverse(…)).
-- ---------------------------------------------------------------------------
ALTER TABLE patients
  ADD COLUMN phone_e164_reversed text GENERATED ALWAYS AS (reverse(phone_e164)) STORED,
  ADD COLUMN alternate_phone_e164_reversed text GENERATED ALWAYS AS (reverse(alternate_phone_e164)) STORED;
DROP INDEX idx_patients_tenant_phone_e164_reversed;
DROP INDEX idx_patients_tenant_alternate_phone_e164_reversed;
CREATE INDEX idx_patients_tenant_phone_e164_reversed ON patients (tenant_id, phone_e164_reversed)
  WHERE phone_e164_reversed IS NOT NULL;
CREATE INDEX idx_patients_tenant_alternate_phone_e164_reversed ON patients (tenant_id, alternate_phone_e164_reversed)
  WHERE alternate_phone_e164_reversed IS NOT NULL;
