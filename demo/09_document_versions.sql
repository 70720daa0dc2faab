-- The demo clinic, document versions (migration 030): the respiratory ward sent a corrected discharge
-- summary, filed by the nurse as version 2 of the letter 08 filed; version 1 stays. Loaded after the
-- earlier demo files by the owner in the same transaction; runs on PGlite and PostgreSQL 15+.

SELECT set_config('app.current_tenant_id', '00000000-0000-4000-8000-000000000001', true);

CREATE TEMP TABLE demo_corrected ON COMMIT DROP AS
SELECT '00000000-0000-4000-8000-000000000801'::uuid AS document_id, 'discharge-summary-corrected.pdf' AS file_name,
       now() - interval '30 days' AS uploaded_at,
       convert_to(E'%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n'
                  '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n'
                  '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R '
                  '/Resources << /Font << /F1 5 0 R >> >> >> endobj\n'
                  '4 0 obj << >> stream\nBT /F1 14 Tf 72 760 Td (Discharge summary, St George''s respiratory ward) Tj '
                  '0 -24 Td (Corrected: oxygen saturation on discharge 95% on air) Tj ET\nendstream endobj\n'
                  '5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n'
                  'trailer << /Root 1 0 R >>\n%%EOF\n', 'UTF8') AS content;

INSERT INTO document_versions (tenant_id, document_id, version, file_name, mime_type, file_size, checksum_sha256, uploaded_by, created_at)
SELECT current_tenant_id(), c.document_id, 2, c.file_name, 'application/pdf', octet_length(c.content), encode(sha256(c.content), 'hex'),
       '00000000-0000-4000-8000-000000000104', c.uploaded_at
FROM demo_corrected c;

INSERT INTO document_files (tenant_id, document_id, version, content)
SELECT current_tenant_id(), c.document_id, 2, c.content FROM demo_corrected c;

UPDATE documents d
SET version = 2, file_name = c.file_name, file_size = octet_length(c.content), checksum_sha256 = encode(sha256(c.content), 'hex')
FROM demo_corrected c
WHERE d.tenant_id = current_tenant_id() AND d.id = c.document_id;
