import { DomainError } from '../errors';

/**
 * SQL for the app's database login in remote mode: an ordinary role (no superuser, no
 * BYPASSRLS, owns nothing) whose only power is to become clinic_app inside a transaction.
 */
export function appLoginSql(role: string, password: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role)) {
    throw new DomainError('BAD_REQUEST', 'Role names use lowercase letters, digits and underscores.');
  }
  const quotedPassword = `'${password.replaceAll("'", "''")}'`;
  return [
    `CREATE ROLE ${role} LOGIN PASSWORD ${quotedPassword} NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;`,
    `GRANT clinic_app TO ${role};`,
  ].join('\n');
}
