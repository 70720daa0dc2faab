import { expect, fillClinicSetup, screenshotPath, test } from './fixtures';

// A real clinic's first start: an empty database, no demo.
test.use({ demo: false });

test('a new clinic is set up on the first run, its fields explained, and its administrator signed in', async ({ page, clinicDesk }) => {
  await page.goto(await clinicDesk.link());
  await expect(page.getByRole('heading', { name: 'Set up your clinic' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Try the demo clinic' })).toBeVisible();
  await page.screenshot({ path: screenshotPath('first-run') });

  await page.getByRole('button', { name: 'Create the clinic' }).click();
  await expect(page.getByLabel('Clinic name')).toHaveAccessibleDescription('Enter the clinic name.');
  await expect(page.getByLabel('Clinic name')).toBeFocused();

  await fillClinicSetup(
    page,
    { name: 'Harbour Street Surgery', timezone: 'Europe/Dublin', currency: 'EUR', language: 'en-IE' },
    {
      firstName: 'Niamh',
      lastName: 'Byrne',
      email: 'niamh@harbour.example',
      password: 'harbour-street-2026',
      passwordAgain: 'harbour-street-202',
    },
  );
  await page.getByRole('button', { name: 'Create the clinic' }).click();
  await expect(page.getByLabel('Password again')).toHaveAccessibleDescription('The two passwords are not the same.');
  await page.getByLabel('Password again').fill('harbour-street-2026');
  await page.getByRole('button', { name: 'Create the clinic' }).click();

  await expect(page.getByRole('navigation', { name: 'Areas' })).toBeVisible();
  await expect(page.getByText('Harbour Street Surgery')).toBeVisible();
  await page.screenshot({ path: screenshotPath('first-run-done') });

  // Set up once: a reload signs in, never shows the setup again.
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Areas' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Set up your clinic' })).toHaveCount(0);

  // Her own password, changed from the frame: the current one first, then twice the new one.
  await page.getByRole('button', { name: 'Password' }).click();
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await page.getByLabel('Current password').fill('not-my-password');
  await page.getByLabel('New password', { exact: true }).fill('harbour-street-2027');
  await page.getByLabel('New password again').fill('harbour-street-2027');
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await expect(page.getByLabel('Current password')).toHaveAccessibleDescription('This is not your current password.');
  await page.screenshot({ path: screenshotPath('change-password') });
  await page.getByLabel('Current password').fill('harbour-street-2026');
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await expect(page.getByRole('navigation', { name: 'Areas' })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Email', { exact: true }).fill('niamh@harbour.example');
  await page.getByLabel('Password', { exact: true }).fill('harbour-street-2027');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Areas' })).toBeVisible();
});
