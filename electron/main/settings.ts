import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { connectionSettings, type ConnectionSettings } from '../../shared/connection';
import type { DatabaseConfig } from '../server/backend';

/** Electron's safeStorage (the OS keychain), as far as these settings use it. */
export interface SecretStore {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

const storedFile = z.object({ version: z.literal(1), encrypted: z.string() });

/** Validates settings from any source, failing with the first field's message. */
function parseSettings(value: unknown, source: string): ConnectionSettings {
  const result = connectionSettings.safeParse(value);
  if (!result.success) throw new Error(`${source}: ${result.error.issues[0]?.message ?? 'invalid connection settings.'}`);
  return result.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Reads `connection.json`; undefined when there is none (offline mode). The file holds only
 * ciphertext: the URL carries the database password.
 */
export async function loadConnectionSettings(file: string, store: SecretStore): Promise<ConnectionSettings | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const stored = storedFile.safeParse(parseJson(text));
  if (!stored.success) throw new Error(`${file} is not a ClinicDesk connection file. Delete it to return to offline mode.`);
  if (!store.isEncryptionAvailable()) {
    throw new Error("The saved remote connection cannot be read: this computer's keychain is not available to ClinicDesk.");
  }
  const plain = store.decryptString(Buffer.from(stored.data.encrypted, 'base64'));
  return parseSettings(parseJson(plain), 'The saved remote connection');
}

/**
 * Encrypts and saves the settings, replacing the file in one rename. Refuses rather than
 * falls back to plain text where the OS offers no keychain (on Linux, no secret service).
 */
export async function saveConnectionSettings(file: string, store: SecretStore, settings: ConnectionSettings): Promise<void> {
  const valid = parseSettings(settings, 'The connection was not saved');
  if (!store.isEncryptionAvailable()) {
    throw new Error(
      'The connection was not saved: this computer offers no keychain to encrypt it with, and ClinicDesk will not store a database password in plain text. Set CLINICDESK_DATABASE_URL instead.',
    );
  }
  const encrypted = store.encryptString(JSON.stringify(valid)).toString('base64');
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify({ version: 1, encrypted }), { mode: 0o600 });
  await rename(temporary, file);
}

/**
 * Which database the desktop app opens: CLINICDESK_DATABASE_URL (with CLINICDESK_CLINIC_CODE)
 * first, then the saved remote connection, else the offline database in `dataDir`.
 */
export function chooseDatabase(
  env: NodeJS.ProcessEnv,
  saved: ConnectionSettings | undefined,
  dataDir: string,
): { database: DatabaseConfig; clinicCode?: string } {
  const fromEnv = env.CLINICDESK_DATABASE_URL
    ? parseSettings(
        { databaseUrl: env.CLINICDESK_DATABASE_URL, clinicCode: env.CLINICDESK_CLINIC_CODE || undefined },
        'CLINICDESK_DATABASE_URL',
      )
    : undefined;
  const remote = fromEnv ?? saved;
  if (remote) return { database: { kind: 'postgres', connectionString: remote.databaseUrl }, clinicCode: remote.clinicCode };
  return { database: { kind: 'pglite', dataDir, worker: true } };
}
