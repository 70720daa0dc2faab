import { firstClinicInput } from '../../../shared/tenants';
import { verifyPassword } from '../auth/passwords';
import { provisionTenant } from '../tenants/provision';
import { withRequest } from '../db/request';
import { one } from '../db/rows';
import type { Db } from '../db/types';
import { DomainError, sessionRefusal } from '../errors';
import { WRONG_CREDENTIALS, type ClinicAccess, type SignInAttempt, type StaffAccess } from './types';

function accountLocked(until: string | null): DomainError {
  const remainingMs = until === null ? 0 : Date.parse(until) - Date.now();
  const minutes = Math.max(1, Math.ceil(remainingMs / 60_000));
  return sessionRefusal(
    'ACCOUNT_LOCKED',
    `Too many failed sign-ins. This account is locked for ${minutes} more minute${minutes === 1 ? '' : 's'}, or until an administrator resets its password (Admin).`,
  );
}

interface Claim {
  outcome: 'verify' | 'locked';
  password_hash: string | null;
  locked_until: string | null;
}

/** How finish_sign_in_attempt (migration 008) settled it: a signed-in answer always names the user. */
type AttemptOutcome =
  | { outcome: 'signed_in'; user_id: string; locked_until: null }
  | { outcome: 'wrong_password' | 'locked' | 'disabled'; user_id: string | null; locked_until: string | null };

/**
 * The offline clinic: one trusted process owns the embedded database. It checks passwords
 * itself (scrypt, outside any transaction: the database is one session) and the database
 * decides the lockout from its own counters; unknown emails lock like known ones. Requests run as clinic_app for the signed-in
 * user; only this owner session may name the tenant and user in settings.
 */
export function offlineAccess(db: Db, defaultClinicCode?: string): ClinicAccess {
  // One attempt at a time per account (this process is the database's only client): the same
  // person signing in at two windows at once is not five failures in flight.
  const inFlight = new Map<string, Promise<unknown>>();
  function oneAtATime<T>(key: string, attempt: () => Promise<T>): Promise<T> {
    const run = (inFlight.get(key) ?? Promise.resolve()).catch(() => undefined).then(attempt);
    inFlight.set(key, run);
    void run.finally(() => inFlight.get(key) === run && inFlight.delete(key)).catch(() => undefined);
    return run;
  }

  function checkPassword(tenantId: string, email: string, password: string, userAgent?: string): Promise<string> {
    return oneAtATime(`${tenantId}/${email.toLowerCase()}`, () => settleAttempt(tenantId, email, password, userAgent));
  }

  async function settleAttempt(tenantId: string, email: string, password: string, userAgent?: string): Promise<string> {
    // Claimed first (counted as a failure until proved right), so parallel guesses cannot
    // outrun the lockout; the slow hash runs outside any transaction.
    const claim = await db.transaction((tx) => one<Claim>(tx, `SELECT * FROM claim_sign_in_attempt($1, $2)`, [tenantId, email]));
    if (claim.outcome === 'locked') throw accountLocked(claim.locked_until);
    const matched = await verifyPassword(password, claim.password_hash);
    const attempt = await db.transaction((tx) =>
      one<AttemptOutcome>(tx, `SELECT * FROM finish_sign_in_attempt($1, $2, $3, $4)`, [tenantId, email, matched, userAgent ?? null]),
    );
    switch (attempt.outcome) {
      case 'signed_in':
        return attempt.user_id;
      case 'locked':
        throw accountLocked(attempt.locked_until);
      case 'disabled':
        throw new DomainError('FORBIDDEN', 'This account is disabled. Ask an administrator.');
      default:
        throw new DomainError('UNAUTHORIZED', WRONG_CREDENTIALS, 'password');
    }
  }

  function staff(tenantId: string, userId: string, email: string): StaffAccess {
    return {
      tenantId,
      userId,
      request: (work) => withRequest(db, { tenantId, userId }, work),
      async confirmPassword(password, userAgent) {
        await checkPassword(tenantId, email, password, userAgent);
      },
      usePassword: async () => undefined,
      close: async () => undefined,
    };
  }

  return {
    engine: db.engine,
    async signIn({ clinicCode, email, password, userAgent }: SignInAttempt) {
      const code = clinicCode ?? defaultClinicCode ?? null;
      const { id: tenantId } = await one<{ id: string | null }>(db, `SELECT sign_in_tenant($1) AS id`, [code]);
      if (!tenantId) {
        throw code
          ? new DomainError('UNAUTHORIZED', 'No clinic uses this clinic code.', 'clinicCode')
          : new DomainError('BAD_REQUEST', 'Enter your clinic code.', 'clinicCode');
      }
      const userId = await checkPassword(tenantId, email, password, userAgent);
      return staff(tenantId, userId, email);
    },
    firstRun: {
      async needed() {
        const { rows } = await db.query(`SELECT 1 FROM tenants LIMIT 1`);
        return rows.length === 0;
      },
      async createClinic(input) {
        const clinic = firstClinicInput.parse(input);
        // The offline clinic is the only one here: its code never has to be typed.
        await provisionTenant(db, { ...clinic, slug: 'offline-clinic' }, { staffLogin: false });
      },
    },
    close: () => db.close(),
  };
}
