import { TRPCClientError } from '@trpc/client';
import type { AppRouter } from '../../electron/server/router';
import type { SessionRefusal } from '../../shared/session-refusals';

type ServerError = TRPCClientError<AppRouter>;

function serverError(error: unknown): ServerError | null {
  return error instanceof TRPCClientError ? (error as ServerError) : null;
}

/** What a form shows: messages beside their fields, and one general message for the rest. */
export interface FormErrors {
  fields: Record<string, string>;
  general: string | null;
}

export const NO_ERRORS: FormErrors = { fields: {}, general: null };

export function formErrorsOf(error: unknown): FormErrors {
  const known = serverError(error);
  // Without a server answer (no data) the call never arrived: say so plainly.
  if (!known?.data) return { fields: {}, general: 'ClinicDesk is not answering. Please try again in a moment.' };
  const fields = known.data.fieldErrors ?? {};
  const shownByField = Object.values(fields).includes(known.message);
  return { fields, general: shownByField ? null : known.message };
}

export function errorCode(error: unknown): string | undefined {
  return serverError(error)?.data?.code;
}

/** Why the server refused because of the session (signed out, screen locked, …), if it did. */
export function sessionRefusalOf(error: unknown): SessionRefusal | undefined {
  return serverError(error)?.data?.reason;
}
