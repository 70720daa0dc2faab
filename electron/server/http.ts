import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../shared/security';
import type { Backend } from './context';
import { handleTrpcRequest, TRPC_ENDPOINT } from './transport';

const CLIENT_COOKIE = 'clinicdesk_client';
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export interface BrowserServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(message);
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
 * Only a browser that opened the printed address (with this start's random token) gets a
 * client cookie; every other request, and any foreign Host or Origin, is refused.
 */
export async function startBrowserServer(options: {
  backend: Backend;
  rendererDir: string;
  port: number;
}): Promise<BrowserServer> {
  const token = randomBytes(24).toString('base64url');
  const clients = new Set<string>();
  let port = options.port;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const server = createServer(async (req, res) => {
    try {
      const host = req.headers.host ?? '';
      if (!allowedHosts().has(host)) return refuse(res, 421, 'Unknown host');
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedHosts().has(origin.replace(/^http:\/\//, ''))) {
        return refuse(res, 403, 'Cross-origin requests are not allowed');
      }
      if (req.headers['sec-fetch-site'] === 'cross-site') return refuse(res, 403, 'Cross-site requests are not allowed');

      const url = new URL(req.url ?? '/', `http://${host}`);
      const offered = url.searchParams.get('token');
      if (offered !== null) {
        if (!sameSecret(offered, token)) return refuse(res, 401, 'This link is not valid. Use the address ClinicDesk printed when it started.');
        const clientKey = randomBytes(24).toString('base64url');
        clients.add(clientKey);
        res.writeHead(303, {
          location: '/',
          'set-cookie': `${CLIENT_COOKIE}=${clientKey}; HttpOnly; SameSite=Strict; Path=/`,
          'cache-control': 'no-store',
        });
        return res.end();
      }
      const clientKey = cookie(req, CLIENT_COOKIE);
      if (!clientKey || !clients.has(clientKey)) {
        return refuse(res, 401, 'Open ClinicDesk with the address it printed when it started (it carries a one-time token).');
      }

      if (url.pathname.startsWith(`${TRPC_ENDPOINT}/`)) {
        const body = req.method === 'POST' ? await readBody(req) : null;
        if (req.method === 'POST' && body === null) return refuse(res, 413, 'Request too large');
        const headers = new Headers();
        if (req.headers['content-type']) headers.set('content-type', req.headers['content-type']);
        const request = new Request(url, { method: req.method, headers, body: req.method === 'POST' ? body : undefined });
        const response = await handleTrpcRequest(options.backend, request, {
          clientKey: `http:${clientKey}`,
          userAgent: req.headers['user-agent'],
        });
        res.writeHead(response.status, { ...Object.fromEntries(response.headers), 'cache-control': 'no-store' });
        return res.end(await response.text());
      }
      serveStatic(options.rendererDir, url.pathname, res);
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
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // An open tab keeps idle keep-alive connections: they must not hold the shutdown.
        server.closeAllConnections();
      }),
  };
}

function serveStatic(rendererDir: string, pathname: string, res: ServerResponse): void {
  const root = normalize(rendererDir);
  let file = normalize(join(root, decodeURIComponent(pathname)));
  if (!file.startsWith(root + sep) && file !== root) return refuse(res, 404, 'Not found');
  // Screens are client-side routes: anything that is not a file is the app itself.
  if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
  if (!existsSync(file)) return refuse(res, 500, 'The renderer is not built. Run `npm run build` first.');
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cache-control': extname(file) === '.html' ? 'no-store' : 'max-age=3600',
  });
  createReadStream(file).pipe(res);
}
