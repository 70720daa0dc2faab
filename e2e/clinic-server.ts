import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createOwnedDatabase } from '../test/owned-database';
import { startPostgresServer } from '../test/postgres-server';
import { test as base, launchBrowserMode, PROJECT_ROOT, type BrowserMode } from './fixtures';

const run = promisify(execFile);

// A PostgreSQL server, the migrations and browser mode, on two cores shared with other work.
const SERVER_TIMEOUT_MS = 300_000;

/** A clinic as the operator creates it with `clinicdesk-admin create-tenant`. */
export interface ServerClinic {
  name: string;
  code: string;
  timezone: string;
  currency: string;
  language: string;
  admin: { firstName: string; lastName: string; email: string; password: string };
}

/** A throwaway clinic server, set up as the README tells an operator, with the clinics' desks on it. */
export interface ClinicServer {
  /** The server's address as a clinic's PCs are given it: no login in it. */
  address: string;
  /** `clinicdesk-admin create-tenant`: the clinic and its administrator, who signs in as their own database login. */
  createClinic(clinic: ServerClinic): Promise<void>;
  /** `clinicdesk-admin staff-login`: a staff member's login gets a new password from the operator (a forgotten one). */
  setStaffPassword(clinicCode: string, email: string, password: string): Promise<void>;
  /** Browser mode for one clinic of this server (CLINICDESK_CLINIC_CODE), stopped with the server. */
  openDesk(clinicCode: string): Promise<BrowserMode>;
}

/**
 * The README's operator CLI, run as an operator does: `npm run clinicdesk-admin -- …` as the schema
 * owner, passwords in the environment.
 */
async function clinicdeskAdmin(ownerUrl: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  try {
    const { stdout } = await run('npm', ['run', '--silent', 'clinicdesk-admin', '--', ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env, CLINICDESK_ADMIN_DATABASE_URL: ownerUrl },
    });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`clinicdesk-admin ${args[0]} failed:\n${stdout ?? ''}${stderr ?? ''}`, { cause: error });
  }
}

/**
 * A real PostgreSQL 15+ for the worker: a schema owner that is not a superuser (the README's
 * superuser steps, test/owned-database.ts), `clinicdesk-admin migrate`, then clinics, staff
 * passwords and desks as the test asks. Everything stops when the worker ends.
 */
export const test = base.extend<object, { clinicServer: ClinicServer }>({
  clinicServer: [
    // Playwright reads the fixtures a function needs from its first argument's pattern.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const postgres = await startPostgresServer();
      const desks: { stop(): Promise<void> }[] = [];
      try {
        const { ownerUrl } = await createOwnedDatabase(postgres.url);
        await clinicdeskAdmin(ownerUrl, ['migrate']);
        const address = new URL(ownerUrl);
        address.username = '';
        address.password = '';
        await use({
          address: address.href,
          async createClinic(clinic) {
            const { admin } = clinic;
            await clinicdeskAdmin(
              ownerUrl,
              [
                'create-tenant',
                ...['--name', clinic.name, '--slug', clinic.code, '--timezone', clinic.timezone],
                ...['--currency', clinic.currency, '--language', clinic.language],
                ...['--admin-email', admin.email, '--admin-first-name', admin.firstName, '--admin-last-name', admin.lastName],
              ],
              { CLINICDESK_ADMIN_PASSWORD: admin.password },
            );
          },
          async setStaffPassword(clinicCode, email, password) {
            await clinicdeskAdmin(ownerUrl, ['staff-login', '--slug', clinicCode, '--email', email], {
              CLINICDESK_STAFF_PASSWORD: password,
            });
          },
          async openDesk(clinicCode) {
            const desk = await launchBrowserMode({
              env: { CLINICDESK_DATABASE_URL: address.href, CLINICDESK_CLINIC_CODE: clinicCode },
            });
            desks.push(desk);
            return desk;
          },
        });
      } finally {
        // The desks first: each holds its signed-in staff's connections.
        await Promise.all(desks.map((desk) => desk.stop()));
        await postgres.stop();
      }
    },
    { scope: 'worker', timeout: SERVER_TIMEOUT_MS },
  ],
});

export { expect } from './fixtures';
