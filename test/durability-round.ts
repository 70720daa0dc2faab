// One kill -9 round against the offline database, shared by the crash test (durability.test.ts,
// one round) and the crash bench (bench/crash.bench.ts, a hundred).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPglite } from '../electron/server/db/pglite';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface KillRound {
  /** Rows whose commit the writer heard acknowledged before it was killed. */
  acknowledged: number;
  /** Rows found after reopening (acknowledged, plus any committed but not yet printed). */
  found: number;
  /** Acknowledged rows missing after reopening: must be none. */
  lost: number[];
}

/**
 * Starts test/durability-writer.ts on `dataDir` (an existing database), kills it with SIGKILL once
 * it has acknowledged `commitsBeforeKill` commits, reopens the directory and counts.
 */
export async function killRound(dataDir: string, commitsBeforeKill: number): Promise<KillRound> {
  const writer = spawn(process.execPath, ['--import', 'tsx', 'test/durability-writer.ts', dataDir], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  writer.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => writer.on('exit', (code, signal) => resolve(signal ?? code)));

  const printed: number[] = [];
  let pending = '';
  await new Promise<void>((resolve, reject) => {
    writer.stdout.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop()!;
      for (const line of lines) if (/^\d+$/.test(line)) printed.push(Number(line));
      if (printed.length >= commitsBeforeKill) resolve();
    });
    void exited.then((how) => reject(new Error(`writer exited early (${how}):\n${stderr}`)));
  });
  writer.kill('SIGKILL');
  const how = await exited;
  if (how !== 'SIGKILL') throw new Error(`the writer ended by ${how}, not by the kill`);
  // The pipe may still hold lines printed just before the kill.
  for (const line of pending.split('\n')) if (/^\d+$/.test(line)) printed.push(Number(line));

  // The writer's lock file stays behind, naming a dead process: reopening takes it over.
  const db = await openPglite({ dataDir });
  try {
    const { rows } = await db.query<{ n: number }>('SELECT n FROM committed_visits');
    const stored = new Set(rows.map((row) => row.n));
    return { acknowledged: printed.length, found: stored.size, lost: printed.filter((n) => !stored.has(n)) };
  } finally {
    await db.close();
  }
}
