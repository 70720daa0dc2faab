/**
 * `npm run bench`: encrypted backups and restores of the offline database, timed through the
 * backup service itself (electron/server/backups/service.ts) wired as backend.ts wires it: the
 * live database and every copy in a PGlite worker, as in the desktop app, the file encrypted
 * with the production scrypt parameters. Two clinics: the demo clinic as `npm start` loads it,
 * and the demo clinic with 100,000 more patients (names from bench/names.ts) and one past visit
 * each. BENCH_BACKUP_PATIENTS changes the size of the second. Prints, for each: the file's size,
 * the backup's steps (reading the database with its checksums; encrypting, writing, reading back
 * and decrypting; verification in a scratch database), the preview, and the restore into a new
 * data directory with its own verification. Not a test: numbers, not pass/fail.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BackupStatus } from '../shared/backups';
import { backupService, type BackupEngine } from '../electron/server/backups/service';
import { loadDemoClinic } from '../electron/server/db/demo-clinic';
import { findMigrationsDir, migrate } from '../electron/server/db/migrate';
import { openDatabase } from '../electron/server/db/open';
import { one } from '../electron/server/db/rows';
import type { Db } from '../electron/server/db/types';
import { FIRST_NAMES, SURNAMES } from './names';

const PATIENTS = Number(process.env.BENCH_BACKUP_PATIENTS ?? 100_000);
const PASSPHRASE = 'bench passphrase, written down';

/**
 * Adds `patients` to the demo clinic with plain SQL (triggers off: no audit rows for a synthetic
 * load), each with a completed visit on a demo doctor's grid of quarter hours years before the
 * demo's own visits, then indexes their name words as migration 017 does.
 */
async function addPatients(db: Db, patients: number): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(`SET LOCAL session_replication_role = replica`);
    const { tenant_id: tenantId, clinic_id: clinicId } = await one<{ tenant_id: string; clinic_id: string }>(
      tx,
      `SELECT t.id AS tenant_id, c.id AS clinic_id FROM tenants t JOIN clinics c ON c.tenant_id = t.id WHERE t.slug = 'demo'`,
    );
    await tx.query(
      `INSERT INTO patients (tenant_id, clinic_id, patient_number, first_name, last_name, date_of_birth, gender, phone, phone_e164,
                             email, address_line1, city, postal_code)
       SELECT $1, $2, 'P-' || (100000 + i), ($3::text[])[(1 + (i::bigint * 7919) % cardinality($3::text[]))::integer],
              ($4::text[])[(1 + (i::bigint * 104729) % cardinality($4::text[]))::integer], DATE '1930-01-01' + (i * 37) % 33000,
              (ARRAY['Male','Female','Other'])[1 + i % 3], '+44 7' || substr(mobile, 1, 3) || ' ' || substr(mobile, 4), '+447' || mobile,
              CASE WHEN i % 3 = 1 THEN 'patient' || i || '@example.com' END, (i % 200 + 1) || ' High Street', 'Riverside', 'RV1 1AB'
       FROM generate_series(1, $5::integer) AS i,
            LATERAL (SELECT lpad(((i::bigint * 2654435761) % 1000000000)::text, 9, '0') AS mobile) AS numbers`,
      [tenantId, clinicId, FIRST_NAMES, SURNAMES, patients],
    );
    await tx.query(
      `WITH doctors AS (SELECT u.id, row_number() OVER (ORDER BY u.id) - 1 AS k, count(*) OVER () AS n
                        FROM users u JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id
                        WHERE u.tenant_id = $1 AND r.name = 'doctor'),
            added AS (SELECT id, row_number() OVER (ORDER BY patient_number) - 1 AS i
                      FROM patients WHERE tenant_id = $1 AND patient_number >= 'P-100001')
       INSERT INTO appointments (tenant_id, clinic_id, patient_id, doctor_id, appointment_type, starts_at, ends_at, status,
                                 appointment_number, reason, completed_at)
       SELECT $1, $2, a.id, d.id, 'consultation', s.starts_at, s.starts_at + interval '15 minutes', 'completed',
              'APT-B-' || a.i, 'Routine review', s.starts_at + interval '15 minutes'
       FROM added a JOIN doctors d ON d.k = a.i % d.n
       CROSS JOIN LATERAL (SELECT (timestamp '2019-01-01 08:00' + (a.i / d.n / 32) * interval '1 day'
                                   + (a.i / d.n % 32) * interval '15 minutes') AT TIME ZONE 'Europe/London' AS starts_at) s`,
      [tenantId, clinicId],
    );
    await tx.query(`SELECT reindex_patient_names($1)`, [tenantId]);
  });
}

const seconds = (from: number, to = performance.now()) => (to - from) / 1000;

type Service = ReturnType<typeof backupService>;

const offline = (service: Service) => service.status() as Extract<BackupStatus, { mode: 'offline' }>;

async function finished(service: Service): Promise<void> {
  await service.idle();
  const { job } = offline(service);
  if (!job?.finished?.ok) throw new Error(`the ${job?.kind ?? 'job'} failed: ${job?.finished?.message ?? 'no result'}`);
}

interface Figures {
  clinic: string;
  patients: number;
  megabytes: number;
  read: number;
  sealed: number;
  verified: number;
  backup: number;
  preview: number;
  restore: number;
}

async function measure(clinic: string, scratch: string, extraPatients: number): Promise<Figures> {
  const dataDir = path.join(scratch, 'clinic');
  const folder = path.join(scratch, 'usb');
  fs.mkdirSync(folder, { recursive: true });
  // Loaded as `npm start` loads a new offline clinic (backend.ts: migrate, then the demo clinic).
  const live = await openDatabase({ kind: 'pglite', worker: true, dataDir });
  try {
    await migrate(live, { dir: findMigrationsDir() });
    await loadDemoClinic(live);
    if (extraPatients > 0) await addPatients(live, extraPatients);
    await live.query('CHECKPOINT');
    const { patients } = await one<{ patients: number }>(live, `SELECT count(*)::integer AS patients FROM patients`);

    // backend.ts's engine, with the moments each step starts and ends noted on the way.
    const marks: Record<string, number> = {};
    const engine: BackupEngine = {
      snapshot: async (read) => {
        marks.readFrom = performance.now();
        const taken = await live.snapshot(read);
        marks.readTo = performance.now();
        return taken;
      },
      open: async (tarball, target) => {
        marks.openFrom = performance.now();
        const copy = await openDatabase({ kind: 'pglite', worker: true, dataDir: target, loadDataDir: tarball });
        const close = copy.close.bind(copy);
        return Object.assign(copy, {
          async close() {
            await close();
            marks.openTo = performance.now();
          },
        });
      },
    };
    const service = backupService({ engine, dataDir });
    await service.configure({ folder, keep: 1, passphrase: PASSPHRASE });

    const backupFrom = performance.now();
    service.backUpNow();
    await finished(service);
    const backup = seconds(backupFrom);
    const read = seconds(marks.readFrom!, marks.readTo);
    const sealed = seconds(marks.readTo!, marks.openFrom);
    const verified = seconds(marks.openFrom!, marks.openTo);

    const [file] = offline(service).files;
    if (!file) throw new Error('no backup file was written');
    const previewFrom = performance.now();
    const preview = await service.preview({ file: file.file, passphrase: PASSPHRASE });
    const previewSeconds = seconds(previewFrom);
    const shown = preview.counts.find((count) => count.table === 'patients')?.rows;
    if (shown !== patients) throw new Error(`the preview shows ${shown} patients, the clinic has ${patients}`);

    const restoreFrom = performance.now();
    await service.restore({ file: file.file, passphrase: PASSPHRASE });
    await finished(service);
    const restore = seconds(restoreFrom);

    return {
      clinic,
      patients,
      megabytes: file.bytes / 1024 / 1024,
      read,
      sealed,
      verified,
      backup,
      preview: previewSeconds,
      restore,
    };
  } finally {
    await live.close();
  }
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'clinicdesk-backup-bench-'));
try {
  const runs = [
    await measure('demo clinic', path.join(scratch, 'demo'), 0),
    await measure(`demo clinic + ${PATIENTS.toLocaleString('en')} patients and visits`, path.join(scratch, 'large'), PATIENTS),
  ];
  const [cpu] = os.cpus();
  console.log(
    `\nEncrypted backup and restore of the offline database, PGlite in a worker, scrypt N=2^17, on ${os.tmpdir()} ` +
      `(${os.cpus().length} × ${cpu?.model ?? 'CPU'}, load ${os
        .loadavg()
        .map((load) => load.toFixed(1))
        .join(' ')}), in seconds:\n`,
  );
  console.log(
    '| clinic | patients | file | read the database + checksums | encrypt, write, read back, decrypt | verify in a scratch database | **backup, total** | preview | **restore into a new data directory, verified** |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const run of runs) {
    console.log(
      `| ${run.clinic} | ${run.patients.toLocaleString('en')} | ${run.megabytes.toFixed(1)} MB | ${run.read.toFixed(1)} | ` +
        `${run.sealed.toFixed(1)} | ${run.verified.toFixed(1)} | **${run.backup.toFixed(1)}** | ${run.preview.toFixed(1)} | **${run.restore.toFixed(1)}** |`,
    );
  }
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
