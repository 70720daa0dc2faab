/**
 * `npm run bench` (third part): the offline database killed with -9 in the middle of writes,
 * again and again. Each round starts a writer on a copy of one seeded data directory, kills it
 * after a varying number of acknowledged commits, reopens and counts. Acknowledged rows must all
 * be found; a few more may be (committed, killed before the writer printed them).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openPglite } from '../electron/server/db/pglite';
import { killRound } from '../test/durability-round';

const ROUNDS = Number(process.env.BENCH_CRASH_ROUNDS ?? 100);

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'clinicdesk-crash-bench-'));
try {
  const seed = path.join(scratch, 'seed');
  await (await openPglite({ dataDir: seed })).close();

  let acknowledged = 0;
  let found = 0;
  let lost = 0;
  const started = performance.now();
  for (let round = 1; round <= ROUNDS; round++) {
    const dataDir = path.join(scratch, `round-${round}`);
    fs.cpSync(seed, dataDir, { recursive: true });
    // Killed at a different moment each round: after 10 to 300 acknowledged commits.
    const result = await killRound(dataDir, 10 + ((round * 37) % 291));
    acknowledged += result.acknowledged;
    found += result.found;
    lost += result.lost.length;
    console.log(
      `round ${round}/${ROUNDS}: ${result.acknowledged} acknowledged, ${result.found} found, ${result.lost.length} lost` +
        (result.lost.length ? ` (${result.lost.slice(0, 10).join(', ')})` : ''),
    );
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const minutes = (performance.now() - started) / 60_000;
  console.log(`\nkill -9 in the middle of writes, PGlite on ${os.tmpdir()}, ${ROUNDS} rounds in ${minutes.toFixed(1)} min:\n`);
  console.log('| rounds | acknowledged rows | found after reopening | acknowledged but lost |');
  console.log('|---:|---:|---:|---:|');
  console.log(`| ${ROUNDS} | ${acknowledged} | ${found} | ${lost} |`);
  if (lost > 0) process.exitCode = 1;
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
