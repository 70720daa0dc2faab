import { TRPCError } from '@trpc/server';
import type { SessionRefusal } from '../../shared/session-refusals';

export type DomainErrorCode = 'BAD_REQUEST' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'TOO_MANY_REQUESTS';

/**
 * The one error domain code throws: a code for the wire and a message a receptionist can
 * act on. `field` names the form field it belongs to, so the screen shows it right there;
 * `reason` marks the session's refusals (see `sessionRefusal`).
 */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly field?: string,
    readonly reason?: SessionRefusal,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

const SESSION_REFUSAL_CODES: Record<SessionRefusal, DomainErrorCode> = {
  SIGNED_OUT: 'UNAUTHORIZED',
  SCREEN_LOCKED: 'UNAUTHORIZED',
  PASSWORD_CHANGE_REQUIRED: 'FORBIDDEN',
  NOT_PERMITTED: 'FORBIDDEN',
  TOO_MANY_ATTEMPTS: 'TOO_MANY_REQUESTS',
  ACCOUNT_LOCKED: 'TOO_MANY_REQUESTS',
};

/** A refusal of the session code: the screen acts on `reason`, the person reads `message`. */
export function sessionRefusal(reason: SessionRefusal, message: string): DomainError {
  return new DomainError(SESSION_REFUSAL_CODES[reason], message, undefined, reason);
}

/** Messages for database refusals that reach the router without a domain check in front. */
const DATABASE_ERRORS: Record<string, { code: DomainErrorCode; message: string }> = {
  '23505': { code: 'CONFLICT', message: 'This record already exists.' },
  '23P01': { code: 'CONFLICT', message: 'This overlaps an existing booking.' },
  '23503': { code: 'BAD_REQUEST', message: 'This refers to a record that does not exist.' },
  '23514': { code: 'BAD_REQUEST', message: 'Some values are not allowed. Please check the form.' },
  '22P02': { code: 'BAD_REQUEST', message: 'A value has the wrong format.' },
  '22007': { code: 'BAD_REQUEST', message: 'A date or time is not valid.' },
  '22008': { code: 'BAD_REQUEST', message: 'A date or time is out of range.' },
  '42501': { code: 'FORBIDDEN', message: 'You are not allowed to do this.' },
};

/** A PostgreSQL error (pg's, PGlite's, or one rebuilt from the PGlite worker): SQLSTATE and severity. */
interface DatabaseErrorFields {
  code?: unknown;
  severity?: unknown;
  message?: unknown;
  hint?: unknown;
  table?: unknown;
  column?: unknown;
  constraint?: unknown;
}

/**
 * A failure no check expected, for whoever looks after the clinic's PC. A database refusal is
 * logged by its SQLSTATE and the schema names involved, never its message or detail: they
 * quote the values (patients' data), as the statement's parameters would.
 */
function logUnexpected(error: unknown, path: string): void {
  const { code, severity, table, column, constraint } = (error ?? {}) as DatabaseErrorFields;
  if (typeof code === 'string' && typeof severity === 'string') {
    const involved = [table, column, constraint].filter((name) => typeof name === 'string').join(', ');
    console.error(`[clinicdesk] ${path}: database refusal no check expected, SQLSTATE ${code}${involved ? ` (${involved})` : ''}`);
  } else {
    console.error(`[clinicdesk] ${path}: unexpected error`, error);
  }
}

/**
 * Maps any thrown value to the TRPCError sent to the renderer (never with a stack): the one
 * place errors get their wire shape. `path` is the procedure, for the log.
 */
export function toTRPCError(error: unknown, path: string): TRPCError {
  if (error instanceof TRPCError) {
    // tRPC wraps whatever a resolver threw in INTERNAL_SERVER_ERROR: map the original.
    if (error.code !== 'INTERNAL_SERVER_ERROR') return error;
    if (error.cause) return toTRPCError(error.cause, path);
  }
  if (error instanceof DomainError) {
    return new TRPCError({ code: error.code, message: error.message, cause: error });
  }
  const { code: sqlState, message: databaseMessage, hint } = (error ?? {}) as DatabaseErrorFields;
  // The database's own permission and money checks say what is wrong in words a user can act
  // on (marked so in migrations/008 and 015); other refusals get the generic message below.
  const worded = sqlState === '42501' ? 'FORBIDDEN' : sqlState === '23514' ? 'BAD_REQUEST' : undefined;
  if (worded && hint === 'clinicdesk:user-message' && typeof databaseMessage === 'string') {
    return new TRPCError({ code: worded, message: databaseMessage, cause: new DomainError(worded, databaseMessage) });
  }
  const known = typeof sqlState === 'string' ? DATABASE_ERRORS[sqlState] : undefined;
  if (known) {
    return new TRPCError({ code: known.code, message: known.message, cause: new DomainError(known.code, known.message) });
  }
  logUnexpected(error, path);
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong. Please try again.' });
}
