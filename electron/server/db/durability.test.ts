import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it, vi } from 'vitest';
import { killRound } from '../../../test/durability-round';
import { pgliteTemplate } from '../../../test/engines';
import { openDatabase } from './open';
import { openPglite } from './pglite';

const COMMITS_BEFORE_KILL = 150;

it('loses no committed row when the writing process is killed with -9', async () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'clinicdesk-durability-'));
  const dataDir = path.join(parent, 'clinic');
  try {
    // Seeded here because PGlite's own initdb on disk takes several seconds.
    await (await openPglite({ dataDir, loadDataDir: pgliteTemplate('empty') })).close();

    const round = await killRound(dataDir, COMMITS_BEFORE_KILL);
    expect(round.lost).toEqual([]);
    expect(round.found).toBeGreaterThanOrEqual(round.acknowledged);
    expect(round.acknowledged).toBeGreaterThanOrEqual(COMMITS_BEFORE_KILL);
  } finally {
    fs.rmSync(parent, { recursive: true, force: true });
  }
}, 60_000);

/**
 * What "acknowledged" means offline: every commit the caller hears of was preceded by an fsync
 * of the WAL segment it went to. Watched through the fs calls PGlite's host makes (PGlite itself,
 * with fsync off, makes none), one event list in order.
 */
it('fsyncs the WAL before acknowledging each commit, sharing fsyncs in a burst', async () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'clinicdesk-fsync-'));
  const dataDir = path.join(parent, 'clinic');
  const events: string[] = [];
  const opened = new Map<number, string>();
  const realOpen = fs.openSync;
  const spies = [
    vi.spyOn(fs, 'openSync').mockImplementation(((file: fs.PathLike, ...rest: unknown[]) => {
      const fd = (realOpen as (...args: unknown[]) => number)(file, ...rest);
      opened.set(fd, String(file));
      return fd;
    }) as typeof fs.openSync),
    vi.spyOn(fs, 'fsyncSync').mockImplementation(((fd: number) => {
      events.push(`fsync ${path.relative(dataDir, opened.get(fd) ?? '?')}`);
    }) as typeof fs.fsyncSync),
  ];
  try {
    await (await openPglite({ dataDir, loadDataDir: pgliteTemplate('empty') })).close();
    const db = await openPglite({ dataDir });
    try {
      await db.exec('CREATE TABLE visits (n integer PRIMARY KEY)');
      events.length = 0;
      for (let n = 1; n <= 20; n++) {
        await db.transaction((tx) => tx.query('INSERT INTO visits VALUES ($1)', [n]));
        events.push(`ack ${n}`);
      }
      // Every acknowledgement has a WAL fsync between it and the one before.
      let sinceAck: string[] = [];
      for (const event of events) {
        if (event.startsWith('ack')) {
          expect(
            sinceAck.some((e) => /^fsync pg_wal\/[0-9A-F]{24}$/.test(e)),
            event,
          ).toBe(true);
          sinceAck = [];
        } else sinceAck.push(event);
      }

      // 50 commits at once: each acknowledged after a WAL fsync, far fewer fsyncs than commits.
      events.length = 0;
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          db.transaction((tx) => tx.query('INSERT INTO visits VALUES ($1)', [100 + i])).then(() => events.push(`ack ${100 + i}`)),
        ),
      );
      const walSyncs = events.filter((e) => e.startsWith('fsync pg_wal/')).length;
      expect(walSyncs).toBeGreaterThan(0);
      expect(walSyncs).toBeLessThan(50);
      expect(events.at(0)).toMatch(/^fsync pg_wal\//);
    } finally {
      await db.close();
    }
  } finally {
    for (const spy of spies) spy.mockRestore();
    fs.rmSync(parent, { recursive: true, force: true });
  }
}, 60_000);

it('vacuums itself, in this thread or in a worker, since PGlite has no autovacuum: every table vacuumed and analyzed', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinicdesk-vacuum-'));
  try {
    const migrated = new Uint8Array(await pgliteTemplate('migrated').arrayBuffer());
    for (const worker of [false, true]) {
      const db = await openDatabase({
        kind: 'pglite',
        dataDir: path.join(dataDir, String(worker)),
        worker,
        loadDataDir: migrated,
      });
      try {
        await db.vacuum();
        const { rows } = await db.query<{ relname: string; vacuumed: boolean }>(
          `SELECT relname, last_vacuum IS NOT NULL AND last_analyze IS NOT NULL AS vacuumed FROM pg_stat_user_tables WHERE schemaname = 'public'`,
        );
        expect(rows.length).toBeGreaterThan(30);
        expect(
          rows.filter((table) => !table.vacuumed),
          worker ? 'in a worker' : 'in this thread',
        ).toEqual([]);
      } finally {
        await db.close();
      }
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
