import { staffLoginName } from '../auth/scram';
import { openPostgres } from '../db/postgres';
import { one } from '../db/rows';
import type { Db } from '../db/types';
import { DomainError } from '../errors';
import { WRONG_CREDENTIALS, type ClinicAccess, type SignInAttempt, type StaffAccess } from './types';

/**
 * Every transaction of a staff login runs as the app role, and without JIT: requests read a few
 * hundred rows, yet on PostgreSQL 15 a common full name in reception search (1–2 s) and a year's
 * revenue report (0.45 s) were estimated above jit_above_cost and compiled by LLVM before running.
 * Sent with BEGIN, in one round trip (openPostgres's transactionSetup).
 */
export const AS_APP_ROLE = 'SET LOCAL ROLE clinic_app; SET LOCAL jit = off';

/**
 * A refused login: wrong password or unknown login (28P01), login switched off (28000), or
 * pgbouncer's own SCRAM refusal (08P01, "SASL authentication failed").
 */
function isRefusedLogin(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return code === '28P01' || code === '28000' || (code === '08P01' && /authentication failed/i.test(message ?? ''));
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;

/**
 * A clinic server on another machine is reached only over TLS with its certificate verified
 * (sslmode=verify-full; CLINICDESK_DATABASE_CA names the CA file when the OS does not know it).
 * Only a server on this PC may be reached in the clear.
 */
export function secureServerUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  if (LOOPBACK.test(url.hostname)) return url.href;
  const mode = url.searchParams.get('sslmode');
  if (mode !== null && mode !== 'verify-full') {
    throw new DomainError(
      'BAD_REQUEST',
      `A clinic server on another machine is reached only with TLS and a verified certificate: use sslmode=verify-full, not ${mode}.`,
    );
  }
  url.searchParams.set('sslmode', 'verify-full');
  const ca = process.env.CLINICDESK_DATABASE_CA;
  if (ca && !url.searchParams.has('sslrootcert')) url.searchParams.set('sslrootcert', ca);
  return url.href;
}

/** Why a TLS connection failed, in words an operator can act on; null when it was not TLS. */
function tlsProblem(error: unknown): string | null {
  const message = (error as Error).message ?? '';
  if (/does not support SSL/i.test(message)) {
    return 'The clinic server does not offer TLS. Ask its operator to turn on ssl in postgresql.conf; ClinicDesk does not send passwords or patients in the clear.';
  }
  const code = (error as { code?: string }).code ?? '';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code) || /certificate|altnames/i.test(message)) {
    return `The clinic server's certificate could not be verified (${message}). Check the address, or set CLINICDESK_DATABASE_CA to the CA file from the operator.`;
  }
  return null;
}

/** The server address with one staff member's login in it. */
function staffUrl(serverUrl: string, login: string, password: string): string {
  const url = new URL(secureServerUrl(serverUrl));
  url.username = login;
  url.password = password;
  return url.href;
}

async function connectAsStaff(serverUrl: string, login: string, password: string, max: number): Promise<Db> {
  try {
    return await openPostgres({ connectionString: staffUrl(serverUrl, login, password), max, transactionSetup: AS_APP_ROLE });
  } catch (error) {
    // An unknown clinic code, unknown email and wrong password all look alike from outside.
    if (isRefusedLogin(error)) throw new DomainError('UNAUTHORIZED', WRONG_CREDENTIALS, 'password');
    if (error instanceof DomainError) throw error;
    throw new DomainError('BAD_REQUEST', tlsProblem(error) ?? `The clinic server did not answer: ${(error as Error).message}`);
  }
}

/**
 * A tenant of a hosted PostgreSQL. Each staff member signs in as their own PostgreSQL login
 * (SCRAM): signing in is that connection succeeding, and the database derives the clinic and
 * the user from the login, whatever the session sets. One small pool per signed-in person.
 * The server address carries no credential; guessing passwords is limited by the server
 * (auth_delay, network rules), not by this process.
 */
export function remoteAccess(serverUrl: string, defaultClinicCode?: string): ClinicAccess {
  const database = decodeURIComponent(new URL(serverUrl).pathname.slice(1));
  if (!database) throw new DomainError('BAD_REQUEST', 'The clinic server address must name its database: postgres://host/database.');
  return {
    engine: 'postgres',
    async signIn({ clinicCode, email, password, userAgent }: SignInAttempt): Promise<StaffAccess> {
      const code = clinicCode ?? defaultClinicCode;
      if (!code) throw new DomainError('BAD_REQUEST', 'Enter your clinic code.', 'clinicCode');
      const login = staffLoginName(database, code, email);
      let db = await connectAsStaff(serverUrl, login, password, 4);
      try {
        const { tenant_id: tenantId, user_id: userId } = await db.transaction(async (tx) => {
          const who = await one<{ tenant_id: string | null; user_id: string | null }>(
            tx,
            `SELECT current_tenant_id() AS tenant_id, current_app_user_id() AS user_id`,
          );
          if (who.tenant_id && who.user_id) {
            await tx.query(`SELECT log_activity('auth.sign_in', 'Signed in', 'user', $1, jsonb_build_object('email', lower($2)), $3)`, [
              who.user_id,
              email,
              userAgent ?? null,
            ]);
          }
          return who;
        });
        if (!tenantId || !userId) throw new DomainError('FORBIDDEN', 'This account is disabled. Ask an administrator.');
        return {
          tenantId,
          userId,
          request: (work) => db.transaction(work),
          async confirmPassword(again) {
            const check = await connectAsStaff(serverUrl, login, again, 1);
            await check.close();
          },
          async usePassword(next) {
            const previous = db;
            db = await connectAsStaff(serverUrl, login, next, 4);
            await previous.close();
          },
          close: () => db.close(),
        };
      } catch (error) {
        await db.close();
        throw error;
      }
    },
    close: async () => undefined,
  };
}
