import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './types';

/**
 * Files that were once migrations and no longer are: a database that applied them is not from a
 * newer ClinicDesk. 002 was the demo clinic, now loaded from demo/ (see demo-clinic.ts).
 */
const RETIRED_MIGRATIONS = new Set(['002_seed_data.sql']);

const MIGRATION_NAME = /^\d{3}_[A-Za-z0-9_-]+\.sql$/;

// Every migrator (app start-up, the operator CLI, a second instance) takes this transaction
// lock first, so two of them against one server apply each file once, one after the other.
const MIGRATION_LOCK_KEY = 7_340_021;

export class MigrationError extends Error {
  override name = 'MigrationError';
}

interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

/**
 * Applies the pending `NNN_name.sql` files of `dir` in name order, each in its own transaction
 * together with its row in `schema_migrations`. Refuses to start if an applied file changed.
 */
export async function migrate(db: Db, { dir }: { dir: string }): Promise<{ applied: string[] }> {
  const files = readMigrationFiles(dir);

  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(`CREATE TABLE IF NOT EXISTS public.schema_migrations (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  });

  // Every check before the first change, so a refused start-up leaves the database as it was.
  const recorded = await db.query<{ name: string; checksum: string }>('SELECT name, checksum FROM public.schema_migrations');
  const byName = new Map(files.map((file) => [file.name, file]));
  for (const row of recorded.rows) {
    const file = byName.get(row.name);
    if (!file && RETIRED_MIGRATIONS.has(row.name)) continue;
    if (!file) {
      throw new MigrationError(
        `the database has migration ${row.name}, which is not in ${dir}: it was migrated by a newer ClinicDesk; update ClinicDesk`,
      );
    }
    ensureUnchanged(file, row.checksum);
  }

  const alreadyApplied = new Set(recorded.rows.map((row) => row.name));
  const applied: string[] = [];
  for (const file of files) {
    if (alreadyApplied.has(file.name)) continue;
    const appliedHere = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      // Another migrator may have applied it while we waited for the lock.
      const done = await tx.query<{ checksum: string }>('SELECT checksum FROM public.schema_migrations WHERE name = $1', [file.name]);
      const doneRow = done.rows[0];
      if (doneRow) {
        ensureUnchanged(file, doneRow.checksum);
        return false;
      }
      try {
        await tx.exec(file.sql);
      } catch (error) {
        throw new MigrationError(`migration ${file.name} failed: ${(error as Error).message}`, { cause: error });
      }
      await tx.query('INSERT INTO public.schema_migrations (name, checksum) VALUES ($1, $2)', [file.name, file.checksum]);
      return true;
    });
    if (appliedHere) applied.push(file.name);
  }
  return { applied };
}

/** The project's `migrations/` folder (see findProjectFolder). */
export function findMigrationsDir(start?: string): string {
  return findProjectFolder('migrations', start);
}

/**
 * A folder shipped beside the code (`migrations`, `demo`): in the packaged app, the copy in the
 * app's resources (electron-builder's extraResources); elsewhere, found by walking up from
 * `start` (default: this file) to the project root.
 */
export function findProjectFolder(name: string, start = path.dirname(fileURLToPath(import.meta.url))): string {
  // Set by Electron in the desktop app only; in a packaged app it holds the shipped folders.
  const { resourcesPath } = process as { resourcesPath?: string };
  const shipped = resourcesPath && path.join(resourcesPath, name);
  if (shipped && fs.existsSync(shipped)) return shipped;
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`no project folder with ${name}/ found above ${start}`);
  }
}

function readMigrationFiles(dir: string): MigrationFile[] {
  const names = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort();
  return names.map((name) => {
    if (!MIGRATION_NAME.test(name)) {
      throw new MigrationError(`${path.join(dir, name)} is not named NNN_name.sql, so its place in the order is unknown`);
    }
    const sql = fs.readFileSync(path.join(dir, name), 'utf8');
    // Hash with Unix line endings: a Windows checkout of the same file is not an edit.
    const checksum = createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
    return { name, sql, checksum };
  });
}

function ensureUnchanged(file: MigrationFile, appliedChecksum: string): void {
  if (file.checksum === appliedChecksum) return;
  throw new MigrationError(
    `migration ${file.name} was edited after it was applied ` +
      `(checksum ${appliedChecksum.slice(0, 12)}…≠${file.checksum.slice(0, 12)}…); ` +
      'restore the file or write a new migration',
  );
}
