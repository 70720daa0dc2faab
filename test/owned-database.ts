import { randomBytes } from 'node:crypto';
import { openPostgres } from '../electron/server/db/postgres';

/**
 * The README's operator set-up for a schema owner that is not a superuser, as SQL a superuser
 * runs once: the owner may create roles and owns the database. PostgreSQL 15 does not make a
 * CREATEROLE role a member of the roles it creates, so migration 008 could not hand
 * `create_login_role` to `clinicdesk_provisioner`: the operator creates that role first, lets the
 * owner act as it, and lets it own a function in the schema.
 */
export function ownerSetupSql(owner: string, password: string, database: string): { server: string[]; database: string[] } {
  return {
    server: [
      `CREATE ROLE ${owner} LOGIN CREATEROLE PASSWORD '${password}'`,
      `CREATE DATABASE ${database} OWNER ${owner}`,
      `DO $$ BEGIN
         IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinicdesk_provisioner') THEN
           CREATE ROLE clinicdesk_provisioner NOLOGIN NOINHERIT CREATEROLE NOSUPERUSER NOBYPASSRLS;
         END IF;
       END $$`,
      `GRANT clinicdesk_provisioner TO ${owner}`,
    ],
    database: [`GRANT CREATE ON SCHEMA public TO clinicdesk_provisioner`],
  };
}

/**
 * A new, empty database on the server of `adminUrl` (a superuser's), owned by a new ordinary
 * role set up as ownerSetupSql says. Returns the owner's URL (password in it) and the
 * superuser's URL of the same database.
 */
export async function createOwnedDatabase(adminUrl: string): Promise<{ ownerUrl: string; superuserUrl: string }> {
  const suffix = randomBytes(6).toString('hex');
  const [owner, database, password] = [`owner_${suffix}`, `owned_${suffix}`, randomBytes(12).toString('hex')];
  const steps = ownerSetupSql(owner, password, database);
  const server = await openPostgres({ connectionString: adminUrl, max: 1 });
  try {
    for (const sql of steps.server) await server.query(sql);
  } finally {
    await server.close();
  }
  const superuserUrl = new URL(adminUrl);
  superuserUrl.pathname = `/${database}`;
  const inDatabase = await openPostgres({ connectionString: superuserUrl.href, max: 1 });
  try {
    for (const sql of steps.database) await inDatabase.query(sql);
  } finally {
    await inDatabase.close();
  }
  const ownerUrl = new URL(superuserUrl.href);
  ownerUrl.username = owner;
  ownerUrl.password = password;
  return { ownerUrl: ownerUrl.href, superuserUrl: superuserUrl.href };
}
