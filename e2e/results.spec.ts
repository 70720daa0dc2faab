import { expect, queueWalkIn, screenshotPath, signIn, test } from './fixtures';

const PATIENT = 'Ananya Sharma';

test('Dr Patel orders a blood count, the nurse enters a low haemoglobin, Dr Patel verifies it and sees it flagged and in the trend', async ({
  page,
  browser,
  clinicDesk,
}) => {
  // Two people, eleven steps, each a round trip to the server: more than the default on a busy machine.
  test.setTimeout(120_000);
  // The doctor orders from Tests and results, choosing the patient and a catalog test.
  await signIn(page, clinicDesk, 'dr.patel@demo.clinic');
  await page.keyboard.press('Alt+2');
  await page.getByRole('navigation', { name: 'Clinical' }).getByRole('button', { name: 'Tests and results' }).click();
  // The demo's critical potassium waits at the top of Dr Patel's results.
  const inbox = page.getByRole('list', { name: 'Your results' });
  await expect(inbox.getByRole('listitem').first()).toContainText('Critical');
  await page.getByRole('button', { name: 'Order a test…' }).click();
  const order = page.getByRole('dialog', { name: 'Order a test' });
  await page.keyboard.type('sharma');
  await order.getByRole('option', { name: new RegExp(PATIENT) }).click();
  await order.getByLabel('Test', { exact: true }).selectOption({ label: 'Full blood count' });
  await expect(order.getByText('Blood (EDTA): Haemoglobin, White cell count')).toBeVisible();
  await order.getByLabel('Clinical details').fill('Heavy periods again; tired');
  await order.getByRole('button', { name: 'Order test' }).click();
  const ordered = page.getByRole('dialog', { name: `Full blood count · ${PATIENT}` });
  await expect(ordered.getByText('Ordered', { exact: true })).toBeVisible();
  await ordered.getByRole('button', { name: 'Close' }).click();

  const nurseContext = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  try {
    const nurse = await nurseContext.newPage();
    await signIn(nurse, clinicDesk, 'nurse@demo.clinic');
    await nurse.keyboard.press('Alt+2');
    await nurse.getByRole('navigation', { name: 'Clinical' }).getByRole('button', { name: 'Tests and results' }).click();
    // A nurse has no results inbox of her own, only the tests in hand.
    await expect(nurse.getByRole('list', { name: 'Your results' })).toHaveCount(0);
    await nurse
      .getByRole('list', { name: 'Tests in hand' })
      .getByRole('listitem')
      .filter({ hasText: 'Full blood count' })
      .filter({ hasText: PATIENT })
      .getByRole('button')
      .click();
    const test = nurse.getByRole('dialog', { name: `Full blood count · ${PATIENT}` });
    await test.getByRole('button', { name: 'Sample collected' }).click();
    await test.getByRole('button', { name: 'Sent to the laboratory' }).click();
    const entry = test.getByRole('form', { name: 'Enter results' });
    await expect(entry.getByText('Range 115–165')).toBeVisible();
    await entry.getByLabel('Haemoglobin (g/L)').fill('98');
    await entry.getByLabel('White cell count (×10⁹/L)').fill('6,4');
    await entry.getByLabel('Platelets (×10⁹/L)').fill('lots');
    await entry.getByRole('button', { name: 'Save results' }).click();
    // Not a number: said beside its box, and nothing is saved.
    await expect(entry.getByText('Give Platelets as a number, such as 4.5.')).toBeVisible();
    await expect(entry.getByLabel('Platelets (×10⁹/L)')).toHaveAttribute('aria-invalid', 'true');
    await entry.getByLabel('Platelets (×10⁹/L)').fill('290');
    await entry.getByLabel('MCV (fL)').fill('76');
    await entry.getByRole('button', { name: 'Save results' }).click();
    await expect(test.getByText('Results in, to verify')).toBeVisible();
    const results = test.getByRole('region', { name: 'Results' });
    await expect(results.getByRole('row', { name: /Haemoglobin/ })).toContainText('L (low)');
    await expect(results.getByRole('row', { name: /White cell count/ })).toContainText('6.4');
    // The nurse cannot verify: only the doctor sees that step.
    await expect(test.getByRole('button', { name: 'Verify results' })).toHaveCount(0);
    await nurse.screenshot({ path: screenshotPath('results-entered-by-nurse') });
  } finally {
    await nurseContext.close();
  }

  // The doctor's inbox shows the new result as abnormal, still to verify.
  await page.getByRole('navigation', { name: 'Clinical' }).getByRole('button', { name: 'Your day' }).click();
  await page.getByRole('navigation', { name: 'Clinical' }).getByRole('button', { name: 'Tests and results' }).click();
  const item = inbox.getByRole('listitem').filter({ hasText: 'Full blood count' }).filter({ hasText: 'Haemoglobin 98 g/L' });
  await expect(item).toContainText('Abnormal');
  await expect(item).toContainText('Results in, to verify');
  await item.getByRole('button').click();
  const result = page.getByRole('dialog', { name: `Full blood count · ${PATIENT}` });
  await result.getByRole('button', { name: 'Verify results' }).click();
  await expect(result.getByText(/verified by Dr Priya Patel/)).toBeVisible();
  // Haemoglobin's course: 104 and 116 earlier this year, 128 since, 98 now; the reference band shaded.
  const trend = result.getByRole('figure', { name: 'Haemoglobin over time' });
  await expect(trend).toContainText('4 results');
  await expect(trend.locator('.recharts-reference-area')).toHaveCount(1);
  await expect(trend.getByRole('listitem')).toHaveCount(4);
  await page.screenshot({ path: screenshotPath('results-verified-trend') });
  await result.getByRole('button', { name: 'Close' }).click();
  await expect(item).toContainText('Verified');
  await expect(item).toContainText('Abnormal');
  await page.screenshot({ path: screenshotPath('results-inbox') });
});

test('the chart lists the patient’s tests and trends an analyte with its reference band', async ({ page, browser, clinicDesk }) => {
  test.setTimeout(120_000);
  // Siobhán O'Brien comes in as a walk-in to Dr Patel; her chart has two years of HbA1c.
  await queueWalkIn(page, clinicDesk, 'siobh', "Siobhán O'Brien");

  const doctorContext = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  try {
    const doctor = await doctorContext.newPage();
    await signIn(doctor, clinicDesk, 'dr.patel@demo.clinic');
    await doctor.keyboard.press('Alt+2');
    await doctor.getByRole('region', { name: 'Your patients today' }).getByRole('button', { name: "Start Siobhán O'Brien" }).click();
    const results = doctor.getByRole('region', { name: 'Tests and results' });
    await expect(results.getByRole('list', { name: 'Tests' })).toContainText('HbA1c');
    await results.getByLabel('Trend of').selectOption('HbA1c');
    const trend = results.getByRole('figure', { name: 'HbA1c over time' });
    await expect(trend).toContainText('3 results');
    await expect(trend.getByRole('listitem')).toHaveText([
      /: 52 mmol\/mol \(high\)$/,
      /: 58 mmol\/mol \(high\)$/,
      /: 64 mmol\/mol \(high\)$/,
    ]);
    await trend.scrollIntoViewIfNeeded();
    await doctor.screenshot({ path: screenshotPath('results-chart-trend') });
  } finally {
    await doctorContext.close();
  }
});
