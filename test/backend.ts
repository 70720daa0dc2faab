import { SessionStore } from '../electron/server/auth/sessions';
import { DEFAULT_CONFIG } from '../electron/server/backend';
import { createContext, type Backend } from '../electron/server/context';
import type { Db, Engine } from '../electron/server/db/types';
import { appRouter } from '../electron/server/router';
import { createCallerFactory } from '../electron/server/trpc';
import { freshDatabase } from './engines';

export const DEMO_PASSWORD = 'clinicdesk-demo';
export const DEMO_USERS = {
  admin: 'admin@demo.clinic',
  doctor: 'dr.patel@demo.clinic',
  secondDoctor: 'dr.okafor@demo.clinic',
  nurse: 'nurse@demo.clinic',
  receptionist: 'reception@demo.clinic',
  billing: 'billing@demo.clinic',
} as const;

const callerFactory = createCallerFactory(appRouter);

export interface TestBackend {
  backend: Backend;
  db: Db;
  /** What one window (client key) can call, as the transports call it. */
  client(clientKey: string): ReturnType<typeof callerFactory>;
  /** A window already signed in as `email`. */
  signedIn(email: string, clientKey?: string): Promise<ReturnType<typeof callerFactory>>;
}

/** A backend over a fresh demo database; `now` lets tests move the idle-lock clock. */
export async function demoBackend(engine: Engine, now: () => number = Date.now): Promise<TestBackend> {
  const db = await freshDatabase(engine, { demo: true });
  const backend: Backend = {
    db,
    sessions: new SessionStore(5 * 60_000, now),
    config: DEFAULT_CONFIG,
    status: { kind: engine, label: engine },
  };
  const client = (clientKey: string) => callerFactory(createContext(backend, { clientKey }));
  return {
    backend,
    db,
    client,
    async signedIn(email, clientKey = `test:${email}:${Math.random()}`) {
      const caller = client(clientKey);
      await caller.auth.signIn({ email, password: DEMO_PASSWORD });
      return caller;
    },
  };
}
