import type { FirstClinicInput } from '../../../shared/tenants';
import type { Engine, Queryable } from '../db/types';

/** What a sign-in form sends, plus what the transport knows of the caller. */
export interface SignInAttempt {
  clinicCode: string | null;
  email: string;
  password: string;
  userAgent?: string;
}

/**
 * One signed-in staff member's way into the database. Every request is one transaction in
 * which the database itself knows who is asking: domain code gets only this handle.
 */
export interface StaffAccess {
  readonly tenantId: string;
  readonly userId: string;
  request<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** The same person's password again (unlocking the screen); throws DomainError when wrong. */
  confirmPassword(password: string, userAgent?: string): Promise<void>;
  /** After this person's password changed: new connections use the new one (remote). */
  usePassword(password: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The doors into the clinic's data: sign-in, and nothing else. Offline (PGlite) the app checks
 * the password; remote, PostgreSQL does (one login per staff member).
 */
export interface ClinicAccess {
  readonly engine: Engine;
  signIn(attempt: SignInAttempt): Promise<StaffAccess>;
  /** Offline only: a PC with no clinic yet sets one up (the operator CLI does it on a server). */
  firstRun?: FirstRun;
  close(): Promise<void>;
}

export interface FirstRun {
  needed(): Promise<boolean>;
  /** Creates the clinic and its administrator; refused once any clinic exists. */
  createClinic(input: FirstClinicInput): Promise<void>;
}

export const WRONG_CREDENTIALS = 'The email or password is not right. Check them and try again.';
