import type { TableChecksum } from '../../../shared/backups';
import type { Queryable } from '../db/types';

/**
 * Every table the catalog lists (all schemas but PostgreSQL's own), with its row count and a
 * checksum of its rows that ignores their order. Run as the owner, so RLS hides nothing.
 * Rows are hashed as their text, which depends on session settings (TimeZone, DateStyle): the
 * app changes those only transaction-locally, so two PGlite sessions print rows alike.
 */
export async function tableChecksums(owner: Queryable): Promise<TableChecksum[]> {
  const { rows: tables } = await owner.query<{ name: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind = 'r' AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
     ORDER BY 1`,
  );
  const checksums: TableChecksum[] = [];
  for (const { name } of tables) {
    // `name` is the catalog's own, quoted by format(%I).
    const { rows } = await owner.query<{ rows: number; checksum: string }>(
      `SELECT count(*)::int AS rows, md5(coalesce(string_agg(h, '' ORDER BY h), '')) AS checksum
       FROM (SELECT md5(t::text) AS h FROM ${name} t) rows`,
    );
    const [row] = rows;
    if (row) checksums.push({ table: name, rows: row.rows, checksum: row.checksum });
  }
  return checksums;
}

/** What differs between the tables a backup recorded and those found after restoring it; empty when alike. */
export function tableDifferences(expected: TableChecksum[], found: TableChecksum[]): string[] {
  const foundByName = new Map(found.map((table) => [table.table, table]));
  const differences: string[] = [];
  for (const table of expected) {
    const other = foundByName.get(table.table);
    foundByName.delete(table.table);
    if (!other) differences.push(`${table.table} is missing`);
    else if (other.rows !== table.rows) differences.push(`${table.table} has ${other.rows} rows instead of ${table.rows}`);
    else if (other.checksum !== table.checksum) differences.push(`${table.table} has different contents`);
  }
  for (const name of foundByName.keys()) differences.push(`${name} was not in the backup`);
  return differences;
}
