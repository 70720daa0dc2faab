/**
 * What crosses the desktop app's one IPC channel, declared once for main (electron/server/transport.ts),
 * the preload (electron/preload) and the page (renderer/src/env.d.ts). Types only: each side
 * checks what it receives itself.
 */
import type { PrintedPdf } from './print';

/** One tRPC HTTP request in plain data (structured-clone safe). */
export interface WireRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | null;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What the desktop preload hands the page as `window.clinicDesk`; absent in browser mode. */
export interface ClinicDeskBridge {
  trpcFetch(wire: WireRequest): Promise<WireResponse>;
  /** Saves a printout where the person chooses and opens it in the system viewer to print; false if they cancel. */
  savePdf(pdf: PrintedPdf): Promise<boolean>;
}
