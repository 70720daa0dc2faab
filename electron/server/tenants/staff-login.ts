import { hashPassword } from '../auth/passwords';
import { scramVerifier } from '../auth/scram';
import type { Db } from '../db/types';
import { DomainError } from '../errors';

/**
 * Gives an existing staff member their own database login (or a new password for it), as the
 * operator: for clinics that existed before per-staff logins, and for a forgotten password.
 */
export async function setStaffLogin(ownerDb: Db, clinicCode: string, email: string, password: string): Promise<string> {
  if (password.length < 10) throw new DomainError('BAD_REQUEST', 'Use a password of at least 10 characters.', 'password');
  const passwordHash = await hashPassword(password);
  return ownerDb.transaction(async (tx) => {
    const { rows: tenants } = await tx.query<{ id: string }>(`SELECT id FROM tenants WHERE slug = $1`, [clinicCode]);
    const tenantId = tenants[0]?.id;
    if (!tenantId) throw new DomainError('NOT_FOUND', `No clinic uses the code "${clinicCode}".`, 'clinicCode');
    await tx.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenantId]);
    const { rows: users } = await tx.query<{ id: string }>(
      `UPDATE users SET password_hash = $3, password_changed_at = now()
       WHERE tenant_id = $1 AND lower(email) = lower($2) AND deleted_at IS NULL RETURNING id`,
      [tenantId, email, passwordHash],
    );
    const userId = users[0]?.id;
    if (!userId) throw new DomainError('NOT_FOUND', `No staff member of "${clinicCode}" has the email ${email}.`, 'email');
    const { rows } = await tx.query<{ login: string }>(`SELECT provision_staff_login($1, $2) AS login`, [userId, scramVerifier(password)]);
    return rows[0]!.login;
  });
}
