import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, screenshotPath, signIn, test } from './fixtures';

const PASSPHRASE = 'riverside backups 2026';
// A backup reads every table, then restores a copy and compares it: slow on shared cores.
const BACKUP_TIMEOUT = 150_000;

test('the administrator backs up, sees it verified, previews a restore and has a wrong passphrase refused', async ({
  page,
  clinicDesk,
}) => {
  test.setTimeout(6 * 60_000);
  const folder = await mkdtemp(join(tmpdir(), 'clinicdesk-e2e-usb-'));
  try {
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, clinicDesk, 'admin@demo.clinic');
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('button', { name: 'Admin' }).click();

    const backups = page.getByRole('region', { name: 'Backups' });
    await expect(backups.getByRole('alert')).toContainText('No backup yet');
    await expect(backups.getByRole('button', { name: 'Back up now' })).toBeDisabled();

    const settings = backups.getByRole('form', { name: 'Backup settings' });
    await settings.getByLabel('Backup folder').fill(folder);
    await settings.getByLabel('Backups to keep').fill('3');
    await settings.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await settings.getByLabel('Passphrase again').fill('not the same passphrase');
    await settings.getByRole('button', { name: 'Save backup settings' }).click();
    await expect(settings.getByText('The two passphrases differ.')).toBeVisible();
    await settings.getByLabel('Passphrase again').fill(PASSPHRASE);
    await settings.getByRole('button', { name: 'Save backup settings' }).click();
    await expect(settings.getByRole('status')).toContainText(`the next backups go to ${folder}`);

    await backups.getByRole('button', { name: 'Back up now' }).click();
    await expect(backups.getByRole('status').filter({ hasText: 'Backed up and verified' })).toBeVisible({ timeout: BACKUP_TIMEOUT });
    await expect(backups).toContainText('Last backup: Just now');
    await expect(backups.getByRole('alert')).toHaveCount(0);
    await page.screenshot({ path: screenshotPath('backups'), fullPage: true });

    // From the list into the restore form; a wrong passphrase is refused beside its field.
    await backups.getByRole('button', { name: 'Restore…' }).first().click();
    const restore = page.getByRole('region', { name: 'Restore from a backup' });
    await expect(restore.getByLabel('Backup file')).toHaveValue(new RegExp(`^${folder}/clinicdesk-.*\\.cdbackup$`));
    await restore.getByLabel('Passphrase of this backup').fill('a wrong passphrase');
    await restore.getByRole('button', { name: 'Show what it holds' }).click();
    await expect(restore.getByText('The passphrase is not the one this backup was made with.')).toBeVisible({ timeout: 30_000 });
    await expect(restore.getByRole('region', { name: 'What the backup holds' })).toHaveCount(0);

    await restore.getByLabel('Passphrase of this backup').fill(PASSPHRASE);
    await restore.getByRole('button', { name: 'Show what it holds' }).click();
    const holds = restore.getByRole('region', { name: 'What the backup holds' });
    await expect(holds).toContainText('Riverside Family Clinic', { timeout: 30_000 });
    await expect(holds.getByRole('row', { name: /Patients/ })).toContainText(/\d+/);
    await page.screenshot({ path: screenshotPath('backups-restore-preview'), fullPage: true });

    await holds.getByRole('button', { name: 'Restore this backup' }).click();
    await expect(restore.getByRole('status').filter({ hasText: 'Restored and verified' })).toBeVisible({ timeout: BACKUP_TIMEOUT });
    await expect(restore.getByRole('status').filter({ hasText: 'close ClinicDesk and start it again' }).first()).toBeVisible();
    await page.screenshot({ path: screenshotPath('backups-restored'), fullPage: true });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
