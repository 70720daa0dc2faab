-- ClinicDesk 013: prescribing with safety checks.
--
-- The checks themselves (allergy, cross-sensitivity, duplicate therapy) run in the trusted
-- backend from the curated table in shared/drug-classes.ts; the database keeps what was shown and
-- why it was overridden, and refuses the two things that must never be written silently:
--   * a prescription recorded with warnings but no reason to override them;
--   * a prescription discontinued without a reason.
-- Both are audited by the audit trigger already on prescriptions (who, when, old and new rows).

ALTER TABLE prescriptions
  ADD COLUMN warnings_overridden jsonb
    CONSTRAINT prescriptions_warnings_overridden_array CHECK (jsonb_typeof(warnings_overridden) = 'array'),
  ADD COLUMN override_reason text
    CONSTRAINT prescriptions_override_reason_length CHECK (length(btrim(override_reason)) BETWEEN 1 AND 1000);

-- Warnings shown and overridden go with a reason, and a reason goes with the warnings it overrode.
ALTER TABLE prescriptions ADD CONSTRAINT prescriptions_override_has_reason
  CHECK ((override_reason IS NOT NULL) = (coalesce(warnings_overridden, '[]'::jsonb) <> '[]'::jsonb));

-- Discontinuing needs a reason, checked when the status becomes discontinued (or the reason of a
-- discontinued prescription is changed): a trigger rather than a CHECK, so rows written before
-- this migration without one (by the operator) can still be archived.
CREATE FUNCTION require_discontinued_reason() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF NEW.status = 'discontinued' AND coalesce(btrim(NEW.discontinued_reason), '') = ''
     AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'discontinued'
          OR OLD.discontinued_reason IS DISTINCT FROM NEW.discontinued_reason) THEN
    RAISE EXCEPTION 'A prescription is discontinued with a reason'
      USING ERRCODE = 'check_violation', TABLE = 'prescriptions', COLUMN = 'discontinued_reason';
  END IF;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION require_discontinued_reason() FROM PUBLIC;
CREATE TRIGGER require_discontinued_reason BEFORE INSERT OR UPDATE OF status, discontinued_reason ON prescriptions
  FOR EACH ROW EXECUTE FUNCTION require_discontinued_reason();

-- Columns added after 008 get their grants here (the app role writes by column only). What was
-- overridden, and why, is written once with the prescription: no UPDATE, so it cannot be
-- rewritten afterwards (the permission policies of 008 still apply to the INSERT).
GRANT INSERT (warnings_overridden, override_reason) ON prescriptions TO clinic_app;
