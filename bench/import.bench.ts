/**
 * `npm run bench`: importing a spreadsheet of 100,000 patients into the demo clinic on PGlite, as
 * the app does it, on a database kept in a directory on disk as the app keeps it (in memory,
 * PGlite's file emulation copies a growing file again and again: 6 s of a run that the app never
 * pays). The CSV is parsed with papaparse and its columns mapped from their header names (the
 * screen's part), then the router's patientImport.stage runs in chunks (every row read, checked
 * and compared with the clinic's patients) and patientImport.import (one transaction). The file
 * is made to look like an old system's export: accented names and double surnames from
 * bench/names.ts, phones written nationally and internationally, birth dates spread over 88 years,
 * about one patient in a hundred held twice, blanks. BENCH_IMPORT_ROWS changes the size and
 * BENCH_IMPORT_RUNS the number of imports (3), each into a fresh database. Prints each step's
 * median time, every run's, the rate, and the median CPU time this process spent (the machine is
 * shared: wall time grows with the load, CPU time much less). Not a test: numbers, not pass/fail.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os, { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Papa from 'papaparse';
import { guessMapping, IMPORT_CHUNK_ROWS, mappedRow } from '../shared/patient-import';
import { offlineAccess } from '../electron/server/access/offline';
import { SessionStore } from '../electron/server/auth/sessions';
import { createContext, type Backend } from '../electron/server/context';
import { loadDemoClinic } from '../electron/server/db/demo-clinic';
import { findMigrationsDir, migrate } from '../electron/server/db/migrate';
import { openPglite } from '../electron/server/db/pglite';
import { appRouter } from '../electron/server/router';
import { createCallerFactory } from '../electron/server/trpc';
import { FIRST_NAMES, SURNAMES } from './names';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
/** The machine is shared and a run's wall time varies by seconds: the median of several runs is reported. */
const RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 3);

/** Deterministic pick with a skew towards the start of the pool (the common names), as the search bench draws them. */
const pick = (pool: readonly string[], i: number, prime: number) => pool[Math.floor(pool.length * (((i * prime) % 1000) / 1000) ** 2)]!;

function spreadsheet(rows: number): string {
  const lines = [
    ['Surname', 'Forename', 'Middle name', 'DOB', 'Sex', 'Mobile', 'Home phone', 'Email', 'Address', 'Town', 'Postcode', 'NHS number'],
  ];
  for (let i = 0; i < rows; i++) {
    // About one row in a hundred is a patient the old system held twice (same name and birth date).
    const person = i % 97 === 96 ? i - 41 : i;
    const surname = pick(SURNAMES, person, 104729) + (person % 7 === 3 ? `-${pick(SURNAMES, person, 611953)}` : '');
    const first = pick(FIRST_NAMES, person, 7919);
    const mobile = String(100_000_000 + ((i * 2654435761) % 900_000_000)).slice(0, 9);
    // Birth dates spread over 1930–2017 as a clinic's are (a date that repeats every few years
    // would make a third of the file look like duplicates).
    const born = new Date(Date.UTC(1930, 0, 1) + ((person * 7919 + 104729) % 32_003) * 86_400_000).toISOString();
    const [year, month, day] = [born.slice(0, 4), born.slice(5, 7), born.slice(8, 10)];
    lines.push([
      surname,
      first,
      i % 4 === 1 ? pick(FIRST_NAMES, i, 15485863) : '',
      i % 3 === 0 ? `${year}-${month}-${day}` : `${day}/${month}/${year}`,
      ['F', 'M', 'Female', 'Male', ''][i % 5]!,
      i % 10 === 9 ? '' : i % 2 === 0 ? `07${mobile.slice(0, 3)} ${mobile.slice(3)}` : `+44 7${mobile.slice(0, 3)} ${mobile.slice(3)}`,
      i % 5 === 2 ? `020 7${mobile.slice(2, 5)} ${mobile.slice(5)}` : '',
      i % 3 === 1
        ? `${first}.${surname}${i}@example.com`
            .toLowerCase()
            .normalize('NFD')
            .replace(/[^a-z0-9.@-]/g, '')
        : '',
      i % 6 === 5 ? '' : `${(i % 200) + 1} High Street`,
      i % 6 === 5 ? '' : 'Riverside',
      i % 6 === 5 ? '' : `RV${(i % 9) + 1} ${(i % 9) + 1}AB`,
      i % 8 === 0 ? String(4_000_000_000 + i) : '',
    ]);
  }
  return Papa.unparse(lines);
}

/** Wall and CPU seconds since a mark (PGlite runs in this process, so its work is in the CPU time). */
function mark() {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { wall: (performance.now() - wall) / 1000, cpu: (used.user + used.system) / 1e6 };
  };
}

/** One import into a fresh copy of the demo clinic: the time of each step. */
async function importOnce(csv: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinicdesk-import-bench-'));
  const db = await openPglite({ dataDir });
  try {
    await migrate(db, { dir: findMigrationsDir() });
    await loadDemoClinic(db);
    const backend: Backend = {
      access: offlineAccess(db),
      sessions: new SessionStore(3_600_000),
      status: { kind: 'pglite', label: 'bench' },
    };
    const window = createCallerFactory(appRouter)(createContext(backend, { clientKey: 'bench-window' }));
    await window.auth.signIn({ email: 'admin@demo.clinic', password: 'clinicdesk-demo', clinicCode: 'demo' });

    // The import page asks for the clinic's locale when it opens, before a file is chosen.
    await window.patientImport.locale();
    const loadBefore = loadavg()[0]!;
    let since = mark();
    const parsed = Papa.parse<string[]>(csv, { skipEmptyLines: true });
    const [headers = [], ...cells] = parsed.data;
    const mapping = guessMapping(headers);
    const rows = cells.map((line) => mappedRow(line, mapping));
    const read = since();

    since = mark();
    const importId = randomUUID();
    let errors = 0;
    let duplicates = 0;
    for (let start = 0; start < rows.length; start += IMPORT_CHUNK_ROWS) {
      const chunk = await window.patientImport.stage({
        import_id: importId,
        first_row: start + 2,
        rows: rows.slice(start, start + IMPORT_CHUNK_ROWS),
      });
      errors += chunk.errors.length;
      duplicates += chunk.duplicates.length;
    }
    const check = since();

    since = mark();
    const result = await window.patientImport.import({ import_id: importId, rows: rows.length, skip_errors: true, skip_duplicates: false });
    const write = since();
    const total = { wall: read.wall + check.wall + write.wall, cpu: read.cpu + check.cpu + write.cpu };
    return { read, check, write, total, errors, duplicates, result, load: [loadBefore, loadavg()[0]!] };
  } finally {
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const csv = spreadsheet(ROWS);
const runs: Awaited<ReturnType<typeof importOnce>>[] = [];
for (let run = 0; run < RUNS; run++) runs.push(await importOnce(csv));
const { errors, duplicates, result } = runs[0]!;
const median = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
type Step = 'read' | 'check' | 'write' | 'total';
const cell = (step: Step) =>
  `${median(runs.map((run) => run[step].wall)).toFixed(1)} (${runs.map((run) => run[step].wall.toFixed(1)).join(', ')}) | ${median(runs.map((run) => run[step].cpu)).toFixed(1)}`;
console.log(
  `\nImport of a ${(csv.length / 1e6).toFixed(1)} MB CSV of ${ROWS.toLocaleString('en')} patients into the demo clinic, PGlite, through the router: ` +
    `${RUNS} runs, each into a fresh database; the median, each run's time, and the median CPU time`,
);
console.log(`| step | seconds: median (runs) | CPU seconds |\n|---|---:|---:|`);
console.log(`| read the file (papaparse) and map its columns | ${cell('read')} |`);
console.log(`| check every row and look for duplicates (${errors} errors, ${duplicates} possible duplicates) | ${cell('check')} |`);
console.log(
  `| write ${result.imported.toLocaleString('en')} patients in one transaction (${result.first_number}…${result.last_number}) | ${cell('write')} |`,
);
console.log(
  `| **total** (${Math.round(ROWS / median(runs.map((run) => run.total.wall))).toLocaleString('en')} rows/s) | ${cell('total')} |`,
);
console.log(
  `load average (1 min) before and after each run: ${runs.map(({ load }) => load.map((l) => l.toFixed(1)).join('→')).join(', ')}`,
);
