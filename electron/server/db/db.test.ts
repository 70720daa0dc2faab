import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase, emptyDatabase } from '../../../test/engines';
import { openPglite } from './pglite';
import type { PgliteDb } from './pglite-session';
import { openPgliteInWorker } from './pglite-worker';
import { openPostgres } from './postgres';
import { withRequest } from './request';
import type { Db, Queryable } from './types';

// The same behaviour from every way the app opens a database. The pool has one connection so
// that "the next query" really runs on the session the request used, as PGlite always does.
const variants: Record<string, () => Promise<Db>> = {
  pglite: () => emptyDatabase('pglite'),
  'pglite in a worker': () => openPgliteInWorker({}),
  postgres: async () => openPostgres({ connectionString: await createPostgresDatabase('template0'), max: 1 }),
};

const TENANT = '7a0f5e52-3c1b-4c57-9d0e-2f4f3f0f1a01';
const USER = '1c9e0d7e-5b3a-4f0e-8a51-6d2b9c4e7f02';

describe.each(Object.entries(variants))('database on %s', (_variant, open) => {
  let db: Db;

  beforeAll(async () => {
    db = await open();
    // The app role normally comes from the migrations; these tests must not depend on them.
    await db.exec(`
      DO $$ BEGIN CREATE ROLE clinic_app NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
      CREATE TABLE payments (id int PRIMARY KEY, amount numeric(20, 2) NOT NULL, paid_on date, paid_at timestamptz);
      GRANT SELECT ON payments TO clinic_app;
    `);
  });

  afterAll(async () => {
    await db?.close();
  });

  it('runs parameterized queries and reports row counts', async () => {
    const inserted = await db.query('INSERT INTO payments (id, amount) VALUES ($1, $2), ($3, $4)', [1, '10.00', 2, '20.50']);
    expect(inserted.rowCount).toBe(2);
    const selected = await db.query<{ id: number }>('SELECT id FROM payments WHERE amount > $1 ORDER BY id', ['15']);
    expect(selected).toEqual({ rows: [{ id: 2 }], rowCount: 1 });
    const updated = await db.query('UPDATE payments SET amount = amount + 1 WHERE id = 99');
    expect(updated.rowCount).toBe(0);
  });

  it('returns money and bigints as exact strings, dates as YYYY-MM-DD, instants as ISO strings in UTC', async () => {
    const { rows } = await db.query(
      `SELECT 12345678901234567.89::numeric(20, 2) AS balance, 9007199254740993::int8 AS big, count(*) AS counted,
              '1990-05-01'::date AS born, ARRAY['2024-01-02'::date] AS visits,
              '2024-03-01T10:00:00Z'::timestamptz AS at, 7::int4 AS small`,
    );
    expect(rows).toEqual([
      {
        balance: '12345678901234567.89',
        big: '9007199254740993',
        counted: '1',
        born: '1990-05-01',
        visits: ['2024-01-02'],
        at: '2024-03-01T10:00:00.000Z',
        small: 7,
      },
    ]);
  });

  it('writes the same instant as the same string whatever the session time zone', async () => {
    const read = (tx: Queryable) =>
      tx.query(
        `SELECT '2026-11-29 18:30:00.123456+00'::timestamptz AS evening, '2026-03-29 00:59:59Z'::timestamptz AS before_clock_change,
                '1800-01-01 00:00:00Z'::timestamptz AS before_railway_time, '0044-03-15 12:00:00Z BC'::timestamptz AS ides,
                'infinity'::timestamptz AS never, NULL::timestamptz AS unset,
                ARRAY['2026-11-29 18:30:00Z'::timestamptz, NULL] AS instants,
                '2026-11-29 18:30:00.5'::timestamp AS wall_clock, '0044-03-15'::date AS ides_date, '2026-11-29'::date AS day`,
      );
    const expected = {
      evening: '2026-11-29T18:30:00.123Z',
      before_clock_change: '2026-03-29T00:59:59.000Z',
      before_railway_time: '1800-01-01T00:00:00.000Z',
      ides: '-000043-03-15T12:00:00.000Z',
      never: 'infinity',
      unset: null,
      instants: ['2026-11-29T18:30:00.000Z', null],
      wall_clock: '2026-11-29T18:30:00.500',
      ides_date: '0044-03-15',
      day: '2026-11-29',
    };
    // Kolkata is +05:30; London wrote 1800 with its local mean time, -00:01:15.
    for (const zone of ['UTC', 'Asia/Kolkata', 'Europe/London', 'America/St_Johns']) {
      const { rows } = await db.transaction(async (tx) => {
        await tx.query(`SELECT set_config('TimeZone', $1, true)`, [zone]);
        return read(tx);
      });
      expect(rows, zone).toEqual([expected]);
    }
  });

  it('commits a transaction and returns its result', async () => {
    const result = await db.transaction(async (tx) => {
      await tx.query('INSERT INTO payments (id, amount) VALUES (3, 5)');
      await tx.exec('INSERT INTO payments (id, amount) VALUES (4, 6); INSERT INTO payments (id, amount) VALUES (5, 7);');
      return 'saved';
    });
    expect(result).toBe('saved');
    const { rows } = await db.query('SELECT id FROM payments WHERE id BETWEEN 3 AND 5 ORDER BY id');
    expect(rows).toEqual([{ id: 3 }, { id: 4 }, { id: 5 }]);
  });

  it('rolls back everything when the work throws, and rethrows', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO payments (id, amount) VALUES (6, 1)');
        throw new Error('card declined');
      }),
    ).rejects.toThrow('card declined');
    const { rows } = await db.query('SELECT count(*) AS n FROM payments WHERE id = 6');
    expect(rows).toEqual([{ n: '0' }]);
  });

  it('rolls back on a database error and keeps the PostgreSQL error fields', async () => {
    const failure = db.transaction(async (tx) => {
      await tx.query('INSERT INTO payments (id, amount) VALUES (7, 1)');
      await tx.query('INSERT INTO payments (id, amount) VALUES (1, 1)');
    });
    await expect(failure).rejects.toMatchObject({ code: '23505', constraint: 'payments_pkey', table: 'payments' });
    const { rows } = await db.query('SELECT count(*) AS n FROM payments WHERE id = 7');
    expect(rows).toEqual([{ n: '0' }]);
    // And the connection is usable afterwards (not left inside an aborted transaction).
    expect((await db.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
  });

  it('refuses a transaction handle used after its transaction ended', async () => {
    let escaped!: { query: Db['query'] };
    await db.transaction(async (tx) => {
      escaped = tx;
    });
    await expect(escaped.query('SELECT 1')).rejects.toThrow('transaction already ended');
  });

  it('runs a request as clinic_app with its tenant and user, and leaves nothing behind', async () => {
    const seen = await withRequest(db, { tenantId: TENANT, userId: USER }, async (tx) => {
      const { rows } = await tx.query(
        `SELECT current_user AS role, current_setting('app.current_tenant_id', true) AS tenant,
                current_setting('app.current_user_id', true) AS "user"`,
      );
      return rows[0];
    });
    expect(seen).toEqual({ role: 'clinic_app', tenant: TENANT, user: USER });

    const anonymous = await withRequest(
      db,
      { tenantId: TENANT, userId: null },
      async (tx) => (await tx.query(`SELECT current_setting('app.current_user_id', true) AS "user"`)).rows[0],
    );
    expect(anonymous).toEqual({ user: '' });

    const after = await db.query(
      `SELECT current_user AS role, current_setting('app.current_tenant_id', true) AS tenant,
              current_setting('app.current_user_id', true) AS "user"`,
    );
    expect(after.rows).toEqual([{ role: 'postgres', tenant: '', user: '' }]);
  });

  it('undoes the role and tenant when a request fails', async () => {
    await expect(
      withRequest(db, { tenantId: TENANT, userId: USER }, async (tx) => {
        await tx.query('INSERT INTO payments (id, amount) VALUES (8, 1)'); // clinic_app may only read
      }),
    ).rejects.toMatchObject({ code: '42501' });
    const { rows } = await db.query(`SELECT current_user AS role, current_setting('app.current_tenant_id', true) AS tenant`);
    expect(rows).toEqual([{ role: 'postgres', tenant: '' }]);
  });
});

// PGlite is one session: what only it must do.
describe.each(Object.entries(variants).filter(([variant]) => variant.startsWith('pglite')))('single session on %s', (_variant, open) => {
  let db: Db;

  beforeAll(async () => {
    db = await open();
    await db.exec('CREATE TABLE queue_numbers (n int)');
  });

  afterAll(async () => {
    await db?.close();
  });

  it('makes a query wait for the open transaction instead of seeing its uncommitted rows', async () => {
    let releaseTransaction!: () => void;
    const transaction = db.transaction(async (tx) => {
      await tx.query('INSERT INTO queue_numbers VALUES (1)');
      await new Promise<void>((resolve) => (releaseTransaction = resolve));
      await tx.query('INSERT INTO queue_numbers VALUES (2)');
    });
    const count = db.query('SELECT count(*) AS n FROM queue_numbers');
    await new Promise((resolve) => setTimeout(resolve, 50));
    releaseTransaction();
    await transaction;
    expect((await count).rows).toEqual([{ n: '2' }]);
  });

  it('says what is wrong when db.query is called inside db.transaction (it would wait forever)', async () => {
    await expect(db.transaction(() => db.query('SELECT 1'))).rejects.toThrow(/use the tx handle/);
  });
});

describe('PGlite in a worker', () => {
  let db: PgliteDb;

  beforeAll(async () => {
    db = await openPgliteInWorker({});
  });

  afterAll(async () => {
    await db?.close();
  });

  it('keeps the calling thread free during a long query', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const started = Date.now();
    await db.query('SELECT count(*) FROM generate_series(1, 3000000)');
    const elapsed = Date.now() - started;
    clearInterval(ticker);
    // In-process the thread would tick zero times; allow a loaded machine plenty of slack.
    expect(elapsed).toBeGreaterThan(200);
    expect(ticks).toBeGreaterThan(elapsed / 10 / 4);
  });

  it('dumps its data directory so that it can be restored, and refuses work once closed', async () => {
    await db.exec('CREATE TABLE receipts (n int); INSERT INTO receipts VALUES (1), (2), (3);');
    const tarball = await db.dumpDataDir('gzip');
    await db.close();
    await expect(db.query('SELECT 1')).rejects.toThrow('the offline database is closed');

    const restored = await openPglite({ loadDataDir: tarball });
    try {
      expect((await restored.query('SELECT sum(n) AS total FROM receipts')).rows).toEqual([{ total: '6' }]);
    } finally {
      await restored.close();
    }
  });
});
