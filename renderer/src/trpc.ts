import { useQueryClient, type QueryFilters } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '../../electron/server/router';
import type { ClinicDeskBridge } from '../../shared/desktop-bridge';
import { noteRelinkNeeded } from './serverReach';

/** Fetch over the desktop preload's IPC channel: the same tRPC HTTP request, as plain data. */
function fetchOverIpc(bridge: ClinicDeskBridge) {
  return async (input: string | URL | Request, init?: { method?: string; headers?: HeadersInit; body?: unknown }): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const body = init?.body ?? null;
    if (body !== null && typeof body !== 'string') throw new TypeError('The desktop channel carries text bodies only.');
    const reply = await bridge.trpcFetch({
      url,
      method: init?.method ?? 'GET',
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      body,
    });
    return new Response(reply.body, { status: reply.status, headers: reply.headers });
  };
}

/**
 * Browser mode: the per-start request key the server wrote into this page. A page of any other
 * origin cannot read it, so it cannot make a request the server accepts.
 */
const requestKey = document.querySelector<HTMLMetaElement>('meta[name="clinicdesk-request-key"]')?.content ?? '';

/**
 * Browser mode's fetch. The server's own refusals (an unknown browser, a stale request key) are
 * plain text, unlike the router's: after a restart it knows neither, and the tab needs a new link.
 */
async function fetchOverHttp(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  const refusedByServer =
    (response.status === 401 || response.status === 403) && response.headers.get('content-type')?.startsWith('text/plain');
  if (refusedByServer) noteRelinkNeeded();
  return response;
}

// The server refuses larger batches (MAX_BATCH_SIZE): split them here instead.
const maxItems = 10;

// The desktop app has no HTTP server: the URL only carries the procedure path to main.
const link = window.clinicDesk
  ? httpBatchLink({ url: 'http://clinicdesk.ipc/trpc', fetch: fetchOverIpc(window.clinicDesk), maxItems })
  : httpBatchLink({
      url: `${location.origin}/trpc`,
      fetch: fetchOverHttp,
      maxItems,
      headers: () => ({ 'x-clinicdesk-request-key': requestKey }),
    });

/** The plain client, for calls made outside a screen (session, lock); screens use `useTRPC()`. */
export const trpc = createTRPCClient<AppRouter>({ links: [link] });

/**
 * Screens read through `useTRPC()`: `useQuery(trpc.patients.search.queryOptions(input))`. Its query
 * keys start with the procedure's path ([['patients', 'search'], { input }]), so a router's
 * `pathFilter()` finds every answer read from it.
 */
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/** A router of `useTRPC()`, e.g. `trpc.appointments`: what a change can make out of date. */
interface ReadFrom {
  pathFilter(): QueryFilters;
}

/**
 * A change's `onSuccess`: refreshes every answer read from the routers it touches, and keeps the
 * change pending until they are fresh, so the screen never shows the old answer as the new one.
 */
export function useRefresh(...routers: ReadFrom[]): () => Promise<void> {
  const client = useQueryClient();
  return async () => {
    await Promise.all(routers.map((router) => client.invalidateQueries(router.pathFilter())));
  };
}
