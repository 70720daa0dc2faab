/**
 * The main process's wiring, run in plain Node against a stand-in `electron` module: which
 * window it opens, which rules it installs, that the IPC channel reaches the real router on a
 * real offline database, and that quitting closes that database. What only a real Chromium
 * can show (the CSP taking effect, the sandbox) is electron.e2e.test.ts's job.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS } from '../../test/backend';
import { CONTENT_SECURITY_POLICY } from '../../shared/security';
import type { WireResponse } from '../../shared/desktop-bridge';

const fake = vi.hoisted(() => {
  // vi.hoisted runs before the imports: only require() is available here.
  // eslint-disable-next-line @typescript-eslint/no-require-imports, @typescript-eslint/consistent-type-imports
  const { EventEmitter } = require('node:events') as typeof import('node:events');
  class FakeContents extends EventEmitter {
    openHandler?: (details: { url: string }) => { action: string };
    constructor(readonly id: number) {
      super();
    }
    getUserAgent() {
      return 'fake';
    }
    setWindowOpenHandler(handler: FakeContents['openHandler']) {
      this.openHandler = handler;
    }
  }
  const appEvents = new EventEmitter();
  const state = {
    userData: '',
    paths: {} as Record<string, string>,
    windows: [] as { options: Record<string, unknown>; loaded?: string; webContents: FakeContents }[],
    handlers: new Map<string, (event: unknown, wire: unknown) => Promise<WireResponse>>(),
    headerListener: undefined as
      undefined | ((details: unknown, callback: (response: { responseHeaders?: Record<string, string[]> }) => void) => void),
    permissionRequest: undefined as undefined | ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void),
    permissionCheck: undefined as undefined | ((contents: unknown, permission: string) => boolean),
    errors: [] as string[],
    quitForReal: undefined as undefined | (() => void),
    external: [] as string[],
  };
  const app = {
    isPackaged: true,
    commandLine: {
      hasSwitch: (name: string) => name === 'user-data-dir',
      getSwitchValue: () => state.userData,
    },
    getPath: (name: string) => state.paths[name],
    setPath: (name: string, path: string) => {
      state.paths[name] = path;
    },
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    on: (event: string, listener: (...args: unknown[]) => void) => appEvents.on(event, listener),
    quit: () => {
      let prevented = false;
      appEvents.emit('before-quit', { preventDefault: () => (prevented = true) });
      if (!prevented) state.quitForReal?.();
    },
  };
  class BrowserWindow extends EventEmitter {
    readonly webContents = new FakeContents(state.windows.length + 1);
    loaded?: string;
    constructor(readonly options: Record<string, unknown>) {
      super();
      appEvents.emit('web-contents-created', {}, this.webContents);
      state.windows.push(this);
    }
    loadFile(path: string) {
      this.loaded = path;
      return Promise.resolve();
    }
    show() {}
  }
  const electron = {
    app,
    BrowserWindow,
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: (listener: typeof state.headerListener) => (state.headerListener = listener) },
        setPermissionRequestHandler: (handler: typeof state.permissionRequest) => (state.permissionRequest = handler),
        setPermissionCheckHandler: (handler: typeof state.permissionCheck) => (state.permissionCheck = handler),
      },
    },
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, wire: unknown) => Promise<WireResponse>) => state.handlers.set(channel, handler),
    },
    safeStorage: { isEncryptionAvailable: () => false },
    dialog: { showErrorBox: (title: string, message: string) => state.errors.push(`${title}: ${message}`) },
    shell: { openExternal: async (url: string) => void state.external.push(url) },
  };
  return { state, electron, FakeContents };
});

vi.mock('electron', () => fake.electron);

describe('the main process (stand-in Electron)', () => {
  const { state } = fake;
  const window = () => {
    const [first] = state.windows;
    if (!first) throw new Error('no window was opened');
    return first;
  };
  const ourFrame = () => ({ url: `${pathToFileURL(window().loaded!).href}#/`, parent: null });
  const call = (sender: unknown, frame: unknown, path: string, input?: unknown) =>
    state.handlers.get('clinicdesk:trpc')!(
      { sender, senderFrame: frame },
      {
        url: `http://clinicdesk.ipc/trpc/${path}`,
        method: input === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        body: input === undefined ? null : JSON.stringify(input),
      },
    );

  beforeAll(async () => {
    state.userData = mkdtempSync(join(tmpdir(), 'clinicdesk-main-'));
    state.paths.appData = join(state.userData, 'unused-app-data');
    await import('./index');
    await vi.waitFor(() => expect(state.windows).toHaveLength(1));
  });
  const quit = () => {
    const done = new Promise<void>((resolve) => (state.quitForReal = resolve));
    fake.electron.app.quit();
    return done;
  };
  let quitted = false;
  afterAll(async () => {
    // Whatever failed above, never leave the database worker running.
    if (!quitted) await quit();
  });

  // Paths beside the main bundle: out/main → out/preload, out/renderer (here, beside the source).
  it('opens one 1366×768 window, isolated and sandboxed, on the built renderer', () => {
    expect(window().options).toMatchObject({
      width: 1366,
      height: 768,
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false },
    });
    expect((window().options.webPreferences as { preload: string }).preload).toBe(join(import.meta.dirname, '../preload/index.cjs'));
    expect(window().loaded).toBe(join(import.meta.dirname, '../renderer/index.html'));
  });

  it('puts our CSP on every response, replacing any other', () => {
    let headers: Record<string, string[]> | undefined;
    state.headerListener!(
      { url: 'file:///x', responseHeaders: { 'content-security-policy': ['default-src *'], 'x-other': ['1'] } },
      (response) => {
        headers = response.responseHeaders;
      },
    );
    expect(headers).toEqual({ 'x-other': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });

  it('denies every permission request and check', () => {
    const granted: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal']) {
      state.permissionRequest!(window().webContents, permission, (answer) => granted.push(answer));
      granted.push(state.permissionCheck!(window().webContents, permission));
    }
    expect(granted.every((answer) => answer === false)).toBe(true);
  });

  it('opens no windows, sends only https links to the system browser, and blocks navigation and <webview>', () => {
    const contents = window().webContents;
    expect(contents.openHandler!({ url: 'https://www.nhs.uk/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(state.external).toEqual(['https://www.nhs.uk/']);

    const navigate = (url: string) => {
      let prevented = false;
      contents.emit('will-frame-navigate', { url, preventDefault: () => (prevented = true) });
      return prevented ? 'blocked' : 'allowed';
    };
    expect(navigate(ourFrame().url)).toBe('allowed');
    expect(navigate('https://evil.example/')).toBe('blocked');
    expect(navigate('file:///etc/passwd')).toBe('blocked');

    let webviewBlocked = false;
    contents.emit('will-attach-webview', { preventDefault: () => (webviewBlocked = true) });
    expect(webviewBlocked).toBe(true);
  });

  it('serves our window over IPC from a new offline clinic in userData, set up on its first run, and refuses anyone else', async () => {
    const contents = window().webContents;
    // A first start: no clinic yet, and never the demo's published passwords.
    const setup = await call(contents, ourFrame(), 'setup.status');
    expect(setup.status).toBe(200);
    expect(setup.body).toContain('"needed":true');
    expect((await call(contents, ourFrame(), 'auth.signIn', { email: DEMO_USERS.doctor, password: DEMO_PASSWORD })).status).not.toBe(200);
    const admin = { email: 'first@clinic.example', firstName: 'Fay', lastName: 'First', password: 'first-clinic-2026' };
    const created = await call(contents, ourFrame(), 'setup.createClinic', {
      name: 'First Clinic',
      timezone: 'Europe/London',
      currency: 'GBP',
      language: 'en-GB',
      admin,
    });
    expect(created.status).toBe(200);
    const signIn = await call(contents, ourFrame(), 'auth.signIn', { email: admin.email, password: admin.password });
    expect(signIn.status).toBe(200);
    expect(existsSync(join(state.userData, 'database'))).toBe(true);
    expect(existsSync(join(state.userData, 'database.lock'))).toBe(true);

    await expect(call(new fake.FakeContents(99), ourFrame(), 'system.status')).rejects.toThrow(/own window/);
    await expect(call(contents, { url: ourFrame().url, parent: ourFrame() }, 'system.status')).rejects.toThrow(/own window/);
    // The first call waits for a new on-disk database: initdb and migrations.
  }, 120_000);

  it('closes the database before quitting for real, releasing its lock', async () => {
    await quit();
    quitted = true;
    expect(existsSync(join(state.userData, 'database.lock'))).toBe(false);
    expect(state.errors).toEqual([]);
  });
});
