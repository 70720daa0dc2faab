import { createCipheriv, createDecipheriv, createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * The backup file: a small header in the clear, then everything else encrypted and
 * authenticated with AES-256-GCM under a key derived from the clinic's passphrase by scrypt.
 * The header is the cipher's additional data, so changing any byte of the file, header
 * included, or cutting it short makes it refuse to open.
 *
 *   magic "CDBACKUP" · version u8 · scrypt log2(N) u8, r u8, p u8 · salt 16 · nonce 12 ·
 *   passphrase check 16 · sealed length u64 · sealed bytes · GCM tag 16
 *
 * The passphrase check (a hash of scrypt output the key does not use) tells a wrong passphrase
 * apart from a damaged file, so the screen can say which; it helps a guesser no more than the
 * tag itself would. Sealed inside: u32 length of the description (JSON), the description, the
 * database's tarball.
 */
const MAGIC = Buffer.from('CDBACKUP', 'ascii');
const VERSION = 1;
const SALT_BYTES = 16;
const NONCE_BYTES = 12;
const CHECK_BYTES = 16;
const TAG_BYTES = 16;
export const HEADER_BYTES = MAGIC.length + 1 + 3 + SALT_BYTES + NONCE_BYTES + CHECK_BYTES + 8;

export interface ScryptParams {
  log2N: number;
  r: number;
  p: number;
}

/** About a second and 128 MB of memory per derivation on the clinic's PC: costly for a guesser. */
export const STRONG_SCRYPT: ScryptParams = { log2N: 17, r: 8, p: 1 };

/** A passphrase turned into a key, with what the header needs to derive it again. */
export interface BackupKey {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
  check: Buffer;
}

export type BackupRefusal = 'NOT_A_BACKUP' | 'NEWER_VERSION' | 'TRUNCATED' | 'WRONG_PASSPHRASE' | 'ALTERED';

const REFUSALS: Record<BackupRefusal, string> = {
  NOT_A_BACKUP: 'This file is not a ClinicDesk backup.',
  NEWER_VERSION: 'This backup was made by a newer ClinicDesk. Update ClinicDesk to open it.',
  TRUNCATED: 'This backup file is incomplete (cut short, perhaps while copying). Use another copy.',
  WRONG_PASSPHRASE: 'The passphrase is not the one this backup was made with.',
  ALTERED: 'This backup file has been altered or damaged, so it cannot be trusted. Use another copy.',
};

export class BackupFileError extends Error {
  constructor(readonly refusal: BackupRefusal) {
    super(REFUSALS[refusal]);
    this.name = 'BackupFileError';
  }
}

function deriveBytes(passphrase: string, salt: Buffer, { log2N, r, p }: ScryptParams): Promise<Buffer> {
  const N = 2 ** log2N;
  return new Promise((resolve, reject) =>
    scrypt(passphrase.normalize('NFC'), salt, 64, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (error, bytes) =>
      error ? reject(error) : resolve(bytes),
    ),
  );
}

async function keyFrom(passphrase: string, salt: Buffer, params: ScryptParams): Promise<BackupKey> {
  const bytes = await deriveBytes(passphrase, salt, params);
  const check = createHash('sha256').update(bytes.subarray(32)).digest().subarray(0, CHECK_BYTES);
  return { params, salt, key: bytes.subarray(0, 32), check };
}

/** A new key (a fresh salt) for the backups to come. */
export function deriveBackupKey(passphrase: string, params: ScryptParams = STRONG_SCRYPT): Promise<BackupKey> {
  return keyFrom(passphrase, randomBytes(SALT_BYTES), params);
}

function header(key: BackupKey, nonce: Buffer, sealedLength: number): Buffer {
  const head = Buffer.alloc(HEADER_BYTES);
  let at = MAGIC.copy(head, 0);
  at = head.writeUInt8(VERSION, at);
  at = head.writeUInt8(key.params.log2N, at);
  at = head.writeUInt8(key.params.r, at);
  at = head.writeUInt8(key.params.p, at);
  at += key.salt.copy(head, at);
  at += nonce.copy(head, at);
  at += key.check.copy(head, at);
  head.writeBigUInt64BE(BigInt(sealedLength), at);
  return head;
}

/** The whole backup file: `description` (JSON-able) and the database's tarball, sealed. */
export function sealBackup(key: BackupKey, description: unknown, tarball: Uint8Array): Buffer {
  const json = Buffer.from(JSON.stringify(description), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  const sealedLength = 4 + json.length + tarball.length;
  const nonce = randomBytes(NONCE_BYTES);
  const head = header(key, nonce, sealedLength);
  const cipher = createCipheriv('aes-256-gcm', key.key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(head);
  const sealed = [cipher.update(length), cipher.update(json), cipher.update(tarball), cipher.final()];
  return Buffer.concat([head, ...sealed, cipher.getAuthTag()]);
}

interface Header {
  params: ScryptParams;
  salt: Buffer;
  nonce: Buffer;
  check: Buffer;
  sealedLength: number;
  head: Buffer;
}

function readHeader(file: Buffer): Header {
  if (file.length < MAGIC.length || !file.subarray(0, MAGIC.length).equals(MAGIC)) throw new BackupFileError('NOT_A_BACKUP');
  if (file.length < HEADER_BYTES) throw new BackupFileError('TRUNCATED');
  let at = MAGIC.length;
  const version = file.readUInt8(at++);
  if (version > VERSION) throw new BackupFileError('NEWER_VERSION');
  if (version !== VERSION) throw new BackupFileError('ALTERED');
  const params = { log2N: file.readUInt8(at), r: file.readUInt8(at + 1), p: file.readUInt8(at + 2) };
  at += 3;
  const salt = file.subarray(at, (at += SALT_BYTES));
  const nonce = file.subarray(at, (at += NONCE_BYTES));
  const check = file.subarray(at, (at += CHECK_BYTES));
  const sealedLength = file.readBigUInt64BE(at);
  // Parameters outside what this app writes would be an altered header (or a costly trap).
  const plausible = params.log2N >= 10 && params.r >= 1 && params.p >= 1 && params.p <= 4 && 2 ** params.log2N * params.r <= 2 ** 22; // ≤ 512 MB
  if (!plausible) throw new BackupFileError('ALTERED');
  const expected = BigInt(HEADER_BYTES + TAG_BYTES) + sealedLength;
  if (BigInt(file.length) < expected) throw new BackupFileError('TRUNCATED');
  if (BigInt(file.length) > expected) throw new BackupFileError('ALTERED');
  return { params, salt, nonce, check, sealedLength: Number(sealedLength), head: file.subarray(0, HEADER_BYTES) };
}

/** The key a file was made with, from its passphrase; refused if the passphrase is wrong. */
export async function keyOfFile(file: Buffer, passphrase: string): Promise<BackupKey> {
  const { params, salt, check } = readHeader(file);
  const key = await keyFrom(passphrase, Buffer.from(salt), params);
  if (!timingSafeEqual(key.check, check)) throw new BackupFileError('WRONG_PASSPHRASE');
  return key;
}

/** Opens a backup file with its passphrase: its description and tarball, or a BackupFileError saying why not. */
export async function openBackup(file: Buffer, passphrase: string): Promise<{ description: unknown; tarball: Buffer }> {
  return unsealBackup(file, await keyOfFile(file, passphrase));
}

/** Opens a backup file with a key already derived (the clinic's own backups, verified after writing). */
export function unsealBackup(file: Buffer, { key, check }: Pick<BackupKey, 'key' | 'check'>): { description: unknown; tarball: Buffer } {
  const header = readHeader(file);
  if (!timingSafeEqual(check, header.check)) throw new BackupFileError('WRONG_PASSPHRASE');
  const { nonce, sealedLength, head } = header;
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(head);
  decipher.setAuthTag(file.subarray(HEADER_BYTES + sealedLength));
  let plain: Buffer;
  try {
    plain = Buffer.concat([decipher.update(file.subarray(HEADER_BYTES, HEADER_BYTES + sealedLength)), decipher.final()]);
  } catch {
    throw new BackupFileError('ALTERED');
  }
  const jsonLength = plain.readUInt32BE(0);
  const description: unknown = JSON.parse(plain.subarray(4, 4 + jsonLength).toString('utf8'));
  return { description, tarball: plain.subarray(4 + jsonLength) };
}
