import { expect, screenshotPath, signIn, test } from './fixtures';

// The worker's demo clinic is shared with other specs: the patients imported here have surnames of their own.
test.describe.configure({ timeout: 180_000 });

/** A surname no other run has used, in letters only (names refuse digits nowhere, but search folds them away). */
const family = `Quennell${Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('')}`;

const HEADER = 'Surname,Forename,DOB,Sex,Mobile,Email,Postcode';
const GOOD = [
  `${family},Ottilie,14/03/1968,F,07700 900777,ottilie@example.com,RV1 2AB`,
  `García-${family},Ánxela,1990-07-01,Female,+44 7700 900778,,RV2 3CD`,
  'Smith,John,14/03/1968,M,,,',
];
const WITH_ERRORS = [...GOOD, `${family},,02/02/1980,M,,,`, `${family},Bruno,31/02/1990,M,,,`, `${family},Carys,05/05/1985,F,12ab,,`];
const CORRECTED = [
  ...GOOD,
  `${family},Aled,02/02/1980,M,,,`,
  `${family},Bruno,28/02/1990,M,,,`,
  `${family},Carys,05/05/1985,F,07700 900779,,`,
];

const csv = (rows: string[]) => ({
  name: 'old-system-export.csv',
  mimeType: 'text/csv',
  buffer: Buffer.from([HEADER, ...rows].join('\r\n')),
});

test('the administrator imports a CSV, sees its errors beside their rows, corrects the file and imports it; reception finds the patients', async ({
  page,
  clinicDesk,
}) => {
  await signIn(page, clinicDesk, 'admin@demo.clinic');
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('button', { name: 'Admin' }).click();
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('button', { name: 'Import patients' }).click();

  await page.getByLabel('Choose a CSV file').setInputFiles(csv(WITH_ERRORS));
  // The columns are guessed from the headers; the preview shows the rows as stored (dates the clinic's way).
  const columns = page.getByRole('region', { name: 'Columns' });
  await expect(columns.getByLabel('First name')).toHaveValue('1');
  await expect(columns.getByLabel('Last name')).toHaveValue('0');
  await expect(columns.getByLabel('Date of birth')).toHaveValue('2');
  await expect(columns.getByLabel('Phone', { exact: true })).toHaveValue('4');
  const preview = page.getByRole('region', { name: 'Preview' });
  await expect(preview.getByRole('row', { name: new RegExp(`Ottilie ${family}`) })).toContainText('14 Mar 1968');
  await expect(preview.getByRole('row', { name: /^5 / })).toContainText('first name is missing');
  await page.screenshot({ path: screenshotPath('admin-import-mapping'), fullPage: true });

  await page.getByRole('button', { name: 'Check 6 rows' }).click();
  const errors = page.getByRole('region', { name: '3 rows with errors' });
  await expect(errors.getByRole('row', { name: /^5 Forename \(First name\)/ })).toContainText('The first name is missing.');
  await expect(errors.getByRole('row', { name: /^6 DOB \(Date of birth\)/ })).toContainText('“31/02/1990” is not a date');
  await expect(errors.getByRole('row', { name: /^7 Mobile \(Phone\)/ })).toContainText('not a phone number');
  // John Smith, born 14/03/1968, is the demo clinic's P-000001.
  const duplicates = page.getByRole('region', { name: '1 possible duplicates' });
  await expect(duplicates.getByRole('row', { name: /^4 John Smith/ })).toContainText('P-000001');
  await page.getByRole('button', { name: 'Import 6 patients' }).click();
  await expect(page.getByText('3 rows have errors: correct them in the file and choose it again, or leave them out.')).toBeVisible();
  await page.screenshot({ path: screenshotPath('admin-import-errors'), fullPage: true });

  // Corrected in the spreadsheet and chosen again: no errors left; the duplicate is left out on purpose.
  await page.getByLabel('Choose the file again, or another').setInputFiles(csv(CORRECTED));
  await page.getByRole('button', { name: 'Check 6 rows' }).click();
  await expect(page.getByRole('status').filter({ hasText: '6 of 6 rows checked' })).toBeVisible();
  await expect(page.getByRole('region', { name: /rows with errors/ })).toHaveCount(0);
  await page.getByLabel('Leave out the 1 possible duplicates').check();
  await page.getByRole('button', { name: 'Import 5 patients' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Imported 5 patients' })).toContainText('Left out 1 possible duplicates.');
  await page.screenshot({ path: screenshotPath('admin-import-done'), fullPage: true });

  // At reception, the imported patients are found as any other, accents not typed.
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('button', { name: 'Reception' }).click();
  const search = page.getByRole('combobox', { name: 'Search patients' });
  await search.fill(`anxela garcia-${family}`);
  await expect(
    page.getByRole('listbox', { name: 'Patients found' }).getByRole('option', { name: new RegExp(`Ánxela García-${family}`, 'i') }),
  ).toBeVisible();
  await page.screenshot({ path: screenshotPath('admin-import-found') });

  // The audit trail keeps what each imported patient's row of the file gave, and which row it was.
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('button', { name: 'Admin' }).click();
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('button', { name: 'Audit trail' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'newest first' })).toBeVisible({ timeout: 60_000 });
  await page.getByLabel('Kind of record').selectOption('patients');
  await page.getByRole('button', { name: 'Show' }).click();
  const imported = page.locator('tbody tr', { hasText: `Ottilie ${family}` }).first();
  await expect(imported).toContainText('Created');
  await expect(page.getByRole('cell', { name: /^Row 2 of the file, import [0-9a-f-]{36}$/ }).first()).toBeVisible();
  await page.screenshot({ path: screenshotPath('admin-import-audit') });
});
