import type { DatabaseStatus } from '../../shared/auth';
import type { SessionStore } from './auth/sessions';
import type { Db } from './db/types';

export interface BackendConfig {
  /** Failed sign-ins in a row before the account locks, and for how long. */
  maxFailedSignIns: number;
  lockoutMinutes: number;
  /** Clinic code used when the sign-in form leaves it empty (remote mode with one tenant). */
  defaultClinicCode?: string;
}

/** What lives as long as the process: the database, the sessions, settings. */
export interface Backend {
  db: Db;
  sessions: SessionStore;
  config: BackendConfig;
  status: DatabaseStatus;
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
