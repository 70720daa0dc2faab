import type { Db, Queryable, RequestIdentity } from './types';

/**
 * One request's work in one transaction, as the app role, for one tenant and user.
 * Everything is transaction-local (set_config(…, true), SET LOCAL), so neither a pooled
 * connection nor PGlite's single session carries the tenant into the next request.
 */
export function withRequest<T>(db: Db, identity: RequestIdentity, work: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query("SELECT set_config('app.current_tenant_id', $1, true), set_config('app.current_user_id', $2, true)", [
      identity.tenantId,
      identity.userId ?? '',
    ]);
    await tx.query('SET LOCAL ROLE clinic_app');
    return work(tx);
  });
}
