import { createStaffInput, roleInput, setStaffActiveInput, updateRoleInput, updateStaffInput } from '../../../shared/staff';
import type { Session } from '../auth/sessions';
import { DomainError } from '../errors';
import { permitted, router } from '../trpc';
import {
  findRole,
  findStaff,
  insertRole,
  insertStaff,
  passwordSecrets,
  rolesList,
  setStaffActive,
  setTemporaryPassword,
  staffList,
  updateRole,
  updateStaff,
} from './queries';

const NO_SUCH_STAFF = 'There is no staff member with this id.';
const LAST_ADMINISTRATOR = 'The clinic must keep at least one active administrator: give another staff member that role first.';

/** Database refusals this screen expects, by constraint, as the message beside their field. */
const EXPLAINED: Record<string, { field: string; message: string }> = {
  users_tenant_email_key: { field: 'email', message: 'Another staff member already signs in with this email.' },
  roles_tenant_id_name_key: { field: 'name', message: 'Another role already has this name.' },
};

/** Runs a change, turning the database's refusals above (and the last-administrator rule) into field messages. */
async function explained<T>(lastAdministratorField: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const constraint = (error as { constraint?: unknown }).constraint;
    if (constraint === 'last_administrator') throw new DomainError('CONFLICT', LAST_ADMINISTRATOR, lastAdministratorField);
    const known = typeof constraint === 'string' ? EXPLAINED[constraint] : undefined;
    if (known) throw new DomainError('CONFLICT', known.message, known.field);
    throw error;
  }
}

function notYourself(session: Session, id: string, message: string): void {
  if (session.userId === id) throw new DomainError('BAD_REQUEST', message, 'active');
}

/** Users and roles; every change is checked (admin.users) and audited by the database. */
export const staffRouter = router({
  list: permitted('admin.users').query(({ ctx }) => staffList(ctx.tx)),
  roles: permitted('admin.users').query(({ ctx }) => rolesList(ctx.tx)),

  /** A new staff member with a temporary password, to be changed at their first sign-in. */
  create: permitted('admin.users')
    .input(createStaffInput)
    .mutation(async ({ ctx, input: { temporaryPassword, ...details } }) => {
      const secrets = await passwordSecrets(ctx.backend.access.engine, temporaryPassword);
      const id = await explained('roleId', () => insertStaff(ctx.tx, ctx.session.clinicId, details, secrets.hash));
      await setTemporaryPassword(ctx.tx, id, secrets);
      return { id };
    }),

  update: permitted('admin.users')
    .input(updateStaffInput)
    .mutation(async ({ ctx, input: { temporaryPassword, ...details } }) => {
      const before = await findStaff(ctx.tx, details.id);
      if (!before) throw new DomainError('NOT_FOUND', NO_SUCH_STAFF);
      const emailChanged = before.email.toLowerCase() !== details.email.toLowerCase();
      const engine = ctx.backend.access.engine;
      // On a clinic server the login is named from the email: a new one needs its own password.
      if (emailChanged && engine === 'postgres' && before.is_active && !temporaryPassword) {
        throw new DomainError(
          'BAD_REQUEST',
          'A new email needs a temporary password on a clinic server: their login is renamed.',
          'temporaryPassword',
        );
      }
      await explained('roleId', () => updateStaff(ctx.tx, details));
      if (temporaryPassword && before.is_active)
        await setTemporaryPassword(ctx.tx, details.id, await passwordSecrets(engine, temporaryPassword));
      return { id: details.id };
    }),

  /** Disable (never delete: the audit trail names them) or enable again with a temporary password. */
  setActive: permitted('admin.users')
    .input(setStaffActiveInput)
    .mutation(async ({ ctx, input }) => {
      if (!input.active) notYourself(ctx.session, input.id, 'You cannot disable your own account: ask another administrator.');
      const changed = await explained('active', () => setStaffActive(ctx.tx, input.id, input.active));
      if (!changed && !(await findStaff(ctx.tx, input.id))) throw new DomainError('NOT_FOUND', NO_SUCH_STAFF);
      if (input.active)
        await setTemporaryPassword(ctx.tx, input.id, await passwordSecrets(ctx.backend.access.engine, input.temporaryPassword));
      return { id: input.id, active: input.active };
    }),

  createRole: permitted('admin.users')
    .input(roleInput)
    .mutation(async ({ ctx, input }) => ({ id: await explained('permissions', () => insertRole(ctx.tx, input)) })),

  /** Takes effect at once for everyone holding the role, signed in or not (see `permitted`). */
  updateRole: permitted('admin.users')
    .input(updateRoleInput)
    .mutation(async ({ ctx, input: { id, ...role } }) => {
      const before = await findRole(ctx.tx, id);
      if (!before) throw new DomainError('NOT_FOUND', 'There is no such role.');
      // The calendar finds doctors, and a new clinic its administrator, by these names.
      if (before.is_system_role && before.name !== role.name) {
        throw new DomainError('BAD_REQUEST', 'The built-in roles keep their names.', 'name');
      }
      await explained('permissions', () => updateRole(ctx.tx, id, role));
      return { id };
    }),
});
