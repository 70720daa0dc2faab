import fs from 'node:fs';
import path from 'node:path';
import { acquireDataDirLock } from '../db/data-dir-lock';

/** A verified restore waiting for the next start, recorded beside the data directory. */
export interface PendingRestore {
  restoredDir: string;
  from: string;
  restoredAt: string;
  backupCreatedAt: string;
}

export const restoreMarker = (dataDir: string) => `${dataDir}.restore.json`;

export function pendingRestoreOf(dataDir: string): PendingRestore | null {
  try {
    const pending = JSON.parse(fs.readFileSync(restoreMarker(dataDir), 'utf8')) as PendingRestore;
    return fs.existsSync(path.join(pending.restoredDir, 'PG_VERSION')) ? pending : null;
  } catch {
    return null;
  }
}

/**
 * At start, before the database opens: a verified restore becomes the data directory, and the
 * data it replaces is kept beside it (`<dir>.before-restore-<time>`), never deleted. The running
 * app cannot swap the directory under its open database, so a restore always waits for this.
 * Returns what was done, for the log, or null.
 */
export function switchToRestoredData(dataDir: string, now: Date = new Date()): string | null {
  const pending = pendingRestoreOf(dataDir);
  if (!pending) {
    fs.rmSync(restoreMarker(dataDir), { force: true });
    return null;
  }
  // Whoever holds the clinic's database must not see it move.
  const lock = acquireDataDirLock(dataDir);
  try {
    const keptAs = `${dataDir}.before-restore-${now.toISOString().slice(0, 19).replaceAll(':', '-')}Z`;
    if (fs.existsSync(dataDir)) fs.renameSync(dataDir, keptAs);
    fs.renameSync(pending.restoredDir, dataDir);
    fs.rmSync(restoreMarker(dataDir), { force: true });
    return `Switched to the data restored from ${pending.from} (a backup of ${pending.backupCreatedAt}); the data it replaced is kept in ${keptAs}.`;
  } finally {
    lock.release();
  }
}
