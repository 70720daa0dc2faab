/**
 * `npm run bench` (second part): what durable commits cost offline. PGlite on disk, one
 * appointment-sized insert per transaction, with the fsync before acknowledging (the app) and
 * without (PGlite as shipped, fsync off), one desk at a time and ten desks at once.
 * Numbers, not pass/fail.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openPglite } from '../electron/server/db/pglite';
import { percentile } from './percentile';

const COMMITS = Number(process.env.BENCH_COMMITS ?? 500);
const DESKS = 10;

async function measure(syncCommits: boolean) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinicdesk-commit-bench-'));
  const db = await openPglite({ dataDir: path.join(dir, 'clinic'), syncCommits });
  try {
    await db.exec(`CREATE TABLE visits (id serial PRIMARY KEY, patient text NOT NULL, starts_at timestamptz NOT NULL, notes text)`);
    const commit = async (i: number) => {
      const started = performance.now();
      await db.transaction((tx) =>
        tx.query(`INSERT INTO visits (patient, starts_at, notes) VALUES ($1, now() + make_interval(mins => $2), $3)`, [
          `P-${String(i).padStart(6, '0')}`,
          i,
          'Follow-up of blood pressure; bring the home readings.',
        ]),
      );
      return performance.now() - started;
    };
    const rows = [];
    for (const desks of [1, DESKS]) {
      const latencies: number[] = [];
      const started = performance.now();
      for (let i = 0; i < COMMITS; i += desks) {
        latencies.push(...(await Promise.all(Array.from({ length: desks }, (_, d) => commit(i + d)))));
      }
      const seconds = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      rows.push({ desks, perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95) });
    }
    return rows;
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const results = [];
for (const syncCommits of [true, false]) {
  for (const row of await measure(syncCommits))
    results.push({ mode: syncCommits ? 'fsync before acknowledging (the app)' : 'no fsync (PGlite as shipped)', ...row });
}
console.log(`\nOffline commits, PGlite on ${os.tmpdir()}, ${COMMITS} commits per row:\n`);
console.log('| commits | desks at once | commits/s | p50 ms | p95 ms |');
console.log('|---|---:|---:|---:|---:|');
for (const r of results) console.log(`| ${r.mode} | ${r.desks} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p95.toFixed(2)} |`);
