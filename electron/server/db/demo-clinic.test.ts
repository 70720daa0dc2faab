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

// The e2e tour queues these patients to Dr Patel as walk-ins and starts their visit (John Smith
// when nobody is still to arrive).
const TOUR_WALK_INS = ['John Smith', 'José Hernández', "Siobhán O'Brien", 'Olumide Adebayo', 'Ananya Sharma', 'Grace Mensah'];

describe.each(engines)('the demo diary on %s', (engine) => {
  let db: Db;
  beforeEach(async () => {
    db = await freshDatabase(engine);
  });
  afterEach(async () => db?.close());

  it('never has a tour patient with Dr Patel or waiting for her, nor anyone booked twice by a doctor, at any quarter hour of a weekday and a Saturday', async () => {
    const diary = fs.readFileSync(path.join(findProjectFolder('demo'), '01_riverside_clinic.sql'), 'utf8');
    // Monday 30 November and Saturday 5 December 2026, 07:05 to 19:05 London (UTC in winter). Before
    // the stand-ins, that Monday had Olumide Adebayo with Dr Patel or next from 10:20 to 11:20.
    const moments = ['2026-11-30', '2026-12-05'].flatMap((day) =>
      Array.from(
        { length: 49 },
        (_, i) => `${day}T${String(7 + Math.floor(i / 4)).padStart(2, '0')}:${String(5 + 15 * (i % 4)).padStart(2, '0')}:00Z`,
      ),
    );
    const seen: { at: string; tour: string[]; twice: number; waiting: number }[] = [];
    for (const at of moments) {
      await db
        .transaction(async (tx) => {
          await tx.query(`SELECT set_config('demo.now', $1, true)`, [at]);
          await tx.exec(diary);
          const { rows } = await tx.query<{ tour: string[]; twice: number; waiting: number }>(
            `WITH today AS (
               SELECT a.* FROM appointments a
               WHERE (a.starts_at AT TIME ZONE 'Europe/London')::date = ($1::timestamptz AT TIME ZONE 'Europe/London')::date)
             SELECT coalesce((SELECT array_agg(p.first_name || ' ' || p.last_name) FROM today a JOIN patients p ON p.id = a.patient_id
                              JOIN users u ON u.id = a.doctor_id
                              WHERE u.last_name = 'Patel' AND a.status IN ('in_progress', 'checked_in')
                                AND p.first_name || ' ' || p.last_name = ANY ($2)), '{}') AS tour,
                    (SELECT count(*)::int FROM (SELECT 1 FROM today GROUP BY doctor_id, patient_id HAVING count(*) > 1) d) AS twice,
                    (SELECT count(*)::int FROM today WHERE status IN ('in_progress', 'checked_in')) AS waiting`,
            [at, TOUR_WALK_INS],
          );
          seen.push({ at, ...rows[0]! });
          throw new Error('roll back');
        })
        .catch((error: Error) => {
          if (error.message !== 'roll back') throw error;
        });
    }
    expect(seen.filter((s) => s.tour.length > 0 || s.twice > 0)).toEqual([]);
    // The queue is really there: every moment has someone with a doctor or waiting.
    expect(seen.every((s) => s.waiting >= 2)).toBe(true);
  }, 120_000);
});
