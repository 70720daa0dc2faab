import type { ChartDocument, DocumentFile, DocumentFormat, DocumentType, DocumentVersion } from '../../../shared/documents';
import { maybeOne, one } from '../db/rows';
import type { Queryable } from '../db/types';

/** The patient's documents the caller may see (RLS: clinic, documents.read, confidential fence), newest first. */
export async function patientDocuments(tx: Queryable, clinicId: string, patientId: string): Promise<ChartDocument[]> {
  const { rows } = await tx.query<ChartDocument>(
    `SELECT d.id, d.title, d.document_type,
            to_char(coalesce(d.document_date, (d.created_at AT TIME ZONE c.timezone)::date), 'YYYY-MM-DD') AS document_date,
            d.file_name, d.mime_type, d.file_size::integer AS file_size, d.is_confidential,
            coalesce(u.first_name || ' ' || u.last_name, '') AS added_by_name,
            to_char(d.created_at AT TIME ZONE c.timezone, 'YYYY-MM-DD HH24:MI') AS added_local, d.version
     FROM documents d
     JOIN clinics c ON c.id = $1
     LEFT JOIN users u ON u.id = d.user_id
     WHERE d.patient_id = $2
     ORDER BY d.created_at DESC, d.id`,
    [clinicId, patientId],
  );
  return rows;
}

export interface NewDocument {
  patientId: string;
  documentType: DocumentType;
  title: string;
  documentDate: string;
  isConfidential: boolean;
  fileName: string;
  mimeType: DocumentFormat;
  size: number;
  sha256: string;
}

/**
 * Files the document and its bytes (base64): the row as the signed-in person (stamped by the
 * database), the bytes through store_document_file, which checks them against the row.
 */
export async function insertDocument(tx: Queryable, doc: NewDocument, base64: string): Promise<string> {
  const { id } = await one<{ id: string }>(
    tx,
    `INSERT INTO documents (tenant_id, patient_id, user_id, document_type, title, document_date, is_confidential,
                            file_name, storage_key, mime_type, file_size, checksum_sha256)
     VALUES (current_tenant_id(), $1, current_app_user_id(), $2, $3, $4, $5, $6, 'document_files', $7, $8, $9)
     RETURNING id`,
    [doc.patientId, doc.documentType, doc.title, doc.documentDate, doc.isConfidential, doc.fileName, doc.mimeType, doc.size, doc.sha256],
  );
  await tx.query(`SELECT store_document_file($1, decode($2, 'base64'))`, [id, base64]);
  return id;
}

/** The versions of a document the caller may see (RLS follows the document), newest first. */
export async function documentVersions(tx: Queryable, clinicId: string, documentId: string): Promise<DocumentVersion[]> {
  const { rows } = await tx.query<DocumentVersion>(
    `SELECT v.version, v.file_name, v.mime_type, v.file_size::integer AS file_size,
            coalesce(u.first_name || ' ' || u.last_name, '') AS uploaded_by_name,
            to_char(v.created_at AT TIME ZONE c.timezone, 'YYYY-MM-DD HH24:MI') AS uploaded_local
     FROM document_versions v
     JOIN clinics c ON c.id = $1
     LEFT JOIN users u ON u.id = v.uploaded_by
     WHERE v.document_id = $2
     ORDER BY v.version DESC`,
    [clinicId, documentId],
  );
  return rows;
}

/**
 * Files a new version of the document (base64); the database checks who may, the size and the
 * type, and numbers it. Returns its number.
 */
export async function addDocumentVersion(tx: Queryable, documentId: string, fileName: string, base64: string): Promise<number> {
  const { version } = await one<{ version: number }>(tx, `SELECT add_document_version($1, $2, decode($3, 'base64')) AS version`, [
    documentId,
    fileName,
    base64,
  ]);
  return version;
}

/** A version of the document's file (the newest when none is named) if the caller may see it; the database logs the read. */
export function readDocumentFile(
  tx: Queryable,
  documentId: string,
  version: number | undefined,
  userAgent: string | undefined,
): Promise<DocumentFile | undefined> {
  return maybeOne<DocumentFile>(
    tx,
    // encode() breaks base64 into lines of 76: the wire wants one string.
    `SELECT file_name, mime_type, version, translate(encode(content, 'base64'), E'\\n', '') AS content FROM read_document_file($1, $2, $3)`,
    [documentId, version ?? null, userAgent ?? null],
  );
}
