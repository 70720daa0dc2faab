import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, launchBrowserMode, screenshotPath, signIn, test } from './fixtures';

async function openReception(page: Page, view: 'Patients' | 'Calendar' | "Today's queue" | 'Reminders') {
  await page.getByRole('navigation', { name: 'Reception' }).getByRole('button', { name: view }).click();
}

/** A port nobody listens on now, so a server can be stopped and started again on it. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

// Generous: on a busy shared machine a sign-in and a few screens have taken over 30 s.
test.describe.configure({ mode: 'serial', timeout: 150_000 });

test('a waiting patient is taken off the queue with a reason', async ({ page, clinicDesk }) => {
  await signIn(page, clinicDesk, 'reception@demo.clinic');
  await openReception(page, "Today's queue");
  await page.getByRole('button', { name: 'Walk-in…' }).click();
  const walkIn = page.getByRole('dialog', { name: 'Walk-in' });
  await page.keyboard.type('siob');
  await walkIn.getByRole('option', { name: /Siobhán O'Brien/ }).click();
  await walkIn.getByLabel('Doctor', { exact: true }).selectOption({ label: 'Dr James Okafor · Paediatrics' });
  // An emergency is taken at any hour (others only while the clinic is open): the test runs at any time.
  await walkIn.getByLabel('Type of visit').selectOption({ label: 'Emergency' });
  await walkIn.getByRole('button', { name: 'Add to the queue' }).click();
  await expect(walkIn).toBeHidden();

  const waiting = page.getByRole('region', { name: /^Waiting/ });
  await waiting.getByRole('button', { name: "Remove Siobhán O'Brien from the queue" }).click();
  const remove = page.getByRole('dialog', { name: "Remove Siobhán O'Brien from the queue" });
  await remove.getByRole('button', { name: 'Remove from the queue' }).click();
  await expect(remove.getByLabel('Why do they leave the queue?')).toHaveAccessibleDescription(
    /Say why the patient leaves the queue, e.g. “Patient left”./,
  );
  await page.screenshot({ path: screenshotPath('reception-remove-from-queue') });
  await remove.getByLabel('Why do they leave the queue?').fill('Patient left');
  await remove.getByRole('button', { name: 'Remove from the queue' }).click();
  await expect(remove).toBeHidden();
  await expect(waiting.getByText("Siobhán O'Brien")).toHaveCount(0);
});

test('a half-filled registration survives another tab, and F2 asks before discarding it', async ({ page, clinicDesk }) => {
  await signIn(page, clinicDesk, 'reception@demo.clinic');
  await page.keyboard.press('Alt+n');
  const form = page.getByRole('form', { name: 'Register new patient' });
  await form.getByLabel('First name').fill('Wendy');
  await form.getByLabel('Last name').fill('Draft');
  await form.getByLabel('Date of birth').fill('12/05/1984');
  await form.getByLabel('Phone', { exact: true }).fill('07700 900555');
  await form.getByLabel('Address line 1').fill('3 Half Lane');

  await openReception(page, 'Calendar');
  await openReception(page, 'Patients');
  await expect(form.getByLabel('First name')).toHaveValue('Wendy');
  await expect(form.getByLabel('Address line 1')).toHaveValue('3 Half Lane');

  await page.keyboard.press('F2');
  const discard = page.getByRole('dialog', { name: 'Discard changes?' });
  await expect(discard).toContainText('This registration is not saved yet.');
  await expect(discard.getByRole('button', { name: 'Keep editing' })).toBeFocused();
  await page.screenshot({ path: screenshotPath('reception-discard-registration') });
  await discard.getByRole('button', { name: 'Keep editing' }).click();
  await expect(discard).toBeHidden();
  await expect(form.getByLabel('Last name')).toHaveValue('Draft');

  await page.keyboard.press('F2');
  await discard.getByRole('button', { name: 'Discard changes' }).click();
  await expect(form).toBeHidden();
  await expect(page.getByRole('combobox', { name: 'Search patients' })).toBeFocused();
  await page.keyboard.press('Alt+n');
  await expect(form.getByLabel('First name')).toHaveValue('');
});

test('Edit details opens at the top, and Ctrl+S saves at once without a warning about a relative sharing the phone', async ({
  page,
  clinicDesk,
}) => {
  await signIn(page, clinicDesk, 'reception@demo.clinic');
  await page.keyboard.type('hernández');
  await page.getByRole('option', { name: /José Hernández/ }).click();
  const record = page.getByRole('region', { name: 'Patient record' });
  await expect(record.getByRole('heading', { name: 'José Hernández' })).toBeVisible();
  // Read to the bottom of the record first, as a receptionist checking the details would.
  await page.locator('.frame-main').evaluate((main) => main.scrollTo(0, main.scrollHeight));
  await record.getByRole('button', { name: 'Edit details' }).click();

  const form = page.getByRole('form', { name: 'Edit José Hernández' });
  await expect(form.getByLabel('First name')).toBeFocused();
  expect(await page.locator('.frame-main').evaluate((main) => main.scrollTop)).toBe(0);
  await page.screenshot({ path: screenshotPath('reception-edit-top') });
  await form.getByLabel('Occupation').fill('Head chef');
  await page.keyboard.press('Control+s');
  // José shares his phone with his daughter Ava: known before the edit, so no warning holds it.
  await expect(record.getByText('Head chef')).toBeVisible();
  await expect(page.getByRole('region', { name: /Possible duplicates/ })).toHaveCount(0);

  // Straight after "Edit details", with no field touched, Ctrl+S saves too.
  await record.getByRole('button', { name: 'Edit details' }).click();
  await expect(form).toBeVisible();
  await page.keyboard.press('Control+s');
  await expect(record.getByRole('heading', { name: 'José Hernández' })).toBeVisible();
});

test('the desk’s small things: search ready on arrival, archived patients reachable while typing, week names readable, a move keeps its length', async ({
  page,
  clinicDesk,
}) => {
  await signIn(page, clinicDesk, 'admin@demo.clinic');
  await page.keyboard.press('Alt+1');
  const search = page.getByRole('combobox', { name: 'Search patients' });
  await expect(search).toBeFocused();
  await page.keyboard.type('nobody-by-this-name');
  await expect(page.getByText(/No patient found for/)).toBeVisible();
  await page.getByRole('button', { name: 'Archived patients' }).click();
  await expect(page.getByRole('heading', { name: /Archived patients/ })).toBeVisible();

  await openReception(page, 'Calendar');
  await page.getByRole('button', { name: 'Week', exact: true }).click();
  await page.getByLabel('Doctor', { exact: true }).selectOption({ label: 'All doctors' });
  // The demo books this week and next from the day it was loaded; a run that crosses midnight
  // into a new week finds its bookings in what is now this week.
  const booked = page.locator('.cal-appointment.status-scheduled').first();
  await expect(page.locator('.cal-appointment').first()).toBeVisible();
  if ((await booked.count()) === 0) await page.getByRole('button', { name: /Next/ }).click();
  await expect(booked).toBeVisible();
  // Initial and surname, not the time and two letters.
  await expect(booked.locator('.cal-appointment-name')).toHaveText(/^\p{Lu}\. \S/u);
  const name = booked.locator('.cal-appointment-name');
  expect(await name.evaluate((element) => element.scrollWidth <= element.clientWidth + 1)).toBe(true);
  await page.screenshot({ path: screenshotPath('reception-calendar-week-all') });

  await booked.click();
  const panel = page.getByRole('dialog');
  await panel.getByRole('button', { name: 'Move…' }).click();
  const minutes = panel.getByLabel('Minutes');
  const length = await minutes.inputValue();
  const doctor = panel.getByLabel('Doctor', { exact: true });
  const current = await doctor.locator('option:checked').textContent();
  const other = (await doctor.locator('option').allTextContents()).find((label) => label.startsWith('Dr') && label !== current);
  await doctor.selectOption({ label: other! });
  await expect(minutes).toHaveValue(length);
});

test('a patient registered twice is merged into the record on file, with a reason, and the desk is told what moved', async ({
  page,
  clinicDesk,
}) => {
  await signIn(page, clinicDesk, 'reception@demo.clinic');
  await page.keyboard.press('Alt+n');
  const form = page.getByRole('form', { name: 'Register new patient' });
  await form.getByLabel('First name').fill('Margaret');
  await form.getByLabel('Last name').fill('Thomsen');
  await form.getByLabel('Date of birth').fill('17/02/1941');
  await form.getByLabel('Gender').selectOption('Female');
  await form.getByLabel('Phone', { exact: true }).fill('07700 900611');
  await form.getByRole('button', { name: /Register patient/ }).click();
  // The record on file is offered first and the save waits; this test registers the duplicate anyway, as a busy desk does.
  await page.getByRole('button', { name: "It's someone else — continue" }).click();
  const record = page.getByRole('region', { name: 'Patient record' });
  await expect(record.getByRole('heading', { name: 'Margaret Thomsen' })).toBeVisible();

  await record.getByRole('button', { name: 'Merge a duplicate…' }).click();
  const merge = page.getByRole('dialog', { name: 'Merge a duplicate of Margaret Thomsen' });
  await merge.getByRole('button', { name: /^Merge / }).click();
  await expect(merge.getByText('Find the other record of this patient.')).toBeVisible();
  await merge.getByRole('combobox', { name: 'The other record' }).fill('thompson marg');
  await merge
    .getByRole('option', { name: /Margaret .*Thompson/ })
    .first()
    .click();
  await merge.getByRole('radio', { name: /Thompson/ }).check();
  await merge.getByLabel('Why are they merged?').fill('Registered twice: surname misspelt at the desk.');
  await expect(merge.getByText('Say why these records are merged.')).toBeHidden();
  await page.screenshot({ path: screenshotPath('reception-merge') });
  await merge.getByRole('button', { name: /^Merge P-\d+ into P-\d+$/ }).click();
  await expect(merge).toBeHidden();
  await expect(record.getByRole('heading', { name: /Margaret .*Thompson/ })).toBeVisible();
  await expect(record.getByText(/Margaret Thomsen \(P-\d+\) was merged into this record\. It is archived\./)).toBeVisible();
});

test('when the server stops, nothing stale can be opened and the badge warns; after a restart the tab asks for a new link', async ({
  page,
}) => {
  test.setTimeout(480_000);
  const scratch = await mkdtemp(join(tmpdir(), 'clinicdesk-e2e-restart-'));
  const dataDir = join(scratch, 'data');
  const port = await freePort();
  let server = await launchBrowserMode({ dataDir, port, demo: true });
  try {
    await signIn(page, server, 'reception@demo.clinic');
    const search = page.getByRole('combobox', { name: 'Search patients' });
    await search.fill('smi');
    const found = page.getByRole('listbox', { name: 'Patients found' });
    await expect(found.getByRole('option', { name: /John Smith/ })).toBeVisible();

    await server.stop();
    await search.fill('thom');
    await page.keyboard.press('Enter');
    // No answer: the earlier results go, and Enter opened nothing.
    await expect(found.getByRole('option')).toHaveCount(0, { timeout: 20_000 });
    await expect(page.getByRole('region', { name: 'Patient record' })).toHaveCount(0);
    await expect(page.getByText('ClinicDesk is not answering. Please try again in a moment.')).toBeVisible();
    await expect(page.getByRole('banner').getByText('Not answering')).toBeVisible();
    await page.screenshot({ path: screenshotPath('reception-server-stopped') });

    server = await launchBrowserMode({ dataDir, port });
    // The badge asks again every few seconds: the restarted server does not know this tab.
    await expect(page.getByRole('heading', { name: 'ClinicDesk restarted' })).toBeVisible({ timeout: 30_000 });
    await page.screenshot({ path: screenshotPath('reception-server-restarted') });
    await page.reload();
    await expect(page.getByRole('heading', { name: 'ClinicDesk needs a new link' })).toBeVisible();
    await page.screenshot({ path: screenshotPath('reception-new-link-page') });
    await signIn(page, server, 'reception@demo.clinic');
    await expect(page.getByRole('banner').getByText('Offline · this PC')).toBeVisible();
  } finally {
    await server.stop();
    await rm(scratch, { recursive: true, force: true });
  }
});
