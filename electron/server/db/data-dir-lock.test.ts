import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pgliteTemplate } from '../../../test/engines';
import { acquireDataDirLock, DataDirLockedError } from './data-dir-lock';
import { openPglite } from './pglite';
import { openPgliteInWorker } from './pglite-worker';

let parent: string;
let dataDir: string;

beforeEach(() => {
  parent = fs.mkdtempSync(path.join(os.tmpdir(), 'clinicdesk-lock-'));
  dataDir = path.join(parent, 'clinic');
});

afterEach(() => {
  fs.rmSync(parent, { recursive: true, force: true });
});

function writeLock(holder: { pid: number; startedAt: string; host: string }): void {
  fs.writeFileSync(`${dataDir}.lock`, JSON.stringify({ ...holder, token: 'someone-else' }));
}

function lockHolderPid(): number {
  return JSON.parse(fs.readFileSync(`${dataDir}.lock`, 'utf8')).pid;
}

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid!;
}

describe('data directory lock', () => {
  it('is held by one opener at a time; the second is told which process holds it', () => {
    const lock = acquireDataDirLock(dataDir);
    expect(lockHolderPid()).toBe(process.pid);

    let refusal: unknown;
    try {
      acquireDataDirLock(dataDir);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DataDirLockedError);
    expect((refusal as Error).message).toContain(`pid ${process.pid}`);
    expect((refusal as Error).message).toContain(dataDir);

    lock.release();
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
    acquireDataDirLock(dataDir).release();
  });

  it('takes over a lock left by a process that is gone', () => {
    writeLock({ pid: deadPid(), startedAt: new Date().toISOString(), host: os.hostname() });
    const lock = acquireDataDirLock(dataDir);
    expect(lockHolderPid()).toBe(process.pid);
    lock.release();
  });

  it('takes over a lock written before this boot, even if its pid is in use again', () => {
    writeLock({ pid: process.pid, startedAt: '2001-01-01T00:00:00.000Z', host: os.hostname() });
    acquireDataDirLock(dataDir).release();
  });

  it('respects a lock taken on another machine (a shared folder), where it cannot check the process', () => {
    writeLock({ pid: deadPid(), startedAt: new Date().toISOString(), host: 'front-desk-2' });
    expect(() => acquireDataDirLock(dataDir)).toThrow(/on front-desk-2/);
  });

  it('does not delete a lock that another opener took over', () => {
    const lock = acquireDataDirLock(dataDir);
    writeLock({ pid: process.pid, startedAt: new Date().toISOString(), host: os.hostname() });
    lock.release();
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(true);
  });

  it('keeps a second PGlite off an open data directory and frees it on close', async () => {
    const db = await openPglite({ dataDir, loadDataDir: pgliteTemplate('empty') });
    try {
      await expect(openPgliteInWorker({ dataDir })).rejects.toBeInstanceOf(DataDirLockedError);
      await expect(openPglite({ dataDir })).rejects.toThrow(`pid ${process.pid}`);
    } finally {
      await db.close();
    }
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
  }, 60_000);
});
