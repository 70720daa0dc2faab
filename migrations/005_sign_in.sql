-- ClinicDesk 005: sign-in. clinic_app cannot read password hashes or lockout counters;
-- these owner-run functions expose exactly what sign-in needs, for the current tenant only.

-- Which tenant a sign-in is for: by clinic code (slug), or the only tenant of an offline clinic.
CREATE OR REPLACE FUNCTION sign_in_tenant(p_slug text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT t.id FROM tenants t
  WHERE t.deleted_at IS NULL AND t.is_active AND t.subscription_status NOT IN ('suspended', 'cancelled')
    AND (t.slug = p_slug
         OR (p_slug IS NULL AND (SELECT count(*) FROM tenants WHERE deleted_at IS NULL) = 1))
$$;

CREATE OR REPLACE FUNCTION sign_in_lookup(p_email text)
RETURNS TABLE (user_id uuid, password_hash text, is_active boolean, locked_until timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT u.id, u.password_hash, u.is_active, u.locked_until
  FROM users u
  WHERE u.tenant_id = current_tenant_id() AND lower(u.email) = lower(p_email) AND u.deleted_at IS NULL
$$;

-- Records an attempt: success clears the failure count; the Nth failure in a row locks the
-- account for a while. Every attempt lands in activity_logs. Returns the lock expiry, if any.
CREATE OR REPLACE FUNCTION record_sign_in_attempt(
  p_email text, p_user_id uuid, p_success boolean, p_max_failures integer, p_lock_minutes integer,
  p_user_agent text DEFAULT NULL
) RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  tenant uuid := current_tenant_id();
  failures integer;
  locked timestamptz;
BEGIN
  IF tenant IS NULL THEN
    RAISE EXCEPTION 'No tenant context' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_user_id IS NOT NULL THEN
    UPDATE users
    SET failed_login_attempts = CASE WHEN p_success THEN 0 ELSE failed_login_attempts + 1 END,
        last_login_at = CASE WHEN p_success THEN now() ELSE last_login_at END,
        locked_until = CASE
          WHEN p_success THEN NULL
          WHEN failed_login_attempts + 1 >= p_max_failures THEN now() + make_interval(mins => p_lock_minutes)
          ELSE locked_until END
    WHERE tenant_id = tenant AND id = p_user_id
    RETURNING failed_login_attempts, locked_until INTO failures, locked;
  END IF;
  INSERT INTO activity_logs (tenant_id, user_id, activity_type, description, entity_type, entity_id, metadata, user_agent)
  VALUES (tenant, p_user_id,
          CASE WHEN p_success THEN 'auth.sign_in' WHEN locked IS NOT NULL THEN 'auth.locked_out' ELSE 'auth.sign_in_failed' END,
          CASE WHEN p_success THEN 'Signed in'
               WHEN p_user_id IS NULL THEN 'Failed sign-in for an unknown email'
               WHEN locked IS NOT NULL THEN 'Account locked after repeated failed sign-ins'
               ELSE 'Failed sign-in' END,
          'user', p_user_id,
          jsonb_build_object('email', lower(p_email), 'failures', coalesce(failures, 0)),
          p_user_agent);
  RETURN locked;
END $$;

-- The password is already hashed by the app (scrypt); the database only stores it.
CREATE OR REPLACE FUNCTION set_user_password(p_user_id uuid, p_password_hash text) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  IF current_tenant_id() IS NULL THEN
    RAISE EXCEPTION 'No tenant context' USING ERRCODE = 'insufficient_privilege';
  END IF;
  UPDATE users SET password_hash = p_password_hash, password_changed_at = now(),
                   failed_login_attempts = 0, locked_until = NULL
  WHERE tenant_id = current_tenant_id() AND id = p_user_id AND deleted_at IS NULL;
  RETURN FOUND;
END $$;

REVOKE ALL ON FUNCTION sign_in_tenant(text), sign_in_lookup(text),
  record_sign_in_attempt(text, uuid, boolean, integer, integer, text), set_user_password(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sign_in_tenant(text), sign_in_lookup(text),
  record_sign_in_attempt(text, uuid, boolean, integer, integer, text), set_user_password(uuid, text) TO clinic_app;
