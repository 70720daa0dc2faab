/// <reference types="vite/client" />

/** One tRPC HTTP request in plain data, as the desktop preload carries it over IPC. */
interface ClinicDeskWireRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | null;
}

interface ClinicDeskWireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What the desktop preload exposes; absent in browser mode. */
interface ClinicDeskBridge {
  trpcFetch(wire: ClinicDeskWireRequest): Promise<ClinicDeskWireResponse>;
}

interface Window {
  readonly clinicDesk?: ClinicDeskBridge;
}
