import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test, type ServerClinic } from './clinic-server';
import { addEmergencyWalkIn, openSignIn, screenshotPath, signIn, type BrowserMode } from './fixtures';

// A clinic on a real PostgreSQL server, set up by its operator; everyone signs in as their own
// database login. The tests follow one another on the same server.
test.describe.configure({ mode: 'serial', timeout: 180_000 });

const RIVERSIDE: ServerClinic = {
  name: 'Riverside Clinic',
  code: 'riverside',
  timezone: 'Europe/London',
  currency: 'GBP',
  language: 'en-GB',
  admin: { firstName: 'Alex', lastName: 'Morgan', email: 'alex@riverside.example', password: 'riverside-admin-2026' },
};
const HILLTOP: ServerClinic = {
  name: 'Hilltop Surgery',
  code: 'hilltop',
  timezone: 'Europe/Dublin',
  currency: 'EUR',
  language: 'en-IE',
  admin: { firstName: 'Robin', lastName: 'Hale', email: 'robin@hilltop.example', password: 'hilltop-admin-2026' },
};
const RECEPTIONIST = {
  first: 'Sam',
  last: 'Desk',
  email: 'sam@riverside.example',
  temporary: 'welcome-sam-2026',
  own: 'sams-own-password',
};
const PATIENT = { first: 'Marguerite', last: 'Oyelaran', phone: '07700 900461' };
const EXPORT_PASSPHRASE = 'riverside export 2026';

let riverside: BrowserMode;

test.beforeAll(async ({ clinicServer }) => {
  await clinicServer.createClinic(RIVERSIDE);
  riverside = await clinicServer.openDesk(RIVERSIDE.code);
});

async function openAdmin(page: Page, view: string) {
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('button', { name: 'Admin' }).click();
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('button', { name: view }).click();
}

/** Admin → Staff and roles → Add a staff member, with a temporary password. */
async function addStaff(
  page: Page,
  person: { title?: string; first: string; last: string; email: string; role: string; specialization?: string; temporary: string },
) {
  await page.getByRole('button', { name: 'Add a staff member' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a staff member' });
  if (person.title) await dialog.getByLabel('Title').fill(person.title);
  await dialog.getByLabel('First name').fill(person.first);
  await dialog.getByLabel('Last name').fill(person.last);
  await dialog.getByLabel('Email').fill(person.email);
  await dialog.getByLabel('Role').selectOption({ label: person.role });
  if (person.specialization) await dialog.getByLabel('Specialization').fill(person.specialization);
  await dialog.getByLabel('Temporary password').fill(person.temporary);
  await dialog.getByRole('button', { name: 'Add staff member' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('row', { name: new RegExp(`${person.first} ${person.last}`) })).toContainText(person.role);
}

/** A sign-in the server refuses: the same answer beside the password whatever was wrong. */
async function expectSignInRefused(page: Page, desk: BrowserMode, email: string, password: string) {
  await openSignIn(page, desk);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByLabel('Password', { exact: true })).toHaveAccessibleDescription(/not right/);
}

/** At reception, types into the patient search from scratch and returns the list of what it found. */
async function searchPatients(page: Page, typed: string) {
  await page.keyboard.press('F2');
  const search = page.getByRole('combobox', { name: 'Search patients' });
  await expect(search).toBeFocused();
  await search.fill('');
  await page.keyboard.type(typed);
  return page.getByRole('listbox', { name: 'Patients found' });
}

test('the administrator signs in to the clinic on its server and adds a receptionist and a doctor, each given a database login', async ({
  page,
}) => {
  await signIn(page, riverside, RIVERSIDE.admin.email, RIVERSIDE.admin.password);
  // The frame says where the data lives: the clinic's server, not this PC.
  const badge = page.getByTitle(/^Remote database 127\.0\.0\.1\//);
  await expect(badge).toHaveText('Database: Remote');
  await expect(page.getByText('Offline · this PC')).toHaveCount(0);

  await openAdmin(page, 'Staff and roles');
  await addStaff(page, { ...RECEPTIONIST, role: 'Receptionist' });
  await addStaff(page, {
    title: 'Dr',
    first: 'Jo',
    last: 'Reed',
    email: 'jo.reed@riverside.example',
    role: 'Doctor',
    specialization: 'General Practice',
    temporary: 'welcome-jo-2026',
  });
  await page.screenshot({ path: screenshotPath('clinic-server-staff') });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('the receptionist signs in with that password as their own login, registers a patient, finds them by name and phone and queues them', async ({
  page,
}) => {
  await openSignIn(page, riverside);
  await page.getByLabel('Email', { exact: true }).fill(RECEPTIONIST.email);
  await page.getByLabel('Password', { exact: true }).fill(RECEPTIONIST.temporary);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // The temporary password once, then their own: their database login takes the new one.
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await page.getByLabel('Temporary password').fill(RECEPTIONIST.temporary);
  await page.getByLabel('New password', { exact: true }).fill(RECEPTIONIST.own);
  await page.getByLabel('New password again').fill(RECEPTIONIST.own);
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await expect(page.getByRole('navigation', { name: 'Areas' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, riverside, RECEPTIONIST.email, RECEPTIONIST.own);

  await searchPatients(page, `${PATIENT.first} ${PATIENT.last}`);
  await expect(page.getByText('No patient found for')).toBeVisible();
  await page.keyboard.press('Alt+n');
  const form = page.getByRole('form', { name: 'Register new patient' });
  await expect(form.getByLabel('Last name')).toHaveValue(PATIENT.last);
  await form.getByLabel('Date of birth').fill('03/09/1984');
  await form.getByLabel('Gender').selectOption('Female');
  await form.getByLabel('Phone', { exact: true }).fill(PATIENT.phone);
  await form.getByRole('button', { name: /Register patient/ }).click();
  const record = page.getByRole('region', { name: 'Patient record' });
  await expect(record.getByRole('heading', { name: `${PATIENT.first} ${PATIENT.last}` })).toBeVisible();

  // Part of the surname, then the phone's last digits, as a desk types them.
  await expect((await searchPatients(page, 'oyel')).getByRole('option', { name: new RegExp(PATIENT.last) })).toBeVisible();
  const byPhone = await searchPatients(page, '900461');
  await expect(byPhone.getByRole('option', { name: new RegExp(PATIENT.last) })).toBeVisible();
  await page.screenshot({ path: screenshotPath('clinic-server-search') });

  // An emergency walk-in is taken at any hour, so the test holds on any day and time.
  await addEmergencyWalkIn(page, 'oyel', PATIENT.last, 'Dr Jo Reed · General Practice');
  await expect(page.getByRole('listitem').filter({ hasText: `${PATIENT.first} ${PATIENT.last}` })).toBeVisible();
  await page.screenshot({ path: screenshotPath('clinic-server-queue') });
});

test('the operator gives the receptionist a new password from the server: it signs in, the old one no longer does', async ({
  page,
  clinicServer,
}) => {
  const given = 'from-the-operator-2026';
  await clinicServer.setStaffPassword(RIVERSIDE.code, RECEPTIONIST.email, given);
  await expectSignInRefused(page, riverside, RECEPTIONIST.email, RECEPTIONIST.own);
  await signIn(page, riverside, RECEPTIONIST.email, given);
  await expect(page.getByRole('banner')).toContainText(`${RECEPTIONIST.first} ${RECEPTIONIST.last}`);
});

test('the Backups panel names the server’s operator, and the clinic export runs against the server into an encrypted file', async ({
  page,
}) => {
  const folder = await mkdtemp(join(tmpdir(), 'clinicdesk-e2e-export-'));
  try {
    await signIn(page, riverside, RIVERSIDE.admin.email, RIVERSIDE.admin.password);
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('button', { name: 'Admin' }).click();
    await expect(page.getByRole('region', { name: 'Backups' })).toContainText('the server’s operator backs it up');
    await page.screenshot({ path: screenshotPath('clinic-server-backups') });

    const panel = page.getByRole('region', { name: 'Export this clinic' });
    const form = panel.getByRole('form', { name: 'Clinic export' });
    await form.getByLabel('Folder').fill(folder);
    await form.getByLabel('Passphrase', { exact: true }).fill(EXPORT_PASSPHRASE);
    await form.getByLabel('Passphrase again').fill('not the same passphrase');
    await form.getByRole('button', { name: 'Export the clinic' }).click();
    await expect(form.getByLabel('Passphrase again')).toHaveAccessibleDescription(/The two passphrases differ/);
    await form.getByLabel('Passphrase again').fill(EXPORT_PASSPHRASE);
    await form.getByRole('button', { name: 'Export the clinic' }).click();
    await expect(panel.getByRole('status').filter({ hasText: 'Exported and checked' })).toBeVisible({ timeout: 120_000 });
    const [file] = await readdir(folder);
    expect(file).toMatch(/^clinicdesk-export-.*\.cdexport$/);

    const open = panel.getByRole('form', { name: 'Open an export' });
    await expect(open.getByLabel('Export file')).toHaveValue(join(folder, file!));
    await open.getByLabel('Passphrase of this export').fill('a wrong passphrase');
    await open.getByRole('button', { name: 'Show what it holds' }).click();
    await expect(open.getByLabel('Passphrase of this export')).toHaveAccessibleDescription(
      'The passphrase is not the one this backup was made with.',
      { timeout: 30_000 },
    );
    await open.getByLabel('Passphrase of this export').fill(EXPORT_PASSPHRASE);
    await open.getByRole('button', { name: 'Show what it holds' }).click();
    const holds = panel.getByRole('region', { name: 'What the export holds' });
    await expect(holds).toContainText(RIVERSIDE.name, { timeout: 30_000 });
    // What this clinic has: one patient, one visit (the walk-in), the three staff.
    await expect(holds.getByRole('row', { name: 'Patients' })).toHaveText('Patients1');
    await expect(holds.getByRole('row', { name: 'Appointments' })).toHaveText('Appointments1');
    await expect(holds.getByRole('row', { name: 'Staff accounts' })).toHaveText('Staff accounts3');
    await holds.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('clinic-server-export') });

    await panel.getByRole('button', { name: 'FHIR export' }).click();
    await expect(page.getByRole('button', { name: 'Export as FHIR' })).toBeVisible();
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});

test('a second clinic on the same server: its administrator does not find the first clinic’s patient', async ({
  page,
  browser,
  clinicServer,
}) => {
  await clinicServer.createClinic(HILLTOP);
  const hilltop = await clinicServer.openDesk(HILLTOP.code);
  await signIn(page, hilltop, HILLTOP.admin.email, HILLTOP.admin.password);
  await expect(page.getByRole('banner')).toContainText(HILLTOP.name);

  // The desk searches as Robin's own login: the server's row-level security keeps Riverside's rows out.
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('button', { name: 'Reception' }).click();
  for (const typed of ['oyel', PATIENT.last, '900461']) {
    await searchPatients(page, typed);
    await expect(page.getByText(`No patient found for “${typed}”.`)).toBeVisible();
  }
  await page.screenshot({ path: screenshotPath('clinic-server-second-clinic') });

  // Nor can Riverside's administrator sign in at Hilltop's desk: logins are named from the clinic code too.
  const other = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  await expectSignInRefused(await other.newPage(), hilltop, RIVERSIDE.admin.email, RIVERSIDE.admin.password);
  await other.close();
});
