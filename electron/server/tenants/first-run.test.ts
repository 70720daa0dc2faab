import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS } from '../../../test/backend';
import { openBackend } from '../backend';
import { createContext, type Backend } from '../context';
import { appRouter } from '../router';
import { createCallerFactory } from '../trpc';

const window = (backend: Backend, key = 'first-run-window') => createCallerFactory(appRouter)(createContext(backend, { clientKey: key }));
const refusal = (work: Promise<unknown>) =>
  work.then(
    () => null,
    (error: { code: string; message: string }) => ({ code: error.code, message: error.message }),
  );

const clinic = {
  name: 'Harbour Street Surgery',
  timezone: 'Europe/Dublin',
  currency: 'EUR',
  language: 'en-IE',
  admin: { email: 'niamh@harbour.example', firstName: 'Niamh', lastName: 'Byrne', password: 'harbour-street-2026' },
};

describe('the first run of an offline clinic', () => {
  it('sets up the real clinic and its administrator once, and never again', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinicdesk-first-run-'));
    const app = await openBackend({ database: { kind: 'pglite', dataDir: path.join(dataDir, 'db') }, demo: false });
    try {
      const desk = window(app.backend);
      expect(await desk.setup.status()).toEqual({ needed: true, demo: false });
      expect(await refusal(desk.setup.createClinic({ ...clinic, timezone: 'Mars/Olympus' }))).toEqual({
        code: 'BAD_REQUEST',
        message: 'Unknown timezone "Mars/Olympus".',
      });
      expect(await refusal(desk.setup.createClinic({ ...clinic, admin: { ...clinic.admin, password: 'short' } }))).toMatchObject({
        code: 'BAD_REQUEST',
      });
      expect(await desk.setup.status()).toEqual({ needed: true, demo: false });

      await desk.setup.createClinic(clinic);
      expect(await desk.setup.status()).toEqual({ needed: false, demo: false });
      const view = await desk.auth.signIn({ email: clinic.admin.email, password: clinic.admin.password });
      expect(view).toMatchObject({
        user: { role: 'admin', firstName: 'Niamh' },
        clinic: { name: clinic.name, timezone: 'Europe/Dublin', currency: 'EUR' },
      });
      // The demo's published passwords open nothing here.
      expect(await refusal(window(app.backend, 'other').auth.signIn({ email: DEMO_USERS.admin, password: DEMO_PASSWORD }))).toMatchObject({
        code: 'UNAUTHORIZED',
      });
      expect(await refusal(desk.setup.createClinic({ ...clinic, name: 'Takeover' }))).toMatchObject({ code: 'CONFLICT' });
      expect(await refusal(desk.setup.tryDemo())).toMatchObject({ code: 'CONFLICT' });
    } finally {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('runs the demo clinic in memory: nothing reaches the clinic’s own database', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinicdesk-first-run-'));
    const database = { kind: 'pglite' as const, dataDir: path.join(dataDir, 'db') };
    let app = await openBackend({ database, demo: false });
    try {
      const desk = window(app.backend);
      await desk.setup.tryDemo();
      expect(await desk.setup.status()).toEqual({ needed: false, demo: true });
      expect(await desk.system.status()).toMatchObject({ label: 'Demo clinic · nothing is saved', demo: true });
      await desk.auth.signIn({ email: DEMO_USERS.receptionist, password: DEMO_PASSWORD });
      expect((await desk.patients.search({ query: 'Smith' })).length).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
    app = await openBackend({ database, demo: false });
    try {
      expect(await window(app.backend).setup.status()).toEqual({ needed: true, demo: false });
    } finally {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
