import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, screenshotPath, signIn, test } from './fixtures';

const PASSPHRASE = 'riverside export 2026';

test('on a clinic server, the administrator exports the clinic into an encrypted file and sees what it holds', async ({
  page,
  clinicDesk,
}) => {
  test.setTimeout(4 * 60_000);
  const folder = await mkdtemp(join(tmpdir(), 'clinicdesk-e2e-export-'));
  try {
    // The e2e server is an offline clinic: its Backups panel is shown as on a clinic server (the
    // status says "remote"); the export itself runs for real, as it does in every mode.
    await page.route(/\/trpc\/[^?]*backups\.status/, async (route) => {
      const response = await route.fetch();
      const procedures = decodeURIComponent(new URL(route.request().url()).pathname.replace(/^\/trpc\//, '')).split(',');
      const results = (await response.json()) as unknown[];
      results[procedures.indexOf('backups.status')] = { result: { data: { mode: 'remote' } } };
      await route.fulfill({ response, json: results });
    });
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, clinicDesk, 'admin@demo.clinic');
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('button', { name: 'Admin' }).click();
    await expect(page.getByRole('region', { name: 'Backups' })).toContainText('the server’s operator backs it up');

    const panel = page.getByRole('region', { name: 'Export this clinic' });
    const form = panel.getByRole('form', { name: 'Clinic export' });
    await form.getByLabel('Folder').fill(folder);
    await form.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await form.getByLabel('Passphrase again').fill('not the same passphrase');
    await form.getByRole('button', { name: 'Export the clinic' }).click();
    await expect(form.getByText('The two passphrases differ.')).toBeVisible();
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('clinic-export-form') });
    await form.getByLabel('Passphrase again').fill(PASSPHRASE);
    await form.getByRole('button', { name: 'Export the clinic' }).click();
    await expect(panel.getByRole('status').filter({ hasText: 'Exported and checked' })).toBeVisible({ timeout: 120_000 });
    const [file] = await readdir(folder);
    expect(file).toMatch(/^clinicdesk-export-.*\.cdexport$/);

    const open = panel.getByRole('form', { name: 'Open an export' });
    await expect(open.getByLabel('Export file')).toHaveValue(join(folder, file!));
    await open.getByLabel('Passphrase of this export').fill('a wrong passphrase');
    await open.getByRole('button', { name: 'Show what it holds' }).click();
    await expect(open.getByText('The passphrase is not the one this backup was made with.')).toBeVisible({ timeout: 30_000 });
    await open.getByLabel('Passphrase of this export').fill(PASSPHRASE);
    await open.getByRole('button', { name: 'Show what it holds' }).click();
    const holds = panel.getByRole('region', { name: 'What the export holds' });
    await expect(holds).toContainText('Riverside Family Clinic', { timeout: 30_000 });
    await expect(holds.getByRole('row', { name: /Invoices/ })).toContainText(/\d+/);
    await holds.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('clinic-export-preview') });

    await panel.getByRole('button', { name: 'FHIR export' }).click();
    await expect(page.getByRole('button', { name: 'Export as FHIR' })).toBeVisible();
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
