import { z } from 'zod';

/** A folder or file on this PC (or a drive it reaches), as an absolute path. */
const absolutePath = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `Enter the ${what}.`)
    .max(4096, 'This path is too long.')
    .refine((path) => path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\'), {
      message: `Enter the full path of the ${what}, like /media/usb/clinic-backups or E:\\Backups.`,
    });

export const backupPassphrase = z.string().min(12, 'Use at least 12 characters.').max(1024, 'This passphrase is too long.');

/** A form choosing a new passphrase: typed twice, and the same both times. */
const newPassphrase = z.object({ passphrase: backupPassphrase, passphraseAgain: z.string() });
const samePassphraseTwice: [(input: z.infer<typeof newPassphrase>) => boolean, { message: string; path: string[] }] = [
  (input) => input.passphrase === input.passphraseAgain,
  { message: 'The two passphrases differ.', path: ['passphraseAgain'] },
];

/** Where backups go, how many are kept, and the passphrase they are encrypted with. */
export const backupSettingsInput = newPassphrase
  .extend({
    folder: absolutePath('backup folder'),
    keep: z.number().int('Keep a whole number of backups.').min(1, 'Keep at least 1 backup.').max(365, 'Keep at most 365 backups.'),
  })
  .refine(...samePassphraseTwice);
export type BackupSettingsInput = z.infer<typeof backupSettingsInput>;

/** A clinic's own records exported into one file: where to, and the passphrase (not kept) to encrypt them with. */
export const clinicExportInput = newPassphrase.extend({ folder: absolutePath('folder') }).refine(...samePassphraseTwice);
export type ClinicExportInput = z.infer<typeof clinicExportInput>;

/** How far an export has gone: the step it is at. */
export interface ClinicExportProgress {
  step: string;
  percent: number;
}

/** An export written and verified. */
export interface ClinicExportResult {
  file: string;
  bytes: number;
  tables: number;
  rows: number;
}

/** A backup file to preview or restore, and the passphrase it was made with. */
export const backupFileInput = z.object({
  file: absolutePath('backup file'),
  passphrase: z.string().min(1, 'Enter the passphrase of this backup.').max(1024, 'This passphrase is too long.'),
});
export type BackupFileInput = z.infer<typeof backupFileInput>;

/** One table of the database: its rows and a checksum of their contents. */
export interface TableChecksum {
  table: string;
  rows: number;
  checksum: string;
}

/**
 * What a backup file says of itself, inside the encryption: the offline database's data directory
 * (a backup), or one clinic's rows as its administrator may read them (a clinic export).
 */
export interface BackupDescription {
  format: 'clinicdesk-pglite-datadir' | 'clinicdesk-clinic-export';
  createdAt: string;
  clinics: { name: string; timezone: string }[];
  /** The last migration applied: the schema the backup holds. */
  schema: string;
  tables: TableChecksum[];
}

/** The tables a person recognises, counted in a preview. */
export const MAIN_TABLES = [
  'patients',
  'appointments',
  'medical_records',
  'prescriptions',
  'diagnostic_tests',
  'invoices',
  'payments',
  'users',
] as const;

export interface BackupPreview {
  file: string;
  createdAt: string;
  clinics: { name: string; timezone: string }[];
  schema: string;
  counts: { table: string; rows: number }[];
  tableCount: number;
}

export interface BackupFile {
  file: string;
  name: string;
  bytes: number;
  modifiedAt: string;
}

export interface LastBackup {
  file: string;
  at: string;
  bytes: number;
  tables: number;
  seconds: number;
}

/** A backup or restore in progress or just finished. */
export interface BackupJob {
  kind: 'backup' | 'restore';
  step: string;
  percent: number;
  startedAt: string;
  finished: null | { ok: true; message: string } | { ok: false; message: string; field?: 'file' | 'passphrase' | 'folder' };
}

/** A last backup older than this is stale: daily backups plus a margin for a late start. */
export const STALE_AFTER_HOURS = 26;

export type BackupStatus =
  /** The clinic's server: its operator backs it up. */
  | { mode: 'remote' }
  /** The demo clinic in memory: nothing is kept, nothing to back up. */
  | { mode: 'memory' }
  | {
      mode: 'offline';
      settings: { folder: string; keep: number } | null;
      lastBackup: LastBackup | null;
      files: BackupFile[];
      job: BackupJob | null;
      /** A verified restore waiting for the next start. */
      pendingRestore: { from: string; restoredAt: string } | null;
    };
