import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMigrationsDir } from '../../electron/server/db/migrate';
import type { Db } from '../../electron/server/db/types';
import { freshDatabase } from '../engines';
import { describeSchema } from './describe-schema';

describe('schema.sql', () => {
  let db: Db;
  beforeAll(async () => {
    db = await freshDatabase('pglite');
  });
  afterAll(async () => db?.close());

  it('is the schema the migrations produce (regenerate with npm run schema)', async () => {
    const committed = fs.readFileSync(path.join(findMigrationsDir(), '..', 'schema.sql'), 'utf8');
    const current = await describeSchema(db);
    // Compared line by line so a failure names the first difference, not two 6,000-line strings.
    const first = current.split('\n').findIndex((line, index) => line !== committed.split('\n')[index]);
    expect(first === -1 ? 'up to date' : `differs at line ${first + 1}: ${current.split('\n')[first]}`).toBe('up to date');
    expect(current).toBe(committed);
  });
});
