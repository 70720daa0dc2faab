import type { z } from 'zod';
import type { createStaffInput, RoleRow, roleInput, StaffRow, updateStaffInput } from '../../../shared/staff';
import { hashPassword } from '../auth/passwords';
import { scramVerifier } from '../auth/scram';
import { maybeOne, one } from '../db/rows';
import type { Engine, Queryable } from '../db/types';

type StaffDetails = Omit<z.output<typeof createStaffInput>, 'temporaryPassword'>;

const STAFF_COLUMNS = `u.id, u.title, u.first_name, u.last_name, u.email, u.phone, u.role_id, r.name AS role, u.specialization,
  u.default_slot_minutes, u.working_hours, u.is_active, u.last_login_at, u.password_change_required`;

/** Everyone who works or worked here: the disabled stay listed (the audit trail names them). */
export async function staffList(tx: Queryable): Promise<StaffRow[]> {
  const { rows } = await tx.query<StaffRow>(
    `SELECT ${STAFF_COLUMNS}
     FROM users u JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id
     ORDER BY u.is_active DESC, fold_text(u.last_name || ' ' || u.first_name)`,
  );
  return rows;
}

export async function findStaff(tx: Queryable, id: string): Promise<StaffRow | undefined> {
  return maybeOne<StaffRow>(
    tx,
    `SELECT ${STAFF_COLUMNS} FROM users u JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id WHERE u.id = $1`,
    [id],
  );
}

function detailParams(details: StaffDetails) {
  return [
    details.roleId,
    details.email,
    details.title ?? null,
    details.firstName,
    details.lastName,
    details.phone ?? null,
    details.specialization ?? null,
    details.workingHours && JSON.stringify(details.workingHours),
    details.defaultSlotMinutes,
  ] as const;
}

/** A new staff member of the administrator's clinic; the database checks admin.users. */
export async function insertStaff(tx: Queryable, clinicId: string, details: StaffDetails, passwordHash: string): Promise<string> {
  const { id } = await one<{ id: string }>(
    tx,
    `INSERT INTO users (tenant_id, clinic_id, role_id, email, title, first_name, last_name, phone, specialization, working_hours,
                        default_slot_minutes, password_hash)
     VALUES (current_tenant_id(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [clinicId, ...detailParams(details), passwordHash],
  );
  return id;
}

export async function updateStaff(tx: Queryable, details: Omit<z.output<typeof updateStaffInput>, 'temporaryPassword'>): Promise<boolean> {
  const { rowCount } = await tx.query(
    `UPDATE users SET role_id = $2, email = $3, title = $4, first_name = $5, last_name = $6, phone = $7, specialization = $8,
                      working_hours = $9, default_slot_minutes = $10
     WHERE id = $1`,
    [details.id, ...detailParams(details)],
  );
  return rowCount === 1;
}

/** Disabling ends their database login at once (trigger end_staff_login); the last administrator stays. */
export async function setStaffActive(tx: Queryable, id: string, active: boolean): Promise<boolean> {
  const { rowCount } = await tx.query(`UPDATE users SET is_active = $2 WHERE id = $1 AND is_active <> $2`, [id, active]);
  return rowCount === 1;
}

/** How a password is kept: its scrypt hash (offline sign-in) and, on a clinic server, the login's SCRAM verifier. */
export interface PasswordSecrets {
  hash: string;
  verifier: string | null;
}

export async function passwordSecrets(engine: Engine, password: string): Promise<PasswordSecrets> {
  return { hash: await hashPassword(password), verifier: engine === 'postgres' ? scramVerifier(password) : null };
}

/**
 * A temporary password the staff member must change at their next sign-in; on a clinic server
 * their login is (re)provisioned with it (the server never sees the password). False when there
 * is no such active member.
 */
export async function setTemporaryPassword(tx: Queryable, id: string, secrets: PasswordSecrets): Promise<boolean> {
  const { reset } = await one<{ reset: boolean }>(tx, `SELECT reset_staff_password($1, $2, $3) AS reset`, [
    id,
    secrets.hash,
    secrets.verifier,
  ]);
  return reset;
}

export async function rolesList(tx: Queryable): Promise<RoleRow[]> {
  const { rows } = await tx.query<RoleRow>(
    `SELECT r.id, r.name, r.description, r.permissions, r.is_system_role,
            (SELECT count(*)::int FROM users u WHERE u.tenant_id = r.tenant_id AND u.role_id = r.id AND u.is_active) AS members
     FROM roles r WHERE r.is_active
     ORDER BY r.is_system_role DESC, r.name`,
  );
  return rows;
}

export async function findRole(tx: Queryable, id: string): Promise<{ name: string; is_system_role: boolean } | undefined> {
  return maybeOne(tx, `SELECT name, is_system_role FROM roles WHERE id = $1 AND is_active`, [id]);
}

type RoleDetails = z.output<typeof roleInput>;

export async function insertRole(tx: Queryable, role: RoleDetails): Promise<string> {
  const { id } = await one<{ id: string }>(
    tx,
    `INSERT INTO roles (tenant_id, name, description, permissions) VALUES (current_tenant_id(), $1, $2, $3) RETURNING id`,
    [role.name, role.description || null, JSON.stringify(role.permissions)],
  );
  return id;
}

export async function updateRole(tx: Queryable, id: string, role: RoleDetails): Promise<void> {
  await tx.query(`UPDATE roles SET name = $2, description = $3, permissions = $4 WHERE id = $1`, [
    id,
    role.name,
    role.description || null,
    JSON.stringify(role.permissions),
  ]);
}
