import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS, demoBackend, type TestBackend } from '../../test/backend';
import { startBrowserServer, type BrowserServer } from './http';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Raw HTTP, so tests can send the Host and Origin headers a browser would refuse to forge. */
function send(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: string; host?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: options.host ?? '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...options.headers } },
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
  let token: string;
  let cookie: string;
  const trpcPost = (path: string, input: unknown, headers: Record<string, string> = {}) =>
    send(server.port, `/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, ...headers },
      body: JSON.stringify(input),
    });

  beforeAll(async () => {
    app = await demoBackend('pglite');
    const rendererDir = mkdtempSync(join(tmpdir(), 'clinicdesk-renderer-'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>ClinicDesk</title>');
    server = await startBrowserServer({ backend: app.backend, rendererDir, port: 0 });
    token = new URL(server.url).searchParams.get('token')!;
    const exchange = await send(server.port, `/?token=${token}`);
    cookie = String(exchange.headers['set-cookie']).split(';')[0]!;
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

  it('refuses requests without the token, with a wrong token or a forged cookie', async () => {
    expect((await send(server.port, '/')).status).toBe(401);
    expect((await send(server.port, '/trpc/system.status')).status).toBe(401);
    const wrong = await send(server.port, '/?token=wrong-token');
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect((await send(server.port, '/trpc/system.status', { headers: { cookie: 'clinicdesk_client=forged' } })).status).toBe(401);
  });

  it('trades the token for an HttpOnly, SameSite=Strict cookie and then serves the app with a CSP', async () => {
    const exchange = await send(server.port, `/?token=${token}`);
    expect(exchange.status).toBe(303);
    expect(String(exchange.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    const page = await send(server.port, '/', { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('refuses a foreign Host (DNS rebinding) or Origin even with a valid cookie', async () => {
    expect((await send(server.port, '/trpc/system.status', { headers: { cookie, host: `evil.example:${server.port}` } })).status).toBe(421);
    expect((await trpcPost('auth.signIn', { email: DEMO_USERS.admin, password: DEMO_PASSWORD }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await trpcPost('auth.signOut', {}, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await send(server.port, '/trpc/system.status', { headers: { cookie, origin: `http://127.0.0.1:${server.port}` } })).status).toBe(200);
  });

  it('allows nothing but sign-in without a session, and sends no stack traces', async () => {
    const health = await send(server.port, '/trpc/admin.health', { headers: { cookie } });
    expect(health.status).toBe(401);
    expect(health.body).not.toMatch(/stack|at .*\.ts/);
    const signIn = await trpcPost('auth.signIn', { email: DEMO_USERS.admin, password: DEMO_PASSWORD });
    expect(signIn.status).toBe(200);
    expect(signIn.body).not.toMatch(/scrypt/);
    expect((await send(server.port, '/trpc/admin.health', { headers: { cookie } })).status).toBe(200);
    const bad = await trpcPost('auth.unlock', { password: 123 });
    expect(bad.status).toBe(400);
    expect(bad.body).not.toMatch(/"stack"/);
  });

  it('does not serve files outside the renderer', async () => {
    const escape = await send(server.port, '/..%2f..%2f..%2fetc%2fpasswd', { headers: { cookie } });
    expect(escape.body).not.toMatch(/root:/);
  });
});
