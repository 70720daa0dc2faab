import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPostgresDatabase, emptyDatabase, engines } from '../../../test/engines';
import { findMigrationsDir, migrate, MigrationError } from './migrate';
import { openPostgres } from './postgres';
import type { Db } from './types';

// Small stand-ins for the real schema: 003 only works after 001, and 002 fills 001's table.
const ROOMS = 'CREATE TABLE consultation_rooms (id int PRIMARY KEY, name text NOT NULL);\n';
const TWO_ROOMS = "INSERT INTO consultation_rooms VALUES (1, 'Room 1'), (2, 'Room 2');\n";
const FLOORS = 'ALTER TABLE consultation_rooms ADD COLUMN floor int;\nCREATE INDEX ON consultation_rooms (floor);\n';

let dir: string;

function writeMigrations(files: Record<string, string>): void {
  for (const [name, sql] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), sql);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function recorded(db: Db): Promise<{ name: string; checksum: string }[]> {
  return (await db.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations ORDER BY name')).rows;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinicdesk-migrations-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe.each(engines)('migrate on %s', (engine) => {
  let db: Db;

  beforeEach(async () => {
    db = await emptyDatabase(engine);
  });

  afterEach(async () => {
    await db?.close();
  });

  it('applies the files in name order, records their checksums, and applies nothing the second time', async () => {
    writeMigrations({ '003_room_floors.sql': FLOORS, '001_rooms.sql': ROOMS, '002_two_rooms.sql': TWO_ROOMS });

    expect(await migrate(db, { dir })).toEqual({
      applied: ['001_rooms.sql', '002_two_rooms.sql', '003_room_floors.sql'],
    });
    expect(await recorded(db)).toEqual([
      { name: '001_rooms.sql', checksum: sha256(ROOMS) },
      { name: '002_two_rooms.sql', checksum: sha256(TWO_ROOMS) },
      { name: '003_room_floors.sql', checksum: sha256(FLOORS) },
    ]);
    expect((await db.query('SELECT count(*) AS n FROM consultation_rooms')).rows).toEqual([{ n: '2' }]);

    expect(await migrate(db, { dir })).toEqual({ applied: [] });
    expect(await recorded(db)).toHaveLength(3);
  });

  it('accepts a database that applied the retired demo-data file 002_seed_data.sql', async () => {
    writeMigrations({ '001_rooms.sql': ROOMS, '003_room_floors.sql': FLOORS });
    await migrate(db, { dir });
    // As a demo database of an earlier ClinicDesk recorded it, before the demo moved to demo/.
    await db.query(`INSERT INTO schema_migrations (name, checksum) VALUES ('002_seed_data.sql', $1)`, [sha256(TWO_ROOMS)]);
    expect(await migrate(db, { dir })).toEqual({ applied: [] });
  });

  it('stops with a MigrationError naming the file when an applied file was edited, and applies nothing', async () => {
    writeMigrations({ '001_rooms.sql': ROOMS });
    await migrate(db, { dir });

    writeMigrations({ '001_rooms.sql': ROOMS.replace('name text', 'name varchar(80)'), '003_room_floors.sql': FLOORS });
    const failure = migrate(db, { dir });
    await expect(failure).rejects.toBeInstanceOf(MigrationError);
    await expect(failure).rejects.toThrow(
      /^migration 001_rooms\.sql was edited after it was applied \(checksum [0-9a-f]{12}…≠[0-9a-f]{12}…\); restore the file or write a new migration$/,
    );
    expect((await recorded(db)).map((row) => row.name)).toEqual(['001_rooms.sql']);
    const floor = await db.query(
      "SELECT 1 FROM information_schema.columns WHERE table_name = 'consultation_rooms' AND column_name = 'floor'",
    );
    expect(floor.rowCount).toBe(0);
  });

  it('treats a Windows checkout of the same file (CRLF) as unchanged', async () => {
    writeMigrations({ '001_rooms.sql': ROOMS });
    await migrate(db, { dir });
    writeMigrations({ '001_rooms.sql': ROOMS.replace(/\n/g, '\r\n') });
    expect(await migrate(db, { dir })).toEqual({ applied: [] });
  });

  it('rolls back a failing file, records nothing for it, and names it', async () => {
    writeMigrations({ '001_rooms.sql': ROOMS, '003_room_floors.sql': 'CREATE TABLE wards (id int);\nSELECT no_such_function();\n' });
    const failure = migrate(db, { dir });
    await expect(failure).rejects.toBeInstanceOf(MigrationError);
    await expect(failure).rejects.toThrow(/^migration 003_room_floors\.sql failed: .*no_such_function/);
    expect((await recorded(db)).map((row) => row.name)).toEqual(['001_rooms.sql']);
    expect((await db.query("SELECT to_regclass('public.wards') AS wards")).rows).toEqual([{ wards: null }]);
  });

  it('refuses a database migrated by a newer version (a file it does not have)', async () => {
    writeMigrations({ '001_rooms.sql': ROOMS, '003_room_floors.sql': FLOORS });
    await migrate(db, { dir });
    fs.rmSync(path.join(dir, '003_room_floors.sql'));
    await expect(migrate(db, { dir })).rejects.toThrow(/has migration 003_room_floors\.sql, which is not in/);
  });

  it('refuses a .sql file whose name does not give its place in the order', async () => {
    writeMigrations({ '001_rooms.sql': ROOMS, '4_room_floors.sql': FLOORS });
    await expect(migrate(db, { dir })).rejects.toThrow(/4_room_floors\.sql is not named NNN_name\.sql/);
    expect((await db.query("SELECT to_regclass('public.consultation_rooms') AS rooms")).rows).toEqual([{ rooms: null }]);
  });
});

describe('two migrators at once on one PostgreSQL database', () => {
  it('both succeed and each file is applied exactly once', async () => {
    writeMigrations({
      // Slow enough that the second migrator arrives while the first is still inside a file.
      '001_rooms.sql': `${ROOMS}SELECT pg_sleep(0.3);\n`,
      '002_two_rooms.sql': TWO_ROOMS,
      '003_room_floors.sql': `${FLOORS}SELECT pg_sleep(0.2);\n`,
    });
    const url = await createPostgresDatabase('template0');
    const first = await openPostgres({ connectionString: url, max: 2 });
    const second = await openPostgres({ connectionString: url, max: 2 });
    try {
      const [a, b] = await Promise.all([migrate(first, { dir }), migrate(second, { dir })]);
      expect([...a.applied, ...b.applied].sort()).toEqual(['001_rooms.sql', '002_two_rooms.sql', '003_room_floors.sql']);
      expect((await recorded(first)).map((row) => row.name)).toEqual(['001_rooms.sql', '002_two_rooms.sql', '003_room_floors.sql']);
      expect((await first.query('SELECT count(*) AS n FROM consultation_rooms')).rows).toEqual([{ n: '2' }]);
    } finally {
      await first.close();
      await second.close();
    }
  });
});

describe('findMigrationsDir', () => {
  it("prefers the packaged app's resources folder, where electron-builder puts migrations/", () => {
    const resources = fs.mkdtempSync(path.join(os.tmpdir(), 'clinicdesk-resources-'));
    fs.mkdirSync(path.join(resources, 'migrations'));
    const process_ = process as { resourcesPath?: string };
    process_.resourcesPath = resources;
    try {
      expect(findMigrationsDir()).toBe(path.join(resources, 'migrations'));
    } finally {
      delete process_.resourcesPath;
      fs.rmSync(resources, { recursive: true, force: true });
    }
  });

  it("finds the project's migrations folder from anywhere inside the project", () => {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const projectMigrations = path.resolve(here, '../../../migrations');
    expect(findMigrationsDir()).toBe(projectMigrations);
    expect(findMigrationsDir(path.resolve(here, '../../../test'))).toBe(projectMigrations);
  });
});
