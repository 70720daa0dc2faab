import { DEMO_PASSWORD, expect, screenshotPath, test } from './fixtures';

// Its own empty database (a different option than first-run.spec.ts, so its own server).
test.use({ demo: false, idleLockSeconds: 600 });

test('the demo clinic is a separate choice on the first run, clearly labelled, and keeps nothing', async ({ page, clinicDesk }) => {
  test.setTimeout(120_000);
  await page.goto(await clinicDesk.link());
  await page.getByRole('button', { name: 'Try the demo clinic' }).click();
  // A new in-memory database with the demo clinic: several seconds on a busy 2-core machine.
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('Demo clinic · nothing is saved')).toBeVisible();
  await page.getByLabel('Email', { exact: true }).fill('reception@demo.clinic');
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Areas' })).toBeVisible();
  await expect(page.getByRole('banner').getByText('Demo · nothing is saved')).toBeVisible();
  await page.screenshot({ path: screenshotPath('first-run-demo') });
});
