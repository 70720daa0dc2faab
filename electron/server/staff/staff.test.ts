import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateStaffInput } from '../../../shared/staff';
import { DEMO_PASSWORD, DEMO_USERS, demoBackend, refusal, sqlState, staffSql, type TestBackend } from '../../../test/backend';
import { engines } from '../../../test/engines';
import { createTenantFixture, type TenantFixture } from '../../../test/fixtures';
import { one } from '../db/rows';
import type { SqlParam } from '../db/types';

const DEMO_TENANT = '00000000-0000-4000-8000-000000000001';
const ADMIN_ID = '00000000-0000-4000-8000-000000000101';
const RECEPTIONIST_ID = '00000000-0000-4000-8000-000000000105';
const TEMPORARY = 'temporary-pass-2026';
const OWN = 'my-own-password-2026';

type Caller = Awaited<ReturnType<TestBackend['signedIn']>>;

describe.each(engines)('staff and roles on %s', (engine) => {
  let app: TestBackend;
  let admin: Caller;
  let reception: Caller;
  let other: TenantFixture;
  let sql: ReturnType<typeof staffSql>;
  let roleIds: Record<string, string>;

  const count = async (from: string, params: SqlParam[] = []) =>
    (await one<{ n: number }>(app.db, `SELECT count(*)::int AS n FROM ${from}`, params)).n;
  const asReceptionist = (text: string, params: SqlParam[] = []) =>
    sql.run({ tenantId: DEMO_TENANT, userId: RECEPTIONIST_ID, clinicCode: 'demo', email: DEMO_USERS.receptionist }, text, params);
  const asOtherAdmin = (text: string, params: SqlParam[] = []) =>
    sql.run({ tenantId: other.tenantId, userId: other.adminId, clinicCode: 'northside', email: 'admin@northside.test' }, text, params);

  const newStaff = (overrides: Partial<CreateStaffInput> = {}): CreateStaffInput => ({
    firstName: 'Sam',
    lastName: 'Rivers',
    email: `sam.${Math.random().toString(36).slice(2, 8)}@demo.clinic`,
    roleId: roleIds.receptionist!,
    workingHours: null,
    temporaryPassword: TEMPORARY,
    ...overrides,
  });

  /** A new staff member who signed in and chose their own password. */
  async function hired(overrides: Partial<CreateStaffInput> = {}): Promise<{ id: string; email: string; caller: Caller }> {
    const input = newStaff(overrides);
    const { id } = await admin.staff.create(input);
    const caller = app.client(`hired:${id}`);
    await caller.auth.signIn({ email: input.email, password: TEMPORARY, clinicCode: 'demo' });
    await caller.auth.changePassword({ current: TEMPORARY, next: OWN });
    return { id, email: input.email, caller };
  }

  beforeAll(async () => {
    app = await demoBackend(engine);
    sql = staffSql(app);
    admin = await app.signedIn(DEMO_USERS.admin);
    reception = await app.signedIn(DEMO_USERS.receptionist);
    other = await createTenantFixture(app.db, 'northside');
    await app.giveLogins(other.tenantId, [other.adminId], DEMO_PASSWORD);
    roleIds = Object.fromEntries((await admin.staff.roles()).map((role) => [role.name, role.id]));
  });
  afterAll(async () => {
    await sql?.close();
    await app?.close();
  });

  it('creates a staff member who signs in with the temporary password and must change it first', async () => {
    const input = newStaff();
    const { id } = await admin.staff.create(input);
    const sam = app.client('sam');
    const session = await sam.auth.signIn({ email: input.email, password: TEMPORARY, clinicCode: 'demo' });
    expect(session).toMatchObject({ passwordChangeRequired: true, user: { role: 'receptionist' } });
    expect(await refusal(sam.patients.search({ query: 'Pat' }))).toMatchObject({ reason: 'PASSWORD_CHANGE_REQUIRED' });
    await sam.auth.changePassword({ current: TEMPORARY, next: OWN });
    expect(await sam.patients.search({ query: 'Pat' })).toBeInstanceOf(Array);
    expect((await admin.staff.list()).find((member) => member.id === id)).toMatchObject({ is_active: true, role: 'receptionist' });
    // Audited, and the hash never in the trail.
    const audit = await one<{ new_values: Record<string, unknown>; user_id: string }>(
      app.db,
      `SELECT new_values, user_id FROM audit_logs WHERE table_name = 'users' AND record_id = $1 AND action = 'INSERT'`,
      [id],
    );
    expect(audit.user_id).toBe(ADMIN_ID);
    expect(audit.new_values).not.toHaveProperty('password_hash');
    if (engine === 'postgres') {
      expect(await count(`staff_logins WHERE user_id = $1 AND disabled_at IS NULL`, [id])).toBe(1);
    }
  });

  it('explains a refused form beside its field, and writes nothing', async () => {
    const before = await count('users');
    expect((await refusal(admin.staff.create(newStaff({ email: DEMO_USERS.doctor })))).fieldErrors).toEqual({
      email: 'Another staff member already signs in with this email.',
    });
    expect((await refusal(admin.staff.create(newStaff({ firstName: ' ', temporaryPassword: 'short' })))).fieldErrors).toMatchObject({
      firstName: 'Enter the first name.',
      temporaryPassword: 'Use at least 10 characters.',
    });
    expect(
      (
        await refusal(
          admin.staff.create(newStaff({ workingHours: { mon: '09:00-08:00', tue: '', wed: '', thu: '', fri: '', sat: '', sun: '' } })),
        )
      ).fieldErrors,
    ).toEqual({ 'workingHours.mon': '09:00-08:00: the closing time must come after the opening time.' });
    expect(await count('users')).toBe(before);
  });

  it('edits a staff member, and their working hours reach the calendar', async () => {
    const { id, email } = await hired();
    const hours = { mon: '09:00-13:00', tue: '', wed: '', thu: '', fri: '14:00-17:30', sat: 'closed', sun: '' };
    await admin.staff.update({
      ...newStaff({ email, roleId: roleIds.doctor!, title: 'Dr', workingHours: hours, defaultSlotMinutes: 20 }),
      id,
      temporaryPassword: undefined,
    });
    const row = await one<{ working_hours: unknown; role: string }>(
      app.db,
      `SELECT u.working_hours, r.name AS role FROM users u JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id WHERE u.id = $1`,
      [id],
    );
    expect(row).toEqual({
      role: 'doctor',
      working_hours: { mon: [['09:00', '13:00']], tue: [], wed: [], thu: [], fri: [['14:00', '17:30']], sat: [], sun: [] },
    });
    expect((await admin.appointments.doctors()).find((doctor) => doctor.id === id)).toMatchObject({ default_slot_minutes: 20 });
  });

  it('disables a staff member: signed out at their next request, refused at sign-in, their login switched off', async () => {
    const { id, email, caller } = await hired();
    await admin.staff.setActive({ id, active: false });
    expect(await refusal(caller.patients.search({ query: 'Pat' }))).toMatchObject({ reason: 'SIGNED_OUT' });
    expect(['UNAUTHORIZED', 'FORBIDDEN']).toContain(
      (await refusal(app.client('again').auth.signIn({ email, password: OWN, clinicCode: 'demo' }))).code,
    );
    if (engine === 'postgres') {
      expect(await count(`staff_logins s JOIN pg_roles r ON r.rolname = s.role_name WHERE s.user_id = $1 AND r.rolcanlogin`, [id])).toBe(0);
    }
    expect((await admin.staff.list()).find((member) => member.id === id)).toMatchObject({ is_active: false });
    // Enabled again with a temporary password.
    await admin.staff.setActive({ id, active: true, temporaryPassword: TEMPORARY });
    expect(await app.client('back').auth.signIn({ email, password: TEMPORARY, clinicCode: 'demo' })).toMatchObject({
      passwordChangeRequired: true,
    });
    expect(await refusal(admin.staff.setActive({ id: ADMIN_ID, active: false }))).toMatchObject({
      fieldErrors: { active: 'You cannot disable your own account: ask another administrator.' },
    });
  });

  it('applies a permission change to people already signed in, from their next request', async () => {
    const { caller } = await hired();
    expect(await refusal(caller.staff.list())).toMatchObject({ reason: 'NOT_PERMITTED' });
    const receptionist = (await admin.staff.roles()).find((role) => role.name === 'receptionist')!;
    await admin.staff.updateRole({
      ...receptionist,
      description: receptionist.description ?? '',
      permissions: [...receptionist.permissions, 'admin.audit'],
    });
    expect(await caller.admin.auditedTables()).toContain('users');
    await admin.staff.updateRole({ ...receptionist, description: receptionist.description ?? '' });
    expect(await refusal(caller.admin.auditedTables())).toMatchObject({ reason: 'NOT_PERMITTED' });
    expect(
      await count(`audit_logs WHERE table_name = 'roles' AND record_id = $1 AND 'permissions' = ANY (changed_fields)`, [receptionist.id]),
    ).toBe(2);
  });

  it('creates a role with the permissions chosen; built-in roles keep their names', async () => {
    const { id } = await admin.staff.createRole({ name: 'auditor', description: 'Reads the audit trail', permissions: ['admin.audit'] });
    expect((await admin.staff.roles()).find((role) => role.id === id)).toMatchObject({ permissions: ['admin.audit'], members: 0 });
    expect((await refusal(admin.staff.createRole({ name: 'auditor', description: '', permissions: [] }))).fieldErrors).toEqual({
      name: 'Another role already has this name.',
    });
    expect(
      (await refusal(admin.staff.updateRole({ id: roleIds.doctor!, name: 'physician', description: '', permissions: [] }))).fieldErrors,
    ).toEqual({ name: 'The built-in roles keep their names.' });
  });

  describe('the last administrator', () => {
    it('cannot be disabled, demoted, or lose the role’s permission', async () => {
      const adminRole = (await admin.staff.roles()).find((role) => role.name === 'admin')!;
      const b = await hired({ roleId: adminRole.id });
      await admin.staff.setActive({ id: b.id, active: false }); // two administrators: one may go
      const withoutAdmin = adminRole.permissions.filter((permission) => permission !== 'admin.users');
      expect(await refusal(admin.staff.updateRole({ ...adminRole, description: '', permissions: withoutAdmin }))).toMatchObject({
        code: 'CONFLICT',
        fieldErrors: { permissions: expect.stringContaining('at least one active administrator') },
      });
      const self = (await admin.staff.list()).find((member) => member.id === ADMIN_ID)!;
      expect(
        await refusal(
          admin.staff.update({
            id: ADMIN_ID,
            firstName: self.first_name,
            lastName: self.last_name,
            email: self.email,
            roleId: roleIds.receptionist!,
            workingHours: null,
          }),
        ),
      ).toMatchObject({ fieldErrors: { roleId: expect.stringContaining('at least one active administrator') } });
      // Checked by the database, whoever types the SQL (the owner here, acting for the clinic).
      expect(
        await sqlState(
          app.db.transaction(async (tx) => {
            await tx.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [DEMO_TENANT]);
            await tx.query(`UPDATE users SET is_active = false WHERE id = $1`, [ADMIN_ID]);
          }),
        ),
      ).toBe('23514');
      expect(await count(`users WHERE id = $1 AND is_active`, [ADMIN_ID])).toBe(1);
    });

    it('survives two administrators demoting each other at the same moment', async () => {
      const adminRole = roleIds.admin!;
      const b = await hired({ roleId: adminRole });
      const bDetails = (await admin.staff.list()).find((member) => member.id === b.id)!;
      const self = (await admin.staff.list()).find((member) => member.id === ADMIN_ID)!;
      const demote = (caller: Caller, member: typeof self) =>
        caller.staff.update({
          id: member.id,
          firstName: member.first_name,
          lastName: member.last_name,
          email: member.email,
          roleId: roleIds.nurse!,
          workingHours: null,
        });
      const results = await Promise.allSettled([demote(admin, bDetails), demote(b.caller, self)]);
      expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(
        await count(
          `users u JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id
           WHERE u.tenant_id = $1 AND u.is_active AND r.permissions ? 'admin.users'`,
          [DEMO_TENANT],
        ),
      ).toBe(1);
      // The next tests sign in as the demo administrator: give the role back if the race took it.
      await app.db.transaction(async (tx) => {
        await tx.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [DEMO_TENANT]);
        await tx.query(`UPDATE users SET role_id = $1 WHERE id = $2`, [adminRole, ADMIN_ID]);
      });
    });
  });

  describe('is refused by the database', () => {
    it('to a user without admin.users, whatever they type', async () => {
      expect(await refusal(reception.staff.create(newStaff()))).toMatchObject({ reason: 'NOT_PERMITTED' });
      const before = { users: await count('users'), roles: await count('roles') };
      expect(await sqlState(asReceptionist(`UPDATE users SET role_id = $1 WHERE id = $2`, [roleIds.admin!, RECEPTIONIST_ID]))).toBe(
        '42501',
      );
      expect(
        await sqlState(asReceptionist(`UPDATE roles SET permissions = permissions || '["admin.users"]' WHERE name = 'receptionist'`)),
      ).toBe('42501');
      expect(
        await sqlState(
          asReceptionist(
            `INSERT INTO users (tenant_id, clinic_id, role_id, email, password_hash, first_name, last_name)
             SELECT tenant_id, clinic_id, $1, 'mole@demo.clinic', 'scrypt$x', 'A', 'Mole' FROM users WHERE id = $2`,
            [roleIds.admin!, RECEPTIONIST_ID],
          ),
        ),
      ).toBe('42501');
      expect(await sqlState(asReceptionist(`SELECT reset_staff_password($1, 'scrypt$x')`, [ADMIN_ID]))).toBe('42501');
      expect({ users: await count('users'), roles: await count('roles') }).toEqual(before);
      expect(await count(`users WHERE id = $1 AND role_id = $2`, [RECEPTIONIST_ID, roleIds.receptionist!])).toBe(1);
    });

    it('to another clinic: it neither sees nor changes our staff and roles', async () => {
      expect((await asOtherAdmin(`SELECT id FROM users WHERE tenant_id = $1`, [DEMO_TENANT])).rows).toEqual([]);
      expect((await asOtherAdmin(`UPDATE users SET is_active = false WHERE id = $1 RETURNING id`, [RECEPTIONIST_ID])).rows).toEqual([]);
      expect((await asOtherAdmin(`UPDATE roles SET permissions = '[]' WHERE id = $1 RETURNING id`, [roleIds.receptionist!])).rows).toEqual(
        [],
      );
      expect(
        await asOtherAdmin(`SELECT reset_staff_password($1, 'scrypt$16384$8$1$c2FsdA==$aGFzaA==') AS reset`, [RECEPTIONIST_ID]),
      ).toMatchObject({
        rows: [{ reset: false }],
      });
      const northside = app.client('northside-admin');
      await northside.auth.signIn({ email: 'admin@northside.test', password: DEMO_PASSWORD, clinicCode: 'northside' });
      expect((await northside.staff.list()).map((member) => member.email)).not.toContain(DEMO_USERS.receptionist);
      expect(await refusal(northside.staff.setActive({ id: RECEPTIONIST_ID, active: false }))).toMatchObject({ code: 'NOT_FOUND' });
      expect(await count(`users WHERE id = $1 AND is_active`, [RECEPTIONIST_ID])).toBe(1);
    });
  });
});
