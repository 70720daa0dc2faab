import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

/**
 * PostgreSQL's stored form of a SCRAM-SHA-256 password (RFC 5802/7677), computed here so the
 * server never sees the password: SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>.
 * PostgreSQL normalizes passwords with SASLprep; NFKC is its mapping for everyday passwords.
 */
export function scramVerifier(password: string, iterations = 4096, salt: Buffer = randomBytes(16)): string {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** The PostgreSQL login of a staff member: the same as staff_login_name() in migrations/008. */
export function staffLoginName(database: string, clinicCode: string, email: string): string {
  const key = `${database}/${clinicCode.trim().toLowerCase()}/${email.trim().toLowerCase()}`;
  return `cd_${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 28)}`;
}
