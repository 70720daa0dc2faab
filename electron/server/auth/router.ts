import { changePasswordInput, signInInput, unlockInput, type SessionView } from '../../../shared/auth';
import type { Context } from '../context';
import { DomainError, sessionRefusal } from '../errors';
import { publicProcedure, router, sessionProcedure, unlockedSessionProcedure } from '../trpc';
import { hashPassword } from './passwords';
import { loadProfile, type Profile } from './queries';
import { scramVerifier } from './scram';
import type { Session } from './sessions';

function sessionView(ctx: Context, profile: Profile, session: Session): SessionView {
  return { ...profile, locked: session.locked, idleLockSeconds: Math.round(ctx.backend.sessions.idleLockMs / 1000) };
}

/** Counts a sign-in or unlock attempt from this screen, and refuses one too many within a minute. */
function countAttempt(ctx: Context): void {
  if (!ctx.backend.sessions.allowAttempt(ctx.clientKey)) {
    throw sessionRefusal('TOO_MANY_ATTEMPTS', 'Too many sign-in attempts from this screen. Wait a minute and try again.');
  }
}

export const authRouter = router({
  signIn: publicProcedure.input(signInInput).mutation(async ({ ctx, input }) => {
    countAttempt(ctx);
    const access = await ctx.backend.access.signIn({
      clinicCode: input.clinicCode ?? null,
      email: input.email,
      password: input.password,
      userAgent: ctx.userAgent,
    });
    const profile = await access
      .request((tx) => loadProfile(tx, access.userId))
      .catch(async (error: unknown) => {
        await access.close();
        throw error;
      });
    if (!profile) {
      await access.close();
      throw new DomainError('FORBIDDEN', 'This account has no active role. Ask an administrator.');
    }
    const session = ctx.backend.sessions.start(ctx.clientKey, {
      userId: access.userId,
      tenantId: access.tenantId,
      clinicId: profile.clinic.id,
      email: profile.user.email,
      permissions: new Set(profile.permissions),
      access,
      passwordChangeRequired: profile.passwordChangeRequired,
    });
    return sessionView(ctx, profile, session);
  }),

  /** The current session, or null when nobody is signed in on this window. */
  session: publicProcedure.query(async ({ ctx }) => {
    const session = ctx.backend.sessions.get(ctx.clientKey);
    if (!session) return null;
    const profile = await session.access.request((tx) => loadProfile(tx, session.userId));
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
    countAttempt(ctx);
    try {
      await ctx.session.access.confirmPassword(input.password, ctx.userAgent);
    } catch (error) {
      if (error instanceof DomainError && error.reason === 'ACCOUNT_LOCKED') {
        // Wrong passwords at the lock screen locked the account: nobody carries on this session.
        ctx.backend.sessions.end(ctx.clientKey);
        throw sessionRefusal('SIGNED_OUT', error.message);
      }
      if (error instanceof DomainError && error.code === 'UNAUTHORIZED' && error.field === 'password') {
        // The lock screen asks for a password only: its refusal mentions nothing else.
        throw new DomainError('UNAUTHORIZED', 'This password is not right. Try again.', 'password');
      }
      throw error;
    }
    ctx.backend.sessions.unlock(ctx.session);
    return { locked: false };
  }),

  /** Anyone's own password; the current one first (it counts towards the lockout). */
  changePassword: unlockedSessionProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    countAttempt(ctx);
    if (input.next === input.current) throw new DomainError('BAD_REQUEST', 'Choose a password different from the current one.', 'next');
    try {
      await ctx.session.access.confirmPassword(input.current, ctx.userAgent);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'UNAUTHORIZED') {
        throw new DomainError('UNAUTHORIZED', 'This is not your current password.', 'current');
      }
      throw error;
    }
    const hash = await hashPassword(input.next);
    const verifier = ctx.backend.access.engine === 'postgres' ? scramVerifier(input.next) : null;
    await ctx.session.access.request((tx) => tx.query(`SELECT change_own_password($1, $2)`, [hash, verifier]));
    await ctx.session.access.usePassword(input.next);
    ctx.session.passwordChangeRequired = false;
    ctx.backend.sessions.touch(ctx.session);
    return { changed: true as const };
  }),

  signOut: publicProcedure.mutation(({ ctx }) => {
    ctx.backend.sessions.end(ctx.clientKey);
    return { signedOut: true };
  }),
});
