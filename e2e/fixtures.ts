import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';

export { expect };

export const PROJECT_ROOT = resolve(import.meta.dirname, '..');
export const DEMO_PASSWORD = 'clinicdesk-demo';

const READY_LINE = /ClinicDesk ready at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/;
const LINK_LINE = /ClinicDesk link: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/g;
// Generous: a fresh demo database on two cores shared with other work took over a minute to start.
const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 15_000;

/** A running browser-mode server with its own fresh demo clinic. */
export interface BrowserMode {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** A one-time link, as a person gets by pressing Enter where ClinicDesk runs: opening it lets one browser in. */
  link(): Promise<string>;
}

type ServerProcess = ChildProcessByStdio<Writable, Readable, Readable>;

/** Ends the whole process tree (npx, tsx, node) and waits until it has let go of the data. */
async function stopServer(server: ServerProcess): Promise<void> {
  const { pid } = server;
  if (pid === undefined) return; // never started
  // Every process in the tree holds the output pipes: they close when the last one exits.
  const closed = Promise.all([server.stdout, server.stderr].map((pipe) => (pipe.closed ? undefined : once(pipe, 'close'))));
  const signalTree = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // The tree is already gone.
    }
  };
  signalTree('SIGTERM');
  const timedOut = await Promise.race([
    closed.then(() => false),
    new Promise<boolean>((done) => setTimeout(() => done(true), STOP_TIMEOUT_MS)),
  ]);
  if (timedOut) {
    signalTree('SIGKILL');
    await closed;
  }
}

function waitUntilReady(server: ServerProcess, output: () => string): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Browser mode printed no ready line within ${START_TIMEOUT_MS / 1000} s:\n${output()}`)),
      START_TIMEOUT_MS,
    );
    const look = () => {
      const match = READY_LINE.exec(output());
      if (match?.[1]) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    server.stdout.on('data', look);
    server.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    server.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Browser mode exited (code ${code}) before it was ready:\n${output()}`));
    });
  });
}

/** A browser-mode server a test stops (and starts again on the same data and port) itself. */
export interface RunningBrowserMode extends BrowserMode {
  stop(): Promise<void>;
}

/**
 * Starts browser mode on `dataDir` (a fresh one with the demo clinic when `demo`), on `port` or a free one;
 * without `dataDir`, on the clinic server `env` names (CLINICDESK_DATABASE_URL).
 */
export async function launchBrowserMode(options: {
  dataDir?: string;
  port?: number;
  demo?: boolean;
  env?: Record<string, string>;
}): Promise<RunningBrowserMode> {
  // Its own process group, so stopping reaches the real server behind npx and tsx.
  const args = ['tsx', 'electron/server/browser-main.ts', '--port', String(options.port ?? 0)];
  if (options.dataDir !== undefined) args.push('--data-dir', options.dataDir);
  if (options.demo) args.push('--demo');
  const server = spawn('npx', args, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  server.stdout.on('data', collect);
  server.stderr.on('data', collect);
  let first: string;
  try {
    first = await waitUntilReady(server, () => output);
  } catch (error) {
    await stopServer(server);
    throw error;
  }
  let unused: string | undefined = first;
  let linksSeen = 0;
  const link = async (): Promise<string> => {
    if (unused) {
      const url = unused;
      unused = undefined;
      return url;
    }
    server.stdin.write('\n');
    for (let waited = 0; waited < 10_000; waited += 50) {
      const links = [...output.matchAll(LINK_LINE)];
      if (links.length > linksSeen) {
        linksSeen = links.length;
        return links.at(-1)![1]!;
      }
      await new Promise((done) => setTimeout(done, 50));
    }
    throw new Error(`Browser mode printed no new link:\n${output}`);
  };
  return { origin: new URL(first).origin, link, stop: () => stopServer(server) };
}

async function startBrowserMode(env: Record<string, string>, demo: boolean, use: (server: BrowserMode) => Promise<void>) {
  // The data directory sits inside its own temporary folder, with the lock file kept beside it.
  const scratch = await mkdtemp(join(tmpdir(), 'clinicdesk-e2e-'));
  try {
    const server = await launchBrowserMode({ dataDir: join(scratch, 'data'), demo, env });
    try {
      await use(server);
    } finally {
      await server.stop();
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

interface WorkerFixtures {
  /** Sets CLINICDESK_IDLE_LOCK_SECONDS for this worker's server; unset keeps the default. */
  idleLockSeconds: number | undefined;
  /** A new database with the demo clinic (default), or empty, as a real clinic's first start. */
  demo: boolean;
  clinicDesk: BrowserMode;
}

// One server per worker: a file that changes `idleLockSeconds` gets a worker of its own.
export const test = base.extend<object, WorkerFixtures>({
  idleLockSeconds: [undefined, { scope: 'worker', option: true }],
  demo: [true, { scope: 'worker', option: true }],
  clinicDesk: [
    ({ idleLockSeconds, demo }, use) =>
      startBrowserMode(idleLockSeconds ? { CLINICDESK_IDLE_LOCK_SECONDS: String(idleLockSeconds) } : {}, demo, use),
    { scope: 'worker', timeout: START_TIMEOUT_MS + STOP_TIMEOUT_MS + 10_000 },
  ],
});

export async function openSignIn(page: Page, server: BrowserMode): Promise<void> {
  await page.goto(await server.link());
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
}

export async function signIn(page: Page, server: BrowserMode, email: string, password = DEMO_PASSWORD): Promise<void> {
  await openSignIn(page, server);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Areas' })).toBeVisible();
}

export function screenshotPath(name: string): string {
  return join(PROJECT_ROOT, 'screenshots', `${name}.png`);
}

/**
 * At reception, adds a patient (found by `typed`) to `doctor`'s queue: an emergency walk-in, taken
 * at any hour (others only while the clinic is open). At some hours the demo clinic has the patient
 * waiting for that doctor already (a booking of theirs checked in); the desk then refuses a second
 * place in the same queue, and the patient is where the caller wants them.
 */
export async function addEmergencyWalkIn(page: Page, typed: string, patient: string, doctor: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Reception' }).getByRole('button', { name: "Today's queue" }).click();
  await page.getByRole('button', { name: 'Walk-in…' }).click();
  const walkIn = page.getByRole('dialog', { name: 'Walk-in' });
  await page.keyboard.type(typed);
  await walkIn.getByRole('option', { name: new RegExp(patient) }).click();
  await walkIn.getByLabel('Doctor', { exact: true }).selectOption({ label: doctor });
  await walkIn.getByLabel('Type of visit').selectOption({ label: 'Emergency' });
  await walkIn.getByRole('button', { name: 'Add to the queue' }).click();
  const queued = await walkIn.waitFor({ state: 'hidden', timeout: 10_000 }).then(
    () => true,
    () => false,
  );
  if (!queued) {
    await expect(walkIn.getByText(`This patient is already waiting for ${doctor.split(' · ')[0]} today.`)).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(walkIn).toBeHidden();
  }
}

/** The demo receptionist adds a patient (found by `typed`) to Dr Patel's queue, as an emergency walk-in. */
export async function queueWalkIn(page: Page, server: BrowserMode, typed: string, patient: string): Promise<void> {
  await signIn(page, server, 'reception@demo.clinic');
  await addEmergencyWalkIn(page, typed, patient, 'Dr Priya Patel · General Practice');
}

/**
 * Dr Patel, in a window of their own at 1366×768, starts the walk-in `patient` waiting for them
 * (queued by `queueWalkIn`), not a visit the same patient may have booked later today. Close the
 * context when done.
 */
export async function drPatelStarts(
  browser: Browser,
  server: BrowserMode,
  patient: string,
): Promise<{ context: BrowserContext; doctor: Page }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const doctor = await context.newPage();
  await signIn(doctor, server, 'dr.patel@demo.clinic');
  await doctor.keyboard.press('Alt+2');
  const day = doctor.getByRole('region', { name: 'Your patients today' });
  const waiting = day
    .getByRole('listitem')
    .filter({ hasText: patient })
    .filter({ hasText: /waiting \d+ min/ });
  await expect(waiting).toHaveCount(1);
  await waiting.getByRole('button', { name: `Start ${patient}` }).click();
  return { context, doctor };
}

/** Fills the first-run form: the clinic, then its first administrator (the two passwords as given). */
export async function fillClinicSetup(
  page: Page,
  clinic: { name: string; timezone: string; currency: string; language: string },
  admin: { firstName: string; lastName: string; email: string; password: string; passwordAgain?: string },
): Promise<void> {
  await page.getByLabel('Clinic name').fill(clinic.name);
  await page.getByLabel('Timezone').fill(clinic.timezone);
  await page.getByLabel('Currency').fill(clinic.currency);
  await page.getByLabel('Language').fill(clinic.language);
  await page.getByLabel('First name').fill(admin.firstName);
  await page.getByLabel('Last name').fill(admin.lastName);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password', { exact: true }).fill(admin.password);
  await page.getByLabel('Password again').fill(admin.passwordAgain ?? admin.password);
}
