import type { Page } from '@playwright/test';
import { expect, openSignIn, screenshotPath, signIn, test } from './fixtures';

// The worker's demo clinic is shared with other specs: these tests add a role and a person of
// their own and change only those.
// The audit trail reads the whole demo history: generous time on a busy shared machine.
test.describe.configure({ mode: 'serial', timeout: 180_000 });

const NEW_ROLE = 'front_desk_lead';
const NEW_PERSON = { first: 'Jordan', last: 'Reyes', email: 'jordan.reyes@demo.clinic' };

async function openAdmin(page: Page, view: string) {
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('button', { name: 'Admin' }).click();
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('button', { name: view }).click();
}

test('the administrator adds a staff member with a new role, who signs in with exactly its areas; a permission given applies at once', async ({
  page,
  browser,
  clinicDesk,
}) => {
  await signIn(page, clinicDesk, 'admin@demo.clinic');
  await openAdmin(page, 'Staff and roles');

  // A role with the front desk's first steps only.
  await page.getByRole('button', { name: 'New role' }).click();
  const roleDialog = page.getByRole('dialog', { name: 'New role' });
  await roleDialog.getByLabel('Name').fill(NEW_ROLE);
  await roleDialog.getByLabel('Description').fill('Front desk, without billing');
  for (const permission of ['See patients', 'See the calendar', 'See the waiting queue']) await roleDialog.getByLabel(permission).check();
  await page.screenshot({ path: screenshotPath('admin-role-editor') });
  await roleDialog.getByRole('button', { name: 'Create role' }).click();
  await expect(page.getByRole('region', { name: 'Roles' })).toContainText('Front desk lead');

  // The person, with a temporary password (too short first: said beside the field).
  await page.getByRole('button', { name: 'Add a staff member' }).click();
  const staffDialog = page.getByRole('dialog', { name: 'Add a staff member' });
  await staffDialog.getByLabel('First name').fill(NEW_PERSON.first);
  await staffDialog.getByLabel('Last name').fill(NEW_PERSON.last);
  await staffDialog.getByLabel('Email').fill(NEW_PERSON.email);
  await staffDialog.getByLabel('Role').selectOption({ label: 'Front desk lead' });
  await staffDialog.getByLabel('Temporary password').fill('short');
  await staffDialog.getByRole('button', { name: 'Add staff member' }).click();
  await expect(staffDialog.getByLabel('Temporary password')).toHaveAccessibleDescription(/at least 10 characters/);
  await page.screenshot({ path: screenshotPath('admin-add-staff') });
  await staffDialog.getByLabel('Temporary password').fill('welcome-jordan-1');
  await staffDialog.getByRole('button', { name: 'Add staff member' }).click();
  const row = page.getByRole('row', { name: /Jordan Reyes/ });
  await expect(row).toContainText('Front desk lead');
  await expect(row).toContainText('Temporary password');
  await page.screenshot({ path: screenshotPath('admin-staff') });

  // Jordan, at another desk: the temporary password once, then their own; the role's areas only.
  const desk = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const jordan = await desk.newPage();
  await openSignIn(jordan, clinicDesk);
  await jordan.getByLabel('Email', { exact: true }).fill(NEW_PERSON.email);
  await jordan.getByLabel('Password', { exact: true }).fill('welcome-jordan-1');
  await jordan.getByRole('button', { name: 'Sign in' }).click();
  await expect(jordan.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await jordan.getByLabel('Temporary password').fill('welcome-jordan-1');
  await jordan.getByLabel('New password', { exact: true }).fill('jordans-own-password');
  await jordan.getByLabel('New password again').fill('jordans-own-password');
  await jordan.getByRole('button', { name: 'Save the new password' }).click();
  const areas = jordan.getByRole('navigation', { name: 'Areas' }).getByRole('button');
  await expect(areas).toHaveCount(1);
  await expect(areas.first()).toHaveAccessibleName('Reception');

  // The administrator lets the role see invoices: Jordan, still signed in, has Billing.
  await page.getByRole('button', { name: 'Permissions of Front desk lead' }).click();
  const permissions = page.getByRole('dialog', { name: 'Permissions of Front desk lead' });
  await permissions.getByLabel('See invoices').check();
  await permissions.getByRole('button', { name: 'Save permissions' }).click();
  await expect(permissions).toHaveCount(0);
  await jordan.reload();
  await expect(areas).toHaveCount(2);
  await expect(areas.nth(1)).toHaveAccessibleName('Billing');
  await jordan.screenshot({ path: screenshotPath('admin-permission-applied') });
  await desk.close();
});

test('the audit trail shows who changed a role, old and new values side by side, and saves them as CSV', async ({ page, clinicDesk }) => {
  await signIn(page, clinicDesk, 'admin@demo.clinic');
  await openAdmin(page, 'Audit trail');
  await expect(page.getByRole('status')).toContainText('newest first', { timeout: 60_000 });
  await page.getByLabel('Staff member').selectOption({ label: 'Alex Morgan' });
  await page.getByLabel('Kind of record').selectOption('roles');
  await page.getByRole('button', { name: 'Show' }).click();
  const change = page.getByRole('row', { name: /Changed · roles/ }).first();
  await expect(change).toContainText('Alex Morgan');
  await expect(change).toContainText('permissions');
  await expect(change.locator('.audit-old')).toContainText('queue.read');
  await expect(change.locator('.audit-new')).toContainText('billing.read');
  await page.screenshot({ path: screenshotPath('admin-audit') });

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save as CSV' }).click();
  const csv = await (await download).createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of csv) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  expect(text.split('\n')[0]).toContain('When,Who,What,Record,Record id,Patient,Field,Before,After,Reason');
  expect(text).toContain('Alex Morgan,Changed,roles');
});

test('clinic settings explain bad values beside their fields and keep the saved ones', async ({ page, clinicDesk }) => {
  await signIn(page, clinicDesk, 'admin@demo.clinic');
  await openAdmin(page, 'Clinic settings');
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Riverside Family Clinic');
  await expect(page.getByLabel('Monday')).toHaveValue('08:00-18:00');
  await page.getByLabel('Currency').fill('XYZ');
  await page.getByLabel('Monday').fill('18:00-08:00');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByLabel('Currency')).toHaveAccessibleDescription(/currency code like GBP/);
  await expect(page.getByLabel('Monday')).toHaveAccessibleDescription(/closing time must come after the opening time/);
  await page.screenshot({ path: screenshotPath('admin-settings'), fullPage: true });
  await expect(page.getByRole('status')).toHaveCount(0);
});
