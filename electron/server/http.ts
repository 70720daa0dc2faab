import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../shared/security';
import type { Backend } from './context';
import { handleTrpcRequest, TRPC_ENDPOINT } from './transport';

const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** The header carrying the per-start request key that the served page holds. */
export const REQUEST_KEY_HEADER = 'x-clinicdesk-request-key';
/** Browser clients remembered at most (each browser that opened a link is one). */
const MAX_CLIENTS = 1000;
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  // pdf.js's worker (a module worker: refused unless served as JavaScript).
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface BrowserServer {
  /** The first one-time link to open. */
  url: string;
  port: number;
  /** Another one-time link (another browser, or the same one after its cookie was lost). */
  newLink(): string;
  close(): Promise<void>;
}

/** A link opens one browser, once, within this time. */
const LINK_LIFETIME_MS = 10 * 60_000;

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The client key among the request's cookies of this name. A page of another local port can
 * set a cookie of the same name for 127.0.0.1 (cookies ignore ports, and a narrower path is
 * sent first): only a key this server issued counts, wherever it comes in the header.
 */
function knownClient(req: IncomingMessage, name: string, clients: ReadonlySet<string>): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    const offered = value.join('=');
    if (key === name && clients.has(offered)) return offered;
  }
  return undefined;
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(message);
}

/**
 * A refused page opened in the browser (F5 after a restart, a used link): a readable page saying
 * what to do, instead of plain text. Fixed text only, no script.
 */
function refusePage(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'cache-control': 'no-store',
  });
  res.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ClinicDesk needs a new link</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1.5rem;color:#1d2733}</style></head>
<body><h1>ClinicDesk needs a new link</h1><p>${message}</p>
<p>Press Enter in the window where ClinicDesk runs: it prints a new link. Open it in this browser within 10 minutes, then sign in.</p>
</body></html>`);
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Browser mode: the built renderer and the same router over HTTP, on loopback only.
 * Only a browser that opened a printed one-time link (single use, short-lived) gets a
 * client cookie; every other request, and any foreign Host or Origin, is refused. Cookies
 * ignore ports, so a page served by another local program would send ours too: every router
 * call must also carry the per-start request key written into our page (which no other origin
 * can read), and must not say it came from another site or origin.
 */
export async function startBrowserServer(options: {
  backend: Backend;
  rendererDir: string;
  port: number;
  linkLifetimeMs?: number;
}): Promise<BrowserServer> {
  // One-time links: token → when it stops working. Used once, then gone.
  const links = new Map<string, number>();
  const newToken = (): string => {
    const now = Date.now();
    for (const [token, until] of links) if (until <= now) links.delete(token);
    const token = randomBytes(24).toString('base64url');
    links.set(token, now + (options.linkLifetimeMs ?? LINK_LIFETIME_MS));
    return token;
  };
  const redeem = (offered: string): boolean => {
    const match = [...links.keys()].find((token) => sameSecret(offered, token));
    if (!match) return false;
    const until = links.get(match)!;
    links.delete(match);
    return until > Date.now();
  };
  const requestKey = randomBytes(24).toString('base64url');
  const clients = new Set<string>();
  let port = options.port;
  let clientCookie = 'clinicdesk_client';
  const newClient = (): string => {
    const key = randomBytes(24).toString('base64url');
    clients.add(key);
    // Oldest first: a set keeps insertion order.
    for (const old of clients) {
      if (clients.size <= MAX_CLIENTS) break;
      clients.delete(old);
    }
    return key;
  };
  const cookieFor = (key: string) => `${clientCookie}=${key}; HttpOnly; SameSite=Strict; Path=/`;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const server = createServer(async (req, res) => {
    try {
      const host = req.headers.host ?? '';
      if (!allowedHosts().has(host)) return refuse(res, 421, 'Unknown host');
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedHosts().has(origin.replace(/^http:\/\//, ''))) {
        return refuse(res, 403, 'Cross-origin requests are not allowed');
      }
      const fetchSite = req.headers['sec-fetch-site'];
      if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') {
        return refuse(res, 403, 'Requests from other sites or ports are not allowed');
      }

      let url: URL;
      try {
        url = new URL(req.url ?? '/', `http://${host}`);
        decodeURIComponent(url.pathname + url.search);
      } catch {
        return refuse(res, 400, 'Malformed address');
      }
      const offered = url.searchParams.get('token');
      if (offered !== null) {
        if (!redeem(offered)) return refusePage(res, 401, 'This link was used already, has expired or is not valid.');
        res.writeHead(303, { location: '/', 'set-cookie': cookieFor(newClient()), 'cache-control': 'no-store' });
        return res.end();
      }
      const clientKey = knownClient(req, clientCookie, clients);
      const routerCall = url.pathname.startsWith(`${TRPC_ENDPOINT}/`);
      if (!clientKey) {
        // After a restart an open tab lands here: its page shows a screen for it (the reason is in the text).
        if (routerCall) return refuse(res, 401, 'This browser is not let in: ClinicDesk restarted, or no link was opened here.');
        return refusePage(res, 401, 'ClinicDesk restarted since this browser was let in, or no link of it was opened here yet.');
      }

      if (routerCall) {
        const offeredKey = req.headers[REQUEST_KEY_HEADER];
        if (typeof offeredKey !== 'string' || !sameSecret(offeredKey, requestKey)) {
          return refuse(res, 403, 'This request did not come from the ClinicDesk page.');
        }
        const body = req.method === 'POST' ? await readBody(req) : null;
        if (req.method === 'POST' && body === null) return refuse(res, 413, 'Request too large');
        const requestHeaders = new Headers();
        if (req.headers['content-type']) requestHeaders.set('content-type', req.headers['content-type']);
        const request = new Request(url, { method: req.method, headers: requestHeaders, body: req.method === 'POST' ? body : undefined });
        const started = Date.now();
        const response = await handleTrpcRequest(options.backend, request, {
          clientKey: `http:${clientKey}`,
          userAgent: req.headers['user-agent'],
        });
        const headers: Record<string, string> = { ...Object.fromEntries(response.headers), 'cache-control': 'no-store' };
        // A fresh client key at every sign-in: a key seen before it is worth nothing after.
        // Whatever the path spelled (tRPC decodes it): a session that began during this request.
        const signedIn = options.backend.sessions.get(`http:${clientKey}`);
        if (signedIn && signedIn.signedInAt >= started) {
          const fresh = newClient();
          options.backend.sessions.rekey(`http:${clientKey}`, `http:${fresh}`);
          clients.delete(clientKey);
          headers['set-cookie'] = cookieFor(fresh);
        }
        res.writeHead(response.status, headers);
        return res.end(await response.text());
      }
      serveStatic(options.rendererDir, url.pathname, res, requestKey);
    } catch (error) {
      console.error('[clinicdesk] browser-mode request failed', error);
      if (!res.headersSent) refuse(res, 500, 'Internal error');
      else res.end();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  port = (server.address() as AddressInfo).port;
  // Cookies ignore ports: two ClinicDesks on one PC must not overwrite each other's.
  clientCookie = `clinicdesk_client_${port}`;
  const newLink = () => `http://127.0.0.1:${port}/?token=${newToken()}`;
  return {
    url: newLink(),
    port,
    newLink,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // An open tab keeps idle keep-alive connections: they must not hold the shutdown.
        server.closeAllConnections();
      }),
  };
}

function serveStatic(rendererDir: string, pathname: string, res: ServerResponse, requestKey: string): void {
  const root = normalize(rendererDir);
  let file = normalize(join(root, decodeURIComponent(pathname)));
  if (!file.startsWith(root + sep) && file !== root) return refuse(res, 404, 'Not found');
  // Screens are client-side routes: anything that is not a file is the app itself.
  if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
  if (!existsSync(file)) return refuse(res, 500, 'The renderer is not built. Run `npm run build` first.');
  const html = extname(file) === '.html';
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': html ? 'no-store' : 'max-age=3600',
  });
  if (!html) return void createReadStream(file).pipe(res);
  // The page carries this start's request key; only same-origin script can read it.
  res.end(readFileSync(file, 'utf8').replace('</head>', `<meta name="clinicdesk-request-key" content="${requestKey}"></head>`));
}
