import { staffLoginName } from '../auth/scram';
import { openPostgres } from '../db/postgres';
import type { Db } from '../db/types';
import { DomainError } from '../errors';
import { WRONG_CREDENTIALS, type ClinicAccess, type SignInAttempt, type StaffAccess } from './types';

/**
 * A refused login: wrong password or unknown login (28P01), login switched off (28000), or
 * pgbouncer's own SCRAM refusal (08P01, "SASL authentication failed").
 */
function isRefusedLogin(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return code === '28P01' || code === '28000' || (code === '08P01' && /authentication failed/i.test(message ?? ''));
}

/** The server address with one staff member's login in it. */
function staffUrl(serverUrl: string, login: string, password: string): string {
  const url = new URL(serverUrl);
  url.username = login;
  url.password = password;
  return url.href;
}

async function connectAsStaff(serverUrl: string, login: string, password: string, max: number): Promise<Db> {
  try {
    return await openPostgres({ connectionString: staffUrl(serverUrl, login, password), max });
  } catch (error) {
    // An unknown clinic code, unknown email and wrong password all look alike from outside.
    if (isRefusedLogin(error)) throw new DomainError('UNAUTHORIZED', WRONG_CREDENTIALS, 'password');
    throw new DomainError('BAD_REQUEST', `The clinic server did not answer: ${(error as Error).message}`);
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
  if (!database) throw new DomainError('BAD_REQUEST', 'The clinic server address must name its database: postgres://host/database.', 'databaseUrl');
  return {
    engine: 'postgres',
    async signIn({ clinicCode, email, password, userAgent }: SignInAttempt): Promise<StaffAccess> {
      const code = clinicCode ?? defaultClinicCode;
      if (!code) throw new DomainError('BAD_REQUEST', 'Enter your clinic code.', 'clinicCode');
      const login = staffLoginName(database, code, email);
      const db = await connectAsStaff(serverUrl, login, password, 4);
      try {
        const { rows } = await db.transaction(async (tx) => {
          await tx.query('SET LOCAL ROLE clinic_app');
          const identity = await tx.query<{ tenant_id: string | null; user_id: string | null }>(
            `SELECT current_tenant_id() AS tenant_id, current_app_user_id() AS user_id`,
          );
          const who = identity.rows[0];
          if (who?.tenant_id && who.user_id) {
            await tx.query(`SELECT log_activity('auth.sign_in', 'Signed in', 'user', $1, jsonb_build_object('email', lower($2)), $3)`, [
              who.user_id,
              email,
              userAgent ?? null,
            ]);
          }
          return identity;
        });
        const tenantId = rows[0]?.tenant_id;
        const userId = rows[0]?.user_id;
        if (!tenantId || !userId) throw new DomainError('FORBIDDEN', 'This account is disabled. Ask an administrator.');
        return {
          tenantId,
          userId,
          request: (work) =>
            db.transaction(async (tx) => {
              await tx.query('SET LOCAL ROLE clinic_app');
              return work(tx);
            }),
          async confirmPassword(again) {
            const check = await connectAsStaff(serverUrl, login, again, 1);
            await check.close();
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
