import { signInInput, unlockInput, type SessionView } from '../../../shared/auth';
import type { Context } from '../context';
import { withRequest } from '../db/request';
import { DomainError } from '../errors';
import { publicProcedure, router, sessionProcedure } from '../trpc';
import { verifyPassword } from './passwords';
import { findSignInAccount, findSignInTenant, loadProfile, recordSignInAttempt, type Profile } from './queries';
import type { Session } from './sessions';

const WRONG_CREDENTIALS = 'The email or password is not right. Check them and try again.';

function lockedMessage(until: Date): string {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  return `Too many failed sign-ins. This account is locked for ${minutes} more minute${minutes === 1 ? '' : 's'}, or until an administrator unlocks it.`;
}

function sessionView(ctx: Context, profile: Profile, session: Session): SessionView {
  return { ...profile, locked: session.locked, idleLockSeconds: Math.round(ctx.backend.sessions.idleLockMs / 1000) };
}

/**
 * Checks an email and password for a tenant. Password hashing runs outside any database
 * transaction (it takes tens of milliseconds, and the offline database is one session).
 */
async function checkCredentials(ctx: Context, tenantId: string, email: string, password: string): Promise<string> {
  const { db, config } = ctx.backend;
  const account = await withRequest(db, { tenantId, userId: null }, (tx) => findSignInAccount(tx, email));
  const passwordMatches = await verifyPassword(password, account?.password_hash ?? null);
  const lockedBefore = account?.locked_until && account.locked_until.getTime() > Date.now() ? account.locked_until : null;
  const success = passwordMatches && !lockedBefore && account?.is_active === true;
  const lockedUntil = await withRequest(db, { tenantId, userId: account?.user_id ?? null }, (tx) =>
    recordSignInAttempt(tx, {
      email,
      userId: account?.user_id ?? null,
      success,
      // While already locked, attempts are logged but do not extend the lock.
      maxFailures: lockedBefore ? 2 ** 31 - 1 : config.maxFailedSignIns,
      lockMinutes: config.lockoutMinutes,
      userAgent: ctx.userAgent,
    }),
  );
  if (lockedBefore) throw new DomainError('TOO_MANY_REQUESTS', lockedMessage(lockedBefore));
  if (lockedUntil) throw new DomainError('TOO_MANY_REQUESTS', lockedMessage(lockedUntil));
  if (!passwordMatches || !account) throw new DomainError('UNAUTHORIZED', WRONG_CREDENTIALS, 'password');
  if (!account.is_active) throw new DomainError('FORBIDDEN', 'This account is disabled. Ask an administrator.');
  return account.user_id;
}

export const authRouter = router({
  signIn: publicProcedure.input(signInInput).mutation(async ({ ctx, input }) => {
    const { db, sessions, config } = ctx.backend;
    const clinicCode = input.clinicCode ?? config.defaultClinicCode ?? null;
    const tenantId = await withRequest(db, { tenantId: '', userId: null }, (tx) => findSignInTenant(tx, clinicCode));
    if (!tenantId) {
      throw clinicCode
        ? new DomainError('UNAUTHORIZED', 'No clinic uses this clinic code.', 'clinicCode')
        : new DomainError('BAD_REQUEST', 'Enter your clinic code.', 'clinicCode');
    }
    const userId = await checkCredentials(ctx, tenantId, input.email, input.password);
    const profile = await withRequest(db, { tenantId, userId }, (tx) => loadProfile(tx, userId));
    if (!profile) throw new DomainError('FORBIDDEN', 'This account has no active role. Ask an administrator.');
    const session = sessions.start(ctx.clientKey, {
      userId,
      tenantId,
      clinicId: profile.clinic.id,
      email: profile.user.email,
      permissions: new Set(profile.permissions),
    });
    return sessionView(ctx, profile, session);
  }),

  /** The current session, or null when nobody is signed in on this window. */
  session: publicProcedure.query(async ({ ctx }) => {
    const session = ctx.backend.sessions.get(ctx.clientKey);
    if (!session) return null;
    const profile = await withRequest(ctx.backend.db, { tenantId: session.tenantId, userId: session.userId }, (tx) =>
      loadProfile(tx, session.userId),
    );
    if (!profile) {
      ctx.backend.sessions.end(ctx.clientKey);
      return null;
    }
    return sessionView(ctx, profile, session);
  }),

  lock: sessionProcedure.mutation(({ ctx }) => {
    ctx.backend.sessions.lock(ctx.clientKey);
    return { locked: true };
  }),

  /**
   * The person at the screen is active: keeps the server's idle clock in step with the
   * keyboard and mouse, so background refreshes alone never keep a session open.
   */
  stillHere: sessionProcedure.mutation(({ ctx }) => {
    if (!ctx.session.locked) ctx.backend.sessions.touch(ctx.session);
    return { locked: ctx.session.locked };
  }),

  /** Quick unlock: the same user's password. Failures count towards the lockout. */
  unlock: sessionProcedure.input(unlockInput).mutation(async ({ ctx, input }) => {
    try {
      await checkCredentials(ctx, ctx.session.tenantId, ctx.session.email, input.password);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'TOO_MANY_REQUESTS') ctx.backend.sessions.end(ctx.clientKey);
      throw error;
    }
    ctx.backend.sessions.unlock(ctx.session);
    return { locked: false };
  }),

  signOut: publicProcedure.mutation(({ ctx }) => {
    ctx.backend.sessions.end(ctx.clientKey);
    return { signedOut: true };
  }),
});
