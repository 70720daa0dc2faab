import type { DatabaseStatus } from '../../shared/auth';
import type { ConnectionSettings } from '../../shared/connection';
import type { SessionStore } from './auth/sessions';
import type { Db } from './db/types';

export interface BackendConfig {
  /** Failed sign-ins in a row before the account locks, and for how long. */
  maxFailedSignIns: number;
  lockoutMinutes: number;
  /** Clinic code used when the sign-in form leaves it empty (remote mode with one tenant). */
  defaultClinicCode?: string;
}

/**
 * What only the desktop shell can do, handed in as a small interface so the router never
 * imports Electron (absent in browser mode).
 */
export interface DesktopServices {
  /** Keeps the remote connection, encrypted with the OS keychain; used from the next start. */
  saveConnection(settings: ConnectionSettings): Promise<void>;
}

/** What lives as long as the process: the database, the sessions, settings. */
export interface Backend {
  db: Db;
  sessions: SessionStore;
  config: BackendConfig;
  status: DatabaseStatus;
  desktop?: DesktopServices;
}

/** Who is calling, as the transport established it (never taken from the request body). */
export interface Caller {
  /** The window (IPC) or cookie (browser mode) this request came from. */
  clientKey: string;
  userAgent?: string;
}

export interface Context extends Caller {
  backend: Backend;
}

export function createContext(backend: Backend, caller: Caller): Context {
  return { backend, ...caller };
}
