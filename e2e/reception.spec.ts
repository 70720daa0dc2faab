import type { Page } from '@playwright/test';
import { todayIn } from '../shared/dates';
import { expect, screenshotPath, signIn, test } from './fixtures';

// The demo clinic runs on London time; the calendar, "today" and the queue all follow it.
const CLINIC_TIMEZONE = 'Europe/London';

function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** 0 for Monday … 6 for Sunday. */
function weekday(isoDate: string): number {
  return (new Date(`${isoDate}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** A weekday 8 to 10 days ahead: the demo keeps Dr Patel's 16:00–17:00 free on weekdays. */
function bookingDay(): { date: string; label: string; weeksAhead: number } {
  const today = todayIn(CLINIC_TIMEZONE);
  let date = addDays(today, 8);
  while (weekday(date) > 4) date = addDays(date, 1);
  const monday = (isoDate: string) => Date.parse(addDays(isoDate, -weekday(isoDate)));
  const weeksAhead = Math.round((monday(date) - monday(today)) / (7 * 86_400_000));
  const label = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );
  return { date, label, weeksAhead };
}

async function openReception(page: Page, view: 'Patients' | 'Calendar' | "Today's queue") {
  await page.getByRole('navigation', { name: 'Reception' }).getByRole('button', { name: view }).click();
}

test.describe.configure({ mode: 'serial' });

test('finds demo patients as you type and opens a record with its allergies first', async ({ page, clinicDesk }) => {
  await signIn(page, clinicDesk, 'reception@demo.clinic');
  // Reception opens ready to type a name.
  await expect(page.getByRole('combobox', { name: 'Search patients' })).toBeFocused();

  // F2 from anywhere in Reception puts the cursor in the search box.
  await page.keyboard.press('F2');
  const search = page.getByRole('combobox', { name: 'Search patients' });
  await expect(search).toBeFocused();
  await page.keyboard.type('smi');
  const found = page.getByRole('listbox', { name: 'Patients found' });
  await expect(found.getByRole('option', { name: /John Smith/ })).toContainText('P-000001');
  await expect(found.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');

  // Esc clears; accents need not be typed.
  await page.keyboard.press('Escape');
  await expect(search).toHaveValue('');
  await page.keyboard.type('zoe');
  await expect(found.getByRole('option', { name: /Zoë Müller/ })).toBeVisible();

  // Straight to a record from the keyboard: type, ↓ to the one wanted, Enter.
  await search.fill('');
  await page.keyboard.type('hernan');
  const jose = found.getByRole('option', { name: /José Hernández/ });
  await expect(jose).toContainText('P-000003');
  await expect(jose).toContainText('Severe allergy: Penicillin');
  const names = await found.getByRole('option').allInnerTexts();
  const position = names.findIndex((text) => text.includes('José Hernández'));
  for (let i = 0; i < position; i += 1) await page.keyboard.press('ArrowDown');
  await expect(jose).toHaveAttribute('aria-selected', 'true');
  await page.screenshot({ path: screenshotPath('reception-search') });
  await page.keyboard.press('Enter');

  const record = page.getByRole('region', { name: 'Patient record' });
  await expect(record.getByRole('heading', { name: 'José Hernández' })).toBeVisible();
  await expect(record.locator('.warning-severe')).toContainText(/Severe allergy: Penicillin/i);
  // Allergies and alerts come before the name, for eyes and for screen readers.
  const order = await record.locator('.patient-header').evaluate((header) => {
    const warning = header.querySelector('.warning-severe')!;
    const name = header.querySelector('h2')!;
    return warning.compareDocumentPosition(name) & Node.DOCUMENT_POSITION_FOLLOWING;
  });
  expect(order).toBeTruthy();
  await expect(record).toContainText('P-000003');
  await expect(record.getByRole('heading', { name: 'Past appointments' })).toBeVisible();
  await expect(record.getByRole('button', { name: 'Archive…' })).toBeVisible();
  await page.screenshot({ path: screenshotPath('reception-record') });

  // Ctrl+K returns to the search with the last results kept.
  await page.keyboard.press('Control+k');
  await expect(search).toBeFocused();
  await expect(search).toHaveValue('hernan');
});

test('registers a new patient, then warns about the duplicate when they are entered again', async ({ page, clinicDesk }) => {
  await signIn(page, clinicDesk, 'reception@demo.clinic');
  await page.keyboard.press('F2');
  await page.keyboard.type('Ada Quillfeather');
  await expect(page.getByText('No patient found for')).toBeVisible();

  // Alt+N opens the form with the name already in it.
  await page.keyboard.press('Alt+n');
  const form = page.getByRole('form', { name: 'Register new patient' });
  await expect(form.getByLabel('First name')).toHaveValue('Ada');
  await expect(form.getByLabel('Last name')).toHaveValue('Quillfeather');

  // Saving too early explains every missing field beside it.
  await form.getByRole('button', { name: /Register patient/ }).click();
  await expect(form.getByLabel('Date of birth')).toHaveAccessibleDescription(/Enter the date of birth/);
  await expect(form.getByLabel('Gender')).toHaveAccessibleDescription(/Choose a gender/);
  await expect(form.getByLabel('Date of birth')).toBeFocused();

  await form.getByLabel('Date of birth').fill('12/04/1990');
  await form.getByLabel('Gender').selectOption('Female');
  await form.getByLabel('Phone', { exact: true }).fill('07700 900555');
  await form.getByRole('button', { name: 'Add allergy' }).click();
  await expect(form.getByLabel('Allergen')).toBeFocused();
  await page.keyboard.type('Latex');
  await form.getByLabel('Severity').selectOption('moderate');
  await page.keyboard.press('Control+s');

  const record = page.getByRole('region', { name: 'Patient record' });
  await expect(record.getByRole('heading', { name: 'Ada Quillfeather' })).toBeVisible();
  await expect(record).toContainText('Allergy: Latex (moderate)');
  const number = (await record.locator('.patient-identity .patient-number').innerText()).trim();
  expect(number).toMatch(/^P-\d{6}$/);
  // Only what was recorded is listed: no empty history or medication lines.
  await expect(record.locator('.details-list dt')).toHaveText(['Mobile / phone']);

  // The same person again: the warning appears as soon as the phone field is left.
  await page.keyboard.press('F2');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Alt+n');
  const again = page.getByRole('form', { name: 'Register new patient' });
  await again.getByLabel('First name').fill('Ada');
  await again.getByLabel('Last name').fill('Quillfeather');
  await again.getByLabel('Date of birth').fill('12/04/1990');
  await again.getByLabel('Gender').selectOption('Female');
  await again.getByLabel('Phone', { exact: true }).fill('07700 900555');
  await again.getByLabel('Other phone').focus();
  const warning = page.getByRole('region', { name: 'Possible duplicates' });
  await expect(warning).toContainText(`Ada Quillfeather ${number}`);
  await expect(warning).toContainText('same phone number');
  await page.screenshot({ path: screenshotPath('reception-registration-duplicate') });

  // Saving is held until the desk says who this is.
  await again.getByRole('button', { name: /Register patient/ }).click();
  await expect(warning).toBeFocused();
  await expect(again).toBeVisible();
  await warning.getByRole('button', { name: `Open existing record of Ada Quillfeather, ${number}` }).click();
  await expect(record.getByRole('heading', { name: 'Ada Quillfeather' })).toBeVisible();
  await expect(record).toContainText(number);
});

test('books a free slot, and a second booking of the same slot is refused beside the time', async ({ page, clinicDesk }) => {
  const day = bookingDay();
  await signIn(page, clinicDesk, 'reception@demo.clinic');
  await openReception(page, 'Calendar');
  await page.getByRole('button', { name: 'Week' }).click();
  await page.getByLabel('Doctor', { exact: true }).selectOption({ label: 'Dr Priya Patel · General Practice' });
  for (let i = 0; i < day.weeksAhead; i += 1) await page.getByRole('button', { name: /Next/ }).click();

  await page.getByRole('button', { name: `Book 16:00, ${day.label}, Dr Priya Patel` }).click();
  const booking = page.getByRole('dialog', { name: 'Book appointment' });
  await expect(booking.getByLabel('Patient', { exact: true })).toBeFocused();
  await page.keyboard.type('smi');
  await booking.getByRole('option', { name: /John Smith/ }).click();
  await expect(booking.getByLabel('Minutes')).toHaveValue('15');
  await expect(booking.getByLabel('Time')).toHaveValue('16:00');
  await expect(booking.getByLabel('Reason')).toBeFocused();
  await page.keyboard.type('Blood pressure review');
  await booking.getByRole('button', { name: 'Book', exact: true }).click();
  await expect(booking).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: 'Booked John Smith with Dr Priya Patel' })).toBeVisible();
  const booked = page.getByRole('button', { name: /^16:00–16:15 John Smith, P-000001, Booked/ });
  await expect(booked).toBeFocused();
  await page.screenshot({ path: screenshotPath('reception-calendar-week') });

  // Another booking for the same minute, all from the keyboard: ↓ to the next free slot,
  // Enter, a patient, Enter; then the time typed back to 16:00.
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('button', { name: `Book 16:15, ${day.label}, Dr Priya Patel` })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(booking.getByLabel('Patient', { exact: true })).toBeFocused();
  await page.keyboard.type('zoe');
  await expect(booking.getByRole('option', { name: /Zoë Müller/ })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(booking.getByRole('group', { name: 'Patient' })).toContainText('Zoë Müller');
  await booking.getByLabel('Time').fill('16:00');
  await booking.getByLabel('Reason').press('Enter');
  const time = booking.getByLabel('Time');
  await expect(time).toHaveAccessibleDescription(
    'Dr Priya Patel already has an appointment 16:00–16:15 (P-000001 John Smith). Choose another time.',
  );
  await expect(time).toBeFocused();
  await page.screenshot({ path: screenshotPath('reception-booking-conflict') });

  await page.keyboard.press('Escape');
  await expect(booking).toBeHidden();
  await expect(page.getByRole('button', { name: /Zoë Müller/ })).toHaveCount(0);
});

test('checks a patient in, and Dr Patel sees them waiting in her own queue', async ({ page, browser, clinicDesk }) => {
  await signIn(page, clinicDesk, 'reception@demo.clinic');
  await openReception(page, "Today's queue");
  await page.getByLabel('Doctor', { exact: true }).selectOption({ label: 'Dr Priya Patel · General Practice' });
  // Dr Patel's own queue, not the whole clinic's still shown while hers loads.
  await expect(page.getByRole('region', { name: "Today's queue" })).toHaveAttribute('aria-busy', 'false');
  const waiting = page.getByRole('region', { name: /^Waiting/ });
  const stillToArrive = page.getByRole('region', { name: /^Still to arrive/ });
  await expect(stillToArrive.getByRole('heading')).toHaveText(/Still to arrive \d+/);

  // Today's bookings exist on weekdays until the evening; otherwise the patient walks in.
  const checkIn = stillToArrive.getByRole('button', { name: /^Check in / }).first();
  let patient: string;
  if ((await checkIn.count()) > 0) {
    patient = (await checkIn.getAttribute('aria-label'))!.replace(/^Check in /, '');
    await stillToArrive.getByRole('button', { name: `Check in ${patient}` }).click();
  } else {
    patient = 'John Smith';
    await page.getByRole('button', { name: 'Walk-in…' }).click();
    const walkIn = page.getByRole('dialog', { name: 'Walk-in' });
    await page.keyboard.type('smi');
    await walkIn.getByRole('option', { name: /John Smith/ }).click();
    await walkIn.getByLabel('Doctor', { exact: true }).selectOption({ label: 'Dr Priya Patel · General Practice' });
    // In the evening the clinic is closed: out of hours only an emergency is walked in.
    await walkIn.getByLabel('Type of visit').selectOption({ label: 'Emergency' });
    await walkIn.getByRole('button', { name: 'Add to the queue' }).click();
    await expect(walkIn).toBeHidden();
  }
  await expect(waiting.getByText(patient)).toBeVisible();
  await expect(waiting.getByRole('listitem').filter({ hasText: patient })).toContainText(/waiting \d+ min/);
  await page.screenshot({ path: screenshotPath('reception-queue') });

  const doctorContext = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  try {
    const doctor = await doctorContext.newPage();
    await signIn(doctor, clinicDesk, 'dr.patel@demo.clinic');
    await doctor.keyboard.press('Alt+2');
    const doctorsWaiting = doctor.getByRole('region', { name: 'Your patients today' });
    // Waiting for her, to be started: a doctor starts the consultation; checking in is the desk's job.
    // (The demo clinic is shared by the specs: the same patient may also be with a doctor from another visit today.)
    await expect(doctorsWaiting.getByRole('button', { name: `Start ${patient}` })).toBeVisible();
    await expect(doctor.getByRole('button', { name: /^Check in / })).toHaveCount(0);
    await doctor.screenshot({ path: screenshotPath('reception-doctor-queue') });
  } finally {
    await doctorContext.close();
  }
});

test('the walk-in dialog takes the desk to what needs correcting, and will not queue a patient twice', async ({ page, clinicDesk }) => {
  await signIn(page, clinicDesk, 'reception@demo.clinic');
  await openReception(page, "Today's queue");
  const openWalkIn = async () => {
    await page.getByRole('button', { name: 'Walk-in…' }).click();
    return page.getByRole('dialog', { name: 'Walk-in' });
  };

  let walkIn = await openWalkIn();
  await walkIn.getByRole('button', { name: 'Add to the queue' }).click();
  const patientBox = walkIn.getByRole('combobox', { name: 'Patient' });
  await expect(patientBox).toBeFocused();
  const doctor = walkIn.getByLabel('Doctor', { exact: true });
  await expect(doctor).toHaveAccessibleDescription('Choose a doctor.');
  await doctor.selectOption({ label: 'Dr James Okafor · Paediatrics' });
  await expect(doctor).not.toHaveAccessibleDescription('Choose a doctor.');

  await patientBox.focus();
  await page.keyboard.type('hernández');
  await walkIn.getByRole('option', { name: /José Hernández/ }).click();
  // An emergency is taken at any hour: the test runs whether or not the clinic is open.
  await walkIn.getByLabel('Type of visit').selectOption({ label: 'Emergency' });
  await walkIn.getByRole('button', { name: 'Add to the queue' }).click();
  await expect(walkIn).toBeHidden();

  walkIn = await openWalkIn();
  await page.keyboard.type('hernández');
  await walkIn.getByRole('option', { name: /José Hernández/ }).click();
  await walkIn.getByLabel('Doctor', { exact: true }).selectOption({ label: 'Dr Priya Patel · General Practice' });
  await walkIn.getByLabel('Type of visit').selectOption({ label: 'Emergency' });
  await walkIn.getByRole('button', { name: 'Add to the queue' }).click();
  const changePatient = walkIn.getByRole('button', { name: 'Change patient' });
  await expect(changePatient).toHaveAccessibleDescription('This patient is already waiting for Dr James Okafor today.');
  await expect(changePatient).toBeFocused();
  await page.screenshot({ path: screenshotPath('reception-walk-in-twice') });
});

test('a very long name wraps inside the record header instead of running off it', async ({ page, clinicDesk }) => {
  await signIn(page, clinicDesk, 'reception@demo.clinic');
  await page.keyboard.press('Alt+n');
  const form = page.getByRole('form', { name: 'Register new patient' });
  const longName = 'Wolfeschlegelsteinhausenbergerdorffwelchevoralternwarengewissenhaftschaferswessenschafewarenwohlgepf';
  await form.getByLabel('First name').fill(longName);
  await form.getByLabel('Last name').fill('Quill');
  await form.getByLabel('Date of birth').fill('02/02/1988');
  await form.getByLabel('Gender').selectOption('Male');
  await form.getByLabel('Phone', { exact: true }).fill('07700 900842');
  await page.keyboard.press('Control+s');

  const record = page.getByRole('region', { name: 'Patient record' });
  const heading = record.getByRole('heading', { name: `${longName} Quill` });
  await expect(heading).toBeVisible();
  const fits = await heading.evaluate((element) => {
    const card = element.closest('.patient-header')!.getBoundingClientRect();
    const box = element.getBoundingClientRect();
    return box.right <= card.right && element.scrollWidth <= element.clientWidth;
  });
  expect(fits).toBe(true);
  await page.screenshot({ path: screenshotPath('reception-long-name') });
});
