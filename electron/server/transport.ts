import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { WireRequest, WireResponse } from '../../shared/desktop-bridge';
import { createContext, type Backend, type Caller } from './context';
import { appRouter } from './router';

export const TRPC_ENDPOINT = '/trpc';
/** Calls one request may batch: enough for a screen, too few for a guessing script. */
export const MAX_BATCH_SIZE = 10;

/**
 * The router behind any transport: browser-mode HTTP, the desktop's IPC channel, and later
 * the clinic LAN all hand it a fetch Request and the caller the transport vouched for.
 */
export function handleTrpcRequest(backend: Backend, request: Request, caller: Caller): Promise<Response> {
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req: request,
    router: appRouter,
    maxBatchSize: MAX_BATCH_SIZE,
    createContext: () => createContext(backend, caller),
  });
}

const MAX_WIRE_BODY = 8 * 1024 * 1024;

/** Validates a request that crossed IPC from the untrusted renderer and answers it. */
export async function handleWireRequest(backend: Backend, wire: unknown, caller: Caller): Promise<WireResponse> {
  const request = parseWireRequest(wire);
  if (!request) return { status: 400, headers: { 'content-type': 'text/plain' }, body: 'Malformed request' };
  const response = await handleTrpcRequest(backend, request, caller);
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}

function parseWireRequest(wire: unknown): Request | null {
  if (typeof wire !== 'object' || wire === null) return null;
  const { url, method, headers, body } = wire as Partial<WireRequest>;
  if (typeof url !== 'string' || (method !== 'GET' && method !== 'POST')) return null;
  if (body !== null && body !== undefined && (typeof body !== 'string' || body.length > MAX_WIRE_BODY)) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!parsed.pathname.startsWith(`${TRPC_ENDPOINT}/`)) return null;
  const safeHeaders = new Headers();
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (typeof value === 'string' && /^[a-z0-9-]+$/i.test(name)) safeHeaders.set(name, value);
  }
  return new Request(parsed, { method, headers: safeHeaders, body: method === 'POST' ? (body ?? '') : undefined });
}
