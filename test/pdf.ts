import { execFileSync } from 'node:child_process';

/** The text of a PDF as a reader finds it (poppler's pdftotext, layout kept), so a test can see what was printed. */
export function pdfText(pdf: Buffer | string): string {
  const bytes = typeof pdf === 'string' ? Buffer.from(pdf, 'base64') : pdf;
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', '-', '-'], { input: bytes }).toString('utf8');
}
