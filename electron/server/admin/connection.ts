import type { ConnectionSettings } from '../../../shared/connection';
import { findSignInTenant } from '../auth/queries';
import { openPostgres } from '../db/postgres';
import { withRequest } from '../db/request';
import { DomainError } from '../errors';

/**
 * Tries a remote connection before it is kept: the server answers, its schema is there,
 * the login is an ordinary role (never one that bypasses row-level security), and the
 * clinic code names a clinic on it.
 */
export async function checkRemoteConnection(settings: ConnectionSettings): Promise<void> {
  let db;
  try {
    db = await openPostgres({ connectionString: settings.databaseUrl, max: 1 });
    await db.query('SELECT 1');
  } catch (error) {
    await db?.close();
    throw new DomainError('BAD_REQUEST', `The clinic server did not answer: ${(error as Error).message}`, 'databaseUrl');
  }
  try {
    const { rows } = await db.query<{ powerful: boolean; ready: boolean }>(
      `SELECT (rolsuper OR rolbypassrls) AS powerful, to_regclass('public.patients') IS NOT NULL AS ready
       FROM pg_roles WHERE rolname = current_user`,
    );
    if (rows[0]?.powerful) {
      throw new DomainError('BAD_REQUEST', 'This login bypasses row-level security. Use the app login role the operator created.', 'databaseUrl');
    }
    if (!rows[0]?.ready) {
      throw new DomainError('BAD_REQUEST', 'This database has no ClinicDesk schema yet. Ask the operator to run the migrations.', 'databaseUrl');
    }
    const tenant = await withRequest(db, { tenantId: '', userId: null }, (tx) => findSignInTenant(tx, settings.clinicCode ?? null));
    if (!tenant) {
      throw new DomainError('BAD_REQUEST', settings.clinicCode ? 'No clinic on this server uses this clinic code.' : 'This server hosts several clinics: enter your clinic code.', 'clinicCode');
    }
  } finally {
    await db.close();
  }
}
