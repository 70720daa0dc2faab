import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPdf } from '../server/print/pdf';
import type { TrpcInvokeEvent, TrustedRenderer } from './ipc';
import { createPdfHandler, readPrintout } from './pdf';

const indexHtml = '/opt/ClinicDesk/resources/app/out/renderer/index.html';
const mainContents = { id: 1, getUserAgent: () => 'ClinicDesk test' };
const trusted: TrustedRenderer = { contents: mainContents, location: { kind: 'file', path: indexHtml } };
const fromOurWindow: TrpcInvokeEvent = { sender: mainContents, senderFrame: { url: pathToFileURL(indexHtml).href, parent: null } };

describe('the printing channel', () => {
  let folder: string;
  let pdf: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'clinicdesk-pdf-'));
    pdf = (await renderPdf({ content: 'Prescription' })).toString('base64');
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  function handler(choice: string | undefined) {
    const opened: string[] = [];
    const handle = createPdfHandler({
      trusted: () => trusted,
      desktop: { chooseFile: async () => choice, open: async (file) => void opened.push(file) },
    });
    return { handle, opened };
  }

  it('saves where the person chose and opens the file to print', async () => {
    const file = join(folder, 'chosen.pdf');
    const { handle, opened } = handler(file);
    await expect(handle(fromOurWindow, { fileName: 'Prescription P-000010.pdf', base64: pdf })).resolves.toBe(true);
    expect((await readFile(file)).toString('base64')).toBe(pdf);
    expect(opened).toEqual([file]);
  });

  it('writes nothing when the person cancels', async () => {
    const { handle, opened } = handler(undefined);
    await expect(handle(fromOurWindow, { fileName: 'a.pdf', base64: pdf })).resolves.toBe(false);
    expect(opened).toEqual([]);
  });

  it('refuses another sender before asking anything', async () => {
    const { handle, opened } = handler(join(folder, 'never.pdf'));
    const other = { ...fromOurWindow, sender: { id: 2, getUserAgent: () => '' } };
    await expect(handle(other, { fileName: 'a.pdf', base64: pdf })).rejects.toThrow('did not come from its own window');
    expect(opened).toEqual([]);
  });

  it('refuses file names with folders and bytes that are not a PDF', () => {
    for (const fileName of ['../evil.pdf', 'a/b.pdf', 'C:\\x.pdf', 'x.exe', '', 42]) {
      expect(() => readPrintout({ fileName, base64: pdf }), String(fileName)).toThrow('file name');
    }
    for (const base64 of [Buffer.from('MZ executable').toString('base64'), 'not base64!', null]) {
      expect(() => readPrintout({ fileName: 'a.pdf', base64 }), String(base64)).toThrow('not a PDF');
    }
    expect(readPrintout({ fileName: 'Ordonnance Zoë Łukasz.pdf', base64: pdf }).bytes.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
