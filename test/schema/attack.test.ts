/**
 * The attack suite: what someone who lifted a clinic PC's credential can do with SQL typed by
 * hand. On PostgreSQL it logs in exactly as a clinic PC does (a staff member's own login of
 * clinic A) and tries every door; on PGlite it runs the same permission attacks as the app's
 * trusted process runs a request (clinic_app for one user). Every attack must read nothing of
 * another clinic and write nothing at all (the whole database is compared before and after).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scramVerifier, staffLoginName } from '../../electron/server/auth/scram';
import { serverAddress } from '../../electron/server/backend';
import { openPostgres } from '../../electron/server/db/postgres';
import { withRequest } from '../../electron/server/db/request';
import type { Db, Engine, Queryable } from '../../electron/server/db/types';
import { provisionLogins } from '../backend';
import { engines, freshDatabase } from '../engines';
import { createTenantFixture, type TenantFixture } from '../fixtures';

const PASSWORD = 'attack-suite-password';
const CONFIDENTIAL_TEXT = 'Confidential: under investigation for self-harm';
/** The catalog-wide loops below run every attack as every role; on two shared cores they outgrow the default 30 s. */
const LOOP_TIMEOUT = 180_000;

type Role = 'admin' | 'doctor' | 'nurse' | 'receptionist' | 'billing';
interface Attacker {
  role: Role;
  userId: string;
  /** Runs statements in one transaction and commits; returns each statement's rows or its SQLSTATE. */
  run(statements: string[]): Promise<(unknown[] | { refused: string })[]>;
  close(): Promise<void>;
}

/** Every row of every table (catalog-listed), the roles and their passwords, as one fingerprint per table. */
async function fingerprint(owner: Db, attackerId: string): Promise<Record<string, string>> {
  const { rows: tables } = await owner.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1`,
  );
  const prints: Record<string, string> = {};
  for (const { name } of tables) {
    // The attacker's own searches and chart reads are logged, truthfully: that is not a write of theirs.
    const own = name === 'activity_logs' ? `WHERE t.user_id IS DISTINCT FROM '${attackerId}'` : '';
    const { rows } = await owner.query<{ print: string }>(
      `SELECT count(*) || ':' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS print FROM public.${name} t ${own}`,
    );
    prints[name] = rows[0]!.print;
  }
  // Roles are shared by every database of the server (other test files create theirs meanwhile):
  // this database's logins, the app roles and the owner are the ones an attack here could touch.
  const { rows: roles } = await owner.query<{ print: string }>(
    `WITH ours AS (SELECT oid FROM pg_authid
                   WHERE rolname IN (SELECT role_name FROM staff_logins) OR rolname IN ('clinic_app', 'clinicdesk_provisioner', current_user))
     SELECT md5(string_agg(a.rolname || a.rolcanlogin || a.rolsuper || a.rolbypassrls || coalesce(a.rolpassword, ''), '|' ORDER BY a.rolname))
            || md5(coalesce((SELECT string_agg(m.roleid || '>' || m.member, ',' ORDER BY m.roleid, m.member) FROM pg_auth_members m
                             WHERE m.member IN (SELECT oid FROM ours)), '')) AS print
     FROM pg_authid a WHERE a.oid IN (SELECT oid FROM ours)`,
  );
  prints['pg_authid'] = roles[0]!.print;
  return prints;
}

async function collect(tx: Queryable, statements: string[]) {
  const results: (unknown[] | { refused: string })[] = [];
  for (const sql of statements) {
    await tx.query('SAVEPOINT attack');
    try {
      results.push((await tx.query(sql)).rows);
      await tx.query('RELEASE SAVEPOINT attack');
    } catch (error) {
      results.push({ refused: (error as { code?: string }).code ?? 'error' });
      await tx.query('ROLLBACK TO SAVEPOINT attack');
    }
  }
  return results;
}

describe.each(engines)('attacks on %s', (engine: Engine) => {
  let owner: Db & { url?: string };
  let clinicA: TenantFixture;
  let clinicB: TenantFixture;
  let confidentialRecordId: string;
  const attackers = new Map<Role, Attacker>();
  const opened: Db[] = [];

  async function attacker(role: Role): Promise<Attacker> {
    const found = attackers.get(role);
    if (found) return found;
    const userId =
      role === 'admin'
        ? clinicA.adminId
        : role === 'doctor'
          ? clinicA.doctorId
          : role === 'receptionist'
            ? clinicA.receptionistId
            : await staffOf(role);
    let made: Attacker;
    if (engine === 'postgres') {
      const email = (await owner.query<{ email: string }>(`SELECT email FROM users WHERE id = $1`, [userId])).rows[0]!.email;
      const url = new URL(serverAddress(owner.url!));
      url.username = staffLoginName(url.pathname.slice(1), 'attack-a', email);
      url.password = PASSWORD;
      const login = await openPostgres({ connectionString: url.href, max: 1 });
      opened.push(login);
      // Exactly what the lifted credential gives: a session of one's own, no SET ROLE needed.
      made = { role, userId, run: (statements) => login.transaction((tx) => collect(tx, statements)), close: () => login.close() };
    } else {
      made = {
        role,
        userId,
        run: (statements) => withRequest(owner, { tenantId: clinicA.tenantId, userId }, (tx) => collect(tx, statements)),
        close: async () => undefined,
      };
    }
    attackers.set(role, made);
    return made;
  }

  async function staffOf(role: Role): Promise<string> {
    const { rows } = await owner.query<{ id: string }>(
      `SELECT u.id FROM users u JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id
       WHERE u.tenant_id = $1 AND r.name = $2`,
      [clinicA.tenantId, role],
    );
    return rows[0]!.id;
  }

  beforeAll(async () => {
    owner = await freshDatabase(engine);
    clinicA = await createTenantFixture(owner, 'attack-a');
    clinicB = await createTenantFixture(owner, 'attack-b');
    await owner.transaction(async (tx) => {
      await tx.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [clinicA.tenantId]);
      for (const role of ['nurse', 'billing']) {
        await tx.query(
          `INSERT INTO users (tenant_id, clinic_id, role_id, email, password_hash, first_name, last_name)
           VALUES ($1, $2, $3, $4, 'scrypt$fixture', 'Extra', 'Staff')`,
          [clinicA.tenantId, clinicA.clinicId, clinicA.roleIds[role as Role], `${role}@attack-a.test`],
        );
      }
      // Something worth stealing: allergies, and a confidential note by the doctor.
      await tx.query(
        `UPDATE patients SET allergies = '[{"substance":"Penicillin","severity":"severe"}]', alerts = 'Aggressive when kept waiting'
                      WHERE id = $1`,
        [clinicA.rows.patients],
      );
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO medical_records (tenant_id, patient_id, doctor_id, assessment, is_confidential)
         VALUES ($1, $2, $3, $4, true) RETURNING id`,
        [clinicA.tenantId, clinicA.rows.patients, clinicA.doctorId, CONFIDENTIAL_TEXT],
      );
      confidentialRecordId = rows[0]!.id;
    });
    if (engine === 'postgres') {
      const { rows } = await owner.query<{ id: string }>(`SELECT id FROM users WHERE tenant_id = $1`, [clinicA.tenantId]);
      await provisionLogins(
        owner,
        clinicA.tenantId,
        rows.map((r) => r.id),
        PASSWORD,
      );
      await provisionLogins(owner, clinicB.tenantId, [clinicB.adminId], PASSWORD);
    }
  });
  afterAll(async () => {
    await Promise.all(opened.map((db) => db.close()));
    await owner?.close();
  });

  /** Runs the attack, then checks it wrote nothing and read nothing of clinic B (or any secret). */
  async function attempt(role: Role, statements: string[]) {
    const who = await attacker(role);
    const before = await fingerprint(owner, who.userId);
    const results = await who.run(statements);
    expect(await fingerprint(owner, who.userId), statements.join('; ')).toEqual(before);
    const seen = JSON.stringify(results);
    for (const secret of [clinicB.tenantId, ...Object.values(clinicB.rows), 'Fixture-attack-b', 'scrypt$', 'SCRAM-SHA-256$']) {
      expect(seen, `${statements.join('; ')} revealed ${secret}`).not.toContain(secret);
    }
    return results;
  }

  const refused = (result: unknown) => typeof result === 'object' && result !== null && 'refused' in result;

  const crossTenant = () => {
    const b = clinicB;
    return [
      // Identity through settings: set_config, SET, and a default on one's own role.
      [
        `SELECT set_config('app.current_tenant_id', '${b.tenantId}', false), set_config('app.current_user_id', '${b.adminId}', false)`,
        `SELECT * FROM patients`,
        `SELECT * FROM users`,
        `SELECT * FROM appointments`,
        `SELECT * FROM audit_logs`,
        `UPDATE patients SET first_name = 'Owned' WHERE id = '${b.rows.patients}'`,
        `SELECT current_tenant_id()`,
      ],
      [`SET app.current_tenant_id = '${b.tenantId}'`, `SET ROLE clinic_app`, `SELECT * FROM patients`, `SELECT * FROM invoices`],
      [
        `SELECT * FROM patients WHERE tenant_id = '${b.tenantId}'`,
        `SELECT * FROM patient_summary WHERE tenant_id = '${b.tenantId}'`,
        `SELECT * FROM appointment_calendar`,
        `SELECT * FROM clinic_doctors`,
        `SELECT * FROM revenue_summary`,
        `SELECT * FROM doctor_summary`,
      ],
      // Other identities.
      [`SET ROLE postgres`],
      [`SET ROLE clinicdesk_provisioner`],
      [`SET SESSION AUTHORIZATION postgres`],
      [`RESET ROLE`, `SELECT * FROM patients`],
      // Definer functions with another clinic's ids.
      [
        `SELECT soft_delete('patients', '${b.rows.patients}', 'mine now')`,
        `SELECT restore_deleted('patients', '${b.rows.patients}')`,
        `SELECT get_patient_dashboard('${b.rows.patients}')`,
        `SELECT * FROM search_patients('Fixture-attack-b')`,
        `SELECT * FROM find_duplicate_patients('Pat', 'Fixture-attack-b', '1980-05-17', '+44 7700 900001')`,
        `SELECT provision_staff_login('${b.adminId}', '${scramVerifier('taken-over-b')}')`,
        `SELECT disable_staff_login('${b.adminId}')`,
        `SELECT create_notification('${b.doctorId}', 'hi', 'there')`,
        `SELECT queue_appointment_reminder('${b.rows.appointments}')`,
      ],
      // Sign-in's functions: hashes, passwords, lockout.
      [`SELECT sign_in_tenant('attack-b')`],
      [`SELECT * FROM sign_in_lookup('admin@attack-b.test')`],
      [`SELECT set_user_password('${b.adminId}', 'scrypt$16384$8$1$AAAA$BBBB')`],
      [`SELECT * FROM record_sign_in_attempt('${b.tenantId}', 'admin@attack-b.test', true)`],
      [`SELECT create_login_role('${staffLoginName('x', 'attack-b', 'admin@attack-b.test')}', '${scramVerifier('x')}', true)`],
      [`SELECT password_hash FROM users`],
      [`SELECT * FROM staff_logins`],
      [`SELECT rolpassword FROM pg_authid`],
      [`SELECT * FROM pg_shadow`],
      [`SELECT * FROM number_sequences`],
      // Foreign references and moving rows.
      [
        `INSERT INTO appointments (tenant_id, clinic_id, patient_id, doctor_id, starts_at, ends_at)
        VALUES (current_tenant_id(), '${clinicA.clinicId}', '${b.rows.patients}', '${clinicA.doctorId}', now() + interval '3 days', now() + interval '3 days 15 minutes')`,
      ],
      [`UPDATE patients SET tenant_id = '${b.tenantId}' WHERE id = '${clinicA.rows.patients}'`],
      // Temp objects named like real ones (then used inside definer functions), and new objects.
      [`CREATE TEMP TABLE audit_logs (LIKE public.audit_logs)`],
      [`CREATE TEMP VIEW patients AS SELECT * FROM public.patients`],
      [`CREATE TEMP VIEW appointment_status_transitions AS SELECT 'completed'::text AS from_status, 'scheduled'::text AS to_status`],
      [`CREATE TABLE public.exfiltrate (x text)`],
      [`CREATE FUNCTION public.current_tenant_id() RETURNS uuid LANGUAGE sql AS 'SELECT NULL::uuid'`],
      [`CREATE SCHEMA mine`],
      [`ALTER ROLE CURRENT_USER SET search_path = pg_temp, public`],
      // Stalling every clinic: a table lock needs table-level write rights, which no login has.
      [`LOCK TABLE patients IN ACCESS EXCLUSIVE MODE`],
      [`LOCK TABLE appointments, invoices IN SHARE MODE`],
    ];
  };

  // Each attempt fingerprints every table before and after, so this grows with the schema.
  it.runIf(engine === 'postgres')(
    'a staff login of clinic A reads and writes nothing of clinic B, whatever SQL it sends',
    async () => {
      for (const role of ['receptionist', 'admin', 'doctor', 'nurse', 'billing'] as Role[]) {
        for (const statements of crossTenant()) {
          const results = await attempt(role, statements);
          // Where a statement ran, identity still came from the login.
          if (statements.at(-1) === 'SELECT current_tenant_id()') expect(results.at(-1)).toEqual([{ current_tenant_id: clinicA.tenantId }]);
        }
      }
    },
    LOOP_TIMEOUT,
  );

  it.runIf(engine === 'postgres')('a role default set on the login changes nothing on the next connection', async () => {
    const who = await attacker('receptionist');
    await who.run([`ALTER ROLE CURRENT_USER SET app.current_tenant_id = '${clinicB.tenantId}'`]);
    const email = 'receptionist@attack-a.test';
    const url = new URL(serverAddress(owner.url!));
    url.username = staffLoginName(url.pathname.slice(1), 'attack-a', email);
    url.password = PASSWORD;
    const again = await openPostgres({ connectionString: url.href, max: 1 });
    try {
      const { rows } = await again.query<{ tenant: string; seen: string }>(
        `SELECT current_tenant_id() AS tenant, (SELECT string_agg(DISTINCT tenant_id::text, ',') FROM patients) AS seen`,
      );
      expect(rows).toEqual([{ tenant: clinicA.tenantId, seen: clinicA.tenantId }]);
    } finally {
      await again.close();
    }
  });

  it.runIf(engine === 'postgres')('concurrent and batched requests from two clinics never cross', async () => {
    const b = await (async () => {
      const url = new URL(serverAddress(owner.url!));
      url.username = staffLoginName(url.pathname.slice(1), 'attack-b', 'admin@attack-b.test');
      url.password = PASSWORD;
      const login = await openPostgres({ connectionString: url.href, max: 4 });
      opened.push(login);
      return login;
    })();
    const aUrl = new URL(serverAddress(owner.url!));
    aUrl.username = staffLoginName(aUrl.pathname.slice(1), 'attack-a', 'receptionist@attack-a.test');
    aUrl.password = PASSWORD;
    const a = await openPostgres({ connectionString: aUrl.href, max: 4 });
    opened.push(a);
    const ask = (db: Db, claim: string) =>
      db.transaction(async (tx) => {
        await tx.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [claim]);
        return (await tx.query<{ tenant_id: string }>(`SELECT DISTINCT tenant_id FROM patients`)).rows.map((r) => r.tenant_id);
      });
    const rounds = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        i % 2 ? ask(a, clinicB.tenantId).then((t) => ['A', t]) : ask(b, clinicA.tenantId).then((t) => ['B', t]),
      ),
    );
    const crossed = rounds.filter(([who, seen]) =>
      (seen as string[]).some((t) => t !== (who === 'A' ? clinicA.tenantId : clinicB.tenantId)),
    );
    expect(crossed).toEqual([]);
  });

  it(
    'a receptionist cannot exceed the role: users, roles, clinic, audit, maintenance, numbers, confidential notes',
    async () => {
      const a = clinicA;
      const writes = [
        [`UPDATE roles SET permissions = permissions || '["records.confidential"]' WHERE id = '${a.roleIds.receptionist}'`],
        [`UPDATE users SET role_id = '${a.roleIds.admin}' WHERE id = '${a.receptionistId}'`],
        [
          `INSERT INTO users (tenant_id, clinic_id, role_id, email, password_hash, first_name, last_name)
        VALUES (current_tenant_id(), '${a.clinicId}', '${a.roleIds.admin}', 'mole@attack-a.test', 'scrypt$x', 'Mole', 'Admin')`,
        ],
        [`INSERT INTO roles (tenant_id, name, permissions) VALUES (current_tenant_id(), 'shadow', '["admin.users"]')`],
        [`UPDATE clinics SET name = 'Renamed' WHERE id = '${a.clinicId}'`],
        [`SELECT soft_delete('users', '${a.adminId}', 'bye')`],
        [`SELECT soft_delete('roles', '${a.roleIds.admin}')`],
        [`SELECT soft_delete('clinics', '${a.clinicId}')`],
        [`SELECT soft_delete('medical_records', '${confidentialRecordId}')`],
        [`SELECT soft_delete('audit_logs', '${a.rows.audit_logs}')`],
        [`SELECT restore_deleted('patients', '${a.rows.patients}')`],
        [`SELECT perform_maintenance()`],
        [`SELECT * FROM database_health_check()`],
        [`SELECT * FROM archived_patients()`],
        [`SELECT provision_staff_login('${a.receptionistId}', '${scramVerifier('new-password-1')}')`],
        [`SELECT disable_staff_login('${a.adminId}')`],
        [
          `INSERT INTO activity_logs (tenant_id, user_id, activity_type, description) VALUES (current_tenant_id(), '${a.adminId}', 'patient.view', 'forged')`,
        ],
        [`SELECT log_activity('auth.sign_in_failed', 'forged failure')`],
        [`INSERT INTO audit_logs (tenant_id, action, table_name) VALUES (current_tenant_id(), 'INSERT', 'patients')`],
        [`UPDATE audit_logs SET reason = NULL`],
        [`DELETE FROM audit_logs`],
        [`DELETE FROM patients`],
        [`UPDATE patients SET allergies = '[]' WHERE id = '${a.rows.patients}'`],
        [`UPDATE patients SET alerts = NULL WHERE id = '${a.rows.patients}'`],
        [`UPDATE patients SET patient_number = 'P-999999' WHERE id = '${a.rows.patients}'`],
        [`UPDATE appointments SET status = 'completed' WHERE id = '${a.rows.appointments}'`],
        [`UPDATE number_sequences SET last_value = 0`],
        // Money: a receptionist takes payments, but neither edits invoices nor refunds.
        [`UPDATE invoices SET total_amount = 0, subtotal = 0, status = 'cancelled' WHERE id = '${a.rows.invoices}'`],
        [
          `INSERT INTO invoices (tenant_id, clinic_id, patient_id, subtotal, total_amount, status)
        VALUES (current_tenant_id(), '${a.clinicId}', '${a.rows.patients}', 1, 1, 'issued')`,
        ],
        [`UPDATE payments SET payment_status = 'refunded', refund_amount = amount, refunded_at = now() WHERE id = '${a.rows.payments}'`],
        // Clinical steps: completing a visit with a diagnosis, ordering tests, verifying results.
        [`UPDATE appointments SET diagnosis = 'Written at the desk' WHERE id = '${a.rows.appointments}'`],
        [
          `INSERT INTO diagnostic_tests (tenant_id, clinic_id, patient_id, doctor_id, test_name) VALUES (current_tenant_id(), '${a.clinicId}', '${a.rows.patients}', '${a.doctorId}', 'CT head')`,
        ],
        [
          `UPDATE test_reports SET verified_by = '${a.doctorId}', verified_at = now(), is_abnormal = false WHERE id = '${a.rows.test_reports}'`,
        ],
        [`UPDATE medical_records SET assessment = 'edited' WHERE id = '${confidentialRecordId}'`],
        [`SELECT set_config('app.current_user_id', '${a.adminId}', true)`, `SELECT perform_maintenance()`],
      ];
      // Offline, a request's settings are the trusted process's own: naming another user there is
      // not an attack a lifted credential can make (there is none), so it is tried on PostgreSQL only.
      for (const statements of writes.filter((list) => engine === 'postgres' || !list.some((sql) => sql.includes('set_config')))) {
        const [result] = (await attempt('receptionist', statements)).slice(-1);
        // Beyond a receptionist: refused, or a no-op on a row it cannot see (and the fingerprint is unchanged).
        const noOp = Array.isArray(result) && (result.length === 0 || JSON.stringify(result).includes('false'));
        expect(refused(result) || noOp, statements.join('; ')).toBe(true);
      }
    },
    LOOP_TIMEOUT,
  );

  it('keeps a confidential note and its audit rows from everyone but its author and those allowed', async () => {
    const peek = [
      `SELECT * FROM medical_records`,
      `SELECT * FROM audit_logs WHERE table_name = 'medical_records'`,
      `SELECT get_patient_dashboard('${clinicA.rows.patients}')`,
      `SELECT * FROM patient_summary`,
    ];
    for (const role of ['receptionist', 'nurse', 'billing'] as Role[]) {
      const seen = JSON.stringify(await attempt(role, peek));
      expect(seen, role).not.toContain(CONFIDENTIAL_TEXT);
      expect(seen, role).not.toContain(confidentialRecordId);
    }
    for (const role of ['doctor', 'admin'] as Role[]) {
      expect(JSON.stringify(await attempt(role, peek)), role).toContain(CONFIDENTIAL_TEXT);
    }
  });

  it('keeps each clinic of one organisation to its own calendar and till, but shares its patients', async () => {
    // A second clinic of organisation A, with its own receptionist.
    const second = await owner.transaction(async (tx) => {
      await tx.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [clinicA.tenantId]);
      const { rows: clinics } = await tx.query<{ id: string }>(
        `INSERT INTO clinics (tenant_id, name, timezone) VALUES ($1, 'A North', 'Europe/London') RETURNING id`,
        [clinicA.tenantId],
      );
      const { rows: users } = await tx.query<{ id: string }>(
        `INSERT INTO users (tenant_id, clinic_id, role_id, email, password_hash, first_name, last_name)
         VALUES ($1, $2, $3, 'desk@north.attack-a.test', 'scrypt$fixture', 'North', 'Desk') RETURNING id`,
        [clinicA.tenantId, clinics[0]!.id, clinicA.roleIds.receptionist],
      );
      return { clinicId: clinics[0]!.id, userId: users[0]!.id };
    });
    const asNorth = (sql: string) => withRequest(owner, { tenantId: clinicA.tenantId, userId: second.userId }, (tx) => collect(tx, [sql]));
    const [appointments] = await asNorth(`SELECT id FROM appointments`);
    const [invoices] = await asNorth(`SELECT id FROM invoices`);
    const [patients] = await asNorth(`SELECT id FROM patients WHERE id = '${clinicA.rows.patients}'`);
    expect({ appointments, invoices, patients }).toEqual({ appointments: [], invoices: [], patients: [{ id: clinicA.rows.patients }] });
    const [booking] = await asNorth(
      `INSERT INTO appointments (tenant_id, clinic_id, patient_id, doctor_id, starts_at, ends_at)
       VALUES (current_tenant_id(), '${clinicA.clinicId}', '${clinicA.rows.patients}', '${clinicA.doctorId}',
               now() + interval '5 days', now() + interval '5 days 15 minutes') RETURNING id`,
    );
    expect(booking).toEqual({ refused: '42501' });
  });

  it('keeps the nurse to her role: no verifying results, no ordering tests; notes are signed by their real author', async () => {
    for (const statements of [
      [
        `UPDATE test_reports SET verified_by = '${clinicA.doctorId}', verified_at = now(), is_critical = false WHERE id = '${clinicA.rows.test_reports}'`,
      ],
      [
        `INSERT INTO diagnostic_tests (tenant_id, clinic_id, patient_id, doctor_id, test_name) VALUES (current_tenant_id(), '${clinicA.clinicId}', '${clinicA.rows.patients}', '${clinicA.doctorId}', 'MRI')`,
      ],
    ]) {
      const [result] = await attempt('nurse', statements);
      expect(refused(result), statements[0]).toBe(true);
    }
    const nurse = await attacker('nurse');
    const [note] = await nurse.run([
      `INSERT INTO medical_records (tenant_id, patient_id, doctor_id, chief_complaint) VALUES (current_tenant_id(), '${clinicA.rows.patients}', '${clinicA.doctorId}', 'Vitals only') RETURNING doctor_id`,
    ]);
    expect(note).toEqual([{ doctor_id: nurse.userId }]);
  });

  it('fences the earlier audit rows of a note made confidential later', async () => {
    const auditor = await owner.transaction(async (tx) => {
      await tx.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [clinicA.tenantId]);
      const { rows: roles } = await tx.query<{ id: string }>(
        `INSERT INTO roles (tenant_id, name, permissions) VALUES ($1, 'auditor', '["admin.audit"]') RETURNING id`,
        [clinicA.tenantId],
      );
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO users (tenant_id, clinic_id, role_id, email, password_hash, first_name, last_name)
         VALUES ($1, $2, $3, 'auditor@attack-a.test', 'scrypt$fixture', 'Audrey', 'Auditor') RETURNING id`,
        [clinicA.tenantId, clinicA.clinicId, roles[0]!.id],
      );
      return rows[0]!.id;
    });
    const asDoctor = (sql: string) =>
      withRequest(owner, { tenantId: clinicA.tenantId, userId: clinicA.doctorId }, (tx) => tx.query<{ id: string }>(sql));
    const { rows } = await asDoctor(`INSERT INTO medical_records (tenant_id, patient_id, doctor_id, assessment)
                                     VALUES (current_tenant_id(), '${clinicA.rows.patients}', current_app_user_id(), 'Draft: disclosed today') RETURNING id`);
    const noteId = rows[0]!.id;
    await asDoctor(`UPDATE medical_records SET is_confidential = true WHERE id = '${noteId}'`);
    const seen = await withRequest(
      owner,
      { tenantId: clinicA.tenantId, userId: auditor },
      async (tx) => (await tx.query(`SELECT new_values FROM audit_logs WHERE record_id = $1`, [noteId])).rows,
    );
    expect(seen).toEqual([]);
  });

  it.runIf(engine === 'postgres')('a disabled or archived staff member acts for nobody, even on a connection already open', async () => {
    const billing = await attacker('billing');
    expect(await billing.run([`SELECT current_tenant_id() AS t`])).toEqual([[{ t: clinicA.tenantId }]]);
    await owner.query(`UPDATE users SET is_active = false WHERE id = $1`, [billing.userId]);
    expect(await billing.run([`SELECT current_tenant_id() AS t, (SELECT count(*)::int FROM patients) AS n`])).toEqual([
      [{ t: null, n: 0 }],
    ]);
    const { rows } = await owner.query(
      `SELECT rolcanlogin FROM pg_roles r JOIN staff_logins s ON s.role_name = r.rolname WHERE s.user_id = $1`,
      [billing.userId],
    );
    expect(rows).toEqual([{ rolcanlogin: false }]);
  });

  it('lets a temporary password (an administrator reset) do nothing but be changed', async () => {
    const reception = await attacker('receptionist');
    await owner.query(`UPDATE users SET password_change_required = true WHERE id = $1`, [reception.userId]);
    try {
      const [insert] = await attempt('receptionist', [
        `INSERT INTO patients (tenant_id, clinic_id, first_name, last_name, date_of_birth, gender)
         VALUES (current_tenant_id(), '${clinicA.clinicId}', 'Temp', 'Pass', '1990-01-01', 'Male')`,
      ]);
      expect(refused(insert)).toBe(true);
      const [search] = await attempt('receptionist', [`SELECT * FROM search_patients('Fixture')`]);
      expect(refused(search)).toBe(true);
    } finally {
      await owner.query(`UPDATE users SET password_change_required = false WHERE id = $1`, [reception.userId]);
    }
  });

  it('keeps a second clinic’s desk off the first clinic’s payments and visits, archive included', async () => {
    const north = await owner.query<{ id: string }>(`SELECT id FROM users WHERE email = 'desk@north.attack-a.test'`);
    const asNorth = (sql: string) =>
      withRequest(owner, { tenantId: clinicA.tenantId, userId: north.rows[0]!.id }, (tx) => collect(tx, [sql]));
    const before = await fingerprint(owner, north.rows[0]!.id);
    expect(await asNorth(`UPDATE payments SET notes = 'seen' RETURNING id`)).toEqual([[]]);
    expect(await asNorth(`SELECT soft_delete('appointments', '${clinicA.rows.appointments}', 'not ours')`)).toEqual([
      [{ soft_delete: false }],
    ]);
    expect(await asNorth(`SELECT id FROM payments`)).toEqual([[]]);
    expect(await fingerprint(owner, north.rows[0]!.id)).toEqual(before);
  });

  it(
    'lets no role rewrite a record’s id, tenant, creation time or author, on any tenant table in the catalog',
    async () => {
      const { rows: columns } = await owner.query<{ table: string; column: string }>(
        `SELECT c.relname AS table, a.attname AS column
         FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND NOT a.attisdropped
         WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
           AND a.attname IN ('tenant_id', 'id', 'created_at', 'created_by')
           AND EXISTS (SELECT 1 FROM pg_attribute t WHERE t.attrelid = c.oid AND t.attname = 'tenant_id')
         ORDER BY 1, 2`,
      );
      expect(columns).toEqual(
        expect.arrayContaining([
          { table: 'patients', column: 'created_by' },
          { table: 'patients', column: 'id' },
          { table: 'appointments', column: 'created_at' },
          { table: 'invoices', column: 'tenant_id' },
        ]),
      );
      // Each set to another value of its own kind: another staff member, a new id, another time.
      const other = (column: string) =>
        ({
          tenant_id: `'${clinicB.tenantId}'`,
          id: 'gen_random_uuid()',
          created_at: `now() - interval '1 year'`,
          created_by: `'${clinicA.adminId}'`,
        })[column];
      const statements = columns.map(({ table, column }) => `UPDATE ${table} SET ${column} = ${other(column)} RETURNING 1`);
      for (const role of ['admin', 'doctor', 'nurse', 'receptionist', 'billing'] as const) {
        const results = await attempt(role, statements);
        expect(
          results.flatMap((result, i) => (refused(result) && (result as { refused: string }).refused === '42501' ? [] : [statements[i]])),
          role,
        ).toEqual([]);
      }
    },
    LOOP_TIMEOUT,
  );

  it('assigns record numbers itself: a squatted number blocks nobody', async () => {
    const reception = await attacker('receptionist');
    const { rows } = await owner.query<{ last_value: string }>(
      `SELECT last_value FROM number_sequences WHERE tenant_id = $1 AND kind = 'patients'`,
      [clinicA.tenantId],
    );
    const next = `P-${String(Number(rows[0]!.last_value) + 1).padStart(6, '0')}`;
    const insert = (number: string, name: string) =>
      `INSERT INTO patients (tenant_id, clinic_id, patient_number, first_name, last_name, date_of_birth, gender)
       VALUES (current_tenant_id(), '${clinicA.clinicId}', '${number}', '${name}', 'Squatter', '1990-01-01', 'Male') RETURNING patient_number`;
    const [squat] = await reception.run([
      insert(
        next.replace(/\d$/, (d) => String((Number(d) + 1) % 10)),
        'First',
      ),
    ]);
    const [after] = await reception.run([insert('ignored', 'Second')]);
    expect(squat).toEqual([{ patient_number: next }]);
    expect(after).toEqual([{ patient_number: `P-${String(Number(rows[0]!.last_value) + 2).padStart(6, '0')}` }]);
  });

  it.runIf(engine === 'postgres')('stamps the true identity on activity and audit rows, whatever the session claims', async () => {
    const reception = await attacker('receptionist');
    await reception.run([
      `SELECT set_config('app.current_user_id', '${clinicA.adminId}', true)`,
      `SELECT set_config('app.change_reason', 'approved by the doctor', true)`,
      `SELECT log_activity('patient.view', 'looked', 'patient', '${clinicA.rows.patients}')`,
      `UPDATE patients SET occupation = 'Baker' WHERE id = '${clinicA.rows.patients}'`,
    ]);
    const { rows } = await owner.query<{ who: string; reason: string | null }>(
      `(SELECT user_id AS who, NULL AS reason FROM activity_logs WHERE description = 'looked')
       UNION ALL (SELECT user_id, reason FROM audit_logs WHERE record_id = $1 AND new_values ->> 'occupation' = 'Baker')`,
      [clinicA.rows.patients],
    );
    // Who did it is the login; a reason is recorded only when archiving or restoring.
    expect(rows).toEqual([
      { who: clinicA.receptionistId, reason: null },
      { who: clinicA.receptionistId, reason: null },
    ]);
  });
});

describe.each(engines)('definer hygiene on %s', (engine: Engine) => {
  it('every SECURITY DEFINER and trigger function searches pg_temp last, and no app role may create temp objects', async () => {
    const db = await freshDatabase(engine);
    try {
      const { rows } = await db.query<{ fn: string; config: string[] | null }>(
        `SELECT p.oid::regprocedure::text AS fn, p.proconfig AS config
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'public' AND (p.prosecdef OR p.prorettype = 'trigger'::regtype)
           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`,
      );
      expect(rows.length).toBeGreaterThan(20);
      const unsafe = rows.filter(({ config }) => {
        const path = (config ?? []).find((setting) => setting.startsWith('search_path='));
        return !path || !/(^|, )pg_temp$/.test(path.replace('search_path=', ''));
      });
      expect(unsafe).toEqual([]);
      const { rows: temp } = await db.query<{ may: boolean }>(
        `SELECT has_database_privilege('clinic_app', current_database(), 'TEMP') AS may`,
      );
      expect(temp).toEqual([{ may: false }]);
      const { rows: publicFns } = await db.query<{ fn: string }>(
        `SELECT p.oid::regprocedure::text AS fn FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'public' AND p.prosecdef AND has_function_privilege('public', p.oid, 'EXECUTE')`,
      );
      // PUBLIC may run no definer function (a new login would otherwise reach them all).
      expect(publicFns).toEqual([]);
      // Writes are granted by column: a table-level UPDATE would let a login LOCK TABLE for every clinic.
      const { rows: tableWide } = await db.query<{ target: string; privilege: string }>(
        `SELECT c.relname AS target, p.privilege_type AS privilege
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN LATERAL aclexplode(c.relacl) p
         WHERE n.nspname = 'public' AND p.grantee = 'clinic_app'::regrole
           AND p.privilege_type IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')`,
      );
      expect(tableWide).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
