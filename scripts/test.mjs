#!/usr/bin/env node
// `npm test`: checks what the tests need from the machine (installing it on a Debian machine
// when run as root), then the types, lint and formatting, the unit tests on both engines and
// the end-to-end tests in Chromium. Ends with "N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const INSTALL_COMMAND = 'sudo apt-get install -y postgresql chromium pgbouncer poppler-utils';

function hasPostgresServer() {
  const dirs = [];
  if (process.env.PG_BIN) dirs.push(process.env.PG_BIN);
  const debianRoot = '/usr/lib/postgresql';
  if (fs.existsSync(debianRoot)) {
    dirs.push(
      ...fs
        .readdirSync(debianRoot)
        .filter((major) => Number(major) >= 15)
        .map((major) => path.join(debianRoot, major, 'bin')),
    );
  }
  dirs.push(...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean));
  return dirs.some((dir) => fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl')));
}

function hasPgbouncer() {
  return [process.env.PGBOUNCER_BIN, '/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].some((file) => file && fs.existsSync(file));
}

function chromiumPath() {
  return [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((candidate) => candidate && fs.existsSync(candidate));
}

function run(command, args, options = {}) {
  console.log(`\n$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function installMissing() {
  const missing = [];
  if (!hasPostgresServer()) missing.push('postgresql');
  if (!chromiumPath()) missing.push('chromium');
  if (!hasPgbouncer()) missing.push('pgbouncer');
  // pdftotext: the print tests read back what a PDF says.
  if (spawnSync('pdftotext', ['-v'], { stdio: 'ignore' }).status !== 0) missing.push('poppler-utils');
  if (missing.length === 0) return;

  const canInstall = process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!canInstall) {
    console.error(
      `Missing for the tests: ${missing.join(', ')} (PostgreSQL 15+ server, Chromium, pgbouncer, poppler-utils).\nInstall them with: ${INSTALL_COMMAND}`,
    );
    process.exit(1);
  }
  console.log(`Installing what the tests need: ${missing.join(', ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Waits for another apt run (an install in progress) instead of failing on its lock.
  const waitForLock = ['-o', 'DPkg::Lock::Timeout=600'];
  if (
    run('apt-get', [...waitForLock, 'update'], { env }) !== 0 ||
    run('apt-get', [...waitForLock, 'install', '-y', ...missing], { env }) !== 0
  ) {
    console.error(`Installing failed. Install by hand: ${INSTALL_COMMAND}`);
    process.exit(1);
  }
}

/** Reads a reporter's JSON file; null when the run never got to write it. */
function readReport(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

installMissing();

const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinicdesk-test-reports-'));
let passed = 0;
let failed = 0;

/** Adds a stage's counts; a stage that failed without a failing test (setup, build) counts as one failure. */
function tally(stage, status, counts) {
  passed += counts?.passed ?? 0;
  failed += counts?.failed ?? 0;
  if (status !== 0 && !counts?.failed) {
    console.error(`\n${stage} failed (exit code ${status}) before reporting a failing test`);
    failed += 1;
  }
}

// Types, lint (process boundaries included) and formatting first: each is one failure if it fails.
for (const script of ['typecheck', 'lint']) tally(`npm run ${script}`, run('npm', ['run', '--silent', script]), null);

const unitReport = path.join(reportDir, 'vitest.json');
const unitStatus = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${unitReport}`]);
const unit = readReport(unitReport);
tally('unit tests', unitStatus, unit && { passed: unit.numPassedTests, failed: unit.numFailedTests });

if (fs.existsSync(path.join(root, 'playwright.config.ts'))) {
  const buildStatus = run('npm', ['run', 'build']);
  if (buildStatus !== 0) {
    tally('npm run build', buildStatus, null);
  } else {
    const e2eReport = path.join(reportDir, 'playwright.json');
    const e2eStatus = run('npx', ['playwright', 'test', '--reporter=list,json'], {
      env: { ...process.env, CHROMIUM_PATH: chromiumPath(), PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport },
    });
    const stats = readReport(e2eReport)?.stats;
    tally('end-to-end tests', e2eStatus, stats && { passed: stats.expected + stats.flaky, failed: stats.unexpected });
  }
}

fs.rmSync(reportDir, { recursive: true, force: true });
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
