/**
 * `npm run bench`: reception search at 100,000 patients in one clinic (plus 10 smaller clinics),
 * on PGlite and PostgreSQL 15, typed the way a receptionist types (prefixes letter by letter,
 * full names either order, typos of each kind, phones national and international) and run as
 * the app runs it: a receptionist's request as clinic_app under forced RLS (on PostgreSQL
 * through the receptionist's own login), and on PGlite also through the router. Names come from
 * pools of several hundred first names and surnames (bench/names.ts) with a skewed spread (a
 * few very common names) and one first name, Mohammed, shared by a tenth of the clinic.
 * Prints p50/p95 per kind next to the floor (an indexed lookup by number) and, for every kind,
 * the recall: how often the patient meant is in the 20 rows shown.
 * BENCH_MILLION=1 adds a run at 1,000,000 patients across 100 clinics on PostgreSQL (=only: just that run).
 * Not a test: numbers, not pass/fail.
 */
import { performance } from 'node:perf_hooks';
import { phoneKey } from '../shared/phones';
import { remoteAccess } from '../electron/server/access/remote';
import type { StaffAccess } from '../electron/server/access/types';
import { offlineAccess } from '../electron/server/access/offline';
import { hashPassword } from '../electron/server/auth/passwords';
import { scramVerifier } from '../electron/server/auth/scram';
import { SessionStore } from '../electron/server/auth/sessions';
import { serverAddress } from '../electron/server/backend';
import { createContext, type Backend } from '../electron/server/context';
import { findMigrationsDir, migrate } from '../electron/server/db/migrate';
import { openPglite } from '../electron/server/db/pglite';
import { one } from '../electron/server/db/rows';
import { openPostgres } from '../electron/server/db/postgres';
import { withRequest } from '../electron/server/db/request';
import type { Db, Queryable } from '../electron/server/db/types';
import { appRouter } from '../electron/server/router';
import { createCallerFactory } from '../electron/server/trpc';
import { createOwnedDatabase } from '../test/owned-database';
import { startPostgresServer } from '../test/postgres-server';
import { FIRST_NAMES, SURNAMES } from './names';
import { percentile } from './percentile';

const BIG_CLINIC = Number(process.env.BENCH_PATIENTS ?? 100_000);
const OTHER_CLINICS = 10;
const OTHER_CLINIC_PATIENTS = 2_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const SHARED_FIRST_NAME = 'Mohammed';
const PASSWORD = 'bench-password';
const SHOWN = 20;

/**
 * Loads one clinic with plain SQL (triggers off: no audit rows for a synthetic load), then builds
 * its name words as 017 does for existing patients. Names are drawn with a skew (index n·r²):
 * the first names and surnames of the pools are the common ones. Every tenth patient is
 * Mohammed; a quarter have a middle name, one in seven a double surname, one in five another
 * phone. Phones are UK mobiles written "+44 7xxx xxxxxx", with the E.164 key libphonenumber gives.
 */
async function loadClinic(db: Db, slug: string, patients: number): Promise<{ tenantId: string; receptionistId: string }> {
  const passwordHash = await hashPassword(PASSWORD);
  return db.transaction(async (tx) => {
    await tx.query(`SET LOCAL session_replication_role = replica`);
    const { id: tenantId } = await one<{ id: string }>(tx, `INSERT INTO tenants (name, slug) VALUES ($1, $1) RETURNING id`, [slug]);
    const { id: clinicId } = await one<{ id: string }>(
      tx,
      `INSERT INTO clinics (tenant_id, name, language) VALUES ($1, $2, 'en-GB') RETURNING id`,
      [tenantId, slug],
    );
    await tx.query(
      `INSERT INTO patients (tenant_id, clinic_id, patient_number, first_name, middle_name, last_name, date_of_birth, gender,
                             phone, phone_e164, alternate_phone, alternate_phone_e164)
       SELECT $1, $2, 'P-' || lpad(i::text, 6, '0'),
              CASE WHEN i % 10 = 0 THEN $5 ELSE bench_pick($3::text[], i, 7919) END,
              CASE WHEN i % 4 = 1 THEN bench_pick($3::text[], i, 15485863) END,
              bench_pick($4::text[], i, 104729) || CASE WHEN i % 7 = 3 THEN '-' || bench_pick($4::text[], i, 611953) ELSE '' END,
              DATE '1930-01-01' + ((i::bigint * 37) % 33000)::integer,
              (ARRAY['Male','Female','Other'])[1 + i % 3],
              '+44 7' || substr(mobile, 1, 3) || ' ' || substr(mobile, 4), '+447' || mobile,
              CASE WHEN i % 5 = 2 THEN '020 7' || substr(landline, 1, 3) || ' ' || substr(landline, 4) END,
              CASE WHEN i % 5 = 2 THEN '+44207' || landline END
       FROM generate_series(1, $6::integer) AS i,
            LATERAL (SELECT lpad(((i::bigint * 2654435761 + $7::bigint) % 1000000000)::text, 9, '0') AS mobile,
                            lpad(((i::bigint * 40503 + $7::bigint) % 10000000)::text, 7, '0') AS landline) AS numbers`,
      [tenantId, clinicId, FIRST_NAMES, SURNAMES, SHARED_FIRST_NAME, patients, Number.parseInt(slug.replace(/\D/g, '') || '0', 10) * 7],
    );
    await tx.query(`SELECT set_config('app.current_tenant_id', $1::text, true), create_default_roles($1::uuid)`, [tenantId]);
    await tx.query(`SELECT reindex_patient_names($1)`, [tenantId]);
    const receptionist = await one<{ id: string }>(
      tx,
      `INSERT INTO users (tenant_id, clinic_id, role_id, email, password_hash, first_name, last_name)
       SELECT $1, $2, r.id, 'desk@' || $3 || '.bench', $4, 'Front', 'Desk' FROM roles r
       WHERE r.tenant_id = $1 AND r.name = 'receptionist' RETURNING id`,
      [tenantId, clinicId, slug, passwordHash],
    );
    return { tenantId, receptionistId: receptionist.id };
  });
}

/** The skewed draw of loadClinic: index n·r² with r from a multiplicative hash of the row. */
const PICK = `CREATE OR REPLACE FUNCTION bench_pick(pool text[], i integer, prime bigint) RETURNS text
  LANGUAGE sql IMMUTABLE RETURN pool[1 + floor(cardinality(pool) * power(((i::bigint * prime) % 1000003) / 1000003.0, 2))::integer]`;

interface Typed {
  text: string;
  /** Whether a row is the patient (or a patient of the name) meant. */
  meant: (row: FoundRow) => boolean;
}
interface FoundRow {
  id: string;
  first_name: string;
  last_name: string;
}
interface Kind {
  name: string;
  inputs: Typed[];
}

const plain = (name: string) =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/[øØ]/g, 'o')
    .replace(/[łŁ]/g, 'l')
    .replace(/[đĐ]/g, 'd')
    .replace(/ı/g, 'i')
    .toLowerCase();
const same = (a: string, b: string) => plain(a) === plain(b);

/**
 * One typo of each kind in turn, at a position that moves along the word, first letters
 * included; in a name of several words (Van der Berg), in its longest word.
 */
function typo(name: string, n: number): string {
  const words = plain(name).split(/[\s-]+/);
  const longest = words.reduce((a, b) => (b.length > a.length ? b : a));
  const w = longest.replace(/[^a-z]/g, '');
  const at = n % Math.max(1, w.length - 1);
  const letter = 'abcdefghijklmnopqrstuvwxyz'[(n * 7 + 3) % 26]!;
  const misspelt = [
    () => w.slice(0, at) + (w[at] === letter ? 'x' : letter) + w.slice(at + 1), // a wrong letter
    () => w.slice(0, at) + w.slice(at + 1), // a missing letter
    () => w.slice(0, at) + letter + w.slice(at), // an extra letter
    // two neighbours swapped
    () => (w[at] === w[at + 1] ? w.slice(0, at) + letter + w.slice(at + 1) : w.slice(0, at) + w[at + 1] + w[at] + w.slice(at + 2)),
  ][n % 4]!();
  return words.map((word) => (word === longest ? misspelt : word)).join(' ');
}

interface Patient {
  id: string;
  patient_number: string;
  first_name: string;
  last_name: string;
  phone: string;
  alternate_phone: string | null;
}

async function queryKinds(db: Db, tenantId: string): Promise<Kind[]> {
  const sample = async (where: string, order: string) =>
    (
      await db.query<Patient>(
        `SELECT id, patient_number, first_name, last_name, phone, alternate_phone FROM patients
         WHERE tenant_id = $1 AND ${where} ORDER BY ${order} LIMIT 100`,
        [tenantId],
      )
    ).rows;
  const anyone = await sample(`first_name <> '${SHARED_FIRST_NAME}'`, `md5(id::text)`);
  // Mohammed with one of the rarest surnames a Mohammed has: the full name matches a handful of patients.
  const mohammeds = await sample(
    `first_name = '${SHARED_FIRST_NAME}' AND last_name IN (SELECT last_name FROM patients WHERE tenant_id = $1
       GROUP BY last_name HAVING bool_or(first_name = '${SHARED_FIRST_NAME}') ORDER BY count(*), last_name LIMIT 200)`,
    `md5(id::text)`,
  );
  const withOther = await sample(`alternate_phone IS NOT NULL`, `md5(id::text)`);
  const person = (p: Patient) => (row: FoundRow) =>
    row.id === p.id || (same(row.first_name, p.first_name) && same(row.last_name, p.last_name));
  const surname = (p: Patient) => (row: FoundRow) => same(row.last_name, p.last_name);
  // Words under four letters are matched exactly by design (Li, Lu and Le are three names), so
  // typos are made only in names with a longer word.
  const misspellable = (name: string) =>
    plain(name)
      .split(/[\s'-]+/)
      .some((word) => word.length >= 4);
  const national = (phone: string) => phone.replace('+44 ', '0');
  return [
    {
      name: 'first letters (1–4), surname or first name',
      inputs: anyone.map((p, i) => {
        const word = plain(i % 2 ? p.first_name : p.last_name);
        const typed = word.slice(0, 1 + (i % 4));
        return {
          text: typed,
          // Apostrophes joined, as search folds them: "oc" is the start of O'Connor.
          meant: (row) =>
            plain(`${row.first_name} ${row.last_name}`)
              .replace(/'/g, '')
              .split(/[\s-]+/)
              .some((w) => w.startsWith(typed.replace(/'/g, ''))),
        };
      }),
    },
    { name: 'first name + surname', inputs: anyone.map((p) => ({ text: `${p.first_name} ${p.last_name}`, meant: person(p) })) },
    { name: 'surname + first name', inputs: anyone.map((p) => ({ text: `${p.last_name} ${p.first_name}`, meant: person(p) })) },
    {
      name: 'surname + first 3 letters',
      inputs: anyone.map((p) => ({ text: `${p.last_name} ${plain(p.first_name).slice(0, 3)}`, meant: person(p) })),
    },
    {
      name: `${SHARED_FIRST_NAME} (10%) + rare surname`,
      inputs: mohammeds.map((p) => ({ text: `${p.first_name} ${p.last_name}`, meant: person(p) })),
    },
    {
      name: `${SHARED_FIRST_NAME} (10%) + misspelt surname`,
      inputs: mohammeds
        .filter((p) => misspellable(p.last_name))
        .map((p, i) => ({ text: `${p.first_name} ${typo(p.last_name, i)}`, meant: person(p) })),
    },
    {
      name: 'misspelt surname alone',
      inputs: anyone.filter((p) => misspellable(p.last_name)).map((p, i) => ({ text: typo(p.last_name, i), meant: surname(p) })),
    },
    {
      name: 'first name + misspelt surname',
      inputs: anyone
        .filter((p) => misspellable(p.last_name))
        .map((p, i) => ({ text: `${p.first_name} ${typo(p.last_name, i)}`, meant: person(p) })),
    },
    {
      name: 'misspelt first name + surname',
      inputs: anyone
        .filter((p) => misspellable(p.first_name))
        .map((p, i) => ({ text: `${typo(p.first_name, i)} ${p.last_name}`, meant: person(p) })),
    },
    { name: 'phone, national (07…)', inputs: anyone.map((p) => ({ text: national(p.phone), meant: (row) => row.id === p.id })) },
    { name: 'phone, international (+44…)', inputs: anyone.map((p) => ({ text: p.phone, meant: (row) => row.id === p.id })) },
    {
      name: 'other phone, national (020…)',
      inputs: withOther.map((p) => ({ text: p.alternate_phone!, meant: (row) => row.id === p.id })),
    },
    {
      name: 'phone, first 6–9 digits',
      inputs: anyone.map((p, i) => {
        const typed = national(p.phone)
          .replace(/\s/g, '')
          .slice(0, 6 + (i % 4));
        return { text: typed, meant: () => true };
      }),
    },
    { name: 'patient number', inputs: anyone.map((p) => ({ text: p.patient_number, meant: (row) => row.id === p.id })) },
  ];
}

/** p50/p95 over RUNS calls, cycling through the inputs after warming up on a few. */
async function time(run: (typed: string) => Promise<unknown>, inputs: string[]): Promise<{ p50: number; p95: number }> {
  for (const input of inputs.slice(0, 5)) await run(input);
  const schedule = Array.from({ length: Math.ceil(RUNS / inputs.length) }, () => inputs)
    .flat()
    .slice(0, RUNS);
  const samples: number[] = [];
  for (const input of schedule) {
    const started = performance.now();
    await run(input);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

interface Row {
  engine: string;
  kind: string;
  path: string;
  p50: number;
  p95: number;
  /** Share of inputs whose patient is among the rows shown; null for the floor. */
  recall: number | null;
}

type Search = (typed: string) => Promise<FoundRow[]>;
type Request = <T>(work: (tx: Queryable) => Promise<T>) => Promise<T>;

async function benchPaths(engine: string, kinds: Kind[], paths: [string, Search][], floor: Search): Promise<Row[]> {
  const rows: Row[] = [];
  const numbers = kinds.find((kind) => kind.name === 'patient number')!.inputs.map((typed) => typed.text);
  const floorTimes = await time(floor, numbers);
  rows.push({
    engine,
    kind: 'floor: one patient by number',
    path: 'indexed lookup as clinic_app, forced RLS',
    ...floorTimes,
    recall: null,
  });
  console.error(`[${engine}] floor: p50 ${floorTimes.p50.toFixed(2)} ms, p95 ${floorTimes.p95.toFixed(2)} ms`);
  for (const kind of kinds) {
    for (const [path, search] of paths) {
      let meant = 0;
      for (const typed of kind.inputs) if ((await search(typed.text)).some(typed.meant)) meant++;
      const row = {
        engine,
        kind: kind.name,
        path,
        ...(await time(
          search,
          kind.inputs.map((typed) => typed.text),
        )),
        recall: meant / kind.inputs.length,
      };
      console.error(
        `[${engine}] ${kind.name} · ${path}: p50 ${row.p50.toFixed(2)} ms, p95 ${row.p95.toFixed(2)} ms, recall ${(row.recall * 100).toFixed(0)}%`,
      );
      rows.push(row);
    }
  }
  return rows;
}

/** The app's search call: the typed phone read as E.164 with the clinic's country, as the router does. */
const APP_SEARCH = `SELECT id, first_name, last_name FROM search_patients($1, ${SHOWN}, $2)`;
const asTyped = (typed: string): [string, string | null] => [typed, /^[0-9 ()+./-]+$/.test(typed) ? phoneKey(typed, 'GB') : null];

/** Migrates as the schema owner, then loads as `db`, a superuser (the load switches triggers off). */
async function loadAll(db: Db, engine: string, clinics: { slug: string; patients: number }[], schemaOwner: Db = db) {
  await migrate(schemaOwner, { dir: findMigrationsDir() });
  await db.query(PICK);
  const started = performance.now();
  const loaded = [];
  for (const clinic of clinics) loaded.push(await loadClinic(db, clinic.slug, clinic.patients));
  // What the app's offline database does within minutes of opening, and autovacuum on a server,
  // after a load like this: without it, index-only scans read the table for every entry.
  await db.exec('VACUUM (ANALYZE)');
  const total = clinics.reduce((sum, clinic) => sum + clinic.patients, 0);
  console.error(
    `[${engine}] loaded ${total.toLocaleString('en')} patients in ${clinics.length} clinics in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return loaded;
}

const standardClinics = [
  { slug: 'bench-big', patients: BIG_CLINIC },
  ...Array.from({ length: OTHER_CLINICS }, (_, i) => ({ slug: `bench-other-${i + 1}`, patients: OTHER_CLINIC_PATIENTS })),
];

async function benchPglite(): Promise<Row[]> {
  const db = await openPglite({});
  try {
    const [big] = await loadAll(db, 'PGlite', standardClinics);
    const { tenantId, receptionistId } = big!;
    const request: Request = (work) => withRequest(db, { tenantId, userId: receptionistId }, work);
    // The router as a window calls it: signed in at the offline clinic, one request per keystroke.
    const backend: Backend = {
      access: offlineAccess(db),
      sessions: new SessionStore(3_600_000),
      status: { kind: 'pglite', label: 'bench' },
    };
    const window = createCallerFactory(appRouter)(createContext(backend, { clientKey: 'bench-window' }));
    await window.auth.signIn({ email: 'desk@bench-big.bench', password: PASSWORD, clinicCode: 'bench-big' });
    const kinds = await queryKinds(db, tenantId);
    return await benchPaths(
      'PGlite 0.5 (PG 18)',
      kinds,
      [
        [
          'search_patients() as clinic_app, forced RLS',
          (typed) => request(async (tx) => (await tx.query<FoundRow>(APP_SEARCH, asTyped(typed))).rows),
        ],
        ['router: patients.search, signed in', (typed) => window.patients.search({ query: typed })],
      ],
      (typed) =>
        request(
          async (tx) =>
            (await tx.query<FoundRow>(`SELECT id, first_name, last_name FROM patients WHERE patient_number = $1`, [typed])).rows,
        ),
    );
  } finally {
    await db.close();
  }
}

/**
 * PostgreSQL: the schema owned by an ordinary role (the README's operator set-up, so forced RLS
 * applies to the owner's definer code as well), and the receptionist signed in through their own
 * login as a clinic PC does (remoteAccess).
 */
async function benchPostgres(clinics: { slug: string; patients: number }[], label: string): Promise<Row[]> {
  const server = await startPostgresServer();
  try {
    const { ownerUrl, superuserUrl } = await createOwnedDatabase(server.url);
    const owner = await openPostgres({ connectionString: ownerUrl, max: 2 });
    const superuser = await openPostgres({ connectionString: superuserUrl, max: 2 });
    let staff: StaffAccess | undefined;
    try {
      const { version } = await one<{ version: string }>(owner, `SELECT current_setting('server_version') AS version`);
      const [big] = await loadAll(superuser, `PostgreSQL ${version}`, clinics, owner);
      const { tenantId, receptionistId } = big!;
      await owner.transaction(async (tx) => {
        await tx.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenantId]);
        await tx.query(`SELECT provision_staff_login($1, $2)`, [receptionistId, scramVerifier(PASSWORD)]);
      });
      const signedIn = await remoteAccess(serverAddress(ownerUrl)).signIn({
        clinicCode: clinics[0]!.slug,
        email: `desk@${clinics[0]!.slug}.bench`,
        password: PASSWORD,
      });
      staff = signedIn;
      const request: Request = (work) => signedIn.request(work);
      const kinds = await queryKinds(superuser, tenantId);
      return await benchPaths(
        `PostgreSQL ${version.replace(/ .*/, '')}${label}`,
        kinds,
        [
          [
            'search_patients() as clinic_app, forced RLS',
            (typed) => request(async (tx) => (await tx.query<FoundRow>(APP_SEARCH, asTyped(typed))).rows),
          ],
        ],
        (typed) =>
          request(
            async (tx) =>
              (await tx.query<FoundRow>(`SELECT id, first_name, last_name FROM patients WHERE patient_number = $1`, [typed])).rows,
          ),
      );
    } finally {
      await staff?.close();
      await superuser.close();
      await owner.close();
    }
  } finally {
    await server.stop();
  }
}

function printTable(rows: Row[]): void {
  console.log('| engine | typed | path | p50 ms | p95 ms | recall |');
  console.log('|---|---|---|---:|---:|---:|');
  for (const r of rows) {
    const recall = r.recall === null ? '' : `${(r.recall * 100).toFixed(0)}%`;
    console.log(`| ${r.engine} | ${r.kind} | ${r.path} | ${r.p50.toFixed(2)} | ${r.p95.toFixed(2)} | ${recall} |`);
  }
}

// BENCH_MILLION=1 adds the million run; BENCH_MILLION=only runs just that.
const million = process.env.BENCH_MILLION;
const results: Row[] = million === 'only' ? [] : [...(await benchPglite()), ...(await benchPostgres(standardClinics, ''))];
if (million === '1' || million === 'only') {
  const hundred = Array.from({ length: 100 }, (_, i) => ({ slug: `bench-clinic-${i + 1}`, patients: 10_000 }));
  hundred[0] = { slug: 'bench-big', patients: 10_000 };
  results.push(...(await benchPostgres(hundred, ', 1,000,000 patients in 100 clinics')));
}
console.log(
  `\nReception search, ${BIG_CLINIC.toLocaleString('en')} patients in one clinic + ${OTHER_CLINICS} clinics × ${OTHER_CLINIC_PATIENTS}, ${RUNS} runs per row, ${SHOWN} rows shown:\n`,
);
printTable(results);
