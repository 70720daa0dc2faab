import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findMigrationsDir, migrate } from './migrate';
import { openDatabase } from './open';

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? [full, ...walk(full)] : [full];
  });
}

describe('the offline data directory', () => {
  it('is private to this user: the folder 0700 and every file in it 0600 or stricter', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'clinicdesk-modes-'));
    const dataDir = path.join(parent, 'database');
    const db = await openDatabase({ kind: 'pglite', dataDir });
    try {
      await migrate(db, { dir: findMigrationsDir() });
      await db.query('CHECKPOINT');
    } finally {
      await db.close();
    }
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    const open = walk(dataDir).filter((file) => (fs.statSync(file).mode & 0o077) !== 0);
    expect(open).toEqual([]);
    fs.rmSync(parent, { recursive: true, force: true });
  }, 120_000);

  it('opens through a symlink, sharing the real folder (and its lock)', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'clinicdesk-link-'));
    const real = path.join(parent, 'real');
    const link = path.join(parent, 'link');
    fs.mkdirSync(real);
    fs.symlinkSync(real, link);
    const db = await openDatabase({ kind: 'pglite', dataDir: link });
    try {
      expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await expect(openDatabase({ kind: 'pglite', dataDir: real })).rejects.toThrow(/already open/);
    } finally {
      await db.close();
    }
    expect(fs.readdirSync(real)).toContain('PG_VERSION');
    fs.rmSync(parent, { recursive: true, force: true });
  }, 120_000);
});
