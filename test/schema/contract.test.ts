import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, Transaction } from '../../electron/server/db/types';
import { engines, freshDatabase } from '../engines';
import { contractViolations, KEYS_NOT_BY_TENANT, NOT_AUDITED, OWNER_ONLY, tenantTables } from './contract';

/** A table as a new domain would create it, before and after its one declaration. */
const CONSULTATION_ROOMS = `
  CREATE TABLE consultation_rooms (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    clinic_id uuid NOT NULL,
    name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, clinic_id) REFERENCES clinics (tenant_id, id)
  )`;

/** Runs `work` in a transaction that is always rolled back: the schema is left as migrated. */
async function tryOut(db: Db, work: (tx: Transaction) => Promise<void>): Promise<void> {
  const undo = new Error('rolled back on purpose');
  await db
    .transaction(async (tx) => {
      await work(tx);
      throw undo;
    })
    .catch((error: unknown) => {
      if (error !== undo) throw error;
    });
}

describe.each(engines)('the tenant-table contract on %s', (engine) => {
  let db: Db;
  beforeAll(async () => {
    db = await freshDatabase(engine);
  });
  afterAll(async () => db?.close());

  it('holds for every tenant table in the catalog', async () => {
    const tables = await tenantTables(db);
    // The catalog, not a list, says which tables these are; a sanity floor that it found them.
    expect(tables).toEqual(expect.arrayContaining(['patients', 'appointments', 'number_sequences', 'staff_logins']));
    expect(await contractViolations(db)).toEqual([]);
  });

  it('names only tables and keys that exist in its exemption lists', async () => {
    const tables = await tenantTables(db);
    expect(Object.keys(NOT_AUDITED).filter((table) => !tables.includes(table))).toEqual([]);
    expect(Object.keys(OWNER_ONLY).filter((table) => !tables.includes(table))).toEqual([]);
    const { rows } = await db.query<{ name: string }>(`SELECT relname AS name FROM pg_class WHERE relname = ANY ($1::text[])`, [
      Object.keys(KEYS_NOT_BY_TENANT),
    ]);
    expect(rows.map((row) => row.name)).toEqual(Object.keys(KEYS_NOT_BY_TENANT));
  });

  it('finds what an undeclared table lacks, and nothing once declare_tenant_table has run', async () => {
    await tryOut(db, async (tx) => {
      await tx.exec(CONSULTATION_ROOMS);
      expect(await contractViolations(tx, ['consultation_rooms'])).toEqual([
        'consultation_rooms: has updated_at but no set_updated_at trigger',
        'consultation_rooms: no audit trigger on insert, update and delete',
        'consultation_rooms: no policy for the owning role (definer functions could not reach it)',
        'consultation_rooms: no policy keeping clinic_app to the current tenant',
        'consultation_rooms: row-level security is not enabled and forced',
      ]);
      await tx.query(
        `SELECT declare_tenant_table('consultation_rooms', inserts => ARRAY['admin.settings'], updates => ARRAY['admin.settings'])`,
      );
      expect(await contractViolations(tx, ['consultation_rooms'])).toEqual([]);
    });
  });

  it('finds a key without tenant_id and a reference that can cross clinics', async () => {
    await tryOut(db, async (tx) => {
      // The mistakes a careless migration makes: a key across clinics, and a reference by id alone.
      await tx.exec(CONSULTATION_ROOMS.replace('FOREIGN KEY (tenant_id, clinic_id) REFERENCES clinics (tenant_id, id)', 'UNIQUE (name)'));
      await tx.exec(`CREATE UNIQUE INDEX users_id_alone ON users (id);
        ALTER TABLE consultation_rooms ADD COLUMN doctor_id uuid REFERENCES users (id)`);
      await tx.query(`SELECT declare_tenant_table('consultation_rooms')`);
      expect(await contractViolations(tx, ['consultation_rooms', 'users'])).toEqual([
        'consultation_rooms: foreign key consultation_rooms_doctor_id_fkey to tenant table users does not pair tenant_id with tenant_id',
        'consultation_rooms: key consultation_rooms_name_key does not lead with tenant_id',
        'users: key users_id_alone does not lead with tenant_id',
      ]);
    });
  });

  it('finds a row’s identity, creation time or author the app may update (never by declare_tenant_table)', async () => {
    await tryOut(db, async (tx) => {
      await tx.exec(CONSULTATION_ROOMS.replace('name text NOT NULL,', 'name text NOT NULL, created_by uuid,'));
      await tx.query(
        `SELECT declare_tenant_table('consultation_rooms', inserts => ARRAY['admin.settings'], updates => ARRAY['admin.settings'])`,
      );
      expect(await contractViolations(tx, ['consultation_rooms'])).toEqual([]);
      await tx.exec(`GRANT UPDATE (id, created_by) ON consultation_rooms TO clinic_app`);
      expect(await contractViolations(tx, ['consultation_rooms'])).toEqual([
        'consultation_rooms: clinic_app may UPDATE created_by',
        'consultation_rooms: clinic_app may UPDATE id',
      ]);
    });
  });

  it('finds an app write with no permission policy', async () => {
    await tryOut(db, async (tx) => {
      await tx.exec(CONSULTATION_ROOMS);
      await tx.query(`SELECT declare_tenant_table('consultation_rooms')`);
      await tx.exec(`GRANT INSERT (tenant_id, name, clinic_id) ON consultation_rooms TO clinic_app`);
      expect(await contractViolations(tx, ['consultation_rooms'])).toEqual([
        'consultation_rooms: clinic_app may INSERT with no permission policy',
      ]);
    });
  });
});
