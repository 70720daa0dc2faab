import { DOCUMENT_FORMATS, DOCUMENT_TOO_LARGE, MAX_DOCUMENT_BYTES } from '../../../../shared/documents';

/** What the file input offers; the server still reads the type from the bytes. */
export const ACCEPTED_FILES = '.pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg';

/** Why a chosen file cannot be attached, before reading it (the server checks again), or null. */
export function fileProblem(file: { name: string; size: number; type: string }): string | null {
  if (file.size === 0) return 'This file is empty.';
  if (file.size > MAX_DOCUMENT_BYTES) return DOCUMENT_TOO_LARGE;
  if (file.type && !(file.type in DOCUMENT_FORMATS)) return `Attach a ${Object.values(DOCUMENT_FORMATS).join(', ')}.`;
  return null;
}

/** A title from the file's name: "cardiology_letter-2026.pdf" → "cardiology letter 2026". */
export function titleFromFileName(name: string): string {
  return name
    .replace(/\.[^.]+$/, '')
    .replace(/[_-]+/g, ' ')
    .trim()
    .slice(0, 200);
}

/** The file's bytes as base64 (no data: prefix), as the router takes them. */
export function readAsBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsDataURL(file);
  });
}

/** "84 KB", "1.2 MB". */
export function fileSizeLabel(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
