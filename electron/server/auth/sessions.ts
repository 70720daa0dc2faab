import type { Permission } from '../../../shared/permissions';

export interface Session {
  userId: string;
  tenantId: string;
  clinicId: string;
  email: string;
  permissions: ReadonlySet<Permission>;
  signedInAt: number;
  lastActivityAt: number;
  locked: boolean;
}

/**
 * Signed-in sessions, held only in the trusted process. A client key identifies the
 * window (IPC: its webContents; browser mode: an HttpOnly cookie) and never leaves main.
 * A session idle for longer than `idleLockMs` locks itself: a reception PC is shared.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    readonly idleLockMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The client's session, locked first if it has been idle too long. */
  get(clientKey: string): Session | undefined {
    const session = this.sessions.get(clientKey);
    if (session && !session.locked && this.now() - session.lastActivityAt > this.idleLockMs) {
      session.locked = true;
    }
    return session;
  }

  start(clientKey: string, session: Omit<Session, 'signedInAt' | 'lastActivityAt' | 'locked'>): Session {
    const at = this.now();
    const started: Session = { ...session, signedInAt: at, lastActivityAt: at, locked: false };
    this.sessions.set(clientKey, started);
    return started;
  }

  touch(session: Session): void {
    session.lastActivityAt = this.now();
  }

  lock(clientKey: string): void {
    const session = this.sessions.get(clientKey);
    if (session) session.locked = true;
  }

  unlock(session: Session): void {
    session.locked = false;
    session.lastActivityAt = this.now();
  }

  end(clientKey: string): void {
    this.sessions.delete(clientKey);
  }
}
