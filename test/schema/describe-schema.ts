import type { Queryable } from '../../electron/server/db/types';

/**
 * The migrated schema as one normalized text, read from the catalog and sorted by name: tables
 * with their columns, keys, row-level security, policies and grants; indexes; triggers; views;
 * functions with their settings, bodies and grants. Read on PGlite, whose PostgreSQL version is
 * pinned by package-lock.json, so the text is the same on every machine. Committed as schema.sql:
 * every migration's effect shows in review.
 */
export async function describeSchema(db: Queryable): Promise<string> {
  const sections: string[] = [
    '-- ClinicDesk schema after every migration, as the catalog describes it (generated: npm run schema).\n' +
      '-- Do not edit: write a migration, then regenerate. test/schema/schema-dump.test.ts keeps it current.',
  ];
  const lines = async (sql: string) => (await db.query<{ line: string }>(sql)).rows.map((row) => row.line);

  const tables = await db.query<{ oid: number; name: string; rls: boolean; forced: boolean }>(
    `SELECT c.oid::int AS oid, c.relname AS name, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced
     FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') ORDER BY c.relname`,
  );
  for (const table of tables.rows) {
    const columns = await lines(
      `SELECT format('  %I %s%s%s', a.attname, format_type(a.atttypid, a.atttypmod),
                CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END,
                CASE WHEN a.attgenerated = 's' THEN ' GENERATED ALWAYS AS (' || pg_get_expr(d.adbin, d.adrelid) || ') STORED'
                     WHEN d.adbin IS NOT NULL THEN ' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid) ELSE '' END) AS line
       FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE a.attrelid = ${table.oid} AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    );
    const constraints = await lines(
      `SELECT format('  CONSTRAINT %I %s', conname, pg_get_constraintdef(oid)) AS line
       FROM pg_constraint WHERE conrelid = ${table.oid} AND contype <> 'n' ORDER BY conname`,
    );
    const security = table.rls ? [`ALTER TABLE ${table.name} ENABLE ROW LEVEL SECURITY;`] : [];
    if (table.forced) security.push(`ALTER TABLE ${table.name} FORCE ROW LEVEL SECURITY;`);
    // attstattarget is null for the default on PostgreSQL 17+, -1 before.
    const statistics = await lines(
      `SELECT format('ALTER TABLE %I ALTER COLUMN %I SET STATISTICS %s;', '${table.name}', a.attname, a.attstattarget) AS line
       FROM pg_attribute a
       WHERE a.attrelid = ${table.oid} AND a.attnum > 0 AND NOT a.attisdropped AND a.attstattarget >= 0 ORDER BY a.attnum`,
    );
    const policies = await lines(
      `SELECT format('CREATE POLICY %I ON %I AS %s FOR %s TO %s%s%s;', p.policyname, p.tablename, p.permissive, p.cmd,
                array_to_string(p.roles, ', '),
                coalesce(' USING (' || p.qual || ')', ''), coalesce(' WITH CHECK (' || p.with_check || ')', '')) AS line
       FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = '${table.name}' ORDER BY p.policyname`,
    );
    const grants = await lines(
      `SELECT format('GRANT %s%s ON %I TO %s;', privilege, coalesce(' (' || columns || ')', ''), '${table.name}', grantee) AS line
       FROM (
         SELECT acl.privilege_type AS privilege, NULL AS columns, acl.grantee::regrole::text AS grantee
         FROM pg_class c, aclexplode(c.relacl) acl WHERE c.oid = ${table.oid} AND acl.grantee <> c.relowner
         UNION ALL
         SELECT acl.privilege_type, string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum), acl.grantee::regrole::text
         FROM pg_attribute a, aclexplode(a.attacl) acl
         WHERE a.attrelid = ${table.oid} AND a.attacl IS NOT NULL GROUP BY 1, 3
       ) g ORDER BY grantee, privilege`,
    );
    sections.push(
      [
        `CREATE TABLE ${table.name} (`,
        [...columns, ...constraints].join(',\n'),
        ');',
        ...security,
        ...statistics,
        ...policies,
        ...grants,
      ].join('\n'),
    );
  }

  sections.push(
    (
      await lines(
        `SELECT pg_get_indexdef(i.indexrelid) || ';' AS line FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
         WHERE c.relnamespace = 'public'::regnamespace
           AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)
         ORDER BY i.indrelid::regclass::text, c.relname`,
      )
    ).join('\n'),
    (
      await lines(
        `SELECT pg_get_triggerdef(t.oid) || ';'
                || CASE t.tgenabled WHEN 'A' THEN format(E'\nALTER TABLE %I ENABLE ALWAYS TRIGGER %I;', c.relname, t.tgname)
                                    WHEN 'R' THEN format(E'\nALTER TABLE %I ENABLE REPLICA TRIGGER %I;', c.relname, t.tgname)
                                    WHEN 'D' THEN format(E'\nALTER TABLE %I DISABLE TRIGGER %I;', c.relname, t.tgname)
                                    ELSE '' END AS line
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
         WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal ORDER BY c.relname, t.tgname`,
      )
    ).join('\n'),
  );

  sections.push(
    ...(await lines(
      `SELECT format('CREATE VIEW %I%s AS\n%s\n%s', c.relname,
                coalesce(' WITH (' || array_to_string(c.reloptions, ', ') || ')', ''), pg_get_viewdef(c.oid),
                coalesce((SELECT string_agg(format('GRANT %s ON %I TO %s;', acl.privilege_type, c.relname, acl.grantee::regrole), E'\n'
                                            ORDER BY acl.grantee::regrole::text, acl.privilege_type)
                          FROM aclexplode(c.relacl) acl WHERE acl.grantee <> c.relowner), '')) AS line
       FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('v', 'm') ORDER BY c.relname`,
    )),
  );

  // Functions of extensions belong to the extension, not to our migrations.
  sections.push(
    ...(await lines(
      `SELECT rtrim(pg_get_functiondef(p.oid), E'\n') || E'\n' ||
              coalesce((SELECT string_agg(format('GRANT EXECUTE ON FUNCTION %s TO %s;', p.oid::regprocedure,
                                                 CASE WHEN acl.grantee = 0 THEN 'PUBLIC' ELSE acl.grantee::regrole::text END), E'\n'
                                          ORDER BY acl.grantee::regrole::text)
                        FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) acl WHERE acl.grantee <> p.proowner),
                       '-- EXECUTE: owner only') AS line
       FROM pg_proc p
       WHERE p.pronamespace = 'public'::regnamespace AND p.prokind IN ('f', 'p')
         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
       ORDER BY p.proname, p.oid::regprocedure::text`,
    )),
  );

  return `${sections.join('\n\n')}\n`;
}
