import { expect, signIn, test } from './fixtures';

// The demo clinic's roles (create_default_roles in migrations/001) and the areas they open.
const DEMO_STAFF = [
  { email: 'admin@demo.clinic', role: 'Admin', areas: ['Reception', 'Clinical', 'Billing', 'Admin'] },
  { email: 'dr.patel@demo.clinic', role: 'Doctor', areas: ['Reception', 'Clinical', 'Billing'] },
  { email: 'dr.okafor@demo.clinic', role: 'Doctor', areas: ['Reception', 'Clinical', 'Billing'] },
  { email: 'nurse@demo.clinic', role: 'Nurse', areas: ['Reception', 'Clinical'] },
  { email: 'reception@demo.clinic', role: 'Receptionist', areas: ['Reception', 'Billing'] },
  { email: 'billing@demo.clinic', role: 'Billing', areas: ['Reception', 'Billing'] },
];

for (const { email, role, areas } of DEMO_STAFF) {
  test(`${email} sees exactly ${areas.join(', ')}`, async ({ page, clinicDesk }) => {
    await signIn(page, clinicDesk, email);

    const items = page.getByRole('navigation', { name: 'Areas' }).getByRole('button');
    await expect(items).toHaveCount(areas.length);
    for (const [index, area] of areas.entries()) await expect(items.nth(index)).toHaveAccessibleName(area);

    // The first allowed area opens by default.
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(areas[0]!);
    await expect(items.first()).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('banner')).toContainText(role);
    await expect(page.getByRole('banner')).toContainText('Offline · this PC');
  });
}
