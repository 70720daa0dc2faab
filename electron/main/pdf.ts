import { writeFile } from 'node:fs/promises';
import type { PrintedPdf } from '../../shared/print';
import { isTrustedSender, UntrustedSenderError, type TrpcInvokeEvent, type TrustedRenderer } from './ipc';

/** The desktop's part in printing, handed in so the handler runs in plain Node under test. */
export interface PdfDesktop {
  /** Where to save, asked of the person (a native Save dialog); undefined when they cancel. */
  chooseFile(suggestedName: string): Promise<string | undefined>;
  /** Opens the saved file in the system's PDF viewer, where it is printed. */
  open(file: string): Promise<void>;
}

const FILE_NAME = /^[\p{L}\p{N} ._-]{1,120}\.pdf$/u;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** Far above any prescription or report; a page cannot make main write more than this. */
const MAX_BYTES = 20 * 1024 * 1024;

/** The page's PrintedPdf checked as data: a plain file name (no folders) and base64 that decodes to a PDF. */
export function readPrintout(wire: unknown): { fileName: string; bytes: Buffer } {
  const { fileName, base64 } = (wire ?? {}) as Partial<PrintedPdf>;
  if (typeof fileName !== 'string' || !FILE_NAME.test(fileName))
    throw new Error('ClinicDesk refused a printout with an unusable file name.');
  if (typeof base64 !== 'string' || base64.length > (MAX_BYTES / 3) * 4 + 4 || !BASE64.test(base64)) {
    throw new Error('ClinicDesk refused a printout that is not a PDF.');
  }
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error('ClinicDesk refused a printout that is not a PDF.');
  return { fileName, bytes };
}

/**
 * The handler of the printing channel: our window's top frame only; the person chooses where
 * the PDF goes, then it opens in the system viewer (print from there). Resolves to whether it was saved.
 */
export function createPdfHandler(options: {
  trusted: () => TrustedRenderer | undefined;
  desktop: PdfDesktop;
}): (event: TrpcInvokeEvent, wire: unknown) => Promise<boolean> {
  return async (event, wire) => {
    const trusted = options.trusted();
    if (!trusted || !isTrustedSender(event, trusted)) throw new UntrustedSenderError();
    const { fileName, bytes } = readPrintout(wire);
    const file = await options.desktop.chooseFile(fileName);
    if (!file) return false;
    await writeFile(file, bytes);
    await options.desktop.open(file);
    return true;
  };
}
