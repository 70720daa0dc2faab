import { TRPCError } from '@trpc/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DomainError, sessionRefusal, toTRPCError } from './errors';

/** A PostgreSQL error as pg, PGlite and the PGlite worker hand it over. */
const databaseError = (fields: Record<string, string>) =>
  Object.assign(new Error('duplicate key value violates unique constraint "patients_phone_key"'), { severity: 'ERROR', ...fields });

describe('toTRPCError, the one place errors get their wire shape', () => {
  const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  afterEach(() => logged.mockClear());

  it('keeps a session refusal’s code, message and reason', () => {
    const mapped = toTRPCError(sessionRefusal('SCREEN_LOCKED', 'The screen is locked.'), 'patients.search');
    expect(mapped).toMatchObject({ code: 'UNAUTHORIZED', message: 'The screen is locked.' });
    expect(mapped.cause).toMatchObject({ reason: 'SCREEN_LOCKED' });
    expect(logged).not.toHaveBeenCalled();
  });

  it('maps the refusals a check expects without logging them', () => {
    expect(toTRPCError(databaseError({ code: '23P01' }), 'appointments.book')).toMatchObject({ code: 'CONFLICT' });
    expect(toTRPCError(new DomainError('NOT_FOUND', 'No such patient.', 'id'), 'patients.get')).toMatchObject({ code: 'NOT_FOUND' });
    expect(logged).not.toHaveBeenCalled();
  });

  it('logs a database refusal nobody expected by SQLSTATE, procedure and schema names, never the values', () => {
    const refusal = databaseError({
      code: '23502',
      table: 'patients',
      column: 'phone',
      detail: 'Failing row contains (Jane, Doe, 07700 900123).',
    });
    const mapped = toTRPCError(new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause: refusal }), 'patients.register');
    expect(mapped).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong. Please try again.' });
    expect(logged.mock.calls).toEqual([
      ['[clinicdesk] patients.register: database refusal no check expected, SQLSTATE 23502 (patients, phone)'],
    ]);
  });

  it('logs anything else that went wrong with its stack, for the code to be fixed', () => {
    const bug = new TypeError('Cannot read properties of undefined');
    expect(toTRPCError(bug, 'admin.health')).toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
    expect(logged.mock.calls).toEqual([['[clinicdesk] admin.health: unexpected error', bug]]);
  });
});
