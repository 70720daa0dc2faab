import { DEMO_PASSWORD, expect, openSignIn, screenshotPath, signIn, test } from './fixtures';

test('the sign-in screen shows its fields and the database', async ({ page, clinicDesk }) => {
  await openSignIn(page, clinicDesk);
  await expect(page.getByLabel('Email', { exact: true })).toBeFocused();
  await expect(page.getByLabel('Password', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Clinic code')).toHaveCount(0); // the offline clinic needs none
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByText('Offline · this PC')).toBeVisible();
  await page.screenshot({ path: screenshotPath('signin') });
});

test('empty fields are explained beside each field', async ({ page, clinicDesk }) => {
  await openSignIn(page, clinicDesk);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByLabel('Email', { exact: true })).toHaveAccessibleDescription('Enter your email address.');
  await expect(page.getByLabel('Password', { exact: true })).toHaveAccessibleDescription('Enter your password.');
  await expect(page.getByLabel('Email', { exact: true })).toBeFocused();
});

test('a wrong password is explained beside the Password field and nothing opens', async ({ page, clinicDesk }) => {
  // One wrong attempt for this account on this server: five would lock it.
  await openSignIn(page, clinicDesk);
  await page.getByLabel('Email', { exact: true }).fill('billing@demo.clinic');
  await page.getByLabel('Password', { exact: true }).fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();

  const password = page.getByLabel('Password', { exact: true });
  await expect(password).toHaveAccessibleDescription(/The email or password is not right/);
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(password).toBeFocused();
  await expect(page.getByRole('alert')).toBeEmpty(); // said once, beside its field
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('navigation')).toHaveCount(0);
  await page.screenshot({ path: screenshotPath('signin-wrong-password') });

  await password.fill(DEMO_PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('navigation', { name: 'Areas' })).toBeVisible();
});

test('keyboard only: sign in, switch areas, lock and unlock', async ({ page, clinicDesk }) => {
  await openSignIn(page, clinicDesk);
  await expect(page.getByLabel('Email', { exact: true })).toBeFocused();
  await page.keyboard.type('nurse@demo.clinic');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Password', { exact: true })).toBeFocused();
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press('Enter');

  // A nurse lands in her own area, Clinical; Alt+1 goes to Reception, ready to search.
  const clinicalTitle = page.getByRole('heading', { name: 'Clinical', level: 1 });
  await expect(clinicalTitle).toBeFocused();
  const reception = page.getByRole('heading', { name: 'Reception', level: 1 });
  const search = page.getByRole('combobox', { name: 'Search patients' });
  await page.keyboard.press('Alt+1');
  await expect(reception).toBeVisible();
  await expect(search).toBeFocused();

  // Alt+2 back to Clinical's title; from there back into the navigation, the focused item clearly marked.
  await page.keyboard.press('Alt+2');
  await expect(clinicalTitle).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  const clinical = page.getByRole('button', { name: 'Clinical' });
  await expect(clinical).toBeFocused();
  await expect(clinical).toHaveCSS('outline-style', 'solid');
  await expect(clinical).toHaveAttribute('aria-current', 'page');

  await page.keyboard.press('Alt+1');
  await expect(search).toBeFocused();
  await page.keyboard.press('Alt+3'); // Billing: not a nurse's area
  await expect(reception).toBeVisible();

  await page.keyboard.press('Control+l');
  await expect(page.getByRole('heading', { name: 'Screen locked' })).toBeVisible();
  await expect(page.getByLabel('Password', { exact: true })).toBeFocused();
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press('Enter');
  await expect(reception).toBeVisible();
});

test('the Lock button hides the area at once; Sign out on the lock screen returns to sign-in', async ({ page, clinicDesk }) => {
  await signIn(page, clinicDesk, 'reception@demo.clinic');
  await expect(page.getByRole('heading', { name: 'Reception', level: 1 })).toBeVisible();
  await page.screenshot({ path: screenshotPath('frame-receptionist') });

  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.getByRole('heading', { name: 'Screen locked' })).toBeVisible();
  await expect(page.getByRole('navigation')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Reception' })).toHaveCount(0);
  await expect(page.getByRole('main')).toContainText('Receptionist');
  await page.screenshot({ path: screenshotPath('lock') });

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByLabel('Email', { exact: true })).toHaveValue('');
});

test('Sign out in the frame returns to sign-in, and a reload stays there', async ({ page, clinicDesk }) => {
  await signIn(page, clinicDesk, 'dr.patel@demo.clinic');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('navigation')).toHaveCount(0);

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});
