import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS, demoBackend, refusal, type TestBackend } from '../../test/backend';
import { engines } from '../../test/engines';
import { one } from './db/rows';
import { appRouter } from './router';
import type { ProcedureMeta } from './trpc';

/** Procedures callable without a session: adding one here must be a deliberate act. */
const PUBLIC_PROCEDURES = [
  'auth.session',
  'auth.signIn',
  'auth.signOut',
  'setup.createClinic',
  'setup.status',
  'setup.tryDemo',
  'system.status',
];

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { meta?: ProcedureMeta } }>).map(
  ([path, procedure]) => ({ path, access: procedure._def.meta?.access }),
);

type AnyCaller = Record<string, unknown>;
function call(caller: AnyCaller, path: string): Promise<unknown> {
  const fn = path.split('.').reduce<unknown>((node, key) => (node as AnyCaller)[key], caller) as (input?: unknown) => Promise<unknown>;
  return fn(undefined);
}

describe('every procedure declares who may call it', () => {
  it('has an access rule on every procedure and only the known public ones', () => {
    for (const { path, access } of procedures) expect(access, path).toBeDefined();
    expect(
      procedures
        .filter((p) => p.access === 'public')
        .map((p) => p.path)
        .sort(),
    ).toEqual(PUBLIC_PROCEDURES);
  });
});

describe.each(engines)('permissions are enforced by the router on %s', (engine) => {
  let app: TestBackend;

  beforeAll(async () => {
    app = await demoBackend(engine);
    // A staff member whose role grants nothing at all.
    await app.db.transaction(async (tx) => {
      await tx.query(`SELECT set_config('app.current_tenant_id', tenant_id::text, true) FROM users WHERE email = $1`, [DEMO_USERS.admin]);
      await tx.query(`INSERT INTO roles (tenant_id, name, permissions) VALUES (current_tenant_id(), 'no_access', '[]')`);
      await tx.query(
        `INSERT INTO users (tenant_id, clinic_id, role_id, email, password_hash, first_name, last_name)
         SELECT u.tenant_id, u.clinic_id, r.id, 'no.access@demo.clinic', u.password_hash, 'No', 'Access'
         FROM users u JOIN roles r ON r.tenant_id = u.tenant_id AND r.name = 'no_access' WHERE u.email = $1`,
        [DEMO_USERS.admin],
      );
    });
    const user = await one<{ id: string; tenant_id: string }>(
      app.db,
      `SELECT id, tenant_id FROM users WHERE email = 'no.access@demo.clinic'`,
    );
    await app.giveLogins(user.tenant_id, [user.id], DEMO_PASSWORD);
  });
  afterAll(async () => app?.db.close());

  const guarded = procedures.filter((p) => p.access !== 'public');

  it.each(guarded)('$path refuses a caller with no session', async ({ path }) => {
    expect(await refusal(call(app.client(`anonymous-${path}`) as AnyCaller, path))).toMatchObject({
      code: 'UNAUTHORIZED',
      reason: 'SIGNED_OUT',
    });
  });

  it.each(guarded.filter((p) => p.access !== 'session'))('$path ($access) refuses a user without the permission', async ({ path }) => {
    const caller = await app.signedIn('no.access@demo.clinic');
    const writesBefore = await app.db.query(`SELECT count(*)::int AS n FROM audit_logs`);
    expect(await refusal(call(caller as AnyCaller, path))).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_PERMITTED' });
    expect((await app.db.query(`SELECT count(*)::int AS n FROM audit_logs`)).rows).toEqual(writesBefore.rows);
  });

  it('refuses every procedure but unlock, sign-out and the session itself while the screen is locked', async () => {
    const admin = await app.signedIn(DEMO_USERS.admin);
    await admin.auth.lock();
    for (const { path } of guarded.filter((p) => !['auth.unlock', 'auth.lock', 'auth.stillHere'].includes(p.path))) {
      expect(await refusal(call(admin as AnyCaller, path)), path).toMatchObject({ code: 'UNAUTHORIZED', reason: 'SCREEN_LOCKED' });
    }
    expect(await admin.auth.session()).toMatchObject({ locked: true });
  });

  it('refuses the receptionist the administration procedures', async () => {
    const reception = await app.signedIn(DEMO_USERS.receptionist);
    expect(await refusal(reception.admin.health())).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_PERMITTED' });
    expect(await refusal(reception.admin.runMaintenance())).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_PERMITTED' });
  });
});
