import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engines, freshDatabase } from '../../../test/engines';
import { loadDemoClinic } from './demo-clinic';
import { findProjectFolder } from './migrate';
import type { Db } from './types';

const count = async (db: Db) =>
  (
    await db.query<{ tenants: number; patients: number }>(
      `SELECT (SELECT count(*)::int FROM tenants) AS tenants, (SELECT count(*)::int FROM patients) AS patients`,
    )
  ).rows[0];

describe.each(engines)('the demo clinic on %s', (engine) => {
  let db: Db;
  beforeEach(async () => {
    db = await freshDatabase(engine);
  });
  afterEach(async () => db?.close());

  it('loads once after the migrations, and a second load changes nothing', async () => {
    expect(await loadDemoClinic(db)).toEqual({ loaded: true });
    const loaded = await count(db);
    expect(loaded).toEqual({ tenants: 1, patients: 50 });
    expect(await loadDemoClinic(db)).toEqual({ loaded: false });
    expect(await count(db)).toEqual(loaded);
  });

  it('leaves no half clinic when a later demo file fails, and names the file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinicdesk-demo-'));
    try {
      for (const name of fs.readdirSync(findProjectFolder('demo')))
        fs.copyFileSync(path.join(findProjectFolder('demo'), name), path.join(dir, name));
      fs.writeFileSync(path.join(dir, '99_broken.sql'), 'INSERT INTO no_such_table VALUES (1);\n');
      await expect(loadDemoClinic(db, dir)).rejects.toThrow(/^demo data 99_broken\.sql failed: .*no_such_table/);
      expect(await count(db)).toEqual({ tenants: 0, patients: 0 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
