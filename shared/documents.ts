import { z } from 'zod';
import { isoDate } from './dates';

/** Kinds of document a chart holds (documents.document_type), in the clinic's words. */
export const DOCUMENT_TYPES = {
  referral: 'Referral letter',
  lab_report: 'Outside lab report',
  imaging: 'Imaging report or image',
  discharge_summary: 'Discharge summary',
  consent: 'Consent form',
  insurance: 'Insurance',
  identity: 'Identity document',
  other: 'Other',
} as const;
export type DocumentType = keyof typeof DOCUMENT_TYPES;

/**
 * The largest file kept: the bytes live in the database (so the offline backup holds them) and
 * travel base64 in one request of at most 8 MiB.
 */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

/** What may be attached, named as people know it. The server reads the type from the bytes. */
export const DOCUMENT_FORMATS = {
  'application/pdf': 'PDF',
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
} as const;
export type DocumentFormat = keyof typeof DOCUMENT_FORMATS;

export const DOCUMENT_TOO_LARGE = 'A document can be at most 5 MB. Scan it at a lower resolution or split it.';

export const uploadDocumentInput = z.object({
  patientId: z.uuid('Choose a patient.'),
  documentType: z.enum(Object.keys(DOCUMENT_TYPES) as [DocumentType, ...DocumentType[]], 'Choose what kind of document this is.'),
  title: z.string().trim().min(1, 'Give the document a title.').max(200, 'A title is at most 200 characters.'),
  documentDate: isoDate,
  isConfidential: z.boolean().default(false),
  fileName: z.string().trim().min(1, 'Choose a file.').max(255, 'The file name is too long: rename the file.'),
  /** The file's bytes, base64. */
  content: z
    .base64('Choose a file.')
    .min(1, 'Choose a file.')
    .max(Math.ceil(MAX_DOCUMENT_BYTES / 3) * 4, DOCUMENT_TOO_LARGE),
});
export type UploadDocumentInput = z.input<typeof uploadDocumentInput>;

export const documentInput = z.object({ documentId: z.uuid('Choose a document.') });

/** A document's file: the version named, or the newest. */
export const openDocumentInput = documentInput.extend({ version: z.int().min(1).optional() });

/** A new version of a document: its identity (title, kind, patient, confidentiality) stays. */
export const uploadVersionInput = documentInput.extend(uploadDocumentInput.pick({ fileName: true, content: true }).shape);
export type UploadVersionInput = z.input<typeof uploadVersionInput>;
export const patientDocumentsInput = z.object({ patientId: z.uuid('Choose a patient.') });

/** A document as the chart lists it. */
export interface ChartDocument {
  id: string;
  title: string;
  document_type: DocumentType;
  /** The date the document bears (YYYY-MM-DD). */
  document_date: string;
  file_name: string;
  mime_type: DocumentFormat;
  file_size: number;
  is_confidential: boolean;
  added_by_name: string;
  /** When it was added, in the clinic's timezone: "YYYY-MM-DD HH:MM". */
  added_local: string;
  /** The newest version's number (1 for a document never replaced); the file fields are the newest's. */
  version: number;
}

/** One version of a document, as its list of versions shows it. */
export interface DocumentVersion {
  version: number;
  file_name: string;
  mime_type: DocumentFormat;
  file_size: number;
  uploaded_by_name: string;
  /** When it was uploaded, in the clinic's timezone: "YYYY-MM-DD HH:MM". */
  uploaded_local: string;
}

/** A document's file, base64, for viewing or saving. */
export interface DocumentFile {
  file_name: string;
  mime_type: DocumentFormat;
  version: number;
  content: string;
}
