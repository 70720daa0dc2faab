/// <reference types="vite/client" />
import type { ClinicDeskBridge } from '../../shared/desktop-bridge';

declare global {
  /** What the desktop preload exposes (shared/desktop-bridge.ts); absent in browser mode. */
  interface Window {
    readonly clinicDesk?: ClinicDeskBridge;
  }
}
