import type { Queryable } from '../../electron/server/db/types';

/**
 * The tenant-table contract, read from the catalog: what every table holding a clinic's data
 * must have. `declare_tenant_table` (migrations/011) gives a new table all of it; the lists
 * below are the only exceptions, each with its reason.
 */

/** Tenant tables with no audit trigger: the one exemption list. */
export const NOT_AUDITED: Record<string, string> = {
  audit_logs: 'it is the audit trail',
  clinic_logos: 'the bytes of the logo: the audited clinics row names it (type, size, checksum)',
  document_files: 'the bytes of a document: its audited documents row describes them, and every read is logged',
  document_versions: 'each version is the audited insert or update of its documents row (which carries the confidential fence)',
  activity_logs: 'it is itself the log of reads and events',
  notifications: 'messages to staff, not clinic records',
  name_word_deletions: 'derived from the audited patients rows, by trigger: the search dictionary',
  patient_name_words: 'derived from the audited patients rows, by trigger: the search index',
  number_sequences: 'the counters behind record numbers; the numbered rows are audited',
  sign_in_strangers: 'failed sign-in counters for unknown emails; each attempt is in activity_logs',
  staff_logins: 'owner-only map of database logins, changed only with the audited users row',
};

/** Tenant tables the app role may not touch at all (no policy, no privilege): definer functions only. */
export const OWNER_ONLY: Record<string, string> = {
  clinic_logos: 'the bytes of the logo, in and out only through store_clinic_logo, remove_clinic_logo and clinic_logo()',
  document_files: 'the bytes of documents, in and out only through store_document_file and read_document_file (which logs the read)',
  name_word_deletions: 'the search dictionary, read only by find_patients_matching',
  patient_name_words: 'the names of patients word by word, read only by find_patients_matching',
  staff_logins: 'maps database logins to staff; read only by the identity functions',
};

/** Keys that do not lead with tenant_id, and why. */
export const KEYS_NOT_BY_TENANT: Record<string, string> = {
  staff_logins_pkey: 'a database login name is unique on the whole server, not per clinic',
};

/** Every table of the public schema with a tenant_id column, in name order. */
export async function tenantTables(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
       AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
     ORDER BY 1`,
  );
  return rows.map((row) => row.name);
}

/** Every way the given tables (default: all tenant tables) break the contract, as sentences. */
export async function contractViolations(db: Queryable, only?: string[]): Promise<string[]> {
  const tables = only ?? (await tenantTables(db));
  const found: string[] = [];
  const ask = async (sql: string) => (await db.query<{ problem: string }>(sql, [tables])).rows.map((row) => row.problem);

  found.push(
    ...(await ask(
      `SELECT format('%s: row-level security is not enabled and forced', c.relname) AS problem
       FROM pg_class c WHERE c.oid = ANY (SELECT to_regclass(t) FROM unnest($1::text[]) t)
         AND NOT (c.relrowsecurity AND c.relforcerowsecurity)`,
    )),
  );

  for (const table of tables) {
    const { rows } = await db.query<{ app_policy: boolean; owner_policy: boolean; app_privileges: string[] }>(
      `SELECT
         EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = $1::regclass AND p.polpermissive AND p.polcmd = '*'
                   AND 'clinic_app'::regrole = ANY (p.polroles)
                   AND pg_get_expr(p.polqual, p.polrelid) LIKE '%current_tenant_id()%'
                   -- A table the app never writes may check false instead (audit_logs).
                   AND (pg_get_expr(p.polwithcheck, p.polrelid) LIKE '%current_tenant_id()%'
                        OR pg_get_expr(p.polwithcheck, p.polrelid) = 'false')) AS app_policy,
         EXISTS (SELECT 1 FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
                 WHERE p.polrelid = $1::regclass AND p.polpermissive AND c.relowner = ANY (p.polroles)) AS owner_policy,
         ARRAY(SELECT DISTINCT privilege_type FROM (
           SELECT (aclexplode(relacl)).* FROM pg_class WHERE oid = $1::regclass
           UNION ALL
           SELECT (aclexplode(attacl)).* FROM pg_attribute WHERE attrelid = $1::regclass AND attacl IS NOT NULL) acl
           WHERE grantee = 'clinic_app'::regrole ORDER BY 1) AS app_privileges`,
      [table],
    );
    const row = rows[0];
    if (!row) continue;
    if (!row.owner_policy) found.push(`${table}: no policy for the owning role (definer functions could not reach it)`);
    if (table in OWNER_ONLY) {
      if (row.app_policy || row.app_privileges.length > 0) found.push(`${table}: owner-only, yet clinic_app has a policy or privileges`);
      continue;
    }
    if (!row.app_policy) found.push(`${table}: no policy keeping clinic_app to the current tenant`);
    for (const command of ['INSERT', 'UPDATE'] as const) {
      if (!row.app_privileges.includes(command)) continue;
      const fenced = await db.query(
        `SELECT 1 FROM pg_policy WHERE polrelid = $1::regclass AND NOT polpermissive AND polcmd = $2
           AND pg_get_expr(coalesce(polwithcheck, polqual), polrelid) LIKE '%app_may(%'`,
        [table, command === 'INSERT' ? 'a' : 'w'],
      );
      if (fenced.rows.length === 0) found.push(`${table}: clinic_app may ${command} with no permission policy`);
    }
  }

  // A row's identity, when it was made and by whom are never the app's to change (042).
  found.push(
    ...(await ask(
      `SELECT format('%s: clinic_app may UPDATE %s', c.relname, a.attname) AS problem
       FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid CROSS JOIN LATERAL aclexplode(a.attacl) acl
       WHERE c.oid = ANY (SELECT to_regclass(t) FROM unnest($1::text[]) t)
         AND a.attname IN ('tenant_id', 'id', 'created_at', 'created_by') AND NOT a.attisdropped
         AND acl.grantee = 'clinic_app'::regrole AND acl.privilege_type = 'UPDATE'
       ORDER BY c.relname, a.attnum`,
    )),
  );

  const audited = await db.query<{ table: string }>(
    `SELECT c.relname AS table FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     WHERE c.relname = ANY ($1::text[]) AND NOT t.tgisinternal AND t.tgfoid = 'audit_trigger_function'::regproc
       AND (t.tgtype & 2) = 0 -- AFTER
     GROUP BY c.relname
     -- On INSERT (4), DELETE (8) and UPDATE (16), FOR EACH ROW (1); inserts may be audited per statement
     -- from their new rows (patients, 026), which writes the same row per record.
     HAVING bit_or(CASE WHEN (t.tgtype & 1) = 1 THEN t.tgtype & 28 ELSE t.tgtype & 4 END) = 28`,
    [tables],
  );
  const withAudit = new Set(audited.rows.map((row) => row.table));
  for (const table of tables) {
    if (!withAudit.has(table) && !(table in NOT_AUDITED)) found.push(`${table}: no audit trigger on insert, update and delete`);
    if (withAudit.has(table) && table in NOT_AUDITED) found.push(`${table}: audited, yet listed in NOT_AUDITED`);
  }

  found.push(
    ...(await ask(
      `SELECT format('%s: has updated_at but no set_updated_at trigger', c.relname) AS problem
       FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'updated_at' AND NOT a.attisdropped
       WHERE c.relname = ANY ($1::text[]) AND c.relnamespace = 'public'::regnamespace
         AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgfoid = 'set_updated_at'::regproc)`,
    )),
  );

  // Unique and exclusion keys lead with tenant_id, so one clinic's values never collide with another's.
  const keys = await db.query<{ table: string; key: string; first: string | null }>(
    `SELECT c.relname AS table, i.relname AS key, a.attname AS first
     FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
     LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = x.indkey[0]
     WHERE c.relname = ANY ($1::text[]) AND c.relnamespace = 'public'::regnamespace
       AND (x.indisunique OR x.indisexclusion)`,
    [tables],
  );
  for (const key of keys.rows) {
    if (key.first !== 'tenant_id' && !(key.key in KEYS_NOT_BY_TENANT)) {
      found.push(`${key.table}: key ${key.key} does not lead with tenant_id`);
    }
  }

  // A reference to another tenant table carries tenant_id on both sides: it cannot cross clinics.
  found.push(
    ...(await ask(
      `SELECT format('%s: foreign key %s to tenant table %s does not pair tenant_id with tenant_id',
                     c.relname, k.conname, p.relname) AS problem
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
       WHERE k.contype = 'f' AND c.relname = ANY ($1::text[]) AND c.relnamespace = 'public'::regnamespace
         AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = p.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
         AND NOT EXISTS (
           SELECT 1 FROM unnest(k.conkey, k.confkey) AS pair(child, parent)
           JOIN pg_attribute ca ON ca.attrelid = k.conrelid AND ca.attnum = pair.child
           JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = pair.parent
           WHERE ca.attname = 'tenant_id' AND pa.attname = 'tenant_id')`,
    )),
  );

  return found.sort();
}
