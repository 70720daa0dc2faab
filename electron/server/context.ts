import type { DatabaseStatus } from '../../shared/auth';
import type { ConnectionSettings } from '../../shared/connection';
import type { ClinicAccess } from './access/types';
import type { SessionStore } from './auth/sessions';
import type { BackupService } from './backups/service';

/**
 * What only the desktop shell can do, handed in as a small interface so the router never
 * imports Electron (absent in browser mode).
 */
export interface DesktopServices {
  /** Keeps the remote connection, encrypted with the OS keychain; used from the next start. */
  saveConnection(settings: ConnectionSettings): Promise<void>;
}

/**
 * What lives as long as the process: the door to the database (sign-in only: requests go
 * through the signed-in person's own access), the sessions, settings.
 */
export interface Backend {
  access: ClinicAccess;
  sessions: SessionStore;
  /** Offline, before any clinic exists: switch to the demo clinic in memory (the real database stays empty). */
  startDemo?: () => Promise<void>;
  status: DatabaseStatus;
  desktop?: DesktopServices;
  /** The offline database on disk only: encrypted, verified backups and restores. */
  backups?: BackupService;
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
