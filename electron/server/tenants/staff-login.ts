import { hashPassword } from '../auth/passwords';
import { scramVerifier } from '../auth/scram';
import { maybeOne, one } from '../db/rows';
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
    const tenant = await maybeOne<{ id: string }>(tx, `SELECT id FROM tenants WHERE slug = $1`, [clinicCode]);
    if (!tenant) throw new DomainError('NOT_FOUND', `No clinic uses the code "${clinicCode}".`, 'clinicCode');
    const tenantId = tenant.id;
    await tx.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenantId]);
    const user = await maybeOne<{ id: string }>(
      tx,
      `UPDATE users SET password_hash = $3, password_changed_at = now()
       WHERE tenant_id = $1 AND lower(email) = lower($2) AND deleted_at IS NULL RETURNING id`,
      [tenantId, email, passwordHash],
    );
    if (!user) throw new DomainError('NOT_FOUND', `No staff member of "${clinicCode}" has the email ${email}.`, 'email');
    const { login } = await one<{ login: string }>(tx, `SELECT provision_staff_login($1, $2) AS login`, [user.id, scramVerifier(password)]);
    return login;
  });
}
