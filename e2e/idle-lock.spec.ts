import { DEMO_PASSWORD, expect, signIn, test } from './fixtures';

// A server of its own whose sessions lock after 3 s idle; the renderer follows the same limit.
test.use({ idleLockSeconds: 3 });

test('an idle desk locks itself, hides the area, and unlocks to the same area', async ({ page, clinicDesk }) => {
  await signIn(page, clinicDesk, 'dr.okafor@demo.clinic');
  await page.getByRole('button', { name: 'Clinical' }).click();
  await expect(page.getByRole('heading', { name: 'Clinical', level: 1 })).toBeVisible();
  const userName = await page.locator('.user-name').innerText();
  const clinicName = await page.locator('.clinic-name').innerText();
  const idleFrom = Date.now();

  const locked = page.getByRole('heading', { name: 'Screen locked' });
  await expect(locked).toBeVisible({ timeout: 8_000 });
  expect(Date.now() - idleFrom).toBeGreaterThanOrEqual(2_500);

  // Nothing of the area is left in the page, only who is signed in and where.
  await expect(page.getByRole('navigation')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Clinical' })).toHaveCount(0);
  await expect(page.locator('main')).toHaveCount(1);
  await expect(page.locator('main')).toContainText(userName);
  await expect(page.locator('main')).toContainText(clinicName);

  // One wrong attempt for this account on this server: five would lock it.
  const password = page.getByLabel('Password', { exact: true });
  await password.fill('not-the-password');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(password).toHaveAccessibleDescription('This password is not right. Try again.');
  await expect(locked).toBeVisible();

  await password.fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('heading', { name: 'Clinical', level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Clinical' })).toHaveAttribute('aria-current', 'page');
});

test('a reload of a locked desk shows the lock screen, as the server says', async ({ page, clinicDesk }) => {
  await signIn(page, clinicDesk, 'nurse@demo.clinic');
  await expect(page.getByRole('heading', { name: 'Screen locked' })).toBeVisible({ timeout: 8_000 });

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Screen locked' })).toBeVisible();
  await expect(page.getByRole('navigation')).toHaveCount(0);

  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.keyboard.press('Enter');
  // Back in the nurse's own area.
  await expect(page.getByRole('heading', { name: 'Clinical', level: 1 })).toBeVisible();
});
