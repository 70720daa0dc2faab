import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AREAS } from '../../../shared/permissions';
import { DEMO_PASSWORD, DEMO_USERS, demoBackend, refusal, type TestBackend } from '../../../test/backend';
import { engines } from '../../../test/engines';
import { one } from '../db/rows';

describe.each(engines)('sign-in and sessions on %s', (engine) => {
  let clock = Date.now();
  let app: TestBackend;
  const activity = async (email: string) =>
    (
      await app.db.query<{ activity_type: string }>(
        `SELECT activity_type FROM activity_logs WHERE metadata->>'email' = $1 ORDER BY created_at`,
        [email],
      )
    ).rows.map((r) => r.activity_type);

  beforeAll(async () => {
    app = await demoBackend(engine, () => clock);
  });
  afterAll(async () => app?.db.close());

  it.each([
    ['admin', DEMO_USERS.admin, ['Reception', 'Clinical', 'Billing', 'Admin']],
    ['doctor', DEMO_USERS.doctor, ['Reception', 'Clinical', 'Billing']],
    ['nurse', DEMO_USERS.nurse, ['Reception', 'Clinical']],
    ['receptionist', DEMO_USERS.receptionist, ['Reception', 'Billing']],
    ['billing', DEMO_USERS.billing, ['Reception', 'Billing']],
  ])('signs in the demo %s with the permissions of the role', async (role, email, areas) => {
    const window = app.client(`window-${role}`);
    expect(await window.auth.session()).toBeNull();
    const view = await window.auth.signIn({ email: email.toUpperCase(), password: DEMO_PASSWORD });
    expect(view.user).toMatchObject({ email, role });
    expect(view.clinic).toMatchObject({ name: 'Riverside Family Clinic', timezone: 'Europe/London' });
    expect(AREAS.filter((a) => view.permissions.includes(a.permission)).map((a) => a.label)).toEqual(areas);
    expect(JSON.stringify(view)).not.toMatch(/scrypt|SCRAM|"password"/i);
    expect(await window.auth.session()).toMatchObject({ user: { email }, locked: false });
    expect(await activity(email)).toContain('auth.sign_in');
  });

  it('refuses a wrong password with a message on the password field, and logs it', async () => {
    const window = app.client('window-wrong');
    const refused = await refusal(window.auth.signIn({ email: DEMO_USERS.nurse, password: 'not-the-password' }));
    expect(refused).toEqual({
      code: 'UNAUTHORIZED',
      message: expect.stringMatching(/email or password is not right/),
      fieldErrors: { password: refused.message },
    });
    expect(await window.auth.session()).toBeNull();
    // Offline the database records the failure; a clinic server refuses the login itself and
    // logs it in its own log (log_connections), with auth_delay slowing guesses.
    if (engine === 'pglite') expect(await activity(DEMO_USERS.nurse)).toContain('auth.sign_in_failed');
    const unknown = await refusal(window.auth.signIn({ email: 'nobody@demo.clinic', password: 'x' }));
    expect(unknown.message).toBe(refused.message); // unknown emails are not told apart
  });

  it.runIf(engine === 'pglite')('locks an account after five failures in a row, even for the right password', async () => {
    const window = app.client('window-lockout');
    for (let i = 0; i < 4; i++) {
      expect((await refusal(window.auth.signIn({ email: DEMO_USERS.billing, password: `guess-${i}` }))).code).toBe('UNAUTHORIZED');
    }
    const fifth = await refusal(window.auth.signIn({ email: DEMO_USERS.billing, password: 'guess-5' }));
    expect(fifth).toEqual({
      code: 'TOO_MANY_REQUESTS',
      message: expect.stringMatching(/locked for 15 more minutes/),
      reason: 'ACCOUNT_LOCKED',
    });
    const right = await refusal(window.auth.signIn({ email: DEMO_USERS.billing, password: DEMO_PASSWORD }));
    expect(right.code).toBe('TOO_MANY_REQUESTS');
    expect(await activity(DEMO_USERS.billing)).toContain('auth.locked_out');
    expect(await window.auth.session()).toBeNull();
    // Fifteen minutes later (the database's clock, moved by hand) the lock is over, for good.
    await app.db.query(`UPDATE users SET locked_until = now() - interval '1 second' WHERE email = $1`, [DEMO_USERS.billing]);
    expect(await app.client('window-after-lock').auth.signIn({ email: DEMO_USERS.billing, password: DEMO_PASSWORD })).toMatchObject({
      user: { email: DEMO_USERS.billing },
    });
  });

  it.runIf(engine === 'pglite')('checks at most five of thirty guesses sent at once, then refuses even the right password', async () => {
    const guesses = Array.from({ length: 30 }, (_, i) =>
      refusal(app.client(`burst-${i}`).auth.signIn({ email: DEMO_USERS.secondDoctor, password: `burst-guess-${i}` })),
    );
    const answers = await Promise.all(guesses);
    expect(answers.filter((a) => a.code === 'UNAUTHORIZED').length).toBeLessThanOrEqual(5);
    expect(answers.filter((a) => a.code === 'TOO_MANY_REQUESTS').length).toBeGreaterThanOrEqual(25);
    const right = await refusal(app.client('burst-right').auth.signIn({ email: DEMO_USERS.secondDoctor, password: DEMO_PASSWORD }));
    expect(right.code).toBe('TOO_MANY_REQUESTS');
  });

  it.runIf(engine === 'pglite')('answers an unknown email exactly as a known one, locked included', async () => {
    const tries = async (email: string) => {
      const answers = [];
      for (let i = 0; i < 6; i++)
        answers.push(await refusal(app.client(`probe-${email}-${i}`).auth.signIn({ email, password: `probe-${i}` })));
      return answers.map((a) => `${a.code}: ${a.message.replace(/\d+ more minutes?/, 'N minutes')}`);
    };
    // The nurse starts with a clean count (an earlier test failed once for her).
    await app.db.query(`UPDATE users SET failed_login_attempts = 0, locked_until = NULL WHERE email = $1`, [DEMO_USERS.nurse]);
    expect(await tries('nobody.here@demo.clinic')).toEqual(await tries(DEMO_USERS.nurse));
  });

  it('refuses an eleventh attempt a minute from one screen, whatever the account', async () => {
    const window = app.client('window-script');
    for (let i = 0; i < 10; i++) await refusal(window.auth.signIn({ email: `script-${i}@demo.clinic`, password: 'x' }));
    expect(await refusal(window.auth.signIn({ email: DEMO_USERS.admin, password: DEMO_PASSWORD }))).toEqual({
      code: 'TOO_MANY_REQUESTS',
      message: expect.stringMatching(/Wait a minute/),
      reason: 'TOO_MANY_ATTEMPTS',
    });
  });

  it('rejects malformed sign-in input before touching the database', async () => {
    const window = app.client('window-bad-input');
    const refused = await refusal(window.auth.signIn({ email: 'not-an-email', password: '' }));
    expect(refused.code).toBe('BAD_REQUEST');
  });

  it('locks after idle time, refuses everything but unlock, and unlocks for the same user only', async () => {
    const window = await app.signedIn(DEMO_USERS.admin, 'window-idle');
    expect(await window.admin.health()).toEqual(
      expect.arrayContaining([expect.objectContaining({ check_name: 'tenant_isolation', status: 'ok' })]),
    );
    clock += 5 * 60_000 + 1;
    expect(await window.auth.session()).toMatchObject({ locked: true });
    expect(await refusal(window.admin.health())).toMatchObject({ code: 'UNAUTHORIZED', reason: 'SCREEN_LOCKED' });
    // A wrong password is about what was typed (the lock screen asks for nothing else): the session stays, locked.
    expect(await refusal(window.auth.unlock({ password: 'wrong password' }))).toEqual({
      code: 'UNAUTHORIZED',
      message: 'This password is not right. Try again.',
      fieldErrors: { password: 'This password is not right. Try again.' },
    });
    await window.auth.unlock({ password: DEMO_PASSWORD });
    expect(await window.admin.health()).not.toHaveLength(0);
    // Times reach the screen as ISO instants in UTC, whichever the engine.
    expect(await window.admin.recentActivity({ limit: 1 })).toEqual([
      expect.objectContaining({ created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) }),
    ]);
    await window.auth.lock();
    expect(await refusal(window.admin.recentActivity({ limit: 5 }))).toMatchObject({ code: 'UNAUTHORIZED', reason: 'SCREEN_LOCKED' });
    await window.auth.signOut();
    expect(await window.auth.session()).toBeNull();
    expect(await refusal(window.auth.unlock({ password: DEMO_PASSWORD }))).toMatchObject({ code: 'UNAUTHORIZED', reason: 'SIGNED_OUT' });
  });

  it.runIf(engine === 'pglite')(
    'signs the screen out when wrong unlock passwords lock the account, says why, and a reset unlocks it',
    async () => {
      const window = await app.signedIn(DEMO_USERS.receptionist, 'window-unlock-guesses');
      await window.auth.lock();
      for (let i = 0; i < 4; i++) {
        expect(await refusal(window.auth.unlock({ password: `unlock-guess-${i}` }))).toMatchObject({
          code: 'UNAUTHORIZED',
          reason: undefined,
        });
      }
      expect(await refusal(window.auth.unlock({ password: 'unlock-guess-5' }))).toEqual({
        code: 'UNAUTHORIZED',
        message:
          'Too many failed sign-ins. This account is locked for 15 more minutes, or until an administrator resets its password (Admin).',
        reason: 'SIGNED_OUT',
      });
      expect(await window.auth.session()).toBeNull();
      // What the message promises: the administrator's reset lets the receptionist in at once.
      const admin = await app.signedIn(DEMO_USERS.admin, 'window-unlocking-admin');
      const { id } = await one<{ id: string }>(app.db, `SELECT id FROM users WHERE email = $1`, [DEMO_USERS.receptionist]);
      await admin.admin.resetPassword({ userId: id, temporaryPassword: 'temporary-pass-2026' });
      await window.auth.signIn({ email: DEMO_USERS.receptionist, password: 'temporary-pass-2026' });
      expect(await window.auth.session()).toMatchObject({ passwordChangeRequired: true });
      await window.auth.changePassword({ current: 'temporary-pass-2026', next: DEMO_PASSWORD });
    },
  );

  it('stays unlocked while the person at the screen is active, but not on background refreshes', async () => {
    const window = await app.signedIn(DEMO_USERS.doctor, 'window-busy');
    clock += 4 * 60_000;
    expect(await window.auth.stillHere()).toEqual({ locked: false });
    clock += 4 * 60_000;
    expect(await window.auth.session()).toMatchObject({ locked: false });
    clock += 2 * 60_000; // only the session query ran since the last activity
    expect(await window.auth.session()).toMatchObject({ locked: true });
    expect(await window.auth.stillHere()).toEqual({ locked: true });
  });

  it('locks while a screen keeps polling: background queries are not activity', async () => {
    const window = await app.signedIn(DEMO_USERS.admin, 'window-polling');
    for (let minute = 0; minute < 5; minute++) {
      clock += 60_000;
      await window.appointments.queue({});
    }
    clock += 1;
    expect(await window.auth.session()).toMatchObject({ locked: true });
    expect(await refusal(window.appointments.queue({}))).toMatchObject({ code: 'UNAUTHORIZED', reason: 'SCREEN_LOCKED' });
  });

  it('lets an administrator reset a password that must be changed at the next sign-in, and anyone change their own', async () => {
    const admin = await app.signedIn(DEMO_USERS.admin, 'window-reset-admin');
    const { id: doctorId } = await one<{ id: string }>(app.db, `SELECT id FROM users WHERE email = $1`, [DEMO_USERS.secondDoctor]);
    expect(
      (await refusal(app.client('nobody').admin.resetPassword({ userId: doctorId, temporaryPassword: 'temporary-pass-1' }))).code,
    ).toBe('UNAUTHORIZED');
    const reception = await app.signedIn(DEMO_USERS.receptionist, 'window-reset-reception');
    expect((await refusal(reception.admin.resetPassword({ userId: doctorId, temporaryPassword: 'temporary-pass-1' }))).code).toBe(
      'FORBIDDEN',
    );
    await app.db.query(`UPDATE users SET failed_login_attempts = 0, locked_until = NULL WHERE id = $1`, [doctorId]);
    await admin.admin.resetPassword({ userId: doctorId, temporaryPassword: 'temporary-pass-1' });

    const doctor = app.client('window-reset-doctor');
    expect(await refusal(doctor.auth.signIn({ email: DEMO_USERS.secondDoctor, password: DEMO_PASSWORD }))).toMatchObject({
      code: 'UNAUTHORIZED',
    });
    const view = await doctor.auth.signIn({ email: DEMO_USERS.secondDoctor, password: 'temporary-pass-1' });
    expect(view.passwordChangeRequired).toBe(true);
    expect(await refusal(doctor.patients.search({ query: 'Smith' }))).toEqual({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/new password first/),
      reason: 'PASSWORD_CHANGE_REQUIRED',
    });
    expect(await refusal(doctor.auth.changePassword({ current: 'not-it', next: 'my-own-password-2026' }))).toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'This is not your current password.',
    });
    await doctor.auth.changePassword({ current: 'temporary-pass-1', next: 'my-own-password-2026' });
    expect(await doctor.auth.session()).toMatchObject({ passwordChangeRequired: false });
    expect(Array.isArray(await doctor.patients.search({ query: 'Smith' }))).toBe(true);

    await doctor.auth.signOut();
    expect(await refusal(doctor.auth.signIn({ email: DEMO_USERS.secondDoctor, password: 'temporary-pass-1' }))).toMatchObject({
      code: 'UNAUTHORIZED',
    });
    expect(await doctor.auth.signIn({ email: DEMO_USERS.secondDoctor, password: 'my-own-password-2026' })).toMatchObject({
      passwordChangeRequired: false,
    });
  });

  it('keeps sessions per window', async () => {
    await app.signedIn(DEMO_USERS.receptionist, 'window-front-desk');
    expect(await app.client('window-consulting-room').auth.session()).toBeNull();
  });
});
