-- ClinicDesk 018: note templates. A clinic keeps its own SOAP text templates (a diabetes review,
-- a UTI, a child's cough); the doctor picks one when writing a note and it fills the boxes.
-- Runs unchanged on PGlite (PostgreSQL 18) and PostgreSQL 15+.
--
-- Decisions written down:
-- * Templates are clinical wording, so clinical staff (clinical.write) write, change and retire
--   them, as they write notes; everyone who reads charts (clinical.read) may use them. The
--   administrator holds clinical.write too.
-- * A template is retired (is_active = false), never deleted: an audited change like any other.
-- * The prescriber's registration number is users.license_number (001); nothing is added for it.

CREATE TABLE note_templates (
  tenant_id       uuid NOT NULL REFERENCES tenants (id),
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  name            text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
  chief_complaint text NOT NULL DEFAULT '' CHECK (length(chief_complaint) <= 500),
  history         text NOT NULL DEFAULT '' CHECK (length(history) <= 8000),
  examination     text NOT NULL DEFAULT '' CHECK (length(examination) <= 8000),
  assessment      text NOT NULL DEFAULT '' CHECK (length(assessment) <= 4000),
  plan            text NOT NULL DEFAULT '' CHECK (length(plan) <= 4000),
  is_active       boolean NOT NULL DEFAULT true,
  created_by      uuid,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id)
);
-- Names are kept apart by the router (one live template of a name), not by a unique index: two of
-- one name at once would be untidy, not unsafe, and the catalog-driven isolation suite copies rows.
CREATE INDEX idx_note_templates_active ON note_templates (tenant_id, is_active);
CREATE INDEX idx_note_templates_created_by ON note_templates (tenant_id, created_by);

SELECT declare_tenant_table('note_templates', inserts => ARRAY['clinical.write'], updates => ARRAY['clinical.write'],
                            reads => ARRAY['clinical.read']);
-- Who wrote it is the signed-in person, never a value the caller sends.
CREATE TRIGGER stamp_author BEFORE INSERT ON note_templates FOR EACH ROW EXECUTE FUNCTION stamp_author('created_by');
