import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS, demoBackend, type TestBackend } from '../../test/backend';
import { REQUEST_KEY_HEADER, startBrowserServer, type BrowserServer } from './http';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Raw HTTP, so tests can send the Host and Origin headers a browser would refuse to forge. */
function send(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; host?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: options.host ?? '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: { host: `127.0.0.1:${port}`, ...options.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('browser mode boundary', () => {
  let app: TestBackend;
  let server: BrowserServer;
  let cookie: string;
  let requestKey: string;
  const trpcPost = (path: string, input: unknown, headers: Record<string, string> = {}) =>
    send(server.port, `/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, [REQUEST_KEY_HEADER]: requestKey, ...headers },
      body: JSON.stringify(input),
    });
  const trpcGet = (path: string, headers: Record<string, string> = {}) =>
    send(server.port, `/trpc/${path}`, { headers: { cookie, [REQUEST_KEY_HEADER]: requestKey, ...headers } });
  const freshToken = () => new URL(server.newLink()).searchParams.get('token')!;
  /** The cookie a Set-Cookie header sets, as a browser sends it back: name=value. */
  const cookieSetBy = (header: unknown) => String(header).replace(/;.*/s, '');
  /** A browser's first visit: a one-time link traded for a cookie, and the page (holding the request key). */
  async function visit(): Promise<{ cookie: string; requestKey: string }> {
    const exchange = await send(server.port, `/?token=${freshToken()}`);
    const visitor = cookieSetBy(exchange.headers['set-cookie']);
    const page = await send(server.port, '/', { headers: { cookie: visitor } });
    const [, requestKey] = /name="clinicdesk-request-key" content="([^"]+)"/.exec(page.body) ?? [];
    if (!requestKey) throw new Error('the page carries no request key');
    return { cookie: visitor, requestKey };
  }

  beforeAll(async () => {
    app = await demoBackend('pglite');
    const rendererDir = mkdtempSync(join(tmpdir(), 'clinicdesk-renderer-'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>ClinicDesk</title></head><body></body></html>');
    server = await startBrowserServer({ backend: app.backend, rendererDir, port: 0 });
    ({ cookie, requestKey } = await visit());
  });
  afterAll(async () => {
    await server?.close();
    await app?.db.close();
  });

  it('prints a loopback address with a long random token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
  });

  it('listens on loopback only', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === 'IPv4' && !address.internal);
    if (!external) {
      console.log('No non-loopback IPv4 address on this machine: the listen address alone is checked');
    } else {
      await expect(send(server.port, '/', { host: external.address })).rejects.toThrow(/ECONNREFUSED/);
    }
  });

  it('lets a link open nothing once it has expired', async () => {
    const rendererDir = mkdtempSync(join(tmpdir(), 'clinicdesk-renderer-'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><html><head></head><body></body></html>');
    const shortLived = await startBrowserServer({ backend: app.backend, rendererDir, port: 0, linkLifetimeMs: 1 });
    try {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const late = await send(shortLived.port, new URL(shortLived.url).pathname + new URL(shortLived.url).search);
      expect(late.status).toBe(401);
      expect(late.body).toMatch(/expired/);
    } finally {
      await shortLived.close();
    }
  });

  it('refuses requests without the token, with a wrong token or a forged cookie', async () => {
    expect((await send(server.port, '/')).status).toBe(401);
    expect((await send(server.port, '/trpc/system.status')).status).toBe(401);
    const wrong = await send(server.port, '/?token=wrong-token');
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(
      (await send(server.port, '/trpc/system.status', { headers: { cookie: `clinicdesk_client_${server.port}=forged` } })).status,
    ).toBe(401);
  });

  it('tells a browser it does not know (after a restart) what to do on a page without script, and the page’s calls in plain text', async () => {
    const page = await send(server.port, '/');
    expect(page.status).toBe(401);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).toContain('ClinicDesk restarted since this browser was let in');
    expect(page.body).toContain('Press Enter in the window where ClinicDesk runs');
    expect(page.body).not.toContain('<script');
    const used = await send(server.port, '/?token=wrong-token');
    expect(used.body).toContain('This link was used already, has expired or is not valid.');
    // The open tab's calls: plain text, which its page tells apart from the router's own (JSON) refusals.
    const call = await send(server.port, '/trpc/system.status');
    expect(call.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('trades a one-time link for an HttpOnly, SameSite=Strict cookie and then serves the app with a CSP', async () => {
    const link = freshToken();
    const exchange = await send(server.port, `/?token=${link}`);
    expect(exchange.status).toBe(303);
    // Once only: the same link opens nothing a second time.
    const again = await send(server.port, `/?token=${link}`);
    expect(again.status).toBe(401);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(String(exchange.headers['set-cookie'])).toMatch(
      new RegExp(`^clinicdesk_client_${server.port}=[^;]+; HttpOnly; SameSite=Strict`),
    );
    const page = await send(server.port, '/', { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('refuses a foreign Host (DNS rebinding) or Origin even with a valid cookie', async () => {
    expect((await trpcGet('system.status', { host: `evil.example:${server.port}` })).status).toBe(421);
    expect(
      (await trpcPost('auth.signIn', { email: DEMO_USERS.admin, password: DEMO_PASSWORD }, { origin: 'https://evil.example' })).status,
    ).toBe(403);
    expect((await trpcPost('auth.signOut', {}, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await trpcGet('system.status', { origin: `http://127.0.0.1:${server.port}` })).status).toBe(200);
  });

  it('serves the router only to its own page: another local port’s page has the cookie but not the request key', async () => {
    // What a page of another program on 127.0.0.1 can make the browser send: our cookie (cookies
    // ignore ports), with Sec-Fetch-Site: same-site, and no request key (it cannot read our page).
    expect((await send(server.port, '/trpc/system.status', { headers: { cookie } })).status).toBe(403);
    expect((await trpcGet('system.status', { 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await trpcGet('system.status', { [REQUEST_KEY_HEADER]: 'guessed' })).status).toBe(403);
    expect((await trpcGet('system.status', { 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    // A cookie of our name tossed in by another port's page (sent first, for a narrower path) changes nothing.
    expect((await trpcGet('system.status', { cookie: `clinicdesk_client_${server.port}=tossed; ${cookie}` })).status).toBe(200);
  });

  it('answers a malformed address with 400, not 500', async () => {
    expect((await send(server.port, '/assets/%E0%A4%A', { headers: { cookie } })).status).toBe(400);
    expect((await trpcGet('patients.get?input=%E0%A4%A')).status).toBe(400);
  });

  it('refuses a batch of more calls than a screen makes, and more sign-ins than a person makes', async () => {
    const visitor = await visit();
    const guesses = Array.from({ length: 30 }, (_, i) => ({
      email: DEMO_USERS.billing,
      password: i === 29 ? DEMO_PASSWORD : `guess-${i}`,
    }));
    const batch = await send(server.port, `/trpc/${guesses.map(() => 'auth.signIn').join(',')}?batch=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: visitor.cookie, [REQUEST_KEY_HEADER]: visitor.requestKey },
      body: JSON.stringify(Object.fromEntries(guesses.map((guess, i) => [i, guess]))),
    });
    expect(batch.status).toBe(400);
    expect(batch.body).not.toMatch(/"user"/);
    const ten = await send(
      server.port,
      `/trpc/${guesses
        .slice(0, 10)
        .map(() => 'auth.signIn')
        .join(',')}?batch=1`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: visitor.cookie, [REQUEST_KEY_HEADER]: visitor.requestKey },
        body: JSON.stringify(Object.fromEntries(guesses.slice(0, 10).map((guess, i) => [i, guess]))),
      },
    );
    expect(ten.status).not.toBe(200);
    const answers = JSON.parse(ten.body) as { error?: { json?: { message: string } }; error_?: never }[];
    const messages = answers.map((answer) => JSON.stringify(answer));
    // Five guesses are checked at most; the rest are refused as locked, never verified.
    expect(messages.filter((m) => /not right/.test(m)).length).toBeLessThanOrEqual(5);
    expect(messages.filter((m) => /locked/.test(m)).length).toBeGreaterThanOrEqual(5);
    const eleventh = await send(server.port, '/trpc/auth.signIn', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: visitor.cookie, [REQUEST_KEY_HEADER]: visitor.requestKey },
      body: JSON.stringify({ email: DEMO_USERS.nurse, password: DEMO_PASSWORD }),
    });
    expect(eleventh.status).toBe(429);
    expect(eleventh.body).toMatch(/Wait a minute/);
  });

  it('allows nothing but sign-in without a session, and sends no stack traces', async () => {
    const health = await trpcGet('admin.health');
    expect(health.status).toBe(401);
    expect(health.body).not.toMatch(/stack|at .*\.ts/);
    const signIn = await trpcPost('auth.signIn', { email: DEMO_USERS.admin, password: DEMO_PASSWORD });
    expect(signIn.status).toBe(200);
    expect(signIn.body).not.toMatch(/scrypt/);
    // A fresh key at sign-in: the cookie from before it no longer opens anything.
    const before = cookie;
    cookie = cookieSetBy(signIn.headers['set-cookie']);
    expect(cookie).not.toBe(before);
    expect((await trpcGet('admin.health', { cookie: before })).status).toBe(401);
    expect((await trpcGet('admin.health')).status).toBe(200);
    // However the procedure is spelled in the path, a sign-in gets a fresh key.
    const other = await visit();
    const encoded = await send(server.port, '/trpc/auth.sign%49n', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: other.cookie, [REQUEST_KEY_HEADER]: other.requestKey },
      body: JSON.stringify({ email: DEMO_USERS.doctor, password: DEMO_PASSWORD }),
    });
    expect(encoded.status).toBe(200);
    expect(String(encoded.headers['set-cookie']).split(';')[0]).not.toBe(other.cookie);
    const bad = await trpcPost('auth.unlock', { password: 123 });
    expect(bad.status).toBe(400);
    expect(bad.body).not.toMatch(/"stack"/);
  });

  it('does not serve files outside the renderer', async () => {
    const escape = await send(server.port, '/..%2f..%2f..%2fetc%2fpasswd', { headers: { cookie } });
    expect(escape.body).not.toMatch(/root:/);
  });
});
