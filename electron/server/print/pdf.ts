import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import type { PrintedPdf } from '../../../shared/print';
import type { PdfDocument } from './document';

/** pdfmake's Node entry (a singleton), as much of it as we call. */
interface PdfMake {
  setFonts(fonts: Record<string, Record<'normal' | 'bold' | 'italics' | 'bolditalics', string>>): void;
  setUrlAccessPolicy(allow: (url: string) => boolean): void;
  setLocalAccessPolicy(allow: (path: string) => boolean): void;
  createPdf(doc: object): { getBuffer(): Promise<Buffer> };
}
const require = createRequire(import.meta.url);
const pdfmake = require('pdfmake') as PdfMake;

/**
 * pdfmake's own Roboto (it covers é ü ł ñ; the PDF base fonts do not). Resolved through the
 * package, so the packaged app finds them inside app.asar, which Electron's fs reads like a folder.
 */
const fontFolder = join(dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');
const font = (file: string) => join(fontFolder, file);

pdfmake.setFonts({
  Roboto: {
    normal: font('Roboto-Regular.ttf'),
    bold: font('Roboto-Medium.ttf'),
    italics: font('Roboto-Italic.ttf'),
    bolditalics: font('Roboto-MediumItalic.ttf'),
  },
});
// A document is built from the clinic's own data: it never fetches a URL, and reads no file but the fonts.
pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy((path) => path.startsWith(fontFolder + sep));

/** The shared look of every printout: A4, Roboto, the same margins and sizes. */
const BASE = {
  pageSize: 'A4',
  pageMargins: [48, 48, 48, 56],
  defaultStyle: { font: 'Roboto', fontSize: 10, lineHeight: 1.2 },
  styles: {
    title: { fontSize: 14, bold: true, margin: [0, 12, 0, 8] },
    label: { fontSize: 8, color: '#555555' },
    tableHeader: { bold: true, fontSize: 9, color: '#333333' },
    small: { fontSize: 8, color: '#555555' },
  },
} as const;

/** Renders a document definition to PDF bytes. */
export async function renderPdf(doc: PdfDocument): Promise<Buffer> {
  return pdfmake.createPdf({ ...BASE, ...doc, styles: { ...BASE.styles, ...doc.styles } }).getBuffer();
}

/** A document as the wire carries it to the screen. */
export async function printedPdf(fileName: string, doc: PdfDocument): Promise<PrintedPdf> {
  return { fileName, base64: (await renderPdf(doc)).toString('base64') };
}

/**
 * Whether pdfmake can draw these bytes: a PNG or JPEG it decodes (it reads the type from the
 * bytes). A logo is tried once here, before it heads every printout.
 */
export async function printableImage(bytes: Buffer): Promise<boolean> {
  try {
    await renderPdf({ content: [{ image: `data:application/octet-stream;base64,${bytes.toString('base64')}`, fit: [16, 16] }] });
    return true;
  } catch {
    return false;
  }
}
