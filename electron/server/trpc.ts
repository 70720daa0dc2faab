import { initTRPC } from '@trpc/server';
import { ZodError } from 'zod';
import type { Permission } from '../../shared/permissions';
import { findUnsafeText } from '../../shared/text';
import { currentRole } from './auth/queries';
import type { Session } from './auth/sessions';
import type { Context } from './context';
import type { Queryable } from './db/types';
import { DomainError, sessionRefusal, toTRPCError } from './errors';

/** Every procedure declares who may call it; a test walks the router and checks each one. */
export interface ProcedureMeta {
  access: 'public' | 'session' | Permission;
}

/** Field messages for a form, from a zod failure or a DomainError that names its field. */
export type FieldErrors = Record<string, string>;

function fieldErrorsOf(cause: unknown): FieldErrors | undefined {
  if (cause instanceof ZodError) {
    const errors: FieldErrors = {};
    for (const issue of cause.issues) errors[issue.path.join('.') || 'form'] ??= issue.message;
    return errors;
  }
  if (cause instanceof DomainError && cause.field) return { [cause.field]: cause.message };
  return undefined;
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    isDev: false,
    errorFormatter({ shape, error }) {
      const fieldErrors = fieldErrorsOf(error.cause);
      const message = error.cause instanceof ZodError ? (Object.values(fieldErrors ?? {})[0] ?? 'Please check the form.') : shape.message;
      const reason = error.cause instanceof DomainError ? error.cause.reason : undefined;
      // Built field by field: no stack or internals ever reach the renderer.
      return {
        message,
        code: shape.code,
        data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, fieldErrors, reason },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Domain errors and database refusals become the right tRPC error exactly here. */
const base = t.procedure
  .use(async ({ next, path }) => {
    const result = await next();
    if (result.ok || result.error.cause instanceof ZodError) return result;
    throw toTRPCError(result.error, path);
  })
  // Every text of every input, before any schema: nothing the database would mangle or refuse.
  .use(async ({ next, getRawInput }) => {
    const unsafe = findUnsafeText(await getRawInput());
    if (unsafe) throw new DomainError('BAD_REQUEST', unsafe.message, unsafe.path);
    return next();
  });

export const publicProcedure = base.meta({ access: 'public' });

function requireSession(ctx: Context, allowLocked: boolean): Session {
  const session = ctx.backend.sessions.get(ctx.clientKey);
  if (!session) throw sessionRefusal('SIGNED_OUT', 'Your session has ended. Please sign in again.');
  if (session.locked && !allowLocked) throw sessionRefusal('SCREEN_LOCKED', 'The screen is locked. Enter your password to unlock.');
  return session;
}

/** A resolver's failure, carried out of the request transaction so that it rolls back. */
class RolledBack {
  constructor(readonly result: unknown) {}
}

/**
 * The one door per request: the resolver runs inside one transaction on the signed-in
 * person's own access, and gets only that transaction (`ctx.tx`), never the database.
 */
function inRequest<Result extends { ok: boolean }>(session: Session, run: (tx: Queryable) => Promise<Result>): Promise<Result> {
  return session.access
    .request(async (tx) => {
      const result = await run(tx);
      if (!result.ok) throw new RolledBack(result);
      return result;
    })
    .catch((error: unknown) => {
      if (error instanceof RolledBack) return error.result as Result;
      throw error;
    });
}

/** Signed in, locked or not: session info, lock, unlock and sign out (no database request). */
export const sessionProcedure = base.meta({ access: 'session' }).use(({ ctx, next }) => {
  const session = requireSession(ctx, true);
  return next({ ctx: { session } });
});

/** Signed in and unlocked, whatever the role: the person's own settings (their password). */
export const unlockedSessionProcedure = base.meta({ access: 'session' }).use(({ ctx, next }) => {
  const session = requireSession(ctx, false);
  return next({ ctx: { session } });
});

const ACCOUNT_DISABLED = 'Your account was disabled or its role withdrawn. Ask an administrator.';

/**
 * Signed in, unlocked, and holding `permission`; runs in the request's transaction. The role is
 * read again in that transaction, so an administrator's change to it (a permission given or
 * taken, a password reset, the account disabled) applies to people already signed in, from
 * their next request.
 */
export function permitted(permission: Permission) {
  return base.meta({ access: permission }).use(({ ctx, next, type }) => {
    const session = requireSession(ctx, false);
    // Only what a person does keeps the desk awake: a screen's background refresh (a query)
    // never does, or the idle lock would never fire while the queue polls.
    if (type === 'mutation') ctx.backend.sessions.touch(session);
    return inRequest(session, async (tx) => {
      const role = await currentRole(tx, session.userId);
      if (!role) throw sessionRefusal('SIGNED_OUT', ACCOUNT_DISABLED);
      session.permissions = new Set(role.permissions);
      session.passwordChangeRequired = role.passwordChangeRequired;
      if (session.passwordChangeRequired) {
        throw sessionRefusal('PASSWORD_CHANGE_REQUIRED', 'Choose a new password first: yours was reset by an administrator.');
      }
      if (!session.permissions.has(permission))
        throw sessionRefusal('NOT_PERMITTED', 'Your role does not allow this. Ask an administrator.');
      return next({ ctx: { session, tx } });
    }).catch((error: unknown) => {
      if (error instanceof DomainError && error.reason === 'SIGNED_OUT') ctx.backend.sessions.end(ctx.clientKey);
      throw error;
    });
  });
}
