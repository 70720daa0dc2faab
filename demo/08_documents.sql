-- The demo clinic, documents (migration 023): letters from elsewhere in two charts, their bytes
-- in document_files as the app keeps them. Loaded after the earlier demo files by the owner in
-- the same transaction; runs on PGlite and PostgreSQL 15+.

SELECT set_config('app.current_tenant_id', '00000000-0000-4000-8000-000000000001', true);

CREATE TEMP TABLE demo_letters ON COMMIT DROP AS
SELECT v.id::uuid, v.patient_id::uuid, v.document_type, v.title, current_date - v.days_ago AS document_date, v.file_name,
       convert_to(format(E'%%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n'
                         '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n'
                         '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R '
                         '/Resources << /Font << /F1 5 0 R >> >> >> endobj\n'
                         '4 0 obj << >> stream\nBT /F1 14 Tf 72 760 Td (%s) Tj ET\nendstream endobj\n'
                         '5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n'
                         'trailer << /Root 1 0 R >>\n%%%%EOF\n', v.title), 'UTF8') AS content
FROM (VALUES
  ('00000000-0000-4000-8000-000000000801', '00000000-0000-4000-8000-000000000216', 'discharge_summary',
   'Discharge summary, St George''s respiratory ward', 34, 'discharge-summary.pdf'),
  ('00000000-0000-4000-8000-000000000802', '00000000-0000-4000-8000-000000000209', 'referral',
   'Dermatology clinic letter', 12, 'dermatology-letter.pdf')
) AS v (id, patient_id, document_type, title, days_ago, file_name);

INSERT INTO documents (tenant_id, id, patient_id, user_id, document_type, title, document_date, file_name, storage_key,
                       mime_type, file_size, checksum_sha256, created_at)
SELECT current_tenant_id(), l.id, l.patient_id, '00000000-0000-4000-8000-000000000102', l.document_type, l.title,
       l.document_date, l.file_name, 'document_files', 'application/pdf', octet_length(l.content),
       encode(sha256(l.content), 'hex'), now() - make_interval(days => (current_date - l.document_date) - 2)
FROM demo_letters l;

INSERT INTO document_files (tenant_id, document_id, content)
SELECT current_tenant_id(), l.id, l.content FROM demo_letters l;
