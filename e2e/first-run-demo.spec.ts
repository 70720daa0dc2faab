import { DEMO_PASSWORD, expect, screenshotPath, test } from './fixtures';

// Its own empty database (a different option than first-run.spec.ts, so its own server).
test.use({ demo: false, idleLockSeconds: 600 });

test('the demo clinic is a separate, clearly labelled choice on the first run; there an administrator resets a password the nurse must change', async ({
  page,
  clinicDesk,
}) => {
  test.setTimeout(120_000);
  const crashes: string[] = [];
  page.on('pageerror', (error) => crashes.push(error.message));
  await page.goto(await clinicDesk.link());
  await page.getByRole('button', { name: 'Try the demo clinic' }).click();
  // A new in-memory database with the demo clinic: several seconds on a busy 2-core machine.
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('Demo clinic · nothing is saved')).toBeVisible();
  await page.getByLabel('Email', { exact: true }).fill('admin@demo.clinic');
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Areas' })).toBeVisible();
  await expect(page.getByRole('banner').getByText('Demo · nothing is saved')).toBeVisible();
  await page.screenshot({ path: screenshotPath('first-run-demo') });

  // (In the demo, where it changes nothing real.) The administrator resets the nurse's password.
  await page.getByRole('button', { name: 'Admin' }).click();
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('button', { name: 'Staff and roles' }).click();
  await page
    .getByRole('row', { name: /nurse@demo\.clinic/ })
    .getByRole('button', { name: /^Reset the password of/ })
    .click();
  const reset = page.getByRole('dialog', { name: /password$/ });
  await reset.getByLabel('Temporary password').fill('short');
  await reset.getByRole('button', { name: 'Reset the password' }).click();
  await expect(reset.getByLabel('Temporary password')).toHaveAccessibleDescription(/at least 10 characters/);
  await reset.getByLabel('Temporary password').fill('temporary-nurse-1');
  await reset.getByRole('button', { name: 'Reset the password' }).click();
  await expect(page.getByRole('row', { name: /nurse@demo\.clinic/ })).toContainText('Temporary password');
  await page.screenshot({ path: screenshotPath('admin-password-reset') });
  // Signing out from another area than the first lands on sign-in, not on a blank page.
  await page.getByRole('button', { name: 'Sign out' }).click();

  // The nurse signs in with it and can do nothing until she chooses her own.
  await page.getByLabel('Email', { exact: true }).fill('nurse@demo.clinic');
  await page.getByLabel('Password', { exact: true }).fill('temporary-nurse-1');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Areas' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
  await page.getByLabel('Temporary password').fill('temporary-nurse-1');
  await page.getByLabel('New password', { exact: true }).fill('nurse-own-password');
  await page.getByLabel('New password again').fill('nurse-own-password');
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await expect(page.getByRole('navigation', { name: 'Areas' })).toBeVisible();
  expect(crashes).toEqual([]);
});
