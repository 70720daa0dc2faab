import type { ConnectionCheckInput, ConnectionSettings } from '../../../shared/connection';
import { remoteAccess } from '../access/remote';
import { serverAddress } from '../backend';
import { DomainError } from '../errors';

/**
 * Tries a clinic server before it is kept: the administrator signs in there as themselves
 * (which proves the server answers, has the schema, and knows this clinic code and person).
 * What is kept is the address and the code, never a login or password.
 */
export async function checkRemoteConnection(input: ConnectionCheckInput): Promise<ConnectionSettings> {
  const settings = { databaseUrl: serverAddress(input.databaseUrl), clinicCode: input.clinicCode };
  const access = remoteAccess(settings.databaseUrl, settings.clinicCode);
  let staff;
  try {
    staff = await access.signIn({ clinicCode: settings.clinicCode, email: input.email, password: input.password });
  } catch (error) {
    if (error instanceof DomainError && error.code === 'BAD_REQUEST') throw new DomainError('BAD_REQUEST', error.message, 'databaseUrl');
    if (error instanceof DomainError && error.code === 'UNAUTHORIZED') {
      throw new DomainError('UNAUTHORIZED', 'The clinic server did not accept this clinic code, email and password.', 'password');
    }
    throw error;
  }
  await staff.close();
  return settings;
}
