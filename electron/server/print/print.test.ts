import { describe, expect, it } from 'vitest';
import { pdfText } from '../../../test/pdf';
import { letterheadBlock } from './letterhead';
import { printedPdf, renderPdf } from './pdf';

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
