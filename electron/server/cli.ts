/**
 * Operator CLI for a remote PostgreSQL (hosted, many tenants). Connects as the schema
 * owner given in CLINICDESK_ADMIN_DATABASE_URL (never the app's login role).
 *
 *   npm run clinicdesk-admin -- migrate
 *   npm run clinicdesk-admin -- create-tenant --name "Riverside Clinic" --slug riverside \
 *       --timezone Europe/London --currency GBP --language en-GB \
 *       --admin-email admin@riverside.example --admin-first-name Alex --admin-last-name Morgan
 *     (the administrator's password is read from CLINICDESK_ADMIN_PASSWORD)
 *   npm run clinicdesk-admin -- staff-login --slug riverside --email sam@riverside.example
 *     (the staff member's new password is read from CLINICDESK_STAFF_PASSWORD)
 */
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { loadDemoClinic } from './db/demo-clinic';
import { findMigrationsDir, migrate } from './db/migrate';
import { fillPhoneKeys } from './db/phone-keys';
import { openPostgres } from './db/postgres';
import { provisionTenant } from './tenants/provision';
import { setStaffLogin } from './tenants/staff-login';

const USAGE = `Usage: clinicdesk-admin <migrate | create-tenant | staff-login> [options]
  migrate                         apply pending migrations (as the schema owner)
  create-tenant --name --slug --timezone --currency --language
                --admin-email --admin-first-name --admin-last-name
                                  create a clinic with its administrator
                                  (password from CLINICDESK_ADMIN_PASSWORD)
  staff-login --slug --email      give a staff member their own database login
                                  (password from CLINICDESK_STAFF_PASSWORD)
Connection: CLINICDESK_ADMIN_DATABASE_URL=postgres://owner@host/db`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      name: { type: 'string' },
      slug: { type: 'string' },
      timezone: { type: 'string', default: 'UTC' },
      currency: { type: 'string', default: 'USD' },
      language: { type: 'string', default: 'en' },
      'admin-email': { type: 'string' },
      'admin-first-name': { type: 'string' },
      'admin-last-name': { type: 'string' },
      email: { type: 'string' },
      demo: { type: 'boolean', default: false },
    },
  });
  if (command !== 'migrate' && command !== 'create-tenant' && command !== 'staff-login') {
    console.error(USAGE);
    return 2;
  }
  const url = process.env.CLINICDESK_ADMIN_DATABASE_URL;
  if (!url) {
    console.error('Set CLINICDESK_ADMIN_DATABASE_URL to the schema owner connection, e.g. postgres://owner@db.example/clinicdesk');
    return 2;
  }
  const db = await openPostgres({ connectionString: url, max: 2 });
  try {
    if (command === 'migrate') {
      const { applied } = await migrate(db, { dir: findMigrationsDir() });
      console.log(applied.length ? `Applied ${applied.join(', ')}` : 'The database is up to date.');
      const filled = await db.transaction(fillPhoneKeys);
      if (filled > 0) console.log(`Stored ${filled} patients' phone numbers in international form for search.`);
      if (values.demo && (await loadDemoClinic(db)).loaded) console.log('Loaded the demo clinic (clinic code "demo").');
      return 0;
    }
    if (command === 'staff-login') {
      const login = await setStaffLogin(db, values.slug ?? '', values.email ?? '', process.env.CLINICDESK_STAFF_PASSWORD ?? '');
      console.log(`${values.email} of "${values.slug}" signs in to this server as ${login}.`);
      return 0;
    }
    const created = await provisionTenant(db, {
      name: values.name ?? '',
      slug: values.slug ?? '',
      timezone: values.timezone,
      currency: values.currency,
      language: values.language,
      admin: {
        email: values['admin-email'] ?? '',
        firstName: values['admin-first-name'] ?? '',
        lastName: values['admin-last-name'] ?? '',
        password: process.env.CLINICDESK_ADMIN_PASSWORD ?? '',
      },
    });
    console.log(`Created clinic "${values.slug}" (tenant ${created.tenantId}); its administrator can sign in now.`);
    return 0;
  } catch (error) {
    if (error instanceof ZodError) {
      for (const issue of error.issues) console.error(`${issue.path.join('.') || 'input'}: ${issue.message}`);
    } else {
      console.error((error as Error).message);
    }
    return 1;
  } finally {
    await db.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
