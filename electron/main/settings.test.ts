import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseDatabase, loadConnectionSettings, saveConnectionSettings, type SecretStore } from './settings';

/** A stand-in keychain: reversible, and visibly not plain text. */
function keychain(available = true): SecretStore {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (plain) => Buffer.from(plain, 'utf8').reverse(),
    decryptString: (encrypted) => Buffer.from(encrypted).reverse().toString('utf8'),
  };
}

const remote = { databaseUrl: 'postgres://clinic_login:s3cret@db.example:5432/clinics', clinicCode: 'riverside' };

describe('connection settings', () => {
  it('saves only ciphertext, owner-readable, and reads it back', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'clinicdesk-settings-')), 'connection.json');
    await saveConnectionSettings(file, keychain(), remote);
    expect(readFileSync(file, 'utf8')).not.toContain('s3cret');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await loadConnectionSettings(file, keychain())).toEqual(remote);
  });

  it('refuses to save without a keychain, and writes nothing', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'clinicdesk-settings-')), 'connection.json');
    await expect(saveConnectionSettings(file, keychain(false), remote)).rejects.toThrow(/no keychain/);
    expect(await loadConnectionSettings(file, keychain())).toBeUndefined();
  });

  it('refuses addresses that are not PostgreSQL and malformed clinic codes', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'clinicdesk-settings-')), 'connection.json');
    await expect(saveConnectionSettings(file, keychain(), { databaseUrl: 'https://db.example' })).rejects.toThrow(/postgres:\/\//);
    await expect(saveConnectionSettings(file, keychain(), { ...remote, clinicCode: 'Bad Code!' })).rejects.toThrow(/Clinic codes/);
  });

  it('names the file when it is not a connection file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'clinicdesk-settings-')), 'connection.json');
    writeFileSync(file, '{ "databaseUrl": "postgres://plain/text" }');
    await expect(loadConnectionSettings(file, keychain())).rejects.toThrow(/not a ClinicDesk connection file/);
  });
});

describe('chooseDatabase', () => {
  it('opens the offline database, in a worker, when nothing says otherwise', () => {
    expect(chooseDatabase({}, undefined, '/data/ClinicDesk/database')).toEqual({
      database: { kind: 'pglite', dataDir: '/data/ClinicDesk/database', worker: true },
    });
  });

  it('uses the saved remote connection', () => {
    expect(chooseDatabase({}, remote, '/data')).toEqual({
      database: { kind: 'postgres', connectionString: remote.databaseUrl },
      clinicCode: 'riverside',
    });
  });

  it('lets CLINICDESK_DATABASE_URL override the saved connection', () => {
    const env = { CLINICDESK_DATABASE_URL: 'postgresql://other.example/db', CLINICDESK_CLINIC_CODE: 'Lakeside' };
    expect(chooseDatabase(env, remote, '/data')).toEqual({
      database: { kind: 'postgres', connectionString: 'postgresql://other.example/db' },
      clinicCode: 'lakeside',
    });
    expect(() => chooseDatabase({ CLINICDESK_DATABASE_URL: 'mysql://x' }, undefined, '/data')).toThrow(/CLINICDESK_DATABASE_URL/);
  });
});
