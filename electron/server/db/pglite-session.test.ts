import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pgliteDb, type PgliteSession } from './pglite-session';

/** A session that records what reaches PGlite, to test the turn-taking and checkpoints alone. */
function recordingSession() {
  const statements: string[] = [];
  const session: PgliteSession = {
    run: async (sql) => {
      statements.push(sql);
      return { rows: [], rowCount: 0 };
    },
    runScript: async (sql) => {
      statements.push(sql);
    },
    dumpDataDir: async () => new Blob([]),
    close: async () => {
      statements.push('(closed)');
    },
  };
  return { session, statements };
}

describe('offline database checkpoints', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('checkpoints a file-backed database every minute while it is used, and not while idle', async () => {
    const { session, statements } = recordingSession();
    const db = pgliteDb(session, { dataDir: '/offline/clinic', syncCommits: false, afterClose: () => undefined });
    await db.query('INSERT INTO visits DEFAULT VALUES');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(statements).toEqual(['INSERT INTO visits DEFAULT VALUES', 'CHECKPOINT']);
    // Three idle minutes, before the first vacuum (which writes, and so is checkpointed too).
    await vi.advanceTimersByTimeAsync(3 * 60_000);
    expect(statements).toEqual(['INSERT INTO visits DEFAULT VALUES', 'CHECKPOINT']);
    await db.close();
  });

  it('checkpoints on close, then closes, then releases the data directory', async () => {
    const { session, statements } = recordingSession();
    const afterClose = vi.fn(() => statements.push('(released)'));
    const db = pgliteDb(session, { dataDir: '/offline/clinic', syncCommits: false, afterClose });
    await db.close();
    expect(statements).toEqual(['CHECKPOINT', '(closed)', '(released)']);
    await db.close();
    expect(afterClose).toHaveBeenCalledTimes(1);
  });

  it('never checkpoints an in-memory database', async () => {
    const { session, statements } = recordingSession();
    const db = pgliteDb(session, { afterClose: () => undefined });
    await db.query('SELECT 1');
    await vi.advanceTimersByTimeAsync(120_000);
    await db.close();
    expect(statements).toEqual(['SELECT 1', '(closed)']);
  });

  it('vacuums a file-backed database five minutes after opening, then every six hours, and never an in-memory one', async () => {
    const { session, statements } = recordingSession();
    const db = pgliteDb(session, { dataDir: '/offline/clinic', syncCommits: false, afterClose: () => undefined });
    const vacuums = () => statements.filter((sql) => sql === 'VACUUM (ANALYZE)').length;
    await vi.advanceTimersByTimeAsync(5 * 60_000 - 1);
    expect(vacuums()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(vacuums()).toBe(1);
    await vi.advanceTimersByTimeAsync(12 * 60 * 60_000);
    expect(vacuums()).toBe(3);
    await db.close();
    await vi.advanceTimersByTimeAsync(12 * 60 * 60_000);
    expect(vacuums()).toBe(3);

    const inMemory = recordingSession();
    const memoryDb = pgliteDb(inMemory.session, { afterClose: () => undefined });
    await vi.advanceTimersByTimeAsync(12 * 60 * 60_000);
    await memoryDb.close();
    expect(inMemory.statements).toEqual(['(closed)']);
  });

  it('lets a running transaction finish before closing', async () => {
    const { session, statements } = recordingSession();
    const db = pgliteDb(session, { afterClose: () => undefined });
    let finishVisit!: () => void;
    const transaction = db.transaction(async (tx) => {
      await tx.query('INSERT INTO visits DEFAULT VALUES');
      await new Promise<void>((resolve) => (finishVisit = resolve));
    });
    await vi.advanceTimersByTimeAsync(0);
    const closed = db.close();
    finishVisit();
    await Promise.all([transaction, closed]);
    expect(statements).toEqual(['BEGIN', 'INSERT INTO visits DEFAULT VALUES', 'COMMIT', '(closed)']);
  });
});
