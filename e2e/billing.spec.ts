import { execFileSync } from 'node:child_process';
import { expect, screenshotPath, signIn, test } from './fixtures';

test('the billing clerk invoices a completed visit, takes part, then the rest, refunds part and cashes up', async ({
  page,
  clinicDesk,
}) => {
  await signIn(page, clinicDesk, 'billing@demo.clinic');
  // Billing staff land in Billing.
  await expect(page.getByRole('heading', { name: 'Billing', level: 1 })).toBeVisible();

  // A completed visit, its services priced from the price list.
  await page.getByRole('button', { name: 'New invoice' }).click();
  const dialog = page.getByRole('dialog', { name: 'New invoice' });
  const visits = dialog.getByLabel('From a completed visit');
  const firstVisit = await visits.locator('option').nth(1).getAttribute('value');
  await visits.selectOption(firstVisit!);
  await expect(dialog.getByLabel('Line 1 description')).not.toHaveValue('');
  await dialog.screenshot({ path: screenshotPath('billing-new-invoice') });
  await dialog.getByRole('button', { name: 'Save draft' }).click();
  await expect(dialog).toBeHidden();

  const invoice = page.getByRole('region', { name: /^Invoice (INV-|\(draft)/ });
  await expect(invoice.getByRole('heading', { name: 'Invoice (draft, numbered when issued)' })).toBeVisible();
  await invoice.getByRole('button', { name: 'Issue invoice' }).click();
  await expect(invoice.getByRole('heading', { name: /^Invoice INV-\d{4}-\d{6}$/ })).toBeVisible();
  const total = (await invoice.getByTestId('balance').textContent())!;
  const patientNumber = (await invoice.locator('.patient-number').first().textContent())!;

  // Part now, by card: more than is owed is refused beside the amount.
  await invoice.getByRole('button', { name: 'Take payment' }).click();
  const payment = page.getByRole('dialog', { name: /^Take a payment on INV-/ });
  await payment.getByLabel('Amount').fill('100000');
  await payment.getByRole('button', { name: 'Take payment' }).click();
  await expect(payment.getByText(`Overpayment refused: ${total} is still owed by the patient`)).toBeVisible();
  await payment.getByLabel('Amount').fill('20');
  await payment.getByLabel('Paid by').selectOption({ label: 'Card' });
  await payment.getByRole('button', { name: 'Take payment' }).click();
  await expect(payment).toBeHidden();
  await expect(invoice.getByText('Part paid')).toBeVisible();
  await page.screenshot({ path: screenshotPath('billing-part-paid') });

  // The receipt of that payment, as a PDF; its page kept as an image to look at.
  const download = page.waitForEvent('download');
  await invoice.getByRole('button', { name: 'Receipt' }).click();
  const receipt = await download;
  expect(receipt.suggestedFilename()).toMatch(/^receipt-PAY-\d{4}-\d{6}\.pdf$/);
  const pdfPath = screenshotPath('tmp/billing-receipt').replace(/\.png$/, '.pdf');
  await receipt.saveAs(pdfPath);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', pdfPath, screenshotPath('billing-receipt').replace(/\.png$/, '')]);

  // The rest in cash.
  await invoice.getByRole('button', { name: 'Take payment' }).click();
  await payment.getByLabel('Paid by').selectOption({ label: 'Cash' });
  await payment.getByRole('button', { name: 'Take payment' }).click();
  await expect(payment).toBeHidden();
  await expect(invoice.getByTestId('balance')).toHaveText('£0.00');
  await expect(invoice.locator('.status-pill')).toHaveText('Paid');

  // Part of the card payment back.
  await invoice.getByRole('button', { name: 'Refund' }).first().click();
  const refund = page.getByRole('dialog', { name: /^Refund from PAY-/ });
  await refund.getByLabel('Amount to refund').fill('5');
  await refund.getByLabel('Reason').fill('Dressing not used');
  await refund.getByRole('button', { name: 'Refund' }).click();
  await expect(refund).toBeHidden();
  await expect(invoice.getByTestId('balance')).toHaveText('£5.00');
  await expect(invoice.getByText(/RFD-\d{4}-\d{6}: £5\.00 by card/)).toBeVisible();
  await page.screenshot({ path: screenshotPath('billing-refunded') });

  // The day's cash-up: the clerk's own takings, counted a pound short.
  await page.getByRole('navigation', { name: 'Billing' }).getByRole('button', { name: 'Cash-up' }).click();
  const till = page.getByRole('region', { name: /^Cash-up for/ });
  const cashRow = till.getByRole('row').filter({ hasText: 'Cash' }).filter({ hasText: 'Tom Becker' }).first();
  await expect(cashRow).toBeVisible();
  const expected = (await cashRow.locator('td').nth(4).textContent())!;
  const short = (Number(expected.replace(/[^0-9.]/g, '')) - 1).toFixed(2);
  await cashRow.getByRole('textbox').fill(short);
  await cashRow.getByRole('button', { name: 'Record' }).click();
  await expect(cashRow.locator('td').last()).toHaveText('-£1.00');
  await page.screenshot({ path: screenshotPath('billing-cash-up') });

  // Revenue, as a chart by day.
  await page.getByRole('navigation', { name: 'Billing' }).getByRole('button', { name: 'Revenue' }).click();
  await expect(
    page
      .getByRole('img', { name: /Invoiced and collected/ })
      .locator('.recharts-bar-rectangle')
      .first(),
  ).toBeVisible();
  await page.screenshot({ path: screenshotPath('billing-revenue') });

  // At reception, the patient's record says what they still owe.
  await page.keyboard.press('Alt+1');
  await page.keyboard.press('F2');
  await page.keyboard.type(patientNumber);
  await page
    .getByRole('listbox', { name: 'Patients found' })
    .getByRole('option', { name: new RegExp(patientNumber) })
    .click();
  await expect(page.getByRole('region', { name: 'Patient record' }).locator('.patient-header')).toContainText(
    /Owes £[\d,.]+ \(\d+ invoices?\)/,
  );
  await page.screenshot({ path: screenshotPath('billing-reception-balance') });
});

test('the billing clerk sets a price from tomorrow: today’s visits keep the old one, and a bad price is refused beside its box', async ({
  page,
  clinicDesk,
}) => {
  await signIn(page, clinicDesk, 'billing@demo.clinic');
  const billingNav = page.getByRole('navigation', { name: 'Billing' });

  // What a completed visit is charged today.
  const newInvoice = async () => {
    await billingNav.getByRole('button', { name: 'Invoices' }).click();
    await page.getByRole('button', { name: 'New invoice' }).click();
    return page.getByRole('dialog', { name: 'New invoice' });
  };
  let dialog = await newInvoice();
  const visit = (await dialog.getByLabel('From a completed visit').locator('option').nth(1).getAttribute('value'))!;
  await dialog.getByLabel('From a completed visit').selectOption(visit);
  await expect(dialog.getByLabel('Line 1 code')).not.toHaveValue('');
  const code = await dialog.getByLabel('Line 1 code').inputValue();
  const oldPrice = await dialog.getByLabel('Line 1 unit price').inputValue();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // A new price from tomorrow; a price that is not a number is refused beside its box.
  await billingNav.getByRole('button', { name: 'Price list' }).click();
  const list = page.getByRole('region', { name: 'Price list' });
  const row = list.getByRole('row').filter({ has: page.getByRole('cell', { name: code, exact: true }) });
  await row.getByRole('button', { name: 'New price…' }).click();
  const pricing = page.getByRole('dialog', { name: /^New price for / });
  await pricing.getByLabel('Price').fill('twelve');
  await pricing.getByRole('button', { name: 'Set price' }).click();
  await expect(pricing.getByLabel('Price')).toHaveAccessibleDescription('Give the price as a number, such as 12.50.');
  await pricing.screenshot({ path: screenshotPath('billing-price-refused') });
  await pricing.getByLabel('Price').fill('123.45');
  await pricing.getByRole('button', { name: 'Set price' }).click();
  await expect(pricing).toBeHidden();
  await expect(row.locator('td').nth(4)).toContainText('£123.45 from');
  await expect(row.locator('td').nth(3)).not.toContainText('123.45');
  await page.screenshot({ path: screenshotPath('billing-price-list') });

  // The visit, invoiced today, is still charged the old price.
  dialog = await newInvoice();
  await dialog.getByLabel('From a completed visit').selectOption(visit);
  await expect(dialog.getByLabel('Line 1 code')).toHaveValue(code);
  await expect(dialog.getByLabel('Line 1 unit price')).toHaveValue(oldPrice);
});
