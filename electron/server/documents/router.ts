import { createHash } from 'node:crypto';
import {
  DOCUMENT_FORMATS,
  DOCUMENT_TOO_LARGE,
  MAX_DOCUMENT_BYTES,
  documentInput,
  openDocumentInput,
  patientDocumentsInput,
  uploadDocumentInput,
  uploadVersionInput,
  type ChartDocument,
  type DocumentFile,
  type DocumentFormat,
  type DocumentVersion,
} from '../../../shared/documents';
import { DomainError } from '../errors';
import { findPatient } from '../patients/queries';
import { permitted, router } from '../trpc';
import { addDocumentVersion, documentVersions, insertDocument, patientDocuments, readDocumentFile } from './queries';

/** The first bytes of each accepted format: the type is read from the file, never from its name. */
const SIGNATURES: [DocumentFormat, number[]][] = [
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
];

function formatOf(bytes: Buffer): DocumentFormat | undefined {
  return SIGNATURES.find(([, signature]) => signature.every((byte, i) => bytes[i] === byte))?.[0];
}

const ACCEPTED = Object.values(DOCUMENT_FORMATS).join(', ');
const NO_SUCH_DOCUMENT = 'This document does not exist, or you may not see it.';

/** The file's bytes and format, or a refusal beside the file: too large, or not a kind kept. */
function checkedFile(base64: string): { bytes: Buffer; mimeType: DocumentFormat } {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length > MAX_DOCUMENT_BYTES) throw new DomainError('BAD_REQUEST', DOCUMENT_TOO_LARGE, 'content');
  const mimeType = formatOf(bytes);
  if (!mimeType) throw new DomainError('BAD_REQUEST', `This file is not one ClinicDesk keeps: attach a ${ACCEPTED}.`, 'content');
  return { bytes, mimeType };
}

export const documentsRouter = router({
  /** The patient's documents the caller may see, newest first. */
  forPatient: permitted('documents.read')
    .input(patientDocumentsInput)
    .query(({ ctx, input }): Promise<ChartDocument[]> => patientDocuments(ctx.tx, ctx.session.clinicId, input.patientId)),

  /** Attaches a PDF or an image to the chart; its size and type are checked here on its bytes. */
  upload: permitted('documents.write')
    .input(uploadDocumentInput)
    .mutation(async ({ ctx, input }): Promise<ChartDocument[]> => {
      const { tx } = ctx;
      if (!(await findPatient(tx, input.patientId))) {
        throw new DomainError('NOT_FOUND', 'This patient record does not exist or was archived.', 'patientId');
      }
      const { bytes, mimeType } = checkedFile(input.content);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      await insertDocument(tx, { ...input, mimeType, size: bytes.length, sha256 }, input.content);
      return patientDocuments(tx, ctx.session.clinicId, input.patientId);
    }),

  /** The file (a version of it, or the newest), to view or save; every opening is logged by the database. */
  open: permitted('documents.read')
    .input(openDocumentInput)
    .mutation(async ({ ctx, input }): Promise<DocumentFile> => {
      const file = await readDocumentFile(ctx.tx, input.documentId, input.version, ctx.userAgent);
      if (!file) throw new DomainError('NOT_FOUND', NO_SUCH_DOCUMENT);
      return file;
    }),

  /** The document's versions, newest first, with who uploaded each and when. */
  versions: permitted('documents.read')
    .input(documentInput)
    .query(({ ctx, input }): Promise<DocumentVersion[]> => documentVersions(ctx.tx, ctx.session.clinicId, input.documentId)),

  /** Files a new version of a document: it keeps its identity and shows the newest; earlier versions stay. */
  uploadVersion: permitted('documents.write')
    .input(uploadVersionInput)
    .mutation(async ({ ctx, input }): Promise<DocumentVersion[]> => {
      checkedFile(input.content);
      try {
        await addDocumentVersion(ctx.tx, input.documentId, input.fileName, input.content);
      } catch (error) {
        // The database refuses a document the caller may not see as if it did not exist.
        if ((error as { code?: unknown }).code === 'P0002') throw new DomainError('NOT_FOUND', NO_SUCH_DOCUMENT);
        throw error;
      }
      return documentVersions(ctx.tx, ctx.session.clinicId, input.documentId);
    }),
});
