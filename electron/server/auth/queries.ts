import type { SessionView } from '../../../shared/auth';
import { isPermission, type Permission } from '../../../shared/permissions';
import { maybeOne } from '../db/rows';
import type { Queryable } from '../db/types';

interface ProfileRow {
  user_id: string;
  email: string;
  first_name: string;
  last_name: string;
  role: string;
  permissions: string[];
  clinic_id: string;
  clinic_name: string;
  timezone: string;
  currency: string;
  language: string;
  tenant_id: string;
  tenant_name: string;
  password_change_required: boolean;
}

export interface Profile extends Omit<SessionView, 'locked' | 'idleLockSeconds'> {
  permissions: Permission[];
}

/** The signed-in user's profile as the app role sees it (role permissions, clinic settings). */
export async function loadProfile(tx: Queryable, userId: string): Promise<Profile | null> {
  const row = await maybeOne<ProfileRow>(
    tx,
    `SELECT u.id AS user_id, u.email, u.first_name, u.last_name, r.name AS role, r.permissions,
            c.id AS clinic_id, c.name AS clinic_name, c.timezone, c.currency, c.language,
            t.id AS tenant_id, t.name AS tenant_name, u.password_change_required
     FROM users u
     JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id AND r.is_active
     JOIN clinics c ON c.tenant_id = u.tenant_id AND c.id = u.clinic_id
     JOIN tenants t ON t.id = u.tenant_id
     WHERE u.id = $1 AND u.is_active`,
    [userId],
  );
  if (!row) return null;
  return {
    user: { id: row.user_id, email: row.email, firstName: row.first_name, lastName: row.last_name, role: row.role },
    clinic: { id: row.clinic_id, name: row.clinic_name, timezone: row.timezone, currency: row.currency, language: row.language },
    tenant: { id: row.tenant_id, name: row.tenant_name },
    permissions: row.permissions.filter(isPermission),
    passwordChangeRequired: row.password_change_required,
  };
}

/**
 * What the signed-in person may do right now, as the database has it; null once their account
 * is disabled or archived, or their role withdrawn.
 */
export async function currentRole(
  tx: Queryable,
  userId: string,
): Promise<{ permissions: Permission[]; passwordChangeRequired: boolean } | null> {
  const row = await maybeOne<{ permissions: string[]; password_change_required: boolean }>(
    tx,
    `SELECT r.permissions, u.password_change_required
     FROM users u JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id AND r.is_active
     WHERE u.id = $1 AND u.is_active`,
    [userId],
  );
  return row ? { permissions: row.permissions.filter(isPermission), passwordChangeRequired: row.password_change_required } : null;
}
