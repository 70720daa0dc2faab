-- ClinicDesk 010: every user can change their password; an administrator's reset sets a
-- temporary one that must be changed at the next sign-in (the database refuses the rest).

ALTER TABLE users ADD COLUMN password_change_required boolean NOT NULL DEFAULT false;
GRANT SELECT (password_change_required) ON users TO clinic_app;

-- An administrator gives a staff member a temporary password. Offline the app stores its scrypt
-- hash; on a server the staff login takes the SCRAM verifier too (never the password itself).
CREATE OR REPLACE FUNCTION reset_staff_password(p_user_id uuid, p_password_hash text, p_verifier text DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  PERFORM require_permission('admin.users');
  IF p_password_hash NOT LIKE 'scrypt$%' THEN
    RAISE EXCEPTION 'A password is stored as its scrypt hash' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  UPDATE users SET password_hash = p_password_hash, password_changed_at = now(), password_change_required = true,
                   failed_login_attempts = 0, locked_until = NULL
  WHERE tenant_id = current_tenant_id() AND id = p_user_id AND deleted_at IS NULL AND is_active;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  IF p_verifier IS NOT NULL THEN
    PERFORM provision_staff_login(p_user_id, p_verifier);
  END IF;
  RETURN true;
END $$;

-- The signed-in person's own new password (the app checked their current one first).
CREATE OR REPLACE FUNCTION change_own_password(p_password_hash text, p_verifier text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  me uuid := current_app_user_id();
  login text;
BEGIN
  IF me IS NULL OR current_tenant_id() IS NULL THEN
    RAISE EXCEPTION 'No signed-in staff member' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_password_hash NOT LIKE 'scrypt$%' THEN
    RAISE EXCEPTION 'A password is stored as its scrypt hash' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  UPDATE users SET password_hash = p_password_hash, password_changed_at = now(), password_change_required = false
  WHERE tenant_id = current_tenant_id() AND id = me;
  IF p_verifier IS NOT NULL THEN
    SELECT role_name INTO login FROM staff_logins
    WHERE tenant_id = current_tenant_id() AND user_id = me AND disabled_at IS NULL;
    IF login IS NOT NULL THEN
      PERFORM create_login_role(login, p_verifier, true);
    END IF;
  END IF;
END $$;

-- Until a temporary password is replaced, the database lets its holder do nothing else.
CREATE OR REPLACE FUNCTION app_user_has_any_permission(p_permissions text[]) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT coalesce((
    SELECT r.permissions ?| p_permissions
    FROM users u JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id
    WHERE u.tenant_id = current_tenant_id() AND u.id = current_app_user_id()
      AND u.deleted_at IS NULL AND u.is_active AND NOT u.password_change_required
      AND r.deleted_at IS NULL AND r.is_active), false)
$$;

REVOKE ALL ON FUNCTION reset_staff_password(uuid, text, text), change_own_password(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reset_staff_password(uuid, text, text), change_own_password(text, text) TO clinic_app;
