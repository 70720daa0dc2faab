import type { Page } from '@playwright/test';
import { todayIn } from '../shared/dates';
import { expect, screenshotPath, signIn, test } from './fixtures';

// The worker's demo clinic is shared with other specs: this one puts back the logo and the
// visit length it changes, and books in Dr Okafor's hour the demo keeps free (14:00-15:00).
test.describe.configure({ mode: 'serial', timeout: 120_000 });

/** 0 for Monday … 6 for Sunday. */
const weekday = (isoDate: string) => (new Date(`${isoDate}T00:00:00Z`).getUTCDay() + 6) % 7;
const addDays = (isoDate: string, days: number) =>
  new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** A weekday 8 to 10 days ahead in London, its calendar label ("Wed 9 Dec") and how many weeks on from this one. */
function bookingDay() {
  const today = todayIn('Europe/London');
  let date = addDays(today, 8);
  while (weekday(date) > 4) date = addDays(date, 1);
  const weeksAhead = Math.round(
    (Date.parse(addDays(date, -weekday(date))) - Date.parse(addDays(today, -weekday(today)))) / (7 * 86_400_000),
  );
  const label = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );
  return { label, weeksAhead };
}

/** A 48 × 48 PNG: a green square, drawn here (Chromium encodes it), nothing fetched. */
async function greenSquarePng(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 48;
    canvas.height = 48;
    const context = canvas.getContext('2d')!;
    context.fillStyle = '#15803d';
    context.fillRect(0, 0, 48, 48);
    return canvas.toDataURL('image/png');
  });
  return Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64');
}

async function openSettings(page: Page) {
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('button', { name: 'Admin' }).click();
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('button', { name: 'Clinic settings' }).click();
}

test('the administrator uploads a logo, sees it, changes a visit length and books a visit of that type with its end time', async ({
  page,
  clinicDesk,
}) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await signIn(page, clinicDesk, 'admin@demo.clinic');
  await openSettings(page);

  // The demo's own logo first, then a file that is no image is refused beside the picker.
  const preview = page.getByRole('img', { name: 'The clinic’s logo, as printed' });
  await expect(preview).toBeVisible();
  const demoLogo = await preview.getAttribute('src');
  const picker = page.getByLabel('Logo image');
  await picker.setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: Buffer.from('GIF89a, not a PNG') });
  await expect(picker).toHaveAccessibleDescription(/Choose a PNG or JPEG image\./);
  await expect(preview).toHaveAttribute('src', demoLogo!);

  const square = await greenSquarePng(page);
  await picker.setInputFiles({ name: 'green.png', mimeType: 'image/png', buffer: square });
  await expect(preview).toHaveAttribute('src', `data:image/png;base64,${square.toString('base64')}`);
  await expect(page.getByRole('alert').filter({ hasText: 'PNG or JPEG' })).toHaveCount(0);

  // A check-up lasts 40 minutes here from now on; a bad length is explained beside its field first.
  const checkUp = page.getByLabel('Check-up, minutes');
  await checkUp.fill('42');
  await page.getByRole('button', { name: 'Save visit lengths' }).click();
  await expect(checkUp).toHaveAccessibleDescription(/Use steps of 5 minutes/);
  await checkUp.fill('40');
  await page.getByRole('button', { name: 'Save visit lengths' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await page.getByRole('heading', { name: 'Logo on prints' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('admin-settings-logo') });
  await checkUp.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('admin-settings-visit-lengths') });

  // Booking a check-up fills in its length, and the end time follows.
  const day = bookingDay();
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('button', { name: 'Reception' }).click();
  await page.getByRole('navigation', { name: 'Reception' }).getByRole('button', { name: 'Calendar' }).click();
  await page.getByRole('button', { name: 'Week' }).click();
  await page.getByLabel('Doctor', { exact: true }).selectOption({ label: 'Dr James Okafor · Paediatrics' });
  for (let i = 0; i < day.weeksAhead; i += 1) await page.getByRole('button', { name: /Next/ }).click();
  await page.getByRole('button', { name: `Book 14:00, ${day.label}, Dr James Okafor` }).click();
  const booking = page.getByRole('dialog', { name: 'Book appointment' });
  await page.keyboard.type('smi');
  await booking.getByRole('option', { name: /John Smith/ }).click();
  const minutes = booking.getByLabel('Minutes');
  await expect(minutes).toHaveValue('15');
  await expect(minutes).toHaveAccessibleDescription('Ends at 14:15');
  await booking.getByLabel('Type of visit').selectOption({ label: 'Check-up' });
  await expect(minutes).toHaveValue('40');
  await expect(minutes).toHaveAccessibleDescription('Ends at 14:40');
  await booking.getByLabel('Reason').fill('Growth check');
  await page.screenshot({ path: screenshotPath('reception-booking-visit-length') });
  await booking.getByRole('button', { name: 'Book', exact: true }).click();
  await expect(booking).toBeHidden();
  await expect(page.getByRole('button', { name: /^14:00–14:40 John Smith, P-000001, Booked/ })).toBeVisible();

  // The demo's logo and check-up length back, for the specs that share this clinic.
  await openSettings(page);
  await page.getByRole('button', { name: 'Remove logo' }).click();
  await expect(page.getByText('No logo: prints show the name and address only.')).toBeVisible();
  await page.screenshot({ path: screenshotPath('admin-settings-no-logo') });
  await page.getByLabel('Logo image').setInputFiles({
    name: 'riverside.png',
    mimeType: 'image/png',
    buffer: Buffer.from(demoLogo!.replace(/^data:image\/png;base64,/, ''), 'base64'),
  });
  await expect(page.getByRole('img', { name: 'The clinic’s logo, as printed' })).toHaveAttribute('src', demoLogo!);
  await page.getByLabel('Check-up, minutes').fill('30');
  await page.getByRole('button', { name: 'Save visit lengths' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
});
