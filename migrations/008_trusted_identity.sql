-- ClinicDesk 008: identity the database can trust, permissions in the database, definer hygiene.
--
-- Who a session acts for comes from authentication. In remote mode every staff member logs in
-- to PostgreSQL as their own role (cd_…, SCRAM), mapped to a tenant and user in staff_logins,
-- which only the owner and the provisioning code write. The app.current_tenant_id and
-- app.current_user_id settings are honoured only in the schema owner's own session: the
-- operator, and the single trusted process of the offline app (PGlite). A staff login that
-- sets them changes nothing.

-- ---------------------------------------------------------------------------
-- Temp objects named like real ones were used inside definer functions (pg_temp is searched
-- first unless named last). No app role may create them at all.
-- ---------------------------------------------------------------------------
DO $$ BEGIN
  EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
END $$;

-- ---------------------------------------------------------------------------
-- Staff logins: one PostgreSQL role per staff member, named from the database, clinic code
-- and email (so the app can compute it at sign-in, and names never collide across clinics).
-- A directory keyed by the login name, not tenant data: no app role reads it.
-- ---------------------------------------------------------------------------
CREATE TABLE staff_logins (
  role_name   text PRIMARY KEY CHECK (role_name ~ '^cd_[0-9a-f]{28}$'),
  tenant_id   uuid NOT NULL REFERENCES tenants (id),
  user_id     uuid NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz,
  UNIQUE (tenant_id, user_id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
ALTER TABLE staff_logins ENABLE ROW LEVEL SECURITY;
ALTER TABLE staff_logins FORCE ROW LEVEL SECURITY;
DO $$ BEGIN
  EXECUTE format('CREATE POLICY owner_access_staff_logins ON staff_logins FOR ALL TO %I USING (true) WITH CHECK (true)',
                 current_user);
END $$;

-- The database's name is part of it: roles are shared by every database of a server.
CREATE OR REPLACE FUNCTION staff_login_name(p_clinic_code text, p_email text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN 'cd_' || left(encode(sha256(convert_to(
  current_database() || '/' || lower(btrim(p_clinic_code)) || '/' || lower(btrim(p_email)), 'UTF8')), 'hex'), 28);

-- True in the schema owner's own session (or a superuser's): the operator CLI, migrations,
-- and the offline app's one trusted process. session_user cannot be changed by SET ROLE.
CREATE OR REPLACE FUNCTION session_is_owner() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT EXISTS (
    SELECT 1 FROM pg_catalog.pg_roles r
    WHERE r.rolname = session_user
      AND (r.rolsuper OR r.oid = (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = 'public.tenants'::regclass)))
$$;

CREATE OR REPLACE FUNCTION current_tenant_id() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT CASE WHEN session_is_owner() THEN nullif(current_setting('app.current_tenant_id', true), '')::uuid
              ELSE (SELECT s.tenant_id FROM staff_logins s WHERE s.role_name = session_user AND s.disabled_at IS NULL) END
$$;

CREATE OR REPLACE FUNCTION current_app_user_id() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT CASE WHEN session_is_owner() THEN nullif(current_setting('app.current_user_id', true), '')::uuid
              ELSE (SELECT s.user_id FROM staff_logins s WHERE s.role_name = session_user AND s.disabled_at IS NULL) END
$$;

-- The current user's role grants any of the permissions.
CREATE OR REPLACE FUNCTION app_user_has_any_permission(p_permissions text[]) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT coalesce((
    SELECT r.permissions ?| p_permissions
    FROM users u JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id
    WHERE u.tenant_id = current_tenant_id() AND u.id = current_app_user_id()
      AND u.deleted_at IS NULL AND u.is_active AND r.deleted_at IS NULL AND r.is_active), false)
$$;

CREATE OR REPLACE FUNCTION app_user_has_permission(permission text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
RETURN app_user_has_any_permission(ARRAY[permission]);

-- May the request do this? Staff and app requests need the permission; the owner's own
-- session acting for nobody (operator CLI, demo seed, provisioning) may.
CREATE OR REPLACE FUNCTION app_may(VARIADIC p_permissions text[]) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp
RETURN app_user_has_any_permission(p_permissions) OR (session_is_owner() AND current_app_user_id() IS NULL);

-- Refusals worded for the person at the screen carry HINT 'clinicdesk:user-message': the app
-- shows their message as it is (errors.ts), other permission errors get a generic one.
CREATE OR REPLACE FUNCTION require_permission(VARIADIC p_permissions text[]) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF current_tenant_id() IS NULL OR NOT app_may(VARIADIC p_permissions) THEN
    RAISE EXCEPTION 'Your role does not allow this (needs %)', array_to_string(p_permissions, ' or ')
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
END $$;

REVOKE ALL ON FUNCTION session_is_owner(), current_tenant_id(), current_app_user_id(),
  app_user_has_any_permission(text[]), app_may(text[]), require_permission(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION session_is_owner(), app_user_has_any_permission(text[]), app_may(text[]),
  require_permission(text[]), staff_login_name(text, text) TO clinic_app;

-- ---------------------------------------------------------------------------
-- Provisioning staff logins. Only this NOLOGIN role may create roles, and only through
-- create_login_role(), which refuses any name but a staff login's. Passwords never reach the
-- server: the app sends the SCRAM verifier it computed.
-- ---------------------------------------------------------------------------
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinicdesk_provisioner') THEN
    CREATE ROLE clinicdesk_provisioner NOLOGIN NOINHERIT CREATEROLE NOSUPERUSER NOBYPASSRLS;
  END IF;
END $$;
GRANT clinic_app TO clinicdesk_provisioner WITH ADMIN OPTION;

CREATE OR REPLACE FUNCTION create_login_role(p_role_name text, p_verifier text, p_enabled boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF p_role_name !~ '^cd_[0-9a-f]{28}$' THEN
    RAISE EXCEPTION 'Not a staff login name' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_verifier IS NOT NULL
     AND p_verifier !~ '^SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*:[A-Za-z0-9+/]+=*$' THEN
    RAISE EXCEPTION 'A staff login takes a SCRAM-SHA-256 verifier, never a password' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_role_name) THEN
    EXECUTE format('CREATE ROLE %I LOGIN INHERIT NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE IN ROLE clinic_app PASSWORD %L',
                   p_role_name, p_verifier);
  ELSIF p_enabled THEN
    EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', p_role_name, p_verifier);
  ELSE
    EXECUTE format('ALTER ROLE %I NOLOGIN', p_role_name);
  END IF;
END $$;
REVOKE ALL ON FUNCTION create_login_role(text, text, boolean) FROM PUBLIC;
DO $$ BEGIN
  EXECUTE format('GRANT EXECUTE ON FUNCTION create_login_role(text, text, boolean) TO %I', current_user);
END $$;
ALTER FUNCTION create_login_role(text, text, boolean) OWNER TO clinicdesk_provisioner;

-- Creates (or re-enables with a new password) the login of one staff member of the current
-- tenant. Needs admin.users, or the owner's session (the operator creating a clinic).
CREATE OR REPLACE FUNCTION provision_staff_login(p_user_id uuid, p_verifier text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  tenant uuid := current_tenant_id();
  login text;
  mapped staff_logins;
BEGIN
  PERFORM require_permission('admin.users');
  SELECT staff_login_name(t.slug, u.email) INTO login
  FROM users u JOIN tenants t ON t.id = u.tenant_id
  WHERE u.tenant_id = tenant AND u.id = p_user_id AND u.deleted_at IS NULL AND u.is_active;
  IF login IS NULL THEN
    RAISE EXCEPTION 'No active staff member with this id in this clinic' USING ERRCODE = 'no_data_found';
  END IF;
  SELECT * INTO mapped FROM staff_logins WHERE role_name = login;
  IF FOUND AND (mapped.tenant_id, mapped.user_id) IS DISTINCT FROM (tenant, p_user_id) THEN
    RAISE EXCEPTION 'This login belongs to someone else' USING ERRCODE = 'unique_violation';
  END IF;
  IF NOT FOUND AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
    RAISE EXCEPTION 'A login of this name is used by another database on this server' USING ERRCODE = 'duplicate_object';
  END IF;
  -- A staff member has one login: an old one (email changed) is switched off.
  PERFORM create_login_role(s.role_name, NULL, false)
  FROM staff_logins s WHERE s.tenant_id = tenant AND s.user_id = p_user_id AND s.role_name <> login;
  DELETE FROM staff_logins s WHERE s.tenant_id = tenant AND s.user_id = p_user_id AND s.role_name <> login;
  PERFORM create_login_role(login, p_verifier, true);
  INSERT INTO staff_logins (role_name, tenant_id, user_id) VALUES (login, tenant, p_user_id)
  ON CONFLICT (role_name) DO UPDATE SET disabled_at = NULL;
  RETURN login;
END $$;

-- Switches a staff member's login off (NOLOGIN) and unmaps it, so even an open connection
-- of theirs acts for nobody.
CREATE OR REPLACE FUNCTION disable_staff_login(p_user_id uuid) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  login text;
BEGIN
  PERFORM require_permission('admin.users');
  UPDATE staff_logins SET disabled_at = now()
  WHERE tenant_id = current_tenant_id() AND user_id = p_user_id AND disabled_at IS NULL
  RETURNING role_name INTO login;
  IF login IS NULL THEN
    RETURN false;
  END IF;
  PERFORM create_login_role(login, NULL, false);
  RETURN true;
END $$;
REVOKE ALL ON FUNCTION provision_staff_login(uuid, text), disable_staff_login(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION provision_staff_login(uuid, text), disable_staff_login(uuid) TO clinic_app;

-- ---------------------------------------------------------------------------
-- Policies, rebuilt: the tenant is read once per statement (an InitPlan) rather than per
-- row, so a definer current_tenant_id() costs nothing on scans.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION apply_tenant_policies(target regclass) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  table_name text := (SELECT relname FROM pg_class WHERE oid = target);
  tenant_row text := 'tenant_id = (SELECT current_tenant_id())';
  visible text := tenant_row || CASE WHEN EXISTS (
    SELECT 1 FROM pg_attribute WHERE attrelid = target AND attname = 'deleted_at' AND NOT attisdropped)
    THEN ' AND deleted_at IS NULL' ELSE '' END;
BEGIN
  EXECUTE format('DROP POLICY IF EXISTS %I ON %s', 'tenant_isolation_' || table_name, target);
  EXECUTE format('DROP POLICY IF EXISTS %I ON %s', 'owner_tenant_access_' || table_name, target);
  EXECUTE format('CREATE POLICY %I ON %s FOR ALL TO clinic_app USING (%s) WITH CHECK (%s)',
                 'tenant_isolation_' || table_name, target, visible, visible);
  EXECUTE format('CREATE POLICY %I ON %s FOR ALL TO %I USING (%s) WITH CHECK (%s)',
                 'owner_tenant_access_' || table_name, target, current_user, tenant_row, tenant_row);
END $$;
REVOKE ALL ON FUNCTION apply_tenant_policies(regclass) FROM PUBLIC;

SELECT apply_tenant_policies(c.oid)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'staff_logins'
  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped);

DROP POLICY tenant_isolation_tenants ON tenants;
CREATE POLICY tenant_isolation_tenants ON tenants FOR SELECT TO clinic_app
  USING (id = (SELECT current_tenant_id()) AND deleted_at IS NULL);

-- Confidential records and documents: their author and holders of records.confidential only.
DROP POLICY tenant_isolation_medical_records ON medical_records;
CREATE POLICY tenant_isolation_medical_records ON medical_records FOR ALL TO clinic_app
  USING (tenant_id = (SELECT current_tenant_id()) AND deleted_at IS NULL
         AND (NOT is_confidential OR doctor_id = (SELECT current_app_user_id())
              OR (SELECT app_user_has_permission('records.confidential'))))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()) AND deleted_at IS NULL);
DROP POLICY tenant_isolation_documents ON documents;
CREATE POLICY tenant_isolation_documents ON documents FOR ALL TO clinic_app
  USING (tenant_id = (SELECT current_tenant_id()) AND deleted_at IS NULL
         AND (NOT is_confidential OR user_id = (SELECT current_app_user_id())
              OR (SELECT app_user_has_permission('records.confidential'))))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()) AND deleted_at IS NULL);

-- Audit rows of confidential records carry their author and are fenced like the record.
ALTER TABLE audit_logs ADD COLUMN confidential_author_id uuid;
DROP POLICY tenant_isolation_audit_logs ON audit_logs;
CREATE POLICY tenant_isolation_audit_logs ON audit_logs FOR ALL TO clinic_app
  USING (tenant_id = (SELECT current_tenant_id())
         AND (confidential_author_id IS NULL OR confidential_author_id = (SELECT current_app_user_id())
              OR (SELECT app_user_has_permission('records.confidential'))))
  WITH CHECK (false);

-- ---------------------------------------------------------------------------
-- Writes the router guards, guarded again by the database: a restrictive policy per table
-- and command, so a request without the permission is refused whatever SQL it sends.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION require_write_permission(target regclass, for_insert text[], for_update text[]) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  table_name text := (SELECT relname FROM pg_class WHERE oid = target);
BEGIN
  EXECUTE format('DROP POLICY IF EXISTS %I ON %s', 'permitted_insert_' || table_name, target);
  EXECUTE format('DROP POLICY IF EXISTS %I ON %s', 'permitted_update_' || table_name, target);
  EXECUTE format('CREATE POLICY %I ON %s AS RESTRICTIVE FOR INSERT TO clinic_app WITH CHECK ((SELECT app_may(VARIADIC %L::text[])))',
                 'permitted_insert_' || table_name, target, for_insert);
  EXECUTE format('CREATE POLICY %I ON %s AS RESTRICTIVE FOR UPDATE TO clinic_app USING (true) WITH CHECK ((SELECT app_may(VARIADIC %L::text[])))',
                 'permitted_update_' || table_name, target, for_update);
END $$;
REVOKE ALL ON FUNCTION require_write_permission(regclass, text[], text[]) FROM PUBLIC;

SELECT require_write_permission('clinics', ARRAY['admin.settings'], ARRAY['admin.settings']);
SELECT require_write_permission('roles', ARRAY['admin.users'], ARRAY['admin.users']);
SELECT require_write_permission('users', ARRAY['admin.users'], ARRAY['admin.users']);
SELECT require_write_permission('patients', ARRAY['patients.write'], ARRAY['patients.write']);
SELECT require_write_permission('appointments', ARRAY['appointments.write', 'appointments.checkin'],
                                ARRAY['appointments.write', 'appointments.checkin', 'clinical.write']);
SELECT require_write_permission('notifications', ARRAY['appointments.write', 'appointments.checkin', 'notifications.read'],
                                ARRAY['appointments.write', 'appointments.checkin', 'notifications.read']);
SELECT require_write_permission('medical_records', ARRAY['clinical.write'], ARRAY['clinical.write']);
SELECT require_write_permission('prescriptions', ARRAY['prescriptions.write'], ARRAY['prescriptions.write']);
SELECT require_write_permission('diagnostic_tests', ARRAY['tests.order'], ARRAY['tests.order', 'tests.report', 'tests.verify']);
SELECT require_write_permission('test_reports', ARRAY['tests.report'], ARRAY['tests.report', 'tests.verify']);
SELECT require_write_permission('documents', ARRAY['documents.write'], ARRAY['documents.write']);
SELECT require_write_permission('invoices', ARRAY['billing.write'], ARRAY['billing.write']);
-- Taking a payment is an insert; marking one refunded is a refund.
SELECT require_write_permission('payments', ARRAY['payments.take'], ARRAY['payments.refund']);

-- An invoice's paid amount follows its payments whoever took them (derived, not a billing edit).
ALTER FUNCTION apply_payments_to_invoice() SECURITY DEFINER;
REVOKE ALL ON FUNCTION apply_payments_to_invoice() FROM PUBLIC;

-- Reads the router keeps to some roles, kept to them by the database too: clinical content
-- needs clinical.read (tests also billing.write, which invoices them); the audit trail and
-- activity log need admin.audit.
CREATE OR REPLACE FUNCTION require_read_permission(target regclass, permissions text[]) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  EXECUTE format('DROP POLICY IF EXISTS %I ON %s', 'permitted_select_' || (SELECT relname FROM pg_class WHERE oid = target), target);
  EXECUTE format('CREATE POLICY %I ON %s AS RESTRICTIVE FOR SELECT TO clinic_app USING ((SELECT app_may(VARIADIC %L::text[])))',
                 'permitted_select_' || (SELECT relname FROM pg_class WHERE oid = target), target, permissions);
END $$;
REVOKE ALL ON FUNCTION require_read_permission(regclass, text[]) FROM PUBLIC;

SELECT require_read_permission('medical_records', ARRAY['clinical.read']);
SELECT require_read_permission('prescriptions', ARRAY['clinical.read']);
SELECT require_read_permission('test_reports', ARRAY['clinical.read']);
SELECT require_read_permission('diagnostic_tests', ARRAY['clinical.read', 'billing.write']);
SELECT require_read_permission('audit_logs', ARRAY['admin.audit']);
SELECT require_read_permission('activity_logs', ARRAY['admin.audit']);

-- Who did it is the request's user, not a column the caller fills in.
CREATE OR REPLACE FUNCTION stamp_author() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  author uuid := current_app_user_id();
BEGIN
  IF author IS NULL THEN
    RETURN NEW; -- the owner's own work (demo data, the operator)
  END IF;
  RETURN jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[0], author));
END $$;
CREATE TRIGGER stamp_author BEFORE INSERT ON patients FOR EACH ROW EXECUTE FUNCTION stamp_author('created_by');
CREATE TRIGGER stamp_author BEFORE INSERT ON appointments FOR EACH ROW EXECUTE FUNCTION stamp_author('created_by');
CREATE TRIGGER stamp_author BEFORE INSERT ON medical_records FOR EACH ROW EXECUTE FUNCTION stamp_author('doctor_id');
CREATE TRIGGER stamp_author BEFORE INSERT ON prescriptions FOR EACH ROW EXECUTE FUNCTION stamp_author('doctor_id');
CREATE TRIGGER stamp_author BEFORE INSERT ON test_reports FOR EACH ROW EXECUTE FUNCTION stamp_author('reported_by');
CREATE TRIGGER stamp_author BEFORE INSERT ON documents FOR EACH ROW EXECUTE FUNCTION stamp_author('user_id');
CREATE TRIGGER stamp_author BEFORE INSERT ON invoices FOR EACH ROW EXECUTE FUNCTION stamp_author('created_by');
CREATE TRIGGER stamp_author BEFORE INSERT ON payments FOR EACH ROW EXECUTE FUNCTION stamp_author('received_by');

-- Clinical steps need clinical permissions, column by column: starting and completing a visit
-- and what the doctor writes on it; verifying a report (which names the verifier).
CREATE OR REPLACE FUNCTION protect_consultation() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF NOT app_may('clinical.write')
     AND ((NEW.status IS DISTINCT FROM OLD.status AND NEW.status IN ('in_progress', 'completed'))
          OR (NEW.diagnosis, NEW.treatment_plan, NEW.symptoms, NEW.vital_signs, NEW.follow_up_notes)
             IS DISTINCT FROM (OLD.diagnosis, OLD.treatment_plan, OLD.symptoms, OLD.vital_signs, OLD.follow_up_notes)) THEN
    RAISE EXCEPTION 'Only clinical staff may start or complete a consultation or write its clinical notes'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER protect_consultation BEFORE UPDATE ON appointments
  FOR EACH ROW EXECUTE FUNCTION protect_consultation();

CREATE OR REPLACE FUNCTION protect_verification() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF (NEW.verified_by, NEW.verified_at) IS DISTINCT FROM (OLD.verified_by, OLD.verified_at) THEN
    IF NOT app_may('tests.verify') THEN
      RAISE EXCEPTION 'Only those who may verify results can verify a report' USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
    END IF;
    IF current_app_user_id() IS NOT NULL THEN
      NEW.verified_by := CASE WHEN NEW.verified_at IS NULL THEN NULL ELSE current_app_user_id() END;
    END IF;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER protect_verification BEFORE UPDATE ON test_reports
  FOR EACH ROW EXECUTE FUNCTION protect_verification();

-- Payments belong to their invoice's clinic.
CREATE POLICY own_clinic_payments ON payments AS RESTRICTIVE FOR ALL TO clinic_app
  USING (EXISTS (SELECT 1 FROM invoices i WHERE i.tenant_id = payments.tenant_id AND i.id = payments.invoice_id))
  WITH CHECK (EXISTS (SELECT 1 FROM invoices i WHERE i.tenant_id = payments.tenant_id AND i.id = payments.invoice_id));

-- A staff member who is disabled or archived loses their login at once, open connections included.
CREATE OR REPLACE FUNCTION end_staff_login() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  login text;
BEGIN
  IF NEW.is_active AND NEW.deleted_at IS NULL THEN
    RETURN NULL;
  END IF;
  FOR login IN
    UPDATE staff_logins SET disabled_at = now()
    WHERE tenant_id = NEW.tenant_id AND user_id = NEW.id AND disabled_at IS NULL RETURNING role_name
  LOOP
    PERFORM create_login_role(login, NULL, false);
  END LOOP;
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION end_staff_login() FROM PUBLIC;
CREATE TRIGGER end_staff_login AFTER UPDATE OF is_active, deleted_at ON users
  FOR EACH ROW EXECUTE FUNCTION end_staff_login();

-- ---------------------------------------------------------------------------
-- Clinic scoping inside a tenant (docs/trust-model.md): patients, staff and clinical records
-- are the organisation's; a clinic's calendar, queue and till are its own. A request sees and
-- writes the appointments and invoices of its user's clinic only.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION current_app_clinic_id() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT u.clinic_id FROM users u WHERE u.tenant_id = current_tenant_id() AND u.id = current_app_user_id()
$$;
REVOKE ALL ON FUNCTION current_app_clinic_id() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION current_app_clinic_id() TO clinic_app;

CREATE POLICY own_clinic_appointments ON appointments AS RESTRICTIVE FOR ALL TO clinic_app
  USING (clinic_id = (SELECT current_app_clinic_id())) WITH CHECK (clinic_id = (SELECT current_app_clinic_id()));
CREATE POLICY own_clinic_invoices ON invoices AS RESTRICTIVE FOR ALL TO clinic_app
  USING (clinic_id = (SELECT current_app_clinic_id())) WITH CHECK (clinic_id = (SELECT current_app_clinic_id()));

-- Clinical background on the patient: reception may add to it, only clinicians may change
-- or remove what is there.
CREATE OR REPLACE FUNCTION protect_clinical_background() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF app_may('clinical.write') THEN
    RETURN NEW;
  END IF;
  IF NOT (NEW.allergies @> OLD.allergies AND NEW.medical_history @> OLD.medical_history
          AND NEW.current_medications @> OLD.current_medications
          AND (coalesce(btrim(OLD.alerts), '') = '' OR starts_with(coalesce(NEW.alerts, ''), OLD.alerts))) THEN
    RAISE EXCEPTION 'Only clinical staff may change or remove allergies, medications, history or alerts'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER protect_clinical_background
  BEFORE UPDATE OF allergies, medical_history, current_medications, alerts ON patients
  FOR EACH ROW EXECUTE FUNCTION protect_clinical_background();

-- A clinic never loses its last administrator (someone must be able to manage users).
CREATE OR REPLACE FUNCTION keep_an_administrator() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM users u JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id
    WHERE u.tenant_id = NEW.tenant_id AND u.deleted_at IS NULL AND u.is_active
      AND r.deleted_at IS NULL AND r.is_active AND r.permissions ? 'admin.users')
  AND EXISTS (
    -- only when this change took it away (a clinic being set up has none yet)
    SELECT 1 FROM roles r
    WHERE r.tenant_id = OLD.tenant_id AND r.id = CASE TG_TABLE_NAME WHEN 'users' THEN (to_jsonb(OLD) ->> 'role_id')::uuid
                                                                   ELSE (to_jsonb(OLD) ->> 'id')::uuid END
      AND r.permissions ? 'admin.users' OR (TG_TABLE_NAME = 'roles' AND (to_jsonb(OLD) -> 'permissions') ? 'admin.users'))
  THEN
    RAISE EXCEPTION 'The clinic must keep at least one active administrator'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'last_administrator';
  END IF;
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION keep_an_administrator() FROM PUBLIC;
CREATE TRIGGER keep_an_administrator AFTER UPDATE OF role_id, is_active, deleted_at ON users
  FOR EACH ROW EXECUTE FUNCTION keep_an_administrator();
CREATE TRIGGER keep_an_administrator AFTER UPDATE OF permissions, is_active, deleted_at ON roles
  FOR EACH ROW EXECUTE FUNCTION keep_an_administrator();

-- ---------------------------------------------------------------------------
-- Archive and restore: the caller needs the table's permission and must be able to see
-- the record (a confidential note it cannot read, it cannot archive either).
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION set_record_deleted(target regclass, record_id uuid, deleted boolean, reason text)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  table_name text;
  needed text[];
  affected integer;
  allowed boolean;
BEGIN
  SELECT c.relname INTO table_name FROM pg_class c
  WHERE c.oid = target AND c.relnamespace = 'public'::regnamespace;
  needed := CASE table_name
    WHEN 'patients' THEN CASE WHEN deleted THEN ARRAY['patients.archive'] ELSE ARRAY['patients.restore'] END
    WHEN 'appointments' THEN ARRAY['appointments.write']
    WHEN 'notifications' THEN ARRAY['appointments.write', 'appointments.checkin', 'notifications.read']
    WHEN 'diagnostic_tests' THEN ARRAY['tests.order']
    WHEN 'test_reports' THEN ARRAY['tests.report']
    WHEN 'invoices' THEN ARRAY['billing.write']
    WHEN 'payments' THEN ARRAY['payments.refund']
    WHEN 'documents' THEN ARRAY['documents.write']
    WHEN 'medical_records' THEN ARRAY['clinical.write']
    WHEN 'prescriptions' THEN ARRAY['prescriptions.write']
    WHEN 'users' THEN ARRAY['admin.users']
    WHEN 'roles' THEN ARRAY['admin.users']
    WHEN 'clinics' THEN ARRAY['admin.settings']
  END;
  IF needed IS NULL THEN
    RAISE EXCEPTION 'Records in % cannot be archived', target USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM require_permission(VARIADIC needed);
  -- A clinic's calendar and till are its own (the owner's direct work acts for no clinic).
  IF table_name IN ('appointments', 'invoices', 'payments') AND current_app_user_id() IS NOT NULL THEN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM public.%I r WHERE r.tenant_id = $1 AND r.id = $2 AND %s)', table_name,
                   CASE table_name WHEN 'payments'
                     THEN 'EXISTS (SELECT 1 FROM public.invoices i WHERE i.tenant_id = r.tenant_id AND i.id = r.invoice_id AND i.clinic_id = $3)'
                     ELSE 'r.clinic_id = $3' END)
      INTO STRICT allowed USING current_tenant_id(), record_id, current_app_clinic_id();
    IF NOT allowed THEN
      RETURN false;
    END IF;
  END IF;
  IF table_name IN ('medical_records', 'documents') AND NOT app_may('records.confidential') THEN
    EXECUTE format('SELECT NOT EXISTS (SELECT 1 FROM public.%I WHERE tenant_id = $1 AND id = $2 AND is_confidential '
                   'AND %I IS DISTINCT FROM $3)', table_name,
                   CASE table_name WHEN 'medical_records' THEN 'doctor_id' ELSE 'user_id' END)
      INTO STRICT allowed USING current_tenant_id(), record_id, current_app_user_id();
    IF NOT allowed THEN
      RETURN false; -- as if it did not exist: the caller may not see it
    END IF;
  END IF;
  PERFORM set_config('app.change_reason', coalesce(reason, ''), true);
  EXECUTE format('UPDATE public.%I SET deleted_at = CASE WHEN $3 THEN now() END '
                 'WHERE tenant_id = $1 AND id = $2 AND (deleted_at IS NULL) = $3', table_name)
    USING current_tenant_id(), record_id, deleted;
  GET DIAGNOSTICS affected = ROW_COUNT;
  PERFORM set_config('app.change_reason', '', true);
  RETURN affected = 1;
END $$;

-- ---------------------------------------------------------------------------
-- Audit: the true identity, confidential content fenced, and activity written only here.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION audit_trigger_function() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  old_row jsonb := CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) - 'password_hash' END;
  new_row jsonb := CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) - 'password_hash' END;
  row_values jsonb := coalesce(new_row, old_row);
  audit_action text := TG_OP;
  changed text[];
  author uuid;
BEGIN
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

REVOKE INSERT ON activity_logs FROM clinic_app;

-- What the app logs (chart opened, sign-in, search), stamped with who really did it.
CREATE OR REPLACE FUNCTION log_activity(p_activity_type text, p_description text, p_entity_type text DEFAULT NULL,
                                        p_entity_id uuid DEFAULT NULL, p_metadata jsonb DEFAULT '{}',
                                        p_user_agent text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF current_tenant_id() IS NULL OR current_app_user_id() IS NULL THEN
    RAISE EXCEPTION 'No signed-in staff member' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_activity_type LIKE 'auth.%' AND p_activity_type <> 'auth.sign_in' THEN
    RAISE EXCEPTION 'Sign-in failures are recorded by the database only' USING ERRCODE = 'insufficient_privilege';
  END IF;
  INSERT INTO activity_logs (tenant_id, user_id, activity_type, description, entity_type, entity_id, metadata, user_agent)
  VALUES (current_tenant_id(), current_app_user_id(), p_activity_type, p_description, p_entity_type, p_entity_id,
          coalesce(p_metadata, '{}'), left(p_user_agent, 500));
END $$;
REVOKE ALL ON FUNCTION log_activity(text, text, text, uuid, jsonb, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION log_activity(text, text, text, uuid, jsonb, text) TO clinic_app;

-- Search, logged with who searched and how many patients it returned.
ALTER FUNCTION search_patients(text, integer) RENAME TO find_patients_matching;
REVOKE ALL ON FUNCTION find_patients_matching(text, integer) FROM PUBLIC, clinic_app;

CREATE OR REPLACE FUNCTION search_patients(p_query text, p_limit integer DEFAULT 20)
RETURNS TABLE (id uuid, patient_number text, first_name text, middle_name text, last_name text,
               date_of_birth date, gender text, phone text, email text, allergies jsonb, alerts text,
               match_kind text, score real)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  found_count integer;
BEGIN
  PERFORM require_permission('patients.read');
  RETURN QUERY SELECT * FROM find_patients_matching(p_query, p_limit);
  GET DIAGNOSTICS found_count = ROW_COUNT;
  IF current_app_user_id() IS NOT NULL AND length(btrim(coalesce(p_query, ''))) > 0 THEN
    INSERT INTO activity_logs (tenant_id, user_id, activity_type, description, metadata)
    VALUES (current_tenant_id(), current_app_user_id(), 'patient.search',
            'Searched patients: ' || found_count || ' found',
            jsonb_build_object('patients_returned', found_count, 'query_length', length(btrim(p_query))));
  END IF;
END $$;
REVOKE ALL ON FUNCTION search_patients(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION search_patients(text, integer) TO clinic_app;

-- ---------------------------------------------------------------------------
-- Functions that act for the tenant check the permission their screen needs.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION archived_patients(p_limit integer DEFAULT 50)
RETURNS TABLE (id uuid, patient_number text, first_name text, last_name text, date_of_birth date,
               deleted_at timestamptz, reason text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  PERFORM require_permission('patients.restore');
  RETURN QUERY
  SELECT p.id, p.patient_number, p.first_name, p.last_name, p.date_of_birth, p.deleted_at,
         (SELECT a.reason FROM audit_logs a
          WHERE a.tenant_id = p.tenant_id AND a.record_id = p.id AND a.action = 'SOFT_DELETE'
          ORDER BY a.created_at DESC LIMIT 1)
  FROM patients p
  WHERE p.tenant_id = current_tenant_id() AND p.deleted_at IS NOT NULL
  ORDER BY p.deleted_at DESC
  LIMIT least(greatest(p_limit, 1), 200);
END $$;

-- Maintenance and the health check: admin.maintenance (or the operator / idle task as owner).
ALTER FUNCTION perform_maintenance() RENAME TO run_tenant_maintenance;
REVOKE ALL ON FUNCTION run_tenant_maintenance() FROM PUBLIC, clinic_app;
CREATE OR REPLACE FUNCTION perform_maintenance() RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  PERFORM require_permission('admin.maintenance');
  RETURN run_tenant_maintenance();
END $$;
REVOKE ALL ON FUNCTION perform_maintenance() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION perform_maintenance() TO clinic_app;

ALTER FUNCTION database_health_check() RENAME TO read_database_health;
REVOKE ALL ON FUNCTION read_database_health() FROM PUBLIC, clinic_app;
CREATE OR REPLACE FUNCTION database_health_check()
RETURNS TABLE (check_name text, status text, value text, details text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  PERFORM require_permission('admin.maintenance');
  RETURN QUERY SELECT * FROM read_database_health();
END $$;
REVOKE ALL ON FUNCTION database_health_check() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION database_health_check() TO clinic_app;

ALTER FUNCTION find_duplicate_patients(text, text, date, text, uuid) RENAME TO find_possible_duplicates;
REVOKE ALL ON FUNCTION find_possible_duplicates(text, text, date, text, uuid) FROM PUBLIC, clinic_app;
CREATE OR REPLACE FUNCTION find_duplicate_patients(
  p_first_name text, p_last_name text, p_date_of_birth date, p_phone text, p_exclude_id uuid DEFAULT NULL
)
RETURNS TABLE (id uuid, patient_number text, first_name text, last_name text, date_of_birth date, phone text,
               reasons text[])
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  PERFORM require_permission('patients.read');
  RETURN QUERY SELECT * FROM find_possible_duplicates(p_first_name, p_last_name, p_date_of_birth, p_phone, p_exclude_id);
END $$;
REVOKE ALL ON FUNCTION find_duplicate_patients(text, text, date, text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION find_duplicate_patients(text, text, date, text, uuid) TO clinic_app;

-- ---------------------------------------------------------------------------
-- Record numbers are the database's alone: a caller-supplied number (say, the next one,
-- which would block every later registration) is replaced, and numbers never change.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION assign_record_number() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  number_column text := TG_ARGV[0];
  prefix text := TG_ARGV[1];
  yearly boolean := TG_ARGV[2] = 'yearly';
  number_period integer := CASE WHEN yearly THEN extract(year FROM now())::integer ELSE 0 END;
  next_value bigint;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF to_jsonb(NEW) ->> number_column IS DISTINCT FROM to_jsonb(OLD) ->> number_column THEN
      RAISE EXCEPTION 'Record numbers never change' USING ERRCODE = 'check_violation', CONSTRAINT = 'record_number_fixed';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.tenant_id IS DISTINCT FROM current_tenant_id() AND current_tenant_id() IS NOT NULL THEN
    RAISE EXCEPTION 'tenant mismatch' USING ERRCODE = 'insufficient_privilege';
  END IF;
  INSERT INTO number_sequences AS s (tenant_id, kind, period, last_value)
  VALUES (NEW.tenant_id, TG_TABLE_NAME, number_period, 1)
  ON CONFLICT (tenant_id, kind, period) DO UPDATE SET last_value = s.last_value + 1
  RETURNING s.last_value INTO next_value;
  NEW := jsonb_populate_record(NEW, jsonb_build_object(number_column,
    prefix || '-' || CASE WHEN yearly THEN number_period::text || '-' ELSE '' END || lpad(next_value::text, 6, '0')));
  RETURN NEW;
END $$;

DO $$
DECLARE
  numbered record;
BEGIN
  FOR numbered IN
    SELECT t.tgrelid::regclass AS target, t.tgname, encode(t.tgargs, 'escape') AS args
    FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
    WHERE p.proname = 'assign_record_number' AND NOT t.tgisinternal
  LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OF %I ON %s FOR EACH ROW EXECUTE FUNCTION assign_record_number(%L, %L, %L)',
                   'keep_' || numbered.tgname, split_part(numbered.args, '\000', 1), numbered.target,
                   split_part(numbered.args, '\000', 1), split_part(numbered.args, '\000', 2),
                   split_part(numbered.args, '\000', 3));
  END LOOP;
END $$;

-- ---------------------------------------------------------------------------
-- Sign-in, offline. Only the trusted process (the owner's session) runs these: no app role
-- can read a password hash, set a password or record an attempt. The lockout is decided
-- here from the account's own counters.
-- ---------------------------------------------------------------------------
DROP FUNCTION sign_in_lookup(text);
DROP FUNCTION record_sign_in_attempt(text, uuid, boolean, integer, integer, text);
REVOKE ALL ON FUNCTION sign_in_tenant(text), set_user_password(uuid, text) FROM PUBLIC, clinic_app;

-- An attempt is claimed before its password is checked, under the account's row lock: a
-- claim counts as a failure until the password proves right. However many attempts arrive at
-- once (a batch, parallel requests), at most max_failures passwords are ever checked. An unknown
-- email fails and locks exactly like a known one, so the answers never tell them apart.
CREATE OR REPLACE FUNCTION sign_in_policy(OUT max_failures integer, OUT lock_minutes integer)
LANGUAGE sql IMMUTABLE AS $$ SELECT 5, 15 $$;

-- Failures of an email that is no account are counted in a row of their own, exactly as an
-- account's, so the answers and the lock never tell the two apart. The owner's only.
CREATE TABLE sign_in_strangers (
  tenant_id             uuid NOT NULL REFERENCES tenants (id),
  email                 text NOT NULL,
  failed_login_attempts integer NOT NULL DEFAULT 0,
  locked_until          timestamptz,
  PRIMARY KEY (tenant_id, email)
);
SELECT apply_tenant_policies('sign_in_strangers');
ALTER TABLE sign_in_strangers ENABLE ROW LEVEL SECURITY;
ALTER TABLE sign_in_strangers FORCE ROW LEVEL SECURITY;

-- The counters of whoever this email is (an account, or a stranger's row), locked for this attempt.
CREATE OR REPLACE FUNCTION sign_in_counters(p_tenant_id uuid, p_email text,
                                            OUT account users, OUT failures integer, OUT lock_end timestamptz)
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  SELECT * INTO account FROM users u
  WHERE u.tenant_id = p_tenant_id AND lower(u.email) = lower(p_email) AND u.deleted_at IS NULL
  FOR UPDATE;
  IF account.id IS NULL THEN
    INSERT INTO sign_in_strangers AS s (tenant_id, email) VALUES (p_tenant_id, lower(p_email))
    ON CONFLICT (tenant_id, email) DO UPDATE SET email = s.email
    RETURNING s.failed_login_attempts, s.locked_until INTO failures, lock_end;
  ELSE
    failures := account.failed_login_attempts;
    lock_end := account.locked_until;
  END IF;
  -- A lock that has run out starts the count afresh.
  IF lock_end IS NOT NULL AND lock_end <= now() THEN
    failures := 0;
    lock_end := NULL;
  END IF;
END $$;

CREATE OR REPLACE FUNCTION save_sign_in_counters(p_tenant_id uuid, p_email text, p_account_id uuid,
                                                 p_failures integer, p_lock_end timestamptz) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF p_account_id IS NULL THEN
    UPDATE sign_in_strangers SET failed_login_attempts = p_failures, locked_until = p_lock_end
    WHERE tenant_id = p_tenant_id AND email = lower(p_email);
  ELSE
    UPDATE users SET failed_login_attempts = p_failures, locked_until = p_lock_end
    WHERE tenant_id = p_tenant_id AND id = p_account_id
      AND (failed_login_attempts, locked_until) IS DISTINCT FROM (p_failures, p_lock_end);
  END IF;
END $$;

-- One sign-in event in the activity log, for the account or the email that was tried.
CREATE OR REPLACE FUNCTION log_sign_in(p_tenant_id uuid, p_user_id uuid, p_email text, p_activity_type text,
                                       p_description text, p_user_agent text) RETURNS void
LANGUAGE sql SET search_path = pg_catalog, public, pg_temp AS $$
  INSERT INTO activity_logs (tenant_id, user_id, activity_type, description, entity_type, entity_id, metadata, user_agent)
  VALUES (p_tenant_id, p_user_id, p_activity_type, p_description, 'user', p_user_id,
          jsonb_build_object('email', lower(p_email)), left(p_user_agent, 500))
$$;

-- Returns 'verify' with the hash to check (NULL for a stranger: check a decoy), or 'locked'.
CREATE OR REPLACE FUNCTION claim_sign_in_attempt(p_tenant_id uuid, p_email text)
RETURNS TABLE (outcome text, password_hash text, locked_until timestamptz)
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  counters record;
  failures integer;
  lock_end timestamptz;
BEGIN
  IF NOT session_is_owner() THEN
    RAISE EXCEPTION 'Only the trusted process signs staff in' USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM set_config('app.current_tenant_id', p_tenant_id::text, true);
  counters := sign_in_counters(p_tenant_id, p_email);
  failures := counters.failures;
  lock_end := counters.lock_end;
  IF lock_end IS NOT NULL THEN
    outcome := 'locked';
  ELSIF failures >= (sign_in_policy()).max_failures THEN
    -- Claims still in flight used up the allowance: lock now, check nothing.
    lock_end := now() + make_interval(mins => (sign_in_policy()).lock_minutes);
    outcome := 'locked';
  ELSE
    failures := failures + 1; -- a failure until the password proves right
    outcome := 'verify';
    password_hash := (counters.account).password_hash;
  END IF;
  PERFORM save_sign_in_counters(p_tenant_id, p_email, (counters.account).id, failures, lock_end);
  locked_until := lock_end;
  IF outcome = 'locked' THEN
    PERFORM log_sign_in(p_tenant_id, (counters.account).id, p_email, 'auth.locked_out',
                        'Sign-in refused: locked after repeated failed sign-ins', NULL);
  END IF;
  RETURN NEXT;
END $$;

-- Settles a claimed attempt: 'signed_in', 'wrong_password', 'locked' (with the lock's end) or 'disabled'.
CREATE OR REPLACE FUNCTION finish_sign_in_attempt(p_tenant_id uuid, p_email text, p_password_matched boolean,
                                                  p_user_agent text DEFAULT NULL)
RETURNS TABLE (outcome text, user_id uuid, locked_until timestamptz)
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  counters record;
  account users;
  failures integer;
  lock_end timestamptz;
BEGIN
  IF NOT session_is_owner() THEN
    RAISE EXCEPTION 'Only the trusted process signs staff in' USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM set_config('app.current_tenant_id', p_tenant_id::text, true);
  counters := sign_in_counters(p_tenant_id, p_email);
  account := counters.account;
  failures := counters.failures;
  lock_end := counters.lock_end;
  IF account.id IS NOT NULL AND p_password_matched THEN
    failures := 0;
    lock_end := NULL;
    outcome := CASE WHEN account.is_active THEN 'signed_in' ELSE 'disabled' END;
    IF account.is_active THEN
      UPDATE users u SET last_login_at = now() WHERE u.tenant_id = p_tenant_id AND u.id = account.id;
    END IF;
  ELSIF failures >= (sign_in_policy()).max_failures THEN
    lock_end := coalesce(lock_end, now() + make_interval(mins => (sign_in_policy()).lock_minutes));
    outcome := 'locked';
  ELSE
    outcome := 'wrong_password';
  END IF;
  PERFORM save_sign_in_counters(p_tenant_id, p_email, account.id, failures, lock_end);
  PERFORM log_sign_in(p_tenant_id, account.id, p_email,
    CASE outcome WHEN 'signed_in' THEN 'auth.sign_in' WHEN 'locked' THEN 'auth.locked_out' ELSE 'auth.sign_in_failed' END,
    CASE WHEN outcome = 'signed_in' THEN 'Signed in'
         WHEN account.id IS NULL AND outcome = 'locked' THEN 'Sign-ins for an unknown email locked after repeated failures'
         WHEN account.id IS NULL THEN 'Failed sign-in for an unknown email'
         WHEN outcome = 'locked' THEN 'Account locked after repeated failed sign-ins'
         WHEN outcome = 'disabled' THEN 'Sign-in refused: the account is disabled'
         ELSE 'Failed sign-in' END,
    p_user_agent);
  user_id := CASE WHEN outcome IN ('signed_in', 'disabled') THEN account.id END;
  locked_until := CASE WHEN outcome = 'locked' THEN lock_end END;
  RETURN NEXT;
END $$;
REVOKE ALL ON FUNCTION sign_in_policy(), sign_in_counters(uuid, text), save_sign_in_counters(uuid, text, uuid, integer, timestamptz),
  log_sign_in(uuid, uuid, text, text, text, text),
  claim_sign_in_attempt(uuid, text), finish_sign_in_attempt(uuid, text, boolean, text) FROM PUBLIC;

-- ---------------------------------------------------------------------------
-- INSERT and UPDATE by column, never on the whole table: a table-level UPDATE lets its holder
-- LOCK TABLE … ACCESS EXCLUSIVE, stalling every clinic on the server.
-- ---------------------------------------------------------------------------
DO $$
DECLARE
  granted record;
BEGIN
  FOR granted IN
    SELECT c.oid::regclass AS target, p.privilege_type AS privilege,
           (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM pg_attribute a
            WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '') AS columns
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    CROSS JOIN LATERAL aclexplode(c.relacl) p
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND p.grantee = 'clinic_app'::regrole
      AND p.privilege_type IN ('INSERT', 'UPDATE')
  LOOP
    EXECUTE format('REVOKE %s ON %s FROM clinic_app', granted.privilege, granted.target);
    EXECUTE format('GRANT %s (%s) ON %s TO clinic_app', granted.privilege, granted.columns, granted.target);
  END LOOP;
END $$;

-- ---------------------------------------------------------------------------
-- Every definer and trigger function searches pg_temp last (a catalog test keeps it so).
-- ---------------------------------------------------------------------------
DO $$
DECLARE
  fn record;
BEGIN
  FOR fn IN
    SELECT p.oid::regprocedure AS signature
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'public'
      AND (p.prosecdef OR p.prorettype = 'trigger'::regtype OR p.proconfig IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
      AND p.proname <> 'create_login_role'
  LOOP
    EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, public, pg_temp', fn.signature);
  END LOOP;
END $$;
