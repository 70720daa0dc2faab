import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupStatus } from '../../../shared/backups';
import { DEMO_PASSWORD, DEMO_USERS, demoBackend, refusal, type TestBackend } from '../../../test/backend';
import { engines } from '../../../test/engines';
import { staffLoginName } from '../auth/scram';
import { serverAddress } from '../backend';
import { openDatabase } from '../db/open';
import type { PgliteDb } from '../db/pglite-session';
import { openPostgres } from '../db/postgres';
import { withRequest } from '../db/request';
import type { Db } from '../db/types';
import { switchToRestoredData } from './restore-switch';
import { backupService } from './service';

type Caller = Awaited<ReturnType<TestBackend['signedIn']>>;

const DEMO_TENANT = '00000000-0000-4000-8000-000000000001';
const RECEPTIONIST_ID = '00000000-0000-4000-8000-000000000105';
// Cheap scrypt for tests: the file records its parameters.
const FAST = { log2N: 10, r: 8, p: 1 };
const PASSPHRASE = 'riverside backups 2026';
// A backup reads every table, then restores a copy and reads it again: slow on shared cores.
const BACKUP_MS = 180_000;

describe.each(engines)('who may back up and restore, on %s', (engine) => {
  let app: TestBackend;
  let admin: Caller;
  let reception: Caller;

  beforeAll(async () => {
    app = await demoBackend(engine);
    admin = await app.signedIn(DEMO_USERS.admin);
    reception = await app.signedIn(DEMO_USERS.receptionist);
  });
  afterAll(() => app?.close());

  it('refuses a staff member without admin.maintenance, in the router', async () => {
    // One call at a time: a refusal started before its turn would be rejected with nobody listening.
    for (const call of [
      () => reception.backups.status(),
      () => reception.backups.backUpNow(),
      () => reception.backups.preview({ file: '/tmp/x.cdbackup', passphrase: 'x' }),
      () => reception.backups.restore({ file: '/tmp/x.cdbackup', passphrase: 'x' }),
    ]) {
      expect(await refusal(call())).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_PERMITTED' });
    }
  });

  it('refuses them in the database too, as their own access typing SQL', async () => {
    const sql = `SELECT require_permission('admin.maintenance')`;
    let refused: Promise<unknown>;
    if (engine === 'pglite') {
      refused = withRequest(app.db, { tenantId: DEMO_TENANT, userId: RECEPTIONIST_ID }, (tx) => tx.query(sql));
    } else {
      const url = new URL(serverAddress((app.db as Db & { url?: string }).url!));
      url.username = staffLoginName(url.pathname.slice(1), 'demo', DEMO_USERS.receptionist);
      url.password = DEMO_PASSWORD;
      const login = await openPostgres({ connectionString: url.href, max: 1 });
      refused = login.transaction((tx) => tx.query(sql)).finally(() => login.close());
    }
    await expect(refused).rejects.toMatchObject({ code: '42501' });
  });

  it(
    engine === 'postgres' ? 'says the server is backed up by its operator' : 'says the demo in memory has nothing to back up',
    async () => {
      expect(await admin.backups.status()).toEqual({ mode: engine === 'postgres' ? 'remote' : 'memory' });
      expect((await refusal(admin.backups.backUpNow())).message).toMatch(engine === 'postgres' ? /operator backs up/ : /in memory/);
    },
  );
});

describe('backup and restore of the offline database', () => {
  let app: TestBackend;
  let admin: Caller;
  let scratch: string;
  let folder: string;
  let dataDir: string;
  let minutes = 0;

  const patients = async (db: Pick<Db, 'query'>) =>
    (await db.query<{ id: string; first_name: string; last_name: string }>(`SELECT id, first_name, last_name FROM patients ORDER BY id`))
      .rows;
  const offlineStatus = async () => (await admin.backups.status()) as Extract<BackupStatus, { mode: 'offline' }>;
  const backUp = async () => {
    await admin.backups.backUpNow();
    await app.backend.backups!.idle();
    return offlineStatus();
  };

  beforeAll(async () => {
    app = await demoBackend('pglite');
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'clinicdesk-backups-'));
    folder = path.join(scratch, 'usb');
    fs.mkdirSync(folder);
    dataDir = path.join(scratch, 'clinic');
    const live = app.db as PgliteDb;
    app.backend.backups = backupService({
      dataDir,
      scrypt: FAST,
      // A minute apart, so each backup has its own file name.
      now: () => new Date(Date.UTC(2026, 10, 29, 9, minutes++)),
      engine: {
        snapshot: (read) => live.snapshot(read),
        open: (tarball, dir) => openDatabase({ kind: 'pglite', worker: true, dataDir: dir, loadDataDir: tarball }),
      },
    });
    admin = await app.signedIn(DEMO_USERS.admin);
  });
  afterAll(async () => {
    await app?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('asks for a folder it can write to, and matching passphrases, beside their fields', async () => {
    const input = { folder: path.join(scratch, 'no-such-drive'), keep: 2, passphrase: PASSPHRASE, passphraseAgain: PASSPHRASE };
    expect((await refusal(admin.backups.configure(input))).fieldErrors).toEqual({ folder: expect.stringMatching(/cannot write/) });
    expect((await refusal(admin.backups.configure({ ...input, folder, passphraseAgain: 'other' }))).fieldErrors).toEqual({
      passphraseAgain: 'The two passphrases differ.',
    });
    expect((await refusal(admin.backups.configure({ ...input, folder: 'usb' }))).fieldErrors).toEqual({ folder: expect.any(String) });
    expect((await refusal(admin.backups.backUpNow())).fieldErrors).toEqual({ folder: 'Choose a backup folder and passphrase first.' });
    expect(fs.existsSync(`${dataDir}.backups.json`)).toBe(false);
  });

  it(
    'backs up into one encrypted file and verifies it table by table',
    async () => {
      await admin.backups.configure({ folder, keep: 2, passphrase: PASSPHRASE, passphraseAgain: PASSPHRASE });
      const status = await backUp();
      expect(status.job).toMatchObject({
        kind: 'backup',
        percent: 100,
        finished: { ok: true, message: expect.stringMatching(/^Backed up and verified: \d+ tables/) },
      });
      expect(status.files).toHaveLength(1);
      expect(status.lastBackup).toMatchObject({ file: status.files[0]!.file, tables: expect.any(Number) });
      expect(status.lastBackup!.tables).toBeGreaterThan(15);
      const bytes = fs.readFileSync(status.files[0]!.file);
      expect(bytes.subarray(0, 8).toString()).toBe('CDBACKUP');
      expect(bytes.includes(Buffer.from('Riverside'))).toBe(false);
      // Written atomically: no partial file left behind; the settings hold a key, never the passphrase.
      expect(fs.readdirSync(folder).filter((name) => name.includes('partial'))).toEqual([]);
      expect(fs.readFileSync(`${dataDir}.backups.json`, 'utf8')).not.toContain(PASSPHRASE);
      expect(fs.statSync(`${dataDir}.backups.json`).mode & 0o077).toBe(0);
    },
    BACKUP_MS,
  );

  it(
    'keeps only the last N backups',
    async () => {
      const first = (await offlineStatus()).files[0]!.name;
      const second = (await backUp()).files[0]!.name;
      const status = await backUp();
      expect(status.files.map((file) => file.name)).toEqual([status.files[0]!.name, second]);
      expect([first, second, status.files[0]!.name].sort()).toEqual([first, second, status.files[0]!.name]);
    },
    2 * BACKUP_MS,
  );

  it('previews what a backup holds: date, clinic and counts', async () => {
    const { files, lastBackup } = await offlineStatus();
    const preview = await admin.backups.preview({ file: files[0]!.file, passphrase: PASSPHRASE });
    expect(preview).toMatchObject({ createdAt: lastBackup!.at, clinics: [{ name: 'Riverside Family Clinic', timezone: 'Europe/London' }] });
    expect(preview.counts.find((row) => row.table === 'patients')?.rows).toBe((await patients(app.db)).length);
  });

  it(
    'refuses a wrong passphrase, a cut file and an altered one, touching nothing',
    async () => {
      const { files } = await offlineStatus();
      const good = files[0]!.file;
      const bytes = fs.readFileSync(good);
      const cut = path.join(scratch, 'cut.cdbackup');
      fs.writeFileSync(cut, bytes.subarray(0, bytes.length - 100));
      const altered = path.join(scratch, 'altered.cdbackup');
      const changed = Buffer.from(bytes);
      changed[changed.length - 500] = changed[changed.length - 500]! ^ 0x10;
      fs.writeFileSync(altered, changed);
      const before = await patients(app.db);

      for (const call of [admin.backups.preview, admin.backups.restore]) {
        expect((await refusal(call({ file: good, passphrase: 'not the passphrase' }))).fieldErrors).toEqual({
          passphrase: 'The passphrase is not the one this backup was made with.',
        });
        expect((await refusal(call({ file: cut, passphrase: PASSPHRASE }))).fieldErrors).toEqual({
          file: expect.stringMatching(/incomplete/),
        });
        expect((await refusal(call({ file: path.join(scratch, 'none.cdbackup'), passphrase: PASSPHRASE }))).fieldErrors).toEqual({
          file: 'There is no file at this path.',
        });
      }
      expect((await refusal(admin.backups.preview({ file: altered, passphrase: PASSPHRASE }))).fieldErrors).toEqual({
        file: expect.stringMatching(/altered or damaged/),
      });
      // The altered body is found while restoring: the job fails and no directory is left.
      await admin.backups.restore({ file: altered, passphrase: PASSPHRASE });
      await app.backend.backups!.idle();
      const status = await admin.backups.status();
      expect(status).toMatchObject({ job: { kind: 'restore', finished: { ok: false, field: 'file' } }, pendingRestore: null });
      expect(fs.readdirSync(scratch).filter((name) => name.startsWith('clinic.restored'))).toEqual([]);
      expect(await patients(app.db)).toEqual(before);
    },
    BACKUP_MS,
  );

  it(
    'restores into a new data directory, verified, used from the next start: the same patients',
    async () => {
      const { files } = await offlineStatus();
      const atBackup = await patients(app.db);
      // A change made after the backup is not in it.
      await app.db.query(`UPDATE patients SET first_name = 'Changed' WHERE id = $1`, [atBackup[0]!.id]);

      const job = await admin.backups.restore({ file: files[0]!.file, passphrase: PASSPHRASE });
      expect(job).toMatchObject({ kind: 'restore', finished: null });
      expect((await refusal(admin.backups.backUpNow())).code).toBe('CONFLICT');
      const whileRunning = await admin.backups.status();
      await app.backend.backups!.idle();
      // An answer is a copy: one read mid-restore never turns "finished" without its pending switch.
      expect(whileRunning).toMatchObject({ job: { finished: null }, pendingRestore: null });
      const status = await admin.backups.status();
      expect(status).toMatchObject({
        job: { finished: { ok: true, message: expect.stringMatching(/^Restored and verified .* next starts/) } },
        pendingRestore: { from: files[0]!.file },
      });

      // The next start: the restored directory becomes the data directory.
      fs.mkdirSync(dataDir);
      fs.writeFileSync(path.join(dataDir, 'old-data'), 'the data before the restore');
      expect(switchToRestoredData(dataDir)).toMatch(/^Switched to the data restored from/);
      expect(fs.readdirSync(scratch).filter((name) => name.startsWith('clinic.before-restore-'))).toHaveLength(1);
      expect(switchToRestoredData(dataDir)).toBeNull();
      const restored = await openDatabase({ kind: 'pglite', dataDir });
      try {
        expect(await patients(restored)).toEqual(atBackup);
      } finally {
        await restored.close();
      }
    },
    BACKUP_MS,
  );
});
