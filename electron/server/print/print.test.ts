import { describe, expect, it } from 'vitest';
import { pdfText } from '../../../test/pdf';
import { riversideLogo } from '../../../test/png';
import { letterheadBlock, type Letterhead } from './letterhead';
import { printableImage, printedPdf, renderPdf } from './pdf';

describe('printing to PDF', () => {
  it('renders a document with the clinic letterhead, accents and Polish letters intact', async () => {
    const pdf = await renderPdf({
      content: [
        letterheadBlock({
          name: 'Clínica Łódź Müller',
          address: '2 Riverside Walk, Putney, London, SW15 6QR',
          phone: '020 7946 0100',
          email: 'reception@riverside-clinic.example',
          website: null,
          lines: null,
          logo: null,
          language: 'en-GB',
        }),
        { text: 'Patient: José Núñez, Zoë Łukasiewicz, Jürgen Groß', style: 'title' },
      ],
    });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).toContain('Clínica Łódź Müller');
    expect(text).toContain('2 Riverside Walk, Putney, London, SW15 6QR');
    expect(text).toContain('Tel. 020 7946 0100');
    expect(text).toContain('José Núñez, Zoë Łukasiewicz, Jürgen Groß');
  });

  it('draws the logo beside the name, and the clinic’s own letterhead lines under the address', async () => {
    const letterhead: Letterhead = {
      name: 'Riverside Family Clinic',
      address: '2 Riverside Walk',
      phone: null,
      email: 'reception@riverside-clinic.example',
      website: null,
      lines: 'CQC registered · Open Saturdays',
      logo: `data:image/png;base64,${riversideLogo().toString('base64')}`,
      language: 'en-GB',
    };
    const withLogo = await renderPdf({ content: [letterheadBlock(letterhead)] });
    const text = pdfText(withLogo);
    expect(text).toContain('Riverside Family Clinic');
    expect(text).toContain('CQC registered · Open Saturdays');
    expect(text).not.toContain('Tel.');
    expect(withLogo.includes('/Subtype /Image')).toBe(true);
    const without = await renderPdf({ content: [letterheadBlock({ ...letterhead, logo: null })] });
    expect(without.includes('/Subtype /Image')).toBe(false);
    expect(pdfText(without)).toContain('Riverside Family Clinic');
  });

  it('takes as a logo only an image it can draw, whatever it is called', async () => {
    expect(await printableImage(riversideLogo())).toBe(true);
    expect(await printableImage(Buffer.from('GIF89a tiny'))).toBe(false);
    // A PNG's signature over bytes that are not a PNG.
    expect(await printableImage(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))).toBe(false);
    expect(await printableImage(Buffer.from('%PDF-1.4'))).toBe(false);
  });

  it('hands the screen base64 and a file name', async () => {
    const printed = await printedPdf('note.pdf', { content: 'ñ' });
    expect(printed.fileName).toBe('note.pdf');
    expect(pdfText(printed.base64).trim()).toBe('ñ');
  });

  it('fetches no URL and reads no file but its fonts', async () => {
    await expect(renderPdf({ content: [{ image: '/etc/passwd' }] })).rejects.toThrow();
    await expect(renderPdf({ content: [{ image: 'https://example.com/logo.png' }] })).rejects.toThrow();
  });
});
