import type { WireResponse } from '../../shared/desktop-bridge';
import type { Backend } from '../server/context';
import { handleWireRequest } from '../server/transport';
import { isRendererUrl, type RendererLocation } from './renderer-location';

/**
 * The parts of Electron's IpcMainInvokeEvent the sender check reads, so the check and the
 * handler run in plain Node under test with a hand-made event.
 */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
}
export interface TrpcInvokeEvent {
  readonly sender: { readonly id: number; getUserAgent(): string };
  readonly senderFrame: SenderFrame | null;
}

export interface TrustedRenderer {
  /** The main window's webContents: the only one allowed to call the router. */
  contents: unknown;
  location: RendererLocation;
}

/**
 * Only our window's top frame, showing our renderer, may call the router: not another
 * webContents, not an iframe inside ours, not our window after it was navigated elsewhere.
 */
export function isTrustedSender(event: TrpcInvokeEvent, trusted: TrustedRenderer): boolean {
  const frame = event.senderFrame;
  return event.sender === trusted.contents && frame !== null && frame.parent === null && isRendererUrl(frame.url, trusted.location);
}

export class UntrustedSenderError extends Error {
  constructor() {
    super('ClinicDesk refused a request that did not come from its own window.');
  }
}

/**
 * The handler for the tRPC channel. Both getters are read per call: `trusted()` is undefined
 * until the window exists, and `backend()` may still be opening, so the first requests wait.
 */
export function createTrpcHandler(options: {
  trusted: () => TrustedRenderer | undefined;
  backend: () => Promise<Backend>;
}): (event: TrpcInvokeEvent, wire: unknown) => Promise<WireResponse> {
  return async (event, wire) => {
    const trusted = options.trusted();
    if (!trusted || !isTrustedSender(event, trusted)) {
      console.warn(`[clinicdesk] refused IPC from webContents ${event.sender.id} (${event.senderFrame?.url ?? 'no frame'})`);
      throw new UntrustedSenderError();
    }
    const backend = await options.backend();
    return handleWireRequest(backend, wire, { clientKey: `ipc:${event.sender.id}`, userAgent: event.sender.getUserAgent() });
  };
}
