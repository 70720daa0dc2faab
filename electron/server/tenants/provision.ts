import { newTenantInput, type NewTenantInput } from '../../../shared/tenants';
import { hashPassword } from '../auth/passwords';
import { scramVerifier } from '../auth/scram';
import { one } from '../db/rows';
import type { Db } from '../db/types';
import { DomainError } from '../errors';

export interface ProvisionedTenant {
  tenantId: string;
  clinicId: string;
  adminUserId: string;
}

/**
 * Creates a tenant, its first clinic, the default roles and the administrator with their own
 * database login, in one transaction, as the database owner (the operator's connection).
 */
export async function provisionTenant(
  ownerDb: Db,
  input: NewTenantInput,
  { staffLogin = true }: { staffLogin?: boolean } = {},
): Promise<ProvisionedTenant> {
  const tenant = newTenantInput.parse(input);
  const passwordHash = await hashPassword(tenant.admin.password);
  return ownerDb.transaction(async (tx) => {
    // One provisioning at a time: the first-run check below sees the other's tenant.
    await tx.query('SELECT pg_advisory_xact_lock(7340022)');
    if (!staffLogin) {
      const { rows: any } = await tx.query(`SELECT 1 FROM tenants LIMIT 1`);
      if (any.length > 0) throw new DomainError('CONFLICT', 'This PC already has its clinic. Sign in instead.');
    }
    const { rows: existing } = await tx.query(`SELECT 1 FROM tenants WHERE slug = $1`, [tenant.slug]);
    if (existing.length > 0) throw new DomainError('CONFLICT', `The clinic code "${tenant.slug}" is taken.`, 'slug');
    const { rows: zones } = await tx.query(`SELECT 1 FROM pg_timezone_names WHERE name = $1`, [tenant.timezone]);
    if (zones.length === 0) throw new DomainError('BAD_REQUEST', `Unknown timezone "${tenant.timezone}".`, 'timezone');

    const { id: tenantId } = await one<{ id: string }>(tx, `INSERT INTO tenants (name, slug, email) VALUES ($1, $2, $3) RETURNING id`, [
      tenant.name,
      tenant.slug,
      tenant.admin.email,
    ]);
    // Non-superuser owners are held to the current tenant by RLS as well.
    await tx.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenantId]);
    const { id: clinicId } = await one<{ id: string }>(
      tx,
      `INSERT INTO clinics (tenant_id, name, timezone, currency, language) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [tenantId, tenant.name, tenant.timezone, tenant.currency, tenant.language],
    );
    await tx.query(`SELECT create_default_roles($1)`, [tenantId]);
    const { id: adminUserId } = await one<{ id: string }>(
      tx,
      `INSERT INTO users (tenant_id, clinic_id, role_id, email, password_hash, first_name, last_name)
       SELECT $1, $2, r.id, $3, $4, $5, $6 FROM roles r WHERE r.tenant_id = $1 AND r.name = 'admin'
       RETURNING id`,
      [tenantId, clinicId, tenant.admin.email, passwordHash, tenant.admin.firstName, tenant.admin.lastName],
    );
    // The administrator's own PostgreSQL login: how they sign in to this server (offline, the app checks passwords).
    if (staffLogin) await tx.query(`SELECT provision_staff_login($1, $2)`, [adminUserId, scramVerifier(tenant.admin.password)]);
    return { tenantId, clinicId, adminUserId };
  });
}
