import { expect, signIn, test } from './fixtures';

// The demo clinic's roles (create_default_roles in migrations/001) and the areas they open.
// The areas they open, and the one they land on: their own (clinicians: Clinical, billing: Billing), else the first.
const DEMO_STAFF = [
  { email: 'admin@demo.clinic', role: 'Admin', areas: ['Reception', 'Clinical', 'Billing', 'Admin'], home: 'Reception' },
  { email: 'dr.patel@demo.clinic', role: 'Doctor', areas: ['Reception', 'Clinical', 'Billing'], home: 'Clinical' },
  { email: 'dr.okafor@demo.clinic', role: 'Doctor', areas: ['Reception', 'Clinical', 'Billing'], home: 'Clinical' },
  { email: 'nurse@demo.clinic', role: 'Nurse', areas: ['Reception', 'Clinical'], home: 'Clinical' },
  { email: 'reception@demo.clinic', role: 'Receptionist', areas: ['Reception', 'Billing'], home: 'Reception' },
  { email: 'billing@demo.clinic', role: 'Billing', areas: ['Reception', 'Billing'], home: 'Billing' },
];

for (const { email, role, areas, home } of DEMO_STAFF) {
  test(`${email} sees exactly ${areas.join(', ')}`, async ({ page, clinicDesk }) => {
    await signIn(page, clinicDesk, email);

    const items = page.getByRole('navigation', { name: 'Areas' }).getByRole('button');
    await expect(items).toHaveCount(areas.length);
    for (const [index, area] of areas.entries()) await expect(items.nth(index)).toHaveAccessibleName(area);

    await expect(page.getByRole('heading', { level: 1 })).toHaveText(home);
    await expect(items.filter({ hasText: home })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('banner')).toContainText(role);
    await expect(page.getByRole('banner')).toContainText('Offline · this PC');
  });
}
