import { drPatelStarts, expect, queueWalkIn, screenshotPath, test } from './fixtures';

const PATIENT = 'Ananya Sharma';

/** A one-page PDF, as a scanner would hand it over. */
const LETTER = Buffer.from(
  [
    '%PDF-1.4',
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj',
    'trailer << /Root 1 0 R >>',
    '%%EOF',
  ].join('\n'),
);

test('Dr Patel attaches a letter with the file picker and a photo by drag and drop, opens the photo, and sees both in the timeline', async ({
  page,
  browser,
  clinicDesk,
}) => {
  // Generous: two windows and many steps, on a shared machine.
  test.setTimeout(300_000);
  await queueWalkIn(page, clinicDesk, 'sharma', PATIENT);

  const { context: doctorContext, doctor } = await drPatelStarts(browser, clinicDesk, PATIENT);
  try {
    const documents = doctor.getByRole('region', { name: 'Documents' });
    await expect(documents.getByText('No documents yet.')).toBeVisible();

    // The file picker: a PDF letter, its title suggested from the file's name.
    await documents.getByRole('button', { name: 'Add a document…' }).click();
    let adding = doctor.getByRole('dialog', { name: 'Add a document' });
    await adding.getByLabel(/choose a file/).setInputFiles({ name: 'cardiology_letter.pdf', mimeType: 'application/pdf', buffer: LETTER });
    await expect(adding.getByLabel('Title')).toHaveValue('cardiology letter');
    await adding.getByLabel('Title').fill('Cardiology clinic letter');
    await adding.getByLabel('Date on the document').fill('2026-10-02');
    await adding.getByRole('button', { name: 'Add to the chart' }).click();
    await expect(adding).toBeHidden();
    await expect(documents.getByRole('row').filter({ hasText: 'Cardiology clinic letter' })).toContainText('Referral letter');

    // Drag and drop: a photo of a rash (any PNG will do: here, a piece of this very screen).
    const photo = await doctor.screenshot({ clip: { x: 0, y: 0, width: 480, height: 300 } });
    await documents.getByRole('button', { name: 'Add a document…' }).click();
    adding = doctor.getByRole('dialog', { name: 'Add a document' });
    const dropped = await doctor.evaluateHandle((base64) => {
      const transfer = new DataTransfer();
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], 'rash-photo.png', { type: 'image/png' }));
      return transfer;
    }, photo.toString('base64'));
    await adding.locator('.drop-zone').dispatchEvent('dragover', { dataTransfer: dropped });
    await adding.locator('.drop-zone').dispatchEvent('drop', { dataTransfer: dropped });
    await expect(adding.getByText(/rash-photo\.png · \d+ KB/)).toBeVisible();
    await adding.getByLabel('Kind of document').selectOption({ label: 'Other' });
    await adding.getByRole('checkbox', { name: /Confidential/ }).check();
    await doctor.screenshot({ path: screenshotPath('clinical-document-upload') });
    await adding.getByRole('button', { name: 'Add to the chart' }).click();
    await expect(adding).toBeHidden();

    const photoRow = documents.getByRole('row').filter({ hasText: 'rash photo' });
    await expect(photoRow).toContainText('Confidential');
    await photoRow.getByRole('button', { name: /Open/ }).click();
    const viewer = doctor.getByRole('dialog', { name: 'rash photo' });
    await expect(viewer.getByRole('img', { name: 'rash photo' })).toBeVisible();
    await doctor.screenshot({ path: screenshotPath('clinical-document-open') });
    await viewer.getByRole('button', { name: 'Close' }).click();

    // Both in the chart's timeline, with what else the chart holds.
    const timeline = doctor.getByRole('region', { name: 'Timeline' });
    await expect(timeline.getByRole('listitem').filter({ hasText: 'Cardiology clinic letter' })).toContainText('Document');
    await expect(timeline.getByRole('listitem').filter({ hasText: 'rash photo' })).toContainText('Confidential');
    await documents.scrollIntoViewIfNeeded();
    await doctor.screenshot({ path: screenshotPath('clinical-documents-timeline') });
  } finally {
    await doctorContext.close();
  }
});
