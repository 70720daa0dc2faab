import { AsyncResource } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  MAIN_TABLES,
  type BackupDescription,
  type BackupFile,
  type BackupFileInput,
  type BackupJob,
  type BackupPreview,
  type BackupStatus,
  type LastBackup,
  type TableChecksum,
} from '../../../shared/backups';
import type { Queryable } from '../db/types';
import { DomainError } from '../errors';
import { tableChecksums, tableDifferences } from './checksums';
import {
  BackupFileError,
  deriveBackupKey,
  keyOfFile,
  openBackup,
  sealBackup,
  unsealBackup,
  STRONG_SCRYPT,
  type ScryptParams,
} from './format';
import { pendingRestoreOf, restoreMarker } from './restore-switch';

/** A database opened from a tarball, read as its owner. */
export interface OpenedCopy extends Queryable {
  close(): Promise<void>;
}

/**
 * The offline database as backups need it, handed in by backend.ts (domain code opens no
 * database itself).
 */
export interface BackupEngine {
  /** The live database's tarball and what `read` found, in one turn: nothing commits between them. */
  snapshot<T>(read: (owner: Queryable) => Promise<T>): Promise<{ read: T; tarball: Blob }>;
  /** A database started from a tarball: in memory (to verify a backup) or in a new data directory (a restore). */
  open(tarball: Uint8Array, dataDir?: string): Promise<OpenedCopy>;
}

export interface BackupServiceOptions {
  engine: BackupEngine;
  /** The live data directory; the settings, restored directories and the switch marker sit beside it. */
  dataDir: string;
  /** Tests make scrypt cheap; a file records its own parameters, so either opens anywhere. */
  scrypt?: ScryptParams;
  now?: () => Date;
}

/** Kept beside the data directory (0600): the key, not the passphrase, so scheduled backups run unattended. */
interface SavedSettings {
  folder: string;
  keep: number;
  key: { params: ScryptParams; salt: string; key: string; check: string };
  lastBackup: LastBackup | null;
}

const FILE_PATTERN = /^clinicdesk-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.cdbackup$/;
const HOUR_MS = 60 * 60_000;
/** The first scheduled look comes a little after start, so opening the app stays quick. */
const FIRST_LOOK_MS = 5 * 60_000;

/** Written under a temporary name, fsynced, then renamed: a file at its final name is always whole. */
export function writeFileDurably(file: string, bytes: Uint8Array, mode = 0o600): void {
  const draft = path.join(path.dirname(file), `.${path.basename(file)}.partial`);
  const fd = fs.openSync(draft, 'w', mode);
  try {
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(fd, bytes, written);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(draft, file);
  syncFolder(path.dirname(file));
}

/** The folder's entry for a renamed file reaches the disk too (not possible on Windows, where rename is durable). */
function syncFolder(folder: string): void {
  try {
    const fd = fs.openSync(folder, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Windows cannot open a folder for fsync.
  }
}

const localDay = (date: Date) => `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function asDomainError(error: BackupFileError): DomainError {
  return new DomainError('BAD_REQUEST', error.message, error.refusal === 'WRONG_PASSPHRASE' ? 'passphrase' : 'file');
}

export function readBackupFile(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DomainError('NOT_FOUND', 'There is no file at this path.', 'file');
    if (code === 'EISDIR') throw new DomainError('BAD_REQUEST', 'This is a folder: choose a backup file in it.', 'file');
    throw new DomainError('BAD_REQUEST', `This file cannot be read (${code ?? 'unknown error'}).`, 'file');
  }
}

const NOT_THIS_FORMAT: Record<BackupDescription['format'], string> = {
  'clinicdesk-pglite-datadir': 'This file holds something other than a backup of an offline clinic database.',
  'clinicdesk-clinic-export': 'This file is not a clinic export.',
};

/** The description of a file opened, refused unless it is of the kind expected. */
export function describedAs(description: unknown, format: BackupDescription['format']): BackupDescription {
  const described = description as Partial<BackupDescription> | null;
  if (described?.format !== format || !Array.isArray(described.tables))
    throw new DomainError('BAD_REQUEST', NOT_THIS_FORMAT[format], 'file');
  return described as BackupDescription;
}

/** What a file holds, as the preview shows it: the tables a person recognises, counted. */
export function previewOf(file: string, description: BackupDescription): BackupPreview {
  const rowsOf = new Map(description.tables.map((table) => [table.table, table.rows]));
  return {
    file,
    createdAt: description.createdAt,
    clinics: description.clinics,
    schema: description.schema,
    counts: MAIN_TABLES.map((table) => ({ table, rows: rowsOf.get(`public.${table}`) ?? 0 })),
    tableCount: description.tables.length,
  };
}

export type BackupService = ReturnType<typeof backupService>;

/**
 * Encrypted, verified backups of the offline database and restores into a new data directory.
 * One job (a backup or a restore) at a time, outside any request: a request transaction holds
 * the database's only session, and a backup waits for its turn like any request.
 */
export function backupService({ engine, dataDir, scrypt = STRONG_SCRYPT, now = () => new Date() }: BackupServiceOptions) {
  const settingsFile = `${dataDir}.backups.json`;
  let job: BackupJob | null = null;
  let running: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  // Jobs start from a request (inside its transaction's async context) but must run outside it,
  // or their turn on the database would wait for the request that started them.
  const detached = AsyncResource.bind((work: () => Promise<void>) => work());

  function saved(): SavedSettings | null {
    try {
      return JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as SavedSettings;
    } catch {
      return null;
    }
  }

  function save(settings: SavedSettings): void {
    writeFileDurably(settingsFile, Buffer.from(JSON.stringify(settings, null, 2)));
  }

  function filesIn(folder: string): BackupFile[] {
    let names: string[];
    try {
      names = fs.readdirSync(folder).filter((name) => FILE_PATTERN.test(name));
    } catch {
      return []; // the drive is not plugged in
    }
    return names
      .sort()
      .reverse()
      .map((name) => {
        const file = path.join(folder, name);
        const stat = fs.statSync(file);
        return { file, name, bytes: stat.size, modifiedAt: stat.mtime.toISOString() };
      });
  }

  function start(kind: BackupJob['kind'], work: (step: (step: string, percent: number) => void) => Promise<string>): BackupJob {
    if (running) throw new DomainError('CONFLICT', `A ${job?.kind ?? 'backup'} is already running. Wait for it to finish.`);
    const current: BackupJob = { kind, step: 'Starting', percent: 0, startedAt: now().toISOString(), finished: null };
    job = current;
    const step = (name: string, percent: number) => Object.assign(current, { step: name, percent });
    running = new Promise<void>((resolve) =>
      detached(() =>
        work(step)
          .then(
            (message) => {
              Object.assign(current, { step: 'Done', percent: 100, finished: { ok: true, message } });
            },
            (error: unknown) => {
              const field = error instanceof DomainError && error.field ? (error.field as 'file' | 'passphrase' | 'folder') : undefined;
              const message = error instanceof Error ? error.message : String(error);
              if (!(error instanceof DomainError || error instanceof BackupFileError)) console.error(`[clinicdesk] ${kind} failed`, error);
              Object.assign(current, { finished: { ok: false, message, field } });
            },
          )
          .finally(() => {
            running = null;
            resolve();
          }),
      ),
    );
    return current;
  }

  /** Opens a copy from `tarball` and compares it, table by table, with what the backup recorded. */
  async function verifyCopy(
    tarball: Uint8Array,
    expected: TableChecksum[],
    step: (step: string, percent: number) => void,
    at: number,
    target?: string,
  ): Promise<void> {
    step(target ? 'Restoring into a new data directory' : 'Verifying: restoring into a scratch database', at);
    const copy = await engine.open(tarball, target);
    try {
      step(`Verifying: comparing ${expected.length} tables`, at + 20);
      const differences = tableDifferences(expected, await tableChecksums(copy));
      if (differences.length > 0) throw new Error(`Verification failed: ${differences.slice(0, 3).join('; ')}.`);
    } finally {
      await copy.close();
    }
  }

  async function backUp(step: (step: string, percent: number) => void): Promise<string> {
    const settings = saved();
    if (!settings) throw new Error('backup settings vanished');
    const started = performance.now();
    step('Reading the database', 5);
    const { read, tarball } = await engine.snapshot(async (owner) => ({
      tables: await tableChecksums(owner),
      clinics: (
        await owner.query<{ name: string; timezone: string }>(`SELECT name, timezone FROM clinics WHERE deleted_at IS NULL ORDER BY name`)
      ).rows,
      schema:
        (await owner.query<{ name: string }>(`SELECT name FROM schema_migrations ORDER BY name DESC LIMIT 1`)).rows[0]?.name ?? 'none',
    }));
    const createdAt = now();
    const description: BackupDescription = { format: 'clinicdesk-pglite-datadir', createdAt: createdAt.toISOString(), ...read };
    step('Encrypting', 35);
    const key = {
      params: settings.key.params,
      salt: Buffer.from(settings.key.salt, 'base64'),
      key: Buffer.from(settings.key.key, 'base64'),
      check: Buffer.from(settings.key.check, 'base64'),
    };
    const sealed = sealBackup(key, description, new Uint8Array(await tarball.arrayBuffer()));
    step(`Writing to ${settings.folder}`, 45);
    const name = `clinicdesk-${createdAt.toISOString().slice(0, 19).replaceAll(':', '-')}Z.cdbackup`;
    const file = path.join(settings.folder, name);
    try {
      writeFileDurably(file, sealed);
    } catch (error) {
      throw new DomainError('BAD_REQUEST', `The backup could not be written to ${settings.folder}: ${(error as Error).message}`, 'folder');
    }
    try {
      step('Verifying: reading the file back', 55);
      const written = unsealBackup(fs.readFileSync(file), key);
      await verifyCopy(written.tarball, read.tables, step, 65);
    } catch (error) {
      fs.rmSync(file, { force: true }); // an unverified backup must never be mistaken for a good one
      throw error;
    }
    step('Removing old backups', 95);
    for (const old of filesIn(settings.folder).slice(settings.keep)) fs.rmSync(old.file, { force: true });
    const seconds = (performance.now() - started) / 1000;
    const lastBackup: LastBackup = { file, at: createdAt.toISOString(), bytes: sealed.length, tables: read.tables.length, seconds };
    save({ ...(saved() ?? settings), lastBackup });
    return `Backed up and verified: ${read.tables.length} tables, ${megabytes(sealed.length)}, in ${seconds.toFixed(1)} s.`;
  }

  async function opened({ file, passphrase }: BackupFileInput): Promise<{ description: BackupDescription; tarball: Buffer }> {
    try {
      const { description, tarball } = await openBackup(readBackupFile(file), passphrase);
      return { description: describedAs(description, 'clinicdesk-pglite-datadir'), tarball };
    } catch (error) {
      throw error instanceof BackupFileError ? asDomainError(error) : error;
    }
  }

  async function restore(input: BackupFileInput, step: (step: string, percent: number) => void): Promise<string> {
    step('Opening the backup', 5);
    const { description, tarball } = await opened(input);
    const target = `${dataDir}.restored-${now().toISOString().slice(0, 19).replaceAll(':', '-')}Z`;
    try {
      await verifyCopy(tarball, description.tables, step, 30, target);
    } catch (error) {
      fs.rmSync(target, { recursive: true, force: true });
      throw error;
    }
    // An earlier restore not yet switched to is replaced by this one.
    const earlier = pendingRestoreOf(dataDir);
    if (earlier) fs.rmSync(earlier.restoredDir, { recursive: true, force: true });
    writeFileDurably(
      restoreMarker(dataDir),
      Buffer.from(
        JSON.stringify({ restoredDir: target, from: input.file, restoredAt: now().toISOString(), backupCreatedAt: description.createdAt }),
      ),
    );
    return (
      `Restored and verified (${description.tables.length} tables). ` +
      'ClinicDesk switches to the restored data when it next starts: close it and start it again. ' +
      'Anything recorded before then stays in the current data only.'
    );
  }

  async function backUpIfNoneToday(): Promise<void> {
    const settings = saved();
    if (!settings || running) return;
    if (settings.lastBackup && localDay(new Date(settings.lastBackup.at)) === localDay(now())) return;
    start('backup', backUp);
    await running;
  }

  return {
    status(): BackupStatus {
      // The job is copied before the restore marker is read: a job seen finished then always
      // comes with its marker, and the copy cannot change while the answer is being sent.
      const jobNow = job && structuredClone(job);
      const settings = saved();
      const pending = pendingRestoreOf(dataDir);
      return {
        mode: 'offline',
        settings: settings && { folder: settings.folder, keep: settings.keep },
        lastBackup: settings?.lastBackup ?? null,
        files: settings ? filesIn(settings.folder) : [],
        job: jobNow,
        pendingRestore: pending && { from: pending.from, restoredAt: pending.restoredAt },
      };
    },

    async configure({ folder, keep, passphrase }: { folder: string; keep: number; passphrase: string }): Promise<void> {
      const isFolder = (() => {
        try {
          fs.accessSync(folder, fs.constants.W_OK);
          return fs.statSync(folder).isDirectory();
        } catch {
          throw new DomainError(
            'BAD_REQUEST',
            'ClinicDesk cannot write to this folder. Check that it exists and the drive is plugged in.',
            'folder',
          );
        }
      })();
      if (!isFolder) throw new DomainError('BAD_REQUEST', 'This is a file, not a folder.', 'folder');
      const key = await deriveBackupKey(passphrase, scrypt);
      save({
        folder,
        keep,
        key: {
          params: key.params,
          salt: key.salt.toString('base64'),
          key: key.key.toString('base64'),
          check: key.check.toString('base64'),
        },
        lastBackup: saved()?.lastBackup ?? null,
      });
    },

    backUpNow(): BackupJob {
      if (!saved()) throw new DomainError('BAD_REQUEST', 'Choose a backup folder and passphrase first.', 'folder');
      return start('backup', backUp);
    },

    async preview(input: BackupFileInput): Promise<BackupPreview> {
      return previewOf(input.file, (await opened(input)).description);
    },

    /** Checks the passphrase at once (so the form can say so beside it), then restores in the background. */
    async restore(input: BackupFileInput): Promise<BackupJob> {
      try {
        await keyOfFile(readBackupFile(input.file), input.passphrase);
      } catch (error) {
        throw error instanceof BackupFileError ? asDomainError(error) : error;
      }
      return start('restore', (step) => restore(input, step));
    },

    /** Daily: a look every hour, backing up once a day (the first look shortly after start). */
    startSchedule(): void {
      const look = () => void backUpIfNoneToday().catch((error: unknown) => console.error('[clinicdesk] scheduled backup failed', error));
      const first = setTimeout(() => {
        look();
        timer = setInterval(look, HOUR_MS);
        timer.unref();
      }, FIRST_LOOK_MS);
      first.unref();
      timer = first;
    },

    /** On quit: waits for a running job, then backs up if none was made today. */
    async beforeClose(): Promise<void> {
      if (timer) clearTimeout(timer);
      await running;
      await backUpIfNoneToday();
    },

    /** Resolves when the current job (if any) has finished: tests and quitting wait on it. */
    idle: async () => {
      await running;
    },
  };
}
