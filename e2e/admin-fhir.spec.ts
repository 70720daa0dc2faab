import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, fillClinicSetup, launchBrowserMode, screenshotPath, signIn, test } from './fixtures';

interface Bundle {
  resourceType: string;
  entry: { resource: { resourceType: string } }[];
}

const patientsIn = (bundle: Bundle) => bundle.entry.filter((e) => e.resource.resourceType === 'Patient').length;

async function openExchange(page: Page) {
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('button', { name: 'Admin' }).click();
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('button', { name: 'FHIR export and import' }).click();
}

/** Clicks the export button and returns the saved file's path and its Bundle. */
async function exportClinic(page: Page, folder: string, name: string): Promise<{ path: string; bundle: Bundle }> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export as FHIR' }).click();
  const saved = await download;
  expect(saved.suggestedFilename()).toMatch(/^clinic-\d{4}-\d{2}-\d{2}\.fhir\.json$/);
  const path = join(folder, name);
  await saved.saveAs(path);
  return { path, bundle: JSON.parse(await readFile(path, 'utf8')) as Bundle };
}

test('the administrator exports the clinic as FHIR, is refused an import into it, and imports it into a new empty clinic', async ({
  page,
  clinicDesk,
}) => {
  test.setTimeout(8 * 60_000);
  const scratch = await mkdtemp(join(tmpdir(), 'clinicdesk-e2e-fhir-'));
  try {
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, clinicDesk, 'admin@demo.clinic');
    await openExchange(page);
    const exported = await exportClinic(page, scratch, 'riverside.fhir.json');
    expect(exported.bundle.resourceType).toBe('Bundle');
    expect(patientsIn(exported.bundle)).toBeGreaterThan(10);
    await expect(page.getByRole('status').filter({ hasText: 'Saved clinic-' })).toContainText(`${exported.bundle.entry.length} resources`);

    // The demo clinic has patients: the database refuses the import, shown beside nothing written.
    const form = page.getByRole('form', { name: 'FHIR Bundle to import' });
    await form.getByLabel('FHIR Bundle file').setInputFiles(exported.path);
    await expect(
      form.getByRole('table', { name: 'What riverside.fhir.json holds' }).getByRole('row', { name: /^Patient \d+/ }),
    ).toBeVisible();
    await form.getByRole('button', { name: 'Import this Bundle' }).click();
    await expect(page.getByText('This clinic already has patients: a FHIR Bundle is imported into an empty clinic only.')).toBeVisible({
      timeout: 60_000,
    });
    await page.screenshot({ path: screenshotPath('admin-fhir'), fullPage: true });

    // A file that is not a Bundle is refused beside the field before anything is sent.
    await form
      .getByLabel('FHIR Bundle file')
      .setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"a": 1}') });
    await expect(form.getByLabel('FHIR Bundle file')).toHaveAccessibleDescription(
      'This file is not a FHIR Bundle: choose the .json file ClinicDesk exported.',
    );

    // A new clinic on its own data directory, set up on its first run, takes the Bundle.
    const hillside = await launchBrowserMode({ dataDir: join(scratch, 'hillside') });
    try {
      await page.goto(await hillside.link());
      await expect(page.getByRole('heading', { name: 'Set up your clinic' })).toBeVisible({ timeout: 60_000 });
      await fillClinicSetup(
        page,
        { name: 'Hillside Clinic', timezone: 'Europe/London', currency: 'GBP', language: 'en-GB' },
        { firstName: 'Hana', lastName: 'Hill', email: 'hana@hillside.example', password: 'hillside-clinic-2026' },
      );
      await page.getByRole('button', { name: 'Create the clinic' }).click();
      await expect(page.getByRole('navigation', { name: 'Areas' })).toBeVisible({ timeout: 60_000 });

      await openExchange(page);
      const into = page.getByRole('form', { name: 'FHIR Bundle to import' });
      await into.getByLabel('FHIR Bundle file').setInputFiles(exported.path);
      await into.getByRole('button', { name: 'Import this Bundle' }).click();
      const imported = page.getByRole('status', { name: 'Imported' });
      await expect(imported.getByRole('row', { name: /^Patients/ })).toContainText(String(patientsIn(exported.bundle)), {
        timeout: 120_000,
      });
      await page.screenshot({ path: screenshotPath('admin-fhir-imported'), fullPage: true });

      const again = await exportClinic(page, scratch, 'hillside.fhir.json');
      expect(patientsIn(again.bundle)).toBe(patientsIn(exported.bundle));
    } finally {
      await hillside.stop();
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
});
