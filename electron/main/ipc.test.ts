import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS, demoBackend, type TestBackend } from '../../test/backend';
import type { Backend } from '../server/context';
import { createTrpcHandler, isTrustedSender, type TrpcInvokeEvent, type TrustedRenderer } from './ipc';

const indexHtml = join('/opt/ClinicDesk/resources/app/out/renderer', 'index.html');
const ourPage = `${pathToFileURL(indexHtml).href}#/reception`;

function webContents(id: number) {
  return { id, getUserAgent: () => 'ClinicDesk test' };
}
const mainContents = webContents(1);
const trusted: TrustedRenderer = { contents: mainContents, location: { kind: 'file', path: indexHtml } };

function event(overrides: { sender?: TrpcInvokeEvent['sender']; url?: string; parent?: unknown; frame?: null } = {}): TrpcInvokeEvent {
  const frame = overrides.frame === null ? null : { url: overrides.url ?? ourPage, parent: overrides.parent ?? null };
  return { sender: overrides.sender ?? mainContents, senderFrame: frame };
}

describe('isTrustedSender', () => {
  it("accepts our window's top frame showing our renderer", () => {
    expect(isTrustedSender(event(), trusted)).toBe(true);
    expect(isTrustedSender(event({ url: pathToFileURL(indexHtml).href }), trusted)).toBe(true);
  });

  it('refuses another webContents, even one with the same id', () => {
    expect(isTrustedSender(event({ sender: webContents(2) }), trusted)).toBe(false);
    expect(isTrustedSender(event({ sender: webContents(1) }), trusted)).toBe(false);
  });

  it('refuses a subframe of our own page', () => {
    expect(isTrustedSender(event({ parent: { url: ourPage, parent: null } }), trusted)).toBe(false);
  });

  it('refuses a top frame that shows anything but our renderer', () => {
    for (const url of [
      'https://evil.example/',
      'file:///tmp/evil/index.html',
      pathToFileURL(join('/opt/ClinicDesk/resources/app/out/renderer', 'other.html')).href,
      'file://evil-host/opt/ClinicDesk/resources/app/out/renderer/index.html',
      'file:///opt/ClinicDesk/resources/app/out/renderer%2Findex.html',
      'data:text/html,<h1>hi</h1>',
      'about:blank',
      'not a url',
    ]) {
      expect(isTrustedSender(event({ url }), trusted), url).toBe(false);
    }
  });

  it('refuses an event without a frame (navigated away or destroyed)', () => {
    expect(isTrustedSender(event({ frame: null }), trusted)).toBe(false);
  });

  it('accepts only the dev server origin while developing', () => {
    const dev: TrustedRenderer = { contents: mainContents, location: { kind: 'dev-server', url: 'http://localhost:5173/' } };
    expect(isTrustedSender(event({ url: 'http://localhost:5173/#/admin' }), dev)).toBe(true);
    expect(isTrustedSender(event({ url: 'http://localhost:5174/' }), dev)).toBe(false);
    expect(isTrustedSender(event({ url: ourPage }), dev)).toBe(false);
  });
});

/** A backend whose every use fails the test: proves a request never reached the router. */
function untouchableBackend(): { backend: () => Promise<Backend>; touched: string[] } {
  const touched: string[] = [];
  const backend = new Proxy({} as Backend, {
    get(_target, property) {
      if (property === 'then') return undefined; // awaited as a plain value, not used
      touched.push(String(property));
      throw new Error(`the router used backend.${String(property)}`);
    },
  });
  return { backend: async () => backend, touched };
}

describe('the tRPC channel handler', () => {
  it('rejects an untrusted sender before looking at the request or the backend', async () => {
    let asked = false;
    const handler = createTrpcHandler({
      trusted: () => trusted,
      backend: async () => {
        asked = true;
        throw new Error('unreachable');
      },
    });
    await expect(handler(event({ sender: webContents(2) }), {})).rejects.toThrow(/did not come from its own window/);
    await expect(handler(event({ url: 'https://evil.example/' }), {})).rejects.toThrow(/did not come from its own window/);
    expect(asked).toBe(false);
  });

  it('rejects every request while there is no window', async () => {
    const handler = createTrpcHandler({ trusted: () => undefined, backend: untouchableBackend().backend });
    await expect(handler(event(), {})).rejects.toThrow(/did not come from its own window/);
  });

  it('answers malformed wire requests with 400 without reaching the router', async () => {
    const { backend, touched } = untouchableBackend();
    const handler = createTrpcHandler({ trusted: () => trusted, backend });
    const valid = { url: 'http://clinicdesk.ipc/trpc/system.status', method: 'GET', headers: {}, body: null };
    for (const wire of [
      null,
      'GET /trpc/system.status',
      42,
      [],
      { ...valid, method: 'DELETE' },
      { ...valid, method: 'get ' },
      { ...valid, url: 'http://clinicdesk.ipc/admin' },
      { ...valid, url: 'http://clinicdesk.ipc/trpcx/system.status' },
      { ...valid, url: '/trpc/system.status' },
      { ...valid, url: 42 },
      { ...valid, method: 'POST', body: 'x'.repeat(8 * 1024 * 1024 + 1) },
      { ...valid, method: 'POST', body: { json: 1 } },
    ]) {
      const reply = await handler(event(), wire);
      expect(reply.status, JSON.stringify(wire)?.slice(0, 80)).toBe(400);
    }
    expect(touched).toEqual([]);
  });
});

describe('the tRPC channel end to end (demo clinic on PGlite)', () => {
  let app: TestBackend;
  beforeAll(async () => {
    app = await demoBackend('pglite');
  });
  afterAll(async () => {
    await app?.db.close();
  });

  // The requests renderer/src/trpc.ts makes: tRPC's HTTP link over a fetch that crosses IPC.
  const call = (handler: ReturnType<typeof createTrpcHandler>, path: string, input?: unknown) =>
    handler(event(), {
      url: `http://clinicdesk.ipc/trpc/${path}`,
      method: input === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: input === undefined ? null : JSON.stringify(input),
    });

  it("signs a window in and keeps its session in main, keyed by the window's webContents", async () => {
    const handler = createTrpcHandler({ trusted: () => trusted, backend: async () => app.backend });
    const sessionData = async () => JSON.parse((await call(handler, 'auth.session')).body).result.data;
    expect(await sessionData()).toBeNull();

    const wrong = await call(handler, 'auth.signIn', { email: DEMO_USERS.admin, password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).not.toContain('stack');

    const signIn = await call(handler, 'auth.signIn', { email: DEMO_USERS.admin, password: DEMO_PASSWORD });
    expect(signIn.status).toBe(200);
    expect(app.backend.sessions.get(`ipc:${mainContents.id}`)).toBeDefined();
    expect(JSON.stringify(await sessionData())).toContain(DEMO_USERS.admin);
  });
});
