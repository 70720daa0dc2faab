import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BackupFileError, deriveBackupKey, HEADER_BYTES, openBackup, sealBackup, type BackupRefusal } from './format';

// Cheap scrypt for tests: the file records its parameters, so opening needs no setting.
const FAST = { log2N: 10, r: 8, p: 1 };
const PASSPHRASE = 'correct horse battery staple';
const description = { format: 'test', createdAt: '2026-11-29T21:00:00.000Z', clinics: [{ name: 'Riverside' }] };

async function refusalOf(file: Buffer, passphrase = PASSPHRASE): Promise<BackupRefusal> {
  try {
    await openBackup(file, passphrase);
  } catch (error) {
    if (error instanceof BackupFileError) return error.refusal;
    throw error;
  }
  throw new Error('the file opened');
}

describe('the backup file format', async () => {
  const key = await deriveBackupKey(PASSPHRASE, FAST);
  const tarball = randomBytes(500);
  const file = sealBackup(key, description, tarball);

  it('opens with its passphrase: the same description and tarball', async () => {
    const opened = await openBackup(file, PASSPHRASE);
    expect(opened.description).toEqual(description);
    expect(Buffer.compare(opened.tarball, tarball)).toBe(0);
    expect(file.subarray(0, 8).toString()).toBe('CDBACKUP');
    // Nothing of the tarball or description shows in the clear.
    expect(file.includes(tarball.subarray(0, 32))).toBe(false);
    expect(file.includes(Buffer.from('Riverside'))).toBe(false);
  });

  it('refuses a wrong passphrase, saying so', async () => {
    expect(await refusalOf(file, 'correct horse battery stapler')).toBe('WRONG_PASSPHRASE');
  });

  it('refuses the file when any single byte is changed', async () => {
    const refusals = new Set<BackupRefusal>();
    for (let at = 0; at < file.length; at++) {
      const altered = Buffer.from(file);
      altered[at] = altered[at]! ^ 0x01;
      refusals.add(await refusalOf(altered));
    }
    // Every byte refused (refusalOf throws if one opens): a changed salt or check reads as a
    // wrong passphrase, a changed length as a cut or padded file, the rest as altered.
    expect([...refusals].sort()).toEqual(['ALTERED', 'NOT_A_BACKUP', 'TRUNCATED', 'WRONG_PASSPHRASE']);
    const bodyByte = Buffer.from(file);
    bodyByte[HEADER_BYTES + 10] = bodyByte[HEADER_BYTES + 10]! ^ 0x80;
    expect(await refusalOf(bodyByte)).toBe('ALTERED');
  }, 120_000);

  it('refuses a file cut short anywhere, or with bytes added', async () => {
    for (const length of [0, 5, HEADER_BYTES - 1, HEADER_BYTES, HEADER_BYTES + 100, file.length - 1]) {
      const refusal = await refusalOf(file.subarray(0, length));
      expect(refusal, `cut to ${length} bytes`).toBe(length < 8 ? 'NOT_A_BACKUP' : 'TRUNCATED');
    }
    expect(await refusalOf(Buffer.concat([file, Buffer.from([0])]))).toBe('ALTERED');
  });

  it('refuses what is not a backup at all', async () => {
    expect(await refusalOf(Buffer.from('PK\u0003\u0004 a zip file, say'))).toBe('NOT_A_BACKUP');
  });

  it('gives two backups of the same data different bytes (fresh nonce) and new keys fresh salts', async () => {
    expect(sealBackup(key, description, tarball).equals(file)).toBe(false);
    const again = await deriveBackupKey(PASSPHRASE, FAST);
    expect(again.salt.equals(key.salt)).toBe(false);
    expect((await openBackup(sealBackup(again, description, tarball), PASSPHRASE)).description).toEqual(description);
  });
});
