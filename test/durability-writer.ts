// Child process of durability.test.ts: commits numbered rows into a file-backed PGlite (in its
// worker, as the app runs it) and prints each number only after its COMMIT returned.
import { openPgliteInWorker } from '../electron/server/db/pglite-worker';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: durability-writer <dataDir>');

const db = await openPgliteInWorker({ dataDir });
await db.exec('CREATE TABLE IF NOT EXISTS committed_visits (n int PRIMARY KEY, note text NOT NULL)');
console.log('ready');
for (let n = 1; ; n++) {
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO committed_visits VALUES ($1, $2)', [n, `visit ${n} `.repeat(20)]);
  });
  console.log(n); // stdout to a pipe is synchronous on Linux: printed means handed to the parent
}
