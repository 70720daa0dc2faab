import { drPatelStarts, expect, queueWalkIn, screenshotPath, test } from './fixtures';

const PATIENT = 'José Hernández';

test('Dr Patel starts the next patient, records vitals (an implausible one is refused beside its box), writes and signs the note', async ({
  page,
  browser,
  clinicDesk,
}) => {
  // Generous: two windows and many steps, on a shared machine.
  test.setTimeout(300_000);
  await queueWalkIn(page, clinicDesk, 'hernan', PATIENT);

  const { context: doctorContext, doctor } = await drPatelStarts(browser, clinicDesk, PATIENT);
  try {
    const day = doctor.getByRole('region', { name: 'Your patients today' });
    // The chart opens with the severe allergy first, and the demo's signed history.
    await expect(doctor.getByText('Severe allergy: Penicillin')).toBeVisible();
    const note = doctor.getByRole('region', { name: 'Consultation note' });
    await expect(note).toBeVisible();

    await note.getByLabel('Systolic BP (mmHg)').fill('300');
    await note.getByLabel('Diastolic BP (mmHg)').fill('84');
    await note.getByLabel('Pulse (/min)').fill('76');
    await note.getByLabel('Temperature (°C)').fill('36,9');
    await note.getByLabel('Weight (kg)').fill('78');
    await note.getByLabel('Height (cm)').fill('176');
    await expect(note.getByText('BMI 25.2')).toBeVisible();
    // Autosave sends the draft; the server's message stands beside the box it is about.
    await expect(note.getByText('Systolic pressure must be between 50 and 260 mmHg.')).toBeVisible();
    await expect(note.getByLabel('Systolic BP (mmHg)')).toHaveAttribute('aria-invalid', 'true');
    await doctor.screenshot({ path: screenshotPath('clinical-vitals-refused') });
    await note.getByLabel('Systolic BP (mmHg)').fill('132');
    await expect(note.getByText('Draft saved')).toBeVisible();
    await expect(note.getByText('Systolic pressure must be between 50 and 260 mmHg.')).toBeHidden();

    await note.getByLabel('History').fill('Burning when passing urine for two days; no fever, no loin pain.');
    await note.getByLabel('Examination').fill('Afebrile, abdomen soft, no renal angle tenderness.');
    await note.getByLabel('Assessment').fill('Uncomplicated lower urinary tract infection.');
    await note.getByLabel('Diagnosis').fill('Urinary tract infection, site not specified');
    await note.getByLabel('ICD-10 code').fill('N39.0');
    await note.getByLabel('Plan').fill('Nitrofurantoin 100 mg modified-release twice daily for 3 days (penicillin allergy noted).');
    await note.getByLabel('Follow up in (days)').fill('7');
    await note.getByRole('button', { name: 'Sign note' }).click();

    const signed = doctor.getByRole('region', { name: 'Consultation note (signed)' });
    await expect(signed).toContainText('Signed by Dr Priya Patel');
    await expect(signed.getByLabel('Assessment')).toBeDisabled();
    await expect(signed.getByRole('button', { name: 'Finish visit…' })).toBeVisible();
    await doctor.getByRole('heading', { name: 'Clinical', level: 1 }).scrollIntoViewIfNeeded();
    await doctor.screenshot({ path: screenshotPath('clinical-consultation') });

    // Finishing offers the note's follow-up (a week) and the usual intervals, with the doctor's free times.
    await signed.getByRole('button', { name: 'Finish visit…' }).click();
    const finish = doctor.getByRole('dialog', { name: 'Finish the visit' });
    await expect(finish.getByRole('button', { name: '1 week' })).toHaveAttribute('aria-pressed', 'true');
    const slotsDay = finish.locator('.follow-up-slots legend');
    const oneWeek = (await slotsDay.textContent())!;
    // The new day's times are held back: meanwhile the week's still show, busy and not clickable.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const newDayTimes = (url: URL) => url.pathname.includes('clinical.followUpSlots');
    await doctor.route(newDayTimes, async (route) => {
      await held;
      await route.continue();
    });
    await finish.getByRole('button', { name: '2 weeks' }).click();
    const grid = finish.locator('.follow-up-slots');
    await expect(grid).toHaveAttribute('aria-busy', 'true');
    for (const stale of await grid.locator('.slot-grid button').all()) await expect(stale).toBeDisabled();
    await doctor.screenshot({ path: screenshotPath('clinical-finish-loading') });
    release();
    await expect(grid).toHaveAttribute('aria-busy', 'false');
    await doctor.unroute(newDayTimes);
    await expect(slotsDay).not.toHaveText(oneWeek);
    const times = finish.getByRole('group', { name: /^Free with you on / });
    const time = times.getByRole('button').nth(2);
    const chosen = (await time.textContent())!;
    await time.click();
    await expect(time).toHaveAttribute('aria-pressed', 'true');
    await doctor.screenshot({ path: screenshotPath('clinical-finish-follow-up') });
    await finish.getByRole('button', { name: 'Finish and book the follow-up' }).click();
    await expect(finish).toBeHidden();
    await expect(doctor.getByText(new RegExp(`Follow-up booked: .+ at ${chosen} \\(APT-`))).toBeVisible();
    await expect(day.getByRole('listitem').filter({ hasText: PATIENT }).last()).toContainText('Completed');
  } finally {
    await doctorContext.close();
  }
});
