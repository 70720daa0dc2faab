import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anotherClinic, DEMO_TENANT, DEMO_USERS, demoBackend, refusal, type TestBackend } from '../../../test/backend';
import { engines } from '../../../test/engines';
import { openBackup } from './format';
import { describedAs } from './service';

type Caller = Awaited<ReturnType<TestBackend['signedIn']>>;

const PASSPHRASE = 'riverside export 2026';
// The export reads every clinic table and derives a strong scrypt key: slow on shared cores.
const EXPORT_MS = 120_000;

describe.each(engines)('a clinic exported into one encrypted file, on %s', (engine) => {
  let app: TestBackend;
  let admin: Caller;
  let reception: Caller;
  let otherTenant: string;
  let folder: string;
  const input = () => ({ folder, passphrase: PASSPHRASE, passphraseAgain: PASSPHRASE });

  beforeAll(async () => {
    app = await demoBackend(engine);
    otherTenant = (await anotherClinic(app, 'export-b')).fixture.tenantId;
    admin = await app.signedIn(DEMO_USERS.admin);
    reception = await app.signedIn(DEMO_USERS.receptionist);
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'clinicdesk-export-'));
  }, EXPORT_MS);
  afterAll(async () => {
    await app?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('refuses a staff member without admin.maintenance, in the router and in the database', async () => {
    for (const call of [
      () => reception.backups.exportClinic(input()),
      () => reception.backups.previewExport({ file: folder, passphrase: 'x' }),
    ]) {
      expect(await refusal(call())).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_PERMITTED' });
    }
    const [outcome] = await app.typedBy(DEMO_USERS.receptionist, 'demo', [`SELECT require_permission('admin.maintenance')`]);
    expect(outcome).toEqual({ refused: '42501' });
    expect(fs.readdirSync(folder)).toEqual([]);
  });

  it('says what is wrong beside its field, and writes nothing', async () => {
    const fieldErrors = async (work: Promise<unknown>) => (await refusal(work)).fieldErrors;
    expect(await fieldErrors(admin.backups.exportClinic({ ...input(), passphraseAgain: 'another passphrase' }))).toEqual({
      passphraseAgain: 'The two passphrases differ.',
    });
    expect(await fieldErrors(admin.backups.exportClinic({ ...input(), folder: path.join(folder, 'no-such-drive') }))).toEqual({
      folder: expect.stringMatching(/no folder/),
    });
    expect(fs.readdirSync(folder)).toEqual([]);
  });

  it(
    'holds every row of this clinic the administrator may read, none of another clinic, checked after writing, and previews it',
    async () => {
      const result = await admin.backups.exportClinic(input());
      expect(await admin.backups.exportProgress()).toEqual({ step: 'Done', percent: 100 });
      expect(fs.readdirSync(folder)).toEqual([path.basename(result.file)]);
      expect(fs.statSync(result.file).size).toBe(result.bytes);

      const { description, tarball } = await openBackup(fs.readFileSync(result.file), PASSPHRASE);
      const rows = tarball.toString('utf8');
      expect(rows).toContain(DEMO_TENANT);
      expect(rows).not.toContain(otherTenant);
      expect(rows).not.toContain('password_hash');
      // Counted against the database as its owner: the whole clinic, table by table.
      const counted = (description as { tables: { table: string; rows: number }[] }).tables;
      for (const table of ['patients', 'appointments', 'medical_records', 'prescriptions', 'invoices', 'payments', 'users', 'clinics']) {
        const { rows: found } = await app.db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${table} WHERE tenant_id = $1`, [
          DEMO_TENANT,
        ]);
        expect({ table, rows: counted.find((t) => t.table === `public.${table}`)?.rows }).toEqual({ table, rows: found[0]!.n });
      }
      expect(result.rows).toBe(counted.reduce((sum, table) => sum + table.rows, 0));

      const preview = await admin.backups.previewExport({ file: result.file, passphrase: PASSPHRASE });
      expect(preview.clinics).toEqual([{ name: 'Riverside Family Clinic', timezone: 'Europe/London' }]);
      expect(preview.counts.find((count) => count.table === 'patients')?.rows).toBeGreaterThan(40);

      const wrong = await refusal(admin.backups.previewExport({ file: result.file, passphrase: 'not the passphrase' }));
      expect(wrong.fieldErrors).toEqual({ passphrase: 'The passphrase is not the one this backup was made with.' });
      // An export is never restored over a database: the offline restore refuses it as not a backup.
      expect(() => describedAs(description, 'clinicdesk-pglite-datadir')).toThrow(/something other than a backup/);
    },
    EXPORT_MS,
  );
});
