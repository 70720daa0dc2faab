import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { drPatelStarts, expect, PROJECT_ROOT, screenshotPath, queueWalkIn, test } from './fixtures';

const PATIENT = 'Olumide Adebayo';

test('Dr Patel prescribes a penicillin to a patient allergic to it: warned, overridden with a reason, printed', async ({
  page,
  browser,
  clinicDesk,
}) => {
  // Generous: the steps are many, and the machine is shared.
  test.setTimeout(300_000);
  await queueWalkIn(page, clinicDesk, 'adebayo', PATIENT);

  const { context: doctorContext, doctor } = await drPatelStarts(browser, clinicDesk, PATIENT);
  try {
    await expect(doctor.getByText('Allergy: Penicillin')).toBeVisible();

    // The note, started from one of the clinic's templates: it fills the boxes still empty.
    const note = doctor.getByRole('region', { name: 'Consultation note' });
    await note.getByLabel('Presenting complaint').fill('BP check, feels well');
    await note.getByLabel('Start from a template').selectOption({ label: 'Hypertension review' });
    await expect(note.getByLabel('Assessment')).toHaveValue('Essential hypertension.');
    await expect(note.getByLabel('Presenting complaint')).toHaveValue('BP check, feels well');
    await expect(note.getByText('Draft saved')).toBeVisible();

    // Vitals of the signed notes, charted over time.
    const vitals = doctor.getByRole('region', { name: 'Vitals over time' });
    await expect(vitals.getByRole('figure', { name: 'Blood pressure' })).toBeVisible();
    await vitals.scrollIntoViewIfNeeded();
    await doctor.screenshot({ path: screenshotPath('vitals-charts') });

    const prescriptions = doctor.getByRole('region', { name: 'Prescriptions' });
    await expect(prescriptions.getByRole('row', { name: /Amlodipine 10 mg tablet/ })).toBeVisible();
    await prescriptions.getByRole('button', { name: 'New prescription' }).click();
    const form = doctor.getByRole('dialog', { name: 'New prescription' });
    await doctor.keyboard.type('amox');
    await expect(form.getByRole('option', { name: /Amoxicillin/ }).first()).toBeVisible();
    await form.getByRole('option', { name: /^Amoxicillin/ }).click();
    await expect(form.getByLabel('Medication')).toHaveValue('Amoxicillin');
    // The warning is shown before anything is saved.
    await expect(form.getByRole('alert').filter({ hasText: 'Allergy:' })).toContainText('Penicillin');
    await form.getByLabel('Strength').fill('500 mg');
    await form.getByLabel('Form').selectOption('capsule');
    await form.getByLabel('Dose').fill('One capsule');
    await form.getByLabel('Frequency').fill('Three times a day');
    await form.getByLabel('Duration (days)').fill('5');
    await form.getByLabel('Quantity').fill('15');
    await form.getByLabel('Instructions for the patient').fill('Stop and call us at once if a rash appears.');
    await form.getByRole('button', { name: 'Prescribe anyway' }).click();
    await expect(form.getByText('Give a reason to prescribe despite the warnings.')).toBeVisible();
    await doctor.screenshot({ path: screenshotPath('prescribing-allergy-warning') });
    await form
      .getByLabel('Reason to prescribe despite the warnings')
      .fill('Rash in 2016 was non-urticarial; tolerated amoxicillin since under supervision.');
    await form.getByRole('button', { name: 'Prescribe anyway' }).click();
    await expect(form).toBeHidden();

    const written = prescriptions.getByRole('row', { name: /Amoxicillin 500 mg capsule/ });
    await expect(written).toContainText('Warnings overridden: Rash in 2016');
    await expect(written.getByRole('checkbox', { name: 'Print Amoxicillin' })).toBeChecked();
    await prescriptions.getByRole('checkbox', { name: 'Print Amlodipine' }).check();
    await written.scrollIntoViewIfNeeded();
    await doctor.screenshot({ path: screenshotPath('prescribing-list') });

    const downloading = doctor.waitForEvent('download');
    await prescriptions.getByRole('button', { name: 'Print prescription (2)' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^Prescription P-000010 \d{4}-\d\d-\d\d\.pdf$/);
    const pdf = join(PROJECT_ROOT, 'test-results', 'prescription.pdf');
    await download.saveAs(pdf);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString('utf8');
    expect(text).toContain('Riverside Family Clinic');
    expect(text).toContain('GMC 7264815');
    expect(text).toContain('Amoxicillin 500 mg capsule');
    expect(text).toContain('Amlodipine 10 mg tablet');
    // The pages as images, to look at (screenshots/prescription-1.png).
    execFileSync('pdftoppm', ['-png', '-r', '60', pdf, screenshotPath('prescription').replace(/\.png$/, '')]);

    await prescriptions
      .getByRole('row', { name: /Amlodipine/ })
      .getByRole('button', { name: 'Discontinue' })
      .click();
    const stop = doctor.getByRole('dialog', { name: /^Discontinue/ });
    await stop.getByRole('button', { name: 'Discontinue' }).click();
    await expect(stop.getByText('Say why the prescription is stopped.')).toBeVisible();
    await stop.getByLabel('Reason').fill('Blood pressure controlled; stopped at review.');
    await stop.getByRole('button', { name: 'Discontinue' }).click();
    await expect(stop).toBeHidden();
    await expect(prescriptions.getByText('Ended (2)')).toBeVisible();
  } finally {
    await doctorContext.close();
  }
});
