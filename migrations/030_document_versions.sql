-- ClinicDesk 030: versions of a document. Runs unchanged on PGlite (PostgreSQL 18) and PostgreSQL 15+.
--
-- Decisions written down:
-- * A document keeps its identity (its documents row: patient, title, kind, author, confidentiality)
--   and gains versions 1, 2, 3 …: one document_versions row each (file name, type, size, checksum,
--   who uploaded it and when) and one document_files row of bytes each. The documents row describes
--   the newest version (its version and file columns), so the chart, the timeline and the FHIR export
--   show the newest without knowing about versions. Nothing is overwritten: the earlier versions and
--   their bytes stay, and the documents row's audit trail records each change of version.
-- * Versions are seen with their document: the same clinic, documents.read and the confidential fence
--   (its author and holders of records.confidential), by policy on the documents row. The app role
--   only reads versions; a version comes in only through add_document_version, which checks the
--   permission, that the caller may see the document, the size and the type (read from the bytes),
--   and numbers it under a lock of the document row, so two uploads at once get 2 and 3.
-- * document_versions is not audited itself: version 1 is the audited documents insert and each later
--   version the audited documents update (with the confidential fence the documents row carries).

CREATE TABLE document_versions (
  tenant_id       uuid NOT NULL REFERENCES tenants (id),
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  document_id     uuid NOT NULL,
  version         integer NOT NULL CHECK (version >= 1),
  file_name       text NOT NULL,
  mime_type       text NOT NULL,
  file_size       bigint NOT NULL CHECK (file_size >= 0),
  checksum_sha256 text CHECK (checksum_sha256 ~ '^[0-9a-f]{64}$'),
  uploaded_by     uuid NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, document_id, version),
  FOREIGN KEY (tenant_id, document_id) REFERENCES documents (tenant_id, id),
  FOREIGN KEY (tenant_id, uploaded_by) REFERENCES users (tenant_id, id)
);
SELECT declare_tenant_table('document_versions', reads => ARRAY['documents.read'], audited => false);
-- A version is seen only with its document (the documents policy: live, confidential fence).
DROP POLICY tenant_isolation_document_versions ON document_versions;
CREATE POLICY tenant_isolation_document_versions ON document_versions FOR ALL TO clinic_app
  USING (tenant_id = (SELECT current_tenant_id())
         AND EXISTS (SELECT 1 FROM documents d WHERE d.tenant_id = document_versions.tenant_id AND d.id = document_versions.document_id))
  WITH CHECK (tenant_id = (SELECT current_tenant_id()));

-- Every document starts as its version 1, whoever files it (the app, the FHIR import, demo data).
CREATE OR REPLACE FUNCTION record_first_document_version() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  INSERT INTO document_versions (tenant_id, document_id, version, file_name, mime_type, file_size, checksum_sha256, uploaded_by, created_at)
  VALUES (NEW.tenant_id, NEW.id, NEW.version, NEW.file_name, NEW.mime_type, NEW.file_size, NEW.checksum_sha256, NEW.user_id, NEW.created_at);
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION record_first_document_version() FROM PUBLIC;
CREATE TRIGGER record_first_document_version AFTER INSERT ON documents
  FOR EACH ROW EXECUTE FUNCTION record_first_document_version();

-- The documents already filed, as the owner one clinic at a time (a schema owner that is not a
-- superuser sees one at a time).
DO $$
DECLARE
  clinic uuid;
BEGIN
  FOR clinic IN SELECT id FROM tenants LOOP
    PERFORM set_config('app.current_tenant_id', clinic::text, true);
    INSERT INTO document_versions (tenant_id, document_id, version, file_name, mime_type, file_size, checksum_sha256, uploaded_by, created_at)
    SELECT tenant_id, id, version, file_name, mime_type, file_size, checksum_sha256, user_id, created_at
    FROM documents WHERE tenant_id = clinic;
  END LOOP;
  PERFORM set_config('app.current_tenant_id', '', true);
END $$;

-- The bytes, one row per version (a document's first unless said: the demo data files them so).
ALTER TABLE document_files ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE document_files DROP CONSTRAINT document_files_pkey;
ALTER TABLE document_files ADD PRIMARY KEY (tenant_id, document_id, version);
ALTER TABLE document_files ADD FOREIGN KEY (tenant_id, document_id, version)
  REFERENCES document_versions (tenant_id, document_id, version);

-- The kind of file, read from its first bytes (never from its name): the formats a chart keeps.
CREATE OR REPLACE FUNCTION document_format(p_content bytea) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT CASE
    WHEN substring(p_content FROM 1 FOR 5) = '\x255044462d'::bytea THEN 'application/pdf'
    WHEN substring(p_content FROM 1 FOR 8) = '\x89504e470d0a1a0a'::bytea THEN 'image/png'
    WHEN substring(p_content FROM 1 FOR 3) = '\xffd8ff'::bytea THEN 'image/jpeg'
  END
$$;
REVOKE ALL ON FUNCTION document_format(bytea) FROM PUBLIC;

-- The bytes of a document the caller has just added (023's checks), kept as its current version.
CREATE OR REPLACE FUNCTION store_document_file(p_document_id uuid, p_content bytea) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  doc record;
BEGIN
  PERFORM require_permission('documents.write');
  SELECT d.user_id, d.version, d.file_size, d.checksum_sha256 INTO doc
  FROM documents d WHERE d.tenant_id = current_tenant_id() AND d.id = p_document_id AND d.deleted_at IS NULL;
  IF NOT FOUND OR (current_app_user_id() IS NOT NULL AND doc.user_id IS DISTINCT FROM current_app_user_id()) THEN
    RAISE EXCEPTION 'This document was not found.' USING ERRCODE = 'no_data_found';
  END IF;
  IF octet_length(p_content) <> doc.file_size OR encode(sha256(p_content), 'hex') IS DISTINCT FROM doc.checksum_sha256 THEN
    RAISE EXCEPTION 'The file does not match its document (size or checksum).'
      USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  INSERT INTO document_files (tenant_id, document_id, version, content) VALUES (current_tenant_id(), p_document_id, doc.version, p_content);
END $$;

-- A new version of a document the caller may see; returns its number.
CREATE OR REPLACE FUNCTION add_document_version(p_document_id uuid, p_file_name text, p_content bytea) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  doc record;
  kind text := document_format(p_content);
  next_version integer;
  clean_name text := btrim(p_file_name);
BEGIN
  PERFORM require_permission('documents.write');
  -- Locked until commit: an upload at the same moment waits, then numbers after this one.
  SELECT d.id, d.version INTO doc
  FROM documents d
  WHERE d.tenant_id = current_tenant_id() AND d.id = p_document_id AND d.deleted_at IS NULL
    AND (NOT d.is_confidential OR d.user_id = current_app_user_id() OR app_may('records.confidential'))
  FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'This document does not exist, or you may not see it.' USING ERRCODE = 'no_data_found';
  END IF;
  IF octet_length(p_content) IS NULL OR octet_length(p_content) NOT BETWEEN 1 AND 5242880 THEN
    RAISE EXCEPTION 'A document can be at most 5 MB. Scan it at a lower resolution or split it.'
      USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  IF kind IS NULL THEN
    RAISE EXCEPTION 'This file is not one ClinicDesk keeps: attach a PDF, PNG image, JPEG image.'
      USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  IF coalesce(length(clean_name), 0) NOT BETWEEN 1 AND 255 THEN
    RAISE EXCEPTION 'The file needs a name of at most 255 characters.' USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  next_version := doc.version + 1;
  INSERT INTO document_versions (tenant_id, document_id, version, file_name, mime_type, file_size, checksum_sha256, uploaded_by)
  VALUES (current_tenant_id(), doc.id, next_version, clean_name, kind, octet_length(p_content), encode(sha256(p_content), 'hex'),
          current_app_user_id());
  INSERT INTO document_files (tenant_id, document_id, version, content) VALUES (current_tenant_id(), doc.id, next_version, p_content);
  UPDATE documents d
  SET version = next_version, file_name = clean_name, mime_type = kind, file_size = octet_length(p_content),
      checksum_sha256 = encode(sha256(p_content), 'hex')
  WHERE d.tenant_id = current_tenant_id() AND d.id = doc.id;
  RETURN next_version;
END $$;
REVOKE ALL ON FUNCTION add_document_version(uuid, text, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION add_document_version(uuid, text, bytea) TO clinic_app;

-- The bytes of one version (the newest when none is named) of a document the caller may see, the
-- read logged with the version opened.
DROP FUNCTION read_document_file(uuid, text);
CREATE FUNCTION read_document_file(p_document_id uuid, p_version integer DEFAULT NULL, p_user_agent text DEFAULT NULL)
RETURNS TABLE (file_name text, mime_type text, version integer, content bytea)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  doc record;
BEGIN
  PERFORM require_permission('documents.read');
  SELECT d.id, d.patient_id, d.title, v.file_name, v.mime_type, v.version, f.content INTO doc
  FROM documents d
  JOIN document_versions v ON v.tenant_id = d.tenant_id AND v.document_id = d.id AND v.version = coalesce(p_version, d.version)
  JOIN document_files f ON f.tenant_id = v.tenant_id AND f.document_id = v.document_id AND f.version = v.version
  WHERE d.tenant_id = current_tenant_id() AND d.id = p_document_id AND d.deleted_at IS NULL
    AND (NOT d.is_confidential OR d.user_id = current_app_user_id() OR app_may('records.confidential'));
  IF NOT FOUND THEN
    RETURN; -- as if it did not exist: the caller may not see it
  END IF;
  PERFORM log_activity('document.view', format('Opened the document %s (version %s)', doc.title, doc.version), 'document', doc.id,
                       jsonb_build_object('patient_id', doc.patient_id, 'version', doc.version), p_user_agent);
  RETURN QUERY SELECT doc.file_name, doc.mime_type, doc.version, doc.content;
END $$;
REVOKE ALL ON FUNCTION read_document_file(uuid, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION read_document_file(uuid, integer, text) TO clinic_app;
