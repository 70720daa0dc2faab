import { TRPCError } from '@trpc/server';

export type DomainErrorCode = 'BAD_REQUEST' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'TOO_MANY_REQUESTS';

/**
 * The one error domain code throws: a code for the wire and a message a receptionist can
 * act on. `field` names the form field it belongs to, so the screen shows it right there.
 */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
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

/** Maps any thrown value to the TRPCError sent to the renderer (never with a stack). */
export function toTRPCError(error: unknown): TRPCError {
  if (error instanceof TRPCError) {
    // tRPC wraps whatever a resolver threw in INTERNAL_SERVER_ERROR: map the original.
    return error.code === 'INTERNAL_SERVER_ERROR' && error.cause ? toTRPCError(error.cause) : error;
  }
  if (error instanceof DomainError) {
    return new TRPCError({ code: error.code, message: error.message, cause: error });
  }
  const sqlState = (error as { code?: unknown } | null)?.code;
  // The database's own permission checks say what is missing in words a user can act on
  // (marked so in migrations/008); other refusals get the generic message below.
  const { message: databaseMessage, hint } = (error ?? {}) as { message?: unknown; hint?: unknown };
  if (sqlState === '42501' && hint === 'clinicdesk:user-message' && typeof databaseMessage === 'string') {
    return new TRPCError({ code: 'FORBIDDEN', message: databaseMessage, cause: new DomainError('FORBIDDEN', databaseMessage) });
  }
  const known = typeof sqlState === 'string' ? DATABASE_ERRORS[sqlState] : undefined;
  if (known) {
    return new TRPCError({ code: known.code, message: known.message, cause: new DomainError(known.code, known.message) });
  }
  return new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong. Please try again.' });
}
