/**
 * The desktop app itself, driven by Playwright's Electron support. Runs only where Electron's
 * runtime is installed; elsewhere it is skipped and says why.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS } from '../test/backend';

const root = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

/** The executable's path, which the electron package only knows when its download succeeded. */
function electronBinary(): string | undefined {
  try {
    const binary: unknown = require('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();
if (!binary) console.log('Electron runtime not installed: skipping desktop e2e');

describe.skipIf(!binary)('the desktop app', () => {
  let app: ElectronApplication;
  let page: Page;
  let running = false;
  const userData = mkdtempSync(join(tmpdir(), 'clinicdesk-electron-'));

  beforeAll(async () => {
    const packageDir = dirname(require.resolve('electron-vite/package.json'));
    const { bin } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    execFileSync(process.execPath, [join(packageDir, bin['electron-vite']!), 'build'], { cwd: root, stdio: 'ignore' });
    // The offline demo clinic, whatever remote database this shell may point at.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        (entry): entry is [string, string] => entry[1] !== undefined && entry[0] !== 'CLINICDESK_DATABASE_URL',
      ),
    );
    app = await _electron.launch({ executablePath: binary, args: ['.', `--user-data-dir=${userData}`], cwd: root, env });
    running = true;
    page = await app.firstWindow();
  });
  afterAll(async () => {
    if (running) await app.close();
  });

  it('opens one window, on the sign-in screen', async () => {
    await page.getByLabel('Email', { exact: true }).waitFor({ timeout: 30_000 });
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });

  it('gives the page the tRPC bridge and nothing of Node or Electron', async () => {
    const globals = await page.evaluate(() => ({
      bridge: Object.keys((window as { clinicDesk?: object }).clinicDesk ?? {}),
      require: typeof (window as { require?: unknown }).require,
      process: typeof (window as { process?: unknown }).process,
    }));
    expect(globals).toEqual({ bridge: ['trpcFetch'], require: 'undefined', process: 'undefined' });
  });

  it('sends the strict CSP and blocks new windows and navigation away', async () => {
    const csp = await page.evaluate(async () => {
      const violation = new Promise<string>((resolve) => {
        document.addEventListener('securitypolicyviolation', (event) => resolve(event.violatedDirective), { once: true });
        setTimeout(() => resolve('no violation reported'), 2_000);
      });
      const script = document.createElement('script');
      script.textContent = 'window.inlineRan = true';
      document.head.append(script);
      return { violated: await violation, inlineRan: (window as { inlineRan?: boolean }).inlineRan === true };
    });
    expect(csp).toEqual({ violated: expect.stringMatching(/^script-src/), inlineRan: false });
    // http, so the refused window is not handed to the system browser either.
    expect(await page.evaluate(() => window.open('http://example.com/') === null)).toBe(true);
    const before = page.url();
    await page.evaluate(() => {
      location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe(before);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });

  it('signs in to the demo clinic over the IPC channel', async () => {
    await page.getByLabel('Email', { exact: true }).fill(DEMO_USERS.receptionist);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Areas' }).waitFor({ timeout: 30_000 });
  });

  it('closes the offline database and releases its lock on quit', async () => {
    await app.close();
    running = false;
    expect(existsSync(join(userData, 'database.lock'))).toBe(false);
  });
});
