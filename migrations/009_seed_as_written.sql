-- ClinicDesk 009: the seed document's usage examples run as written. Its example registers a
-- patient without a clinic; a record that belongs to a clinic takes the request's own clinic,
-- or the tenant's only clinic, when none is named (with several and no user, it must be named).

CREATE OR REPLACE FUNCTION default_clinic_id() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF NEW.clinic_id IS NULL THEN
    NEW.clinic_id := coalesce(current_app_clinic_id(),
      (SELECT CASE WHEN count(*) = 1 THEN (array_agg(c.id))[1] END
       FROM clinics c WHERE c.tenant_id = NEW.tenant_id AND c.deleted_at IS NULL));
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER default_clinic_id BEFORE INSERT ON patients FOR EACH ROW EXECUTE FUNCTION default_clinic_id();
CREATE TRIGGER default_clinic_id BEFORE INSERT ON appointments FOR EACH ROW EXECUTE FUNCTION default_clinic_id();
CREATE TRIGGER default_clinic_id BEFORE INSERT ON diagnostic_tests FOR EACH ROW EXECUTE FUNCTION default_clinic_id();
CREATE TRIGGER default_clinic_id BEFORE INSERT ON invoices FOR EACH ROW EXECUTE FUNCTION default_clinic_id();
CREATE TRIGGER default_clinic_id BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION default_clinic_id();
