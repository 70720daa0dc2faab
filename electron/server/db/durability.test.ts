import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { pgliteTemplate } from '../../../test/engines';
import { openPglite } from './pglite';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const COMMITS_BEFORE_KILL = 150;

it('loses no committed row when the writing process is killed with -9', async () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'clinicdesk-durability-'));
  const dataDir = path.join(parent, 'clinic');
  try {
    // Seeded here because PGlite's own initdb on disk takes several seconds.
    await (await openPglite({ dataDir, loadDataDir: pgliteTemplate('empty') })).close();

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
        if (printed.length >= COMMITS_BEFORE_KILL) resolve();
      });
      void exited.then((how) => reject(new Error(`writer exited early (${how}):\n${stderr}`)));
    });
    writer.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    // The pipe may still hold lines printed just before the kill.
    for (const line of pending.split('\n')) if (/^\d+$/.test(line)) printed.push(Number(line));

    // The writer's lock file stays behind, naming a dead process: reopening takes it over.
    const db = await openPglite({ dataDir });
    try {
      const { rows } = await db.query<{ n: number }>('SELECT n FROM committed_visits ORDER BY n');
      const stored = new Set(rows.map((row) => row.n));
      expect(printed.filter((n) => !stored.has(n))).toEqual([]);
      expect(stored.size).toBeGreaterThanOrEqual(printed.length);
    } finally {
      await db.close();
    }
  } finally {
    fs.rmSync(parent, { recursive: true, force: true });
  }
}, 60_000);
