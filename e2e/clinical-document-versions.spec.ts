import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Locator } from '@playwright/test';
import { drPatelStarts, expect, queueWalkIn, screenshotPath, test } from './fixtures';

const PATIENT = 'Grace Mensah';

const require = createRequire(import.meta.url);
const pdfmake = require('pdfmake') as {
  setFonts(fonts: object): void;
  setUrlAccessPolicy(allow: (url: string) => boolean): void;
  setLocalAccessPolicy(allow: (path: string) => boolean): void;
  createPdf(doc: object): { getBuffer(): Promise<Buffer> };
};
const roboto = join(dirname(require.resolve('pdfmake/package.json')), 'fonts', 'Roboto');
pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy((path) => path.startsWith(roboto));
pdfmake.setFonts({
  Roboto: { normal: join(roboto, 'Roboto-Regular.ttf'), bold: join(roboto, 'Roboto-Medium.ttf') },
});

/** A two-page letter from the hospital, as a real PDF with embedded fonts. */
function letter(edition: string): Promise<Buffer> {
  return pdfmake
    .createPdf({
      pageSize: 'A4',
      content: [
        { text: 'St Thomas’ Hospital — Cardiology', fontSize: 20, bold: true, margin: [0, 0, 0, 12] },
        { text: `Clinic letter (${edition})`, fontSize: 14, margin: [0, 0, 0, 18] },
        { text: 'Dear Dr Patel,', margin: [0, 0, 0, 8] },
        'Thank you for referring Ms Grace Mensah, whom I saw today for palpitations. Her ECG shows sinus rhythm; the 24-hour tape is booked.',
        { text: 'Page two: plan and follow-up', fontSize: 16, bold: true, pageBreak: 'before' },
        'Bisoprolol 1.25 mg once daily; review in the cardiology clinic in six weeks.',
      ],
      defaultStyle: { font: 'Roboto', fontSize: 12 },
    })
    .getBuffer();
}

/** How much of the page canvas pdf.js drew on (not white): a blank canvas says 0. */
function inked(canvas: Locator): Promise<number> {
  return canvas.evaluate((element: HTMLCanvasElement) => {
    const { data } = element.getContext('2d')!.getImageData(0, 0, element.width, element.height);
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! < 128) dark += 1;
    return dark;
  });
}

test('Dr Patel files a letter, then its corrected version, reads page 1 of the newest inside the app, and opens the first version', async ({
  page,
  browser,
  clinicDesk,
}) => {
  // Generous: two windows and many steps, on a shared machine.
  test.setTimeout(300_000);
  await queueWalkIn(page, clinicDesk, 'mensah', PATIENT);

  const { context: doctorContext, doctor } = await drPatelStarts(browser, clinicDesk, PATIENT);
  // pdf.js must run in its own worker (the build's file, allowed by the CSP), not fall back to the page's thread.
  const workers: string[] = [];
  doctor.on('worker', (worker) => workers.push(worker.url()));
  const refusals: string[] = [];
  doctor.on('console', (message) => {
    if (/Content Security Policy|fake worker/i.test(message.text())) refusals.push(message.text());
  });
  try {
    const documents = doctor.getByRole('region', { name: 'Documents' });
    await documents.getByRole('button', { name: 'Add a document…' }).click();
    const adding = doctor.getByRole('dialog', { name: 'Add a document' });
    await adding
      .getByLabel(/choose a file/)
      .setInputFiles({ name: 'cardiology.pdf', mimeType: 'application/pdf', buffer: await letter('first draft') });
    await adding.getByLabel('Title').fill('Cardiology letter');
    await adding.getByRole('button', { name: 'Add to the chart' }).click();
    await expect(adding).toBeHidden();

    // The corrected letter arrives: a new version of the same document.
    const row = documents.getByRole('row').filter({ hasText: 'Cardiology letter' });
    await row.getByRole('button', { name: /New version/ }).click();
    const replacing = doctor.getByRole('dialog', { name: 'New version of Cardiology letter' });
    await expect(replacing).toContainText('It becomes version 2');
    await replacing
      .getByLabel(/choose a file/)
      .setInputFiles({ name: 'cardiology-corrected.pdf', mimeType: 'application/pdf', buffer: await letter('corrected') });
    await doctor.screenshot({ path: screenshotPath('clinical-document-new-version') });
    await replacing.getByRole('button', { name: 'Upload the new version' }).click();
    await expect(replacing).toBeHidden();
    await expect(documents.getByRole('row').filter({ hasText: 'Cardiology letter' })).toHaveCount(1);
    await expect(row).toContainText('version 2');

    // Read inside the app: the newest version, page 1, drawn by pdf.js.
    await row.getByRole('button', { name: /^Open/ }).click();
    const viewer = doctor.getByRole('dialog', { name: 'Cardiology letter' });
    const versions = viewer.getByRole('region', { name: 'Versions' });
    await expect(versions.getByRole('button', { name: 'Version 2 (newest)' })).toHaveAttribute('aria-pressed', 'true');
    await expect(versions).toContainText('Priya Patel');
    await expect(versions).toContainText('cardiology.pdf');
    const frame = viewer.locator('.pdf-frame');
    await expect(frame).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 });
    const sheet = viewer.getByRole('img', { name: 'Cardiology letter, version 2, page 1 of 2' });
    await expect(sheet).toBeVisible();
    expect(await inked(sheet)).toBeGreaterThan(1000);
    expect(workers).toEqual([expect.stringMatching(/\/assets\/pdf\.worker\.min-[\w-]+\.mjs$/)]);
    expect(refusals).toEqual([]);
    await expect(viewer.getByRole('button', { name: 'Download' })).toBeVisible();
    await doctor.screenshot({ path: screenshotPath('clinical-document-preview') });

    await viewer.getByRole('button', { name: 'Next page →' }).click();
    await expect(viewer.getByRole('img', { name: 'Cardiology letter, version 2, page 2 of 2' })).toBeVisible();
    await expect(frame).toHaveAttribute('aria-busy', 'false');

    // The first version, still there.
    await versions.getByRole('button', { name: 'Version 1' }).click();
    await expect(versions.getByRole('button', { name: 'Version 1' })).toHaveAttribute('aria-pressed', 'true');
    const first = viewer.getByRole('img', { name: 'Cardiology letter, version 1, page 1 of 2' });
    await expect(first).toBeVisible();
    await expect(frame).toHaveAttribute('aria-busy', 'false', { timeout: 30_000 });
    expect(await inked(first)).toBeGreaterThan(1000);
    await doctor.screenshot({ path: screenshotPath('clinical-document-first-version') });
    await viewer.getByRole('button', { name: 'Close' }).click();

    // From the timeline too.
    const timeline = doctor.getByRole('region', { name: 'Timeline' });
    await timeline.getByRole('listitem').filter({ hasText: 'Cardiology letter' }).getByRole('button', { name: /^Open/ }).click();
    await expect(doctor.getByRole('img', { name: 'Cardiology letter, version 2, page 1 of 2' })).toBeVisible();
    await doctor.getByRole('dialog', { name: 'Cardiology letter' }).getByRole('button', { name: 'Close' }).click();
  } finally {
    await doctorContext.close();
  }
});
