import type { Permission } from '../../../shared/permissions';
import type { StaffAccess } from '../access/types';

export interface Session {
  userId: string;
  tenantId: string;
  clinicId: string;
  email: string;
  permissions: ReadonlySet<Permission>;
  /** This person's way into the database; closed when the session ends. */
  access: StaffAccess;
  /** Signed in with a temporary password: only changing it is allowed. */
  passwordChangeRequired: boolean;
  signedInAt: number;
  lastActivityAt: number;
  locked: boolean;
  /** When this session last logged opening each chart (patient id → time). */
  chartsLogged: Map<string, number>;
}

/** Re-reads of a chart within this time (a refresh after an edit, another tab of the record) are one opening. */
export const CHART_OPENING_MS = 10 * 60_000;

/**
 * Signed-in sessions, held only in the trusted process. A client key identifies the
 * window (IPC: its webContents; browser mode: an HttpOnly cookie) and never leaves main.
 * A session idle for longer than `idleLockMs` locks itself: a reception PC is shared.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly attempts = new Map<string, number[]>();
  /** Sign-in and unlock attempts a client may make per minute. */
  static readonly ATTEMPTS_PER_MINUTE = 10;

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

  /**
   * Counts a sign-in or unlock attempt from this client; false once it made too many in the
   * last minute (a batch or a script at one screen, whatever the accounts).
   */
  allowAttempt(clientKey: string): boolean {
    const since = this.now() - 60_000;
    const recent = (this.attempts.get(clientKey) ?? []).filter((at) => at > since);
    const allowed = recent.length < SessionStore.ATTEMPTS_PER_MINUTE;
    if (allowed) recent.push(this.now());
    this.attempts.set(clientKey, recent);
    if (this.attempts.size > 10_000) {
      for (const [key, times] of this.attempts) if (!times.some((at) => at > since)) this.attempts.delete(key);
    }
    return allowed;
  }

  /** The same session under a new client key (browser mode: a fresh cookie at sign-in). */
  rekey(from: string, to: string): void {
    const session = this.sessions.get(from);
    if (!session) return;
    this.sessions.delete(from);
    this.sessions.set(to, session);
  }

  start(clientKey: string, session: Omit<Session, 'signedInAt' | 'lastActivityAt' | 'locked' | 'chartsLogged'>): Session {
    const at = this.now();
    const started: Session = { ...session, signedInAt: at, lastActivityAt: at, locked: false, chartsLogged: new Map() };
    this.end(clientKey);
    this.sessions.set(clientKey, started);
    return started;
  }

  /**
   * True when reading this chart is a new opening to log: the first read in this session, or
   * the first after CHART_OPENING_MS. Marks it logged.
   */
  opensChart(session: Session, patientId: string): boolean {
    const at = this.now();
    const last = session.chartsLogged.get(patientId);
    if (last !== undefined && at - last < CHART_OPENING_MS) return false;
    session.chartsLogged.set(patientId, at);
    return true;
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
    const session = this.sessions.get(clientKey);
    this.sessions.delete(clientKey);
    session?.access.close().catch((error: Error) => console.warn('Closing a signed-out connection failed:', error.message));
  }

  /** Signs everyone out (the process is closing). */
  async endAll(): Promise<void> {
    const open = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.allSettled(open.map((session) => session.access.close()));
  }
}
