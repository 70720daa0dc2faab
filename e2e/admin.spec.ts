import { expect, screenshotPath, signIn, test } from './fixtures';

test('the administrator sees the database health, runs maintenance and reads sign-in activity', async ({ page, clinicDesk }) => {
  await signIn(page, clinicDesk, 'admin@demo.clinic');
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('button', { name: 'Admin' }).click();

  const health = page.getByRole('region', { name: 'Database health' });
  await expect(health.getByRole('row', { name: /tenant isolation/ })).toContainText('ok');
  await health.getByRole('button', { name: 'Run maintenance' }).click();
  await expect(health.getByRole('status')).toContainText('tables analysed');

  const activity = page.getByRole('region', { name: 'Recent sign-ins and activity' });
  await expect(activity.getByRole('listitem').filter({ hasText: 'Alex Morgan' }).first()).toContainText('Signed in');

  // Browser mode keeps no connection: it says where its server comes from instead.
  await expect(page.getByRole('region', { name: 'Clinic server' })).toContainText('CLINICDESK_DATABASE_URL');
  await page.screenshot({ path: screenshotPath('admin') });
});
