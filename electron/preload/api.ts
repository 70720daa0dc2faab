import type { WireRequest, WireResponse } from '../server/transport';

/** The one IPC channel between the renderer and main; main answers it with the tRPC router. */
export const TRPC_CHANNEL = 'clinicdesk:trpc';

/**
 * Everything the preload hands the renderer, as `window.clinicDesk` (the renderer declares
 * the same shape in renderer/src/env.d.ts, as it cannot import from here).
 */
export interface ClinicDeskBridge {
  trpcFetch(wire: WireRequest): Promise<WireResponse>;
}
