-- ClinicDesk 012: the consultation note. A note (medical_records) is a draft until its author
-- signs it; from then on it never changes (not even archived: it is the record of what was
-- known and done), and what is learnt later is written as an addendum beside it.
-- Runs unchanged on PGlite (PostgreSQL 18) and PostgreSQL 15+.
--
-- Decisions written down:
-- * Only the note's author signs it: signing attests "I examined and wrote this". Holding
--   records.confidential lets a person read confidential notes, not sign another's.
-- * Anyone with clinical.write who can see the note may work on a draft (a nurse records the
--   vitals in the doctor's draft) and add an addendum to a signed note (a result phoned in);
--   the addendum names who wrote it.
-- * The author of a note never changes, so nobody can make a note theirs in order to sign it.

CREATE OR REPLACE FUNCTION lock_signed_note() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  signer uuid := current_app_user_id();
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- Written and signed at once: the signature's time is the database's, not the caller's.
    IF NEW.signed_at IS NOT NULL AND signer IS NOT NULL THEN
      NEW.signed_at := now();
    END IF;
    RETURN NEW;
  END IF;
  IF OLD.signed_at IS NOT NULL THEN
    RAISE EXCEPTION 'This note is signed and can no longer be changed. Add an addendum instead.'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  IF signer IS NULL THEN
    RETURN NEW; -- the owner's own work (demo data, the operator)
  END IF;
  IF NEW.doctor_id IS DISTINCT FROM OLD.doctor_id THEN
    RAISE EXCEPTION 'The author of a note cannot be changed.'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  IF NEW.signed_at IS NOT NULL THEN
    IF OLD.doctor_id IS DISTINCT FROM signer THEN
      RAISE EXCEPTION 'Only the author of a note can sign it.'
        USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
    END IF;
    NEW.signed_at := now();
  END IF;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION lock_signed_note() FROM PUBLIC;
CREATE TRIGGER lock_signed_note BEFORE INSERT OR UPDATE ON medical_records
  FOR EACH ROW EXECUTE FUNCTION lock_signed_note();

-- The doctor's notes of a visit, found from the appointment (idx_medical_records_appointment)
-- and the patient's signed history (idx_medical_records_patient) already have their indexes.

CREATE TABLE medical_record_addenda (
  tenant_id         uuid NOT NULL REFERENCES tenants (id),
  id                uuid NOT NULL DEFAULT gen_random_uuid(),
  medical_record_id uuid NOT NULL,
  -- Copied from the note by the trigger below, never taken from the caller: the confidential
  -- fence of the note (its RLS policy and the audit trail's) applies to its addenda as well.
  doctor_id         uuid NOT NULL,
  is_confidential   boolean NOT NULL DEFAULT false,
  written_by        uuid NOT NULL,
  addendum          text NOT NULL CHECK (length(btrim(addendum)) BETWEEN 1 AND 4000),
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, medical_record_id) REFERENCES medical_records (tenant_id, id),
  FOREIGN KEY (tenant_id, doctor_id) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, written_by) REFERENCES users (tenant_id, id)
);
CREATE INDEX idx_medical_record_addenda_record ON medical_record_addenda (tenant_id, medical_record_id, created_at);
CREATE INDEX idx_medical_record_addenda_doctor ON medical_record_addenda (tenant_id, doctor_id);
CREATE INDEX idx_medical_record_addenda_written_by ON medical_record_addenda (tenant_id, written_by);

SELECT declare_tenant_table('medical_record_addenda', inserts => ARRAY['clinical.write'], reads => ARRAY['clinical.read']);

-- Confidential like the note it belongs to: its author and holders of records.confidential.
DROP POLICY tenant_isolation_medical_record_addenda ON medical_record_addenda;
CREATE POLICY tenant_isolation_medical_record_addenda ON medical_record_addenda FOR ALL TO clinic_app
  USING (tenant_id = (SELECT current_tenant_id())
         AND (NOT is_confidential OR doctor_id = (SELECT current_app_user_id())
              OR (SELECT app_user_has_permission('records.confidential'))))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));

-- An addendum belongs to a signed note the writer can see (read as the caller, so a
-- confidential note of someone else's looks absent); the writer is the signed-in person.
CREATE OR REPLACE FUNCTION attach_addendum() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  note record;
BEGIN
  IF NEW.tenant_id IS DISTINCT FROM current_tenant_id() AND current_tenant_id() IS NOT NULL THEN
    RAISE EXCEPTION 'tenant mismatch' USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- Said before looking for the note, which someone without clinical access cannot see.
  IF current_app_user_id() IS NOT NULL AND NOT app_may('clinical.write') THEN
    RAISE EXCEPTION 'Only clinical staff may add to a note.'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  SELECT m.doctor_id, m.is_confidential, m.signed_at INTO note
  FROM medical_records m WHERE m.tenant_id = NEW.tenant_id AND m.id = NEW.medical_record_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'This note does not exist or was archived.' USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF note.signed_at IS NULL THEN
    RAISE EXCEPTION 'A draft is edited, not added to: addenda are for signed notes.'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'addendum_to_signed_note';
  END IF;
  NEW.doctor_id := note.doctor_id;
  NEW.is_confidential := note.is_confidential;
  IF current_app_user_id() IS NOT NULL THEN
    NEW.written_by := current_app_user_id();
    NEW.created_at := now();
  END IF;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION attach_addendum() FROM PUBLIC;
CREATE TRIGGER attach_addendum BEFORE INSERT ON medical_record_addenda
  FOR EACH ROW EXECUTE FUNCTION attach_addendum();
