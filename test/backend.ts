import { TRPCError } from '@trpc/server';
import { getErrorShape } from '@trpc/server/unstable-core-do-not-import';
import type { SessionRefusal } from '../shared/session-refusals';
import { offlineAccess } from '../electron/server/access/offline';
import { hashPassword } from '../electron/server/auth/passwords';
import { remoteAccess } from '../electron/server/access/remote';
import { scramVerifier, staffLoginName } from '../electron/server/auth/scram';
import { SessionStore } from '../electron/server/auth/sessions';
import { serverAddress } from '../electron/server/backend';
import { createContext, type Backend } from '../electron/server/context';
import { openPostgres } from '../electron/server/db/postgres';
import { withRequest } from '../electron/server/db/request';
import { one } from '../electron/server/db/rows';
import type { Db, Engine, Queryable, QueryResult, SqlParam } from '../electron/server/db/types';
import { appRouter } from '../electron/server/router';
import { createCallerFactory } from '../electron/server/trpc';
import { freshDatabase } from './engines';
import { createTenantFixture } from './fixtures';

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

/** A refused call as the screen receives it: what the router's error formatter puts on the wire. */
export interface Refusal {
  code: string;
  message: string;
  fieldErrors?: Record<string, string>;
  reason?: SessionRefusal;
}

export async function refusal(work: Promise<unknown>): Promise<Refusal> {
  try {
    await work;
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const { message, data } = getErrorShape({
      config: appRouter._def._config,
      error,
      type: 'unknown',
      path: undefined,
      input: undefined,
      ctx: undefined,
    });
    return { code: error.code, message, fieldErrors: data.fieldErrors, reason: data.reason };
  }
  throw new Error('expected a refusal');
}

/** What one statement typed by hand did: its rows, or the SQLSTATE it was refused with. */
export type Outcome = Record<string, unknown>[] | { refused: string };

export interface TestBackend {
  backend: Backend;
  /** The owner's connection, for setting up and checking what the router did. */
  db: Db;
  /** What one window (client key) can call, as the transports call it. */
  client(clientKey: string): ReturnType<typeof callerFactory>;
  /** A window already signed in as `email`. */
  signedIn(email: string, clientKey?: string): Promise<ReturnType<typeof callerFactory>>;
  /**
   * Lets these staff members sign in with `password`: their offline password hash, and on
   * PostgreSQL their own database login (as the operator or an administrator would).
   */
  giveLogins(tenantId: string, userIds: string[], password: string): Promise<void>;
  /**
   * SQL typed by hand as a staff member of the clinic `clinicCode` (with DEMO_PASSWORD): on
   * PostgreSQL through their own database login (what a lifted clinic PC gives), on PGlite as
   * the app runs a request for them. One transaction; each statement's rows or its SQLSTATE.
   */
  typedBy(email: string, clinicCode: string, statements: string[]): Promise<Outcome[]>;
  close(): Promise<void>;
}

/** Provisions PostgreSQL logins as the owner, for the users of one tenant. */
export async function provisionLogins(db: Db, tenantId: string, userIds: string[], password: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenantId]);
    for (const userId of userIds) await tx.query(`SELECT provision_staff_login($1, $2)`, [userId, scramVerifier(password)]);
  });
}

/**
 * A backend over a fresh demo database, as the app runs it: on PGlite the offline clinic; on
 * PostgreSQL remote mode, where every demo user signs in as their own database login (never
 * the superuser the test set up with). `now` lets tests move the idle-lock clock.
 */
export async function demoBackend(engine: Engine, now: () => number = Date.now): Promise<TestBackend> {
  const db = await freshDatabase(engine, { demo: true });
  const sessions = new SessionStore(5 * 60_000, now);
  let access;
  if (engine === 'postgres') {
    const demo = await one<{ tenant_id: string; user_ids: string[] }>(
      db,
      `SELECT tenant_id, array_agg(id) AS user_ids FROM users GROUP BY tenant_id`,
    );
    await provisionLogins(db, demo.tenant_id, demo.user_ids, DEMO_PASSWORD);
    access = remoteAccess(serverAddress(db.url!), 'demo');
  } else {
    access = offlineAccess(db);
  }
  const backend: Backend = { access, sessions, status: { kind: engine, label: engine } };
  const client = (clientKey: string) => callerFactory(createContext(backend, { clientKey }));
  const logins: Db[] = [];
  return {
    backend,
    db,
    client,
    async signedIn(email, clientKey = `test:${email}:${Math.random()}`) {
      const caller = client(clientKey);
      await caller.auth.signIn({ email, password: DEMO_PASSWORD, clinicCode: 'demo' });
      return caller;
    },
    async giveLogins(tenantId, userIds, password) {
      const hash = await hashPassword(password);
      await db.query(`UPDATE users SET password_hash = $1 WHERE id = ANY($2::uuid[])`, [hash, userIds]);
      if (engine === 'postgres') await provisionLogins(db, tenantId, userIds, password);
    },
    async typedBy(email, clinicCode, statements) {
      const run = async (tx: Queryable) => {
        const outcomes: Outcome[] = [];
        for (const sql of statements) {
          await tx.query('SAVEPOINT typed');
          try {
            outcomes.push((await tx.query(sql)).rows);
            await tx.query('RELEASE SAVEPOINT typed');
          } catch (error) {
            outcomes.push({ refused: (error as { code?: string }).code ?? 'error' });
            await tx.query('ROLLBACK TO SAVEPOINT typed');
          }
        }
        return outcomes;
      };
      const who = await one<{ tenantId: string; userId: string }>(
        db,
        `SELECT u.tenant_id AS "tenantId", u.id AS "userId" FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.email = $1 AND t.slug = $2`,
        [email, clinicCode],
      );
      return inStaffAccess(db, { ...who, clinicCode, email }, DEMO_PASSWORD, logins, run);
    },
    async close() {
      await Promise.all(logins.map((login) => login.close()));
      await sessions.endAll();
      await db.close();
    },
  };
}

/** Who types SQL as a staff member: their clinic, their id, and (on PostgreSQL) their login's clinic code and email. */
export interface StaffIdentity {
  tenantId: string;
  userId: string;
  clinicCode: string;
  email: string;
}

/**
 * One transaction as a staff member's own database access, as a lifted credential would give
 * it: on PostgreSQL their own login (a new connection each call, kept in `logins` to close), on
 * PGlite the app role with their identity.
 */
async function inStaffAccess<T>(
  db: Db & { url?: string },
  who: StaffIdentity,
  password: string,
  logins: Db[],
  work: (tx: Queryable) => Promise<T>,
): Promise<T> {
  if (db.engine === 'pglite') return withRequest(db, who, work);
  const url = new URL(serverAddress(db.url!));
  url.username = staffLoginName(url.pathname.slice(1), who.clinicCode, who.email);
  url.password = password;
  const login = await openPostgres({ connectionString: url.href, max: 1 });
  logins.push(login);
  return login.transaction(work);
}

/**
 * Raw SQL as a staff member's own database access, as a lifted credential would give it: on
 * PostgreSQL their own login (a new connection each call, so two calls can run at the same
 * moment), on PGlite the app role with their identity. One transaction per call; `within` keeps
 * it open for the whole of `work` (to hold locks while another call runs).
 */
export function staffSql(app: TestBackend, password = DEMO_PASSWORD) {
  const logins: Db[] = [];
  const within = <T>(who: StaffIdentity, work: (tx: Queryable) => Promise<T>): Promise<T> =>
    inStaffAccess(app.db, who, password, logins, work);
  return {
    run(who: StaffIdentity, sql: string, params: SqlParam[] = []): Promise<QueryResult<Record<string, unknown>>> {
      return within(who, (tx) => tx.query(sql, params));
    },
    within,
    close: () => Promise.all(logins.map((login) => login.close())),
  };
}

/** The SQLSTATE a statement was refused with, or 'accepted'. */
export function sqlState(work: Promise<unknown>): Promise<string> {
  return work.then(
    () => 'accepted',
    (error: { code?: string }) => error.code ?? 'error',
  );
}

/** Another clinic in the same database (test/fixtures.ts), with its doctor signed in as doctor@<slug>.test. */
export async function anotherClinic(app: TestBackend, slug: string) {
  const fixture = await createTenantFixture(app.db, slug);
  await app.giveLogins(fixture.tenantId, [fixture.doctorId], DEMO_PASSWORD);
  const doctor = app.client(`${slug}-doctor`);
  await doctor.auth.signIn({ email: `doctor@${slug}.test`, password: DEMO_PASSWORD, clinicCode: slug });
  return { fixture, doctor };
}

export const DEMO_TENANT = '00000000-0000-4000-8000-000000000001';
export const DEMO_CLINIC = '00000000-0000-4000-8000-000000000002';
export const DR_PATEL_ID = '00000000-0000-4000-8000-000000000102';
const DEMO_RECEPTIONIST_ID = '00000000-0000-4000-8000-000000000105';
/** Demo patients have fixed ids: P-000001 is …201, P-000050 is …250. */
export const demoPatient = (n: number) => `00000000-0000-4000-8000-000000000${200 + n}`;

/** A demo patient who has just arrived for a demo doctor (a walk-in, so no slot is needed); the visit's id. */
export async function demoArrival(db: Db, patientNumber: number, minutesAgo = 7, doctorId = DR_PATEL_ID): Promise<string> {
  return db.transaction(async (tx) => {
    await tx.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [DEMO_TENANT]);
    const { id } = await one<{ id: string }>(
      tx,
      `INSERT INTO appointments (tenant_id, clinic_id, patient_id, doctor_id, starts_at, ends_at, status, is_walk_in,
                                 checked_in_at, reason, created_by)
       VALUES ($1, $2, $3, $4, now(), now() + interval '15 minutes', 'checked_in', true,
               now() - make_interval(mins => $5), 'Cough for ten days', $6)
       RETURNING id`,
      [DEMO_TENANT, DEMO_CLINIC, demoPatient(patientNumber), doctorId, minutesAgo, DEMO_RECEPTIONIST_ID],
    );
    return id;
  });
}
