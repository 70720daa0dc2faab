import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * One writer per offline database: PGlite takes no lock of its own, and a second process
 * opening the same data directory corrupts it beyond recovery. The lock is a file beside the
 * directory naming the process that holds it; it is stale only once that process is gone.
 */

interface LockHolder {
  pid: number;
  startedAt: string;
  host: string;
  /** Tells our own lock file apart from one that replaced it. */
  token: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: Pick<LockHolder, 'pid' | 'startedAt' | 'host'>,
  ) {
    super(
      `The clinic database at ${dataDir} is already open in another process ` +
        `(pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}). ` +
        `Close that ClinicDesk window or command first. Lock file: ${dataDir}.lock`,
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  readonly lockPath: string;
  release(): void;
}

export function acquireDataDirLock(dataDir: string): DataDirLock {
  const resolvedDir = path.resolve(dataDir);
  const lockPath = `${resolvedDir}.lock`;
  const me: LockHolder = { pid: process.pid, startedAt: new Date().toISOString(), host: os.hostname(), token: randomUUID() };
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });

  // A few rounds: a stale lock is removed and the create is tried again.
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createWithContent(lockPath, me)) {
      return {
        lockPath,
        release() {
          // Only our own file: after a takeover the file may belong to someone else.
          if (readHolder(lockPath)?.token === me.token) fs.rmSync(lockPath, { force: true });
        },
      };
    }
    const holder = readHolder(lockPath);
    if (holder && isAlive(holder)) throw new DataDirLockedError(resolvedDir, holder);
    fs.rmSync(lockPath, { force: true });
  }
  throw new Error(`could not take the lock file ${lockPath}: it keeps being recreated by another process`);
}

/**
 * Creates the lock file atomically, already complete: written under a private name, then
 * hard-linked into place (the link fails if the lock exists), so no reader ever sees it half written.
 */
function createWithContent(lockPath: string, holder: LockHolder): boolean {
  const draft = `${lockPath}.${holder.token}`;
  fs.writeFileSync(draft, JSON.stringify(holder), { flag: 'wx' });
  try {
    fs.linkSync(draft, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(draft, { force: true });
  }
}

function readHolder(lockPath: string): LockHolder | null {
  try {
    return JSON.parse(fs.readFileSync(lockPath, 'utf8')) as LockHolder;
  } catch {
    return null; // gone, or unreadable garbage: either way nobody valid holds it
  }
}

function isAlive(holder: LockHolder): boolean {
  // On another machine (a shared folder) we cannot look: assume it is in use.
  if (holder.host !== os.hostname()) return true;
  // A lock written before this boot is stale even if its pid now belongs to someone else.
  const bootedAt = Date.now() - os.uptime() * 1000;
  if (Date.parse(holder.startedAt) < bootedAt) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
