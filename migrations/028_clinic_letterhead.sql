-- ClinicDesk 028: the clinic's logo on every print, and the usual length of each type of visit.
--
-- * The logo's bytes are kept in the database, as a document's are (the offline backup is the
--   data directory and nothing beside it). Like document_files, clinic_logos is owner-only: the
--   bytes go in through store_clinic_logo (admin.settings; PNG or JPEG read from the bytes, 512 KiB
--   at most), come out through clinic_logo() to any signed-in staff member of the clinic (every
--   print carries it), and go away through remove_clinic_logo (admin.settings). The bytes are not
--   copied into audit rows; the clinic's settings name the logo (type, size, checksum), and that
--   change is audited with the clinics row.
-- * appointment_type_durations: per clinic, the minutes a visit of each type usually takes
--   (5 to 480, in steps of 5). Booking prefills its length from it. Every clinic has a row for
--   every type from its creation (seeded by trigger), changed only with admin.settings.

CREATE TABLE clinic_logos (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  clinic_id  uuid NOT NULL,
  media_type text NOT NULL,
  content    bytea NOT NULL CHECK (octet_length(content) BETWEEN 1 AND 524288),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, clinic_id),
  FOREIGN KEY (tenant_id, clinic_id) REFERENCES clinics (tenant_id, id),
  -- The type is what the bytes say, whoever wrote the row.
  CONSTRAINT clinic_logos_type_from_bytes CHECK (
    (media_type = 'image/png' AND substring(content FROM 1 FOR 8) = '\x89504e470d0a1a0a'::bytea)
    OR (media_type = 'image/jpeg' AND substring(content FROM 1 FOR 3) = '\xffd8ff'::bytea))
);
ALTER TABLE clinic_logos ENABLE ROW LEVEL SECURITY;
ALTER TABLE clinic_logos FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_tenant_access_clinic_logos ON clinic_logos FOR ALL TO CURRENT_USER
  USING (tenant_id = (SELECT current_tenant_id())) WITH CHECK (tenant_id = (SELECT current_tenant_id()));

-- The caller's clinic's logo, replacing the one before. Returns the type read from the bytes.
CREATE OR REPLACE FUNCTION store_clinic_logo(p_content bytea) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  clinic uuid := current_app_clinic_id();
  media_type text := CASE
    WHEN substring(p_content FROM 1 FOR 8) = '\x89504e470d0a1a0a'::bytea THEN 'image/png'
    WHEN substring(p_content FROM 1 FOR 3) = '\xffd8ff'::bytea THEN 'image/jpeg' END;
BEGIN
  PERFORM require_permission('admin.settings');
  IF clinic IS NULL THEN
    RAISE EXCEPTION 'Only a staff member of the clinic may change its logo.' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF media_type IS NULL THEN
    RAISE EXCEPTION 'The logo must be a PNG or JPEG image.' USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  IF octet_length(p_content) > 524288 THEN
    RAISE EXCEPTION 'The logo is too large: 512 KB at most.' USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  INSERT INTO clinic_logos AS l (tenant_id, clinic_id, media_type, content)
  VALUES (current_tenant_id(), clinic, media_type, p_content)
  ON CONFLICT (tenant_id, clinic_id) DO UPDATE SET media_type = EXCLUDED.media_type, content = EXCLUDED.content, created_at = now();
  UPDATE clinics SET settings = settings || jsonb_build_object('logo', jsonb_build_object(
    'media_type', media_type, 'bytes', octet_length(p_content), 'sha256', encode(sha256(p_content), 'hex')))
  WHERE tenant_id = current_tenant_id() AND id = clinic;
  RETURN media_type;
END $$;
REVOKE ALL ON FUNCTION store_clinic_logo(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION store_clinic_logo(bytea) TO clinic_app;

CREATE OR REPLACE FUNCTION remove_clinic_logo() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  PERFORM require_permission('admin.settings');
  DELETE FROM clinic_logos WHERE tenant_id = current_tenant_id() AND clinic_id = current_app_clinic_id();
  UPDATE clinics SET settings = settings - 'logo' WHERE tenant_id = current_tenant_id() AND id = current_app_clinic_id();
END $$;
REVOKE ALL ON FUNCTION remove_clinic_logo() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION remove_clinic_logo() TO clinic_app;

-- The logo of the caller's own clinic (none for a session that is no clinic's staff member).
CREATE OR REPLACE FUNCTION clinic_logo() RETURNS TABLE (media_type text, content bytea)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT l.media_type, l.content FROM clinic_logos l
  WHERE l.tenant_id = current_tenant_id() AND l.clinic_id = current_app_clinic_id()
$$;
REVOKE ALL ON FUNCTION clinic_logo() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION clinic_logo() TO clinic_app;

-- ---------------------------------------------------------------------------
-- How long each type of visit usually takes, per clinic.
-- ---------------------------------------------------------------------------
CREATE TABLE appointment_type_durations (
  tenant_id        uuid NOT NULL REFERENCES tenants (id),
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  clinic_id        uuid NOT NULL,
  -- The types of appointments.appointment_type (migration 001), which price_list also names.
  appointment_type text NOT NULL CHECK (appointment_type IN ('consultation', 'follow_up', 'check_up', 'procedure',
                                                             'vaccination', 'emergency', 'telemedicine')),
  duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 5 AND 480 AND duration_minutes % 5 = 0),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, clinic_id, appointment_type),
  FOREIGN KEY (tenant_id, clinic_id) REFERENCES clinics (tenant_id, id)
);
CREATE TRIGGER default_clinic_id BEFORE INSERT ON appointment_type_durations FOR EACH ROW EXECUTE FUNCTION default_clinic_id();
SELECT declare_tenant_table('appointment_type_durations', inserts => ARRAY['admin.settings'], updates => ARRAY['admin.settings']);
CREATE POLICY own_clinic_appointment_type_durations ON appointment_type_durations AS RESTRICTIVE FOR ALL TO clinic_app
  USING (clinic_id = (SELECT current_app_clinic_id())) WITH CHECK (clinic_id = (SELECT current_app_clinic_id()));

-- Usual lengths for every type, for a clinic that has none yet; the administrator changes them in settings.
CREATE OR REPLACE FUNCTION add_usual_appointment_type_durations(p_tenant_id uuid, p_clinic_id uuid) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  INSERT INTO appointment_type_durations (tenant_id, clinic_id, appointment_type, duration_minutes)
  SELECT p_tenant_id, p_clinic_id, t.appointment_type, t.minutes
  FROM (VALUES ('consultation', 15), ('follow_up', 15), ('check_up', 20), ('procedure', 30), ('vaccination', 10),
               ('emergency', 15), ('telemedicine', 15)) AS t (appointment_type, minutes)
  ON CONFLICT (tenant_id, clinic_id, appointment_type) DO NOTHING
$$;
REVOKE ALL ON FUNCTION add_usual_appointment_type_durations(uuid, uuid) FROM PUBLIC;

CREATE OR REPLACE FUNCTION seed_appointment_type_durations() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  PERFORM add_usual_appointment_type_durations(NEW.tenant_id, NEW.id);
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION seed_appointment_type_durations() FROM PUBLIC;
CREATE TRIGGER seed_appointment_type_durations AFTER INSERT ON clinics
  FOR EACH ROW EXECUTE FUNCTION seed_appointment_type_durations();

-- The clinics there already, as the owner, one tenant at a time (a schema owner that is not a superuser sees one at a time).
DO $$
DECLARE
  tenant uuid;
BEGIN
  FOR tenant IN SELECT id FROM tenants LOOP
    PERFORM set_config('app.current_tenant_id', tenant::text, true);
    PERFORM add_usual_appointment_type_durations(c.tenant_id, c.id) FROM clinics c WHERE c.tenant_id = tenant;
  END LOOP;
  PERFORM set_config('app.current_tenant_id', '', true);
END $$;
