import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type {
  BackupDescription,
  BackupFileInput,
  BackupPreview,
  ClinicExportInput,
  ClinicExportProgress,
  ClinicExportResult,
  TableChecksum,
} from '../../../shared/backups';
import type { Queryable } from '../db/types';
import { DomainError } from '../errors';
import { tableDifferences } from './checksums';
import { BackupFileError, deriveBackupKey, openBackup, sealBackup, unsealBackup } from './format';
import { asDomainError, describedAs, previewOf, readBackupFile, writeFileDurably } from './service';

/**
 * One clinic's records in one encrypted file, for the administrator of a clinic on a server
 * (whose database the operator backs up whole). Read in the request's transaction as the person,
 * so row-level security decides what leaves: their clinic only, and only what they may read.
 * Rows are JSON Lines, each table's header line then a line per row as PostgreSQL's row_to_json
 * prints it (numbers as stored), sealed like a backup (format.ts, the same passphrase rules), and
 * checked after writing: read back, decrypted, its rows counted and hashed again against what
 * was read. A clinic export previews like a backup; it is never restored over a database.
 */

/** Every table that belongs to a clinic (forced RLS, a tenant_id) with the columns the app role may read (users: not password hashes). */
async function clinicTables(tx: Queryable): Promise<{ name: string; query: string }[]> {
  const { rows } = await tx.query<{ name: string; query: string }>(
    `SELECT 'public.' || c.relname AS name,
            format('SELECT %L AS t, row_to_json(r)::text AS row FROM (SELECT %s FROM public.%I) r',
                   'public.' || c.relname, string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum), c.relname) AS query
     FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE c.relkind = 'r' AND c.relrowsecurity AND c.relforcerowsecurity
       AND EXISTS (SELECT 1 FROM pg_attribute t WHERE t.attrelid = c.oid AND t.attname = 'tenant_id' AND NOT t.attisdropped)
       AND has_column_privilege(c.oid, a.attnum, 'SELECT')
     GROUP BY c.relname
     ORDER BY c.relname`,
  );
  return rows;
}

/** Row count and a checksum of the rows' text that ignores their order. */
function checksumOf(table: string, rows: string[]): TableChecksum {
  const hash = createHash('sha256');
  for (const row of [...rows].sort()) hash.update(row).update('\n');
  return { table, rows: rows.length, checksum: hash.digest('hex') };
}

/** The tables in an export's rows, counted and hashed again (the check after writing). */
function checksumsIn(payload: Buffer): TableChecksum[] {
  const lines = payload.toString('utf8').split('\n');
  const found: TableChecksum[] = [];
  for (let at = 0; at < lines.length;) {
    const { table, rows } = JSON.parse(lines[at]!) as { table: string; rows: number };
    found.push(checksumOf(table, lines.slice(at + 1, at + 1 + rows)));
    at += 1 + rows;
  }
  return found;
}

export async function exportClinic(
  tx: Queryable,
  { folder, passphrase }: ClinicExportInput,
  progress: (now: ClinicExportProgress) => void,
  now = new Date(),
): Promise<ClinicExportResult> {
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
    throw new DomainError('BAD_REQUEST', 'There is no folder at this path. Check that the drive is plugged in.', 'folder');
  }
  progress({ step: "Reading the clinic's records", percent: 5 });
  const tables = await clinicTables(tx);
  // One statement, so every table is read at the same moment: the export is consistent under writes.
  const { rows } = await tx.query<{ t: string; row: string }>(tables.map((table) => table.query).join('\nUNION ALL\n'));
  const rowsOf = new Map<string, string[]>(tables.map((table) => [table.name, []]));
  for (const { t, row } of rows) rowsOf.get(t)!.push(row);
  const read = [...rowsOf].map(([table, texts]) => checksumOf(table, texts));
  const lines = [...rowsOf].flatMap(([table, texts]) => [JSON.stringify({ table, rows: texts.length }), ...texts]);
  const clinics = (await tx.query<{ name: string; timezone: string }>(`SELECT name, timezone FROM clinics WHERE deleted_at IS NULL`)).rows;

  progress({ step: 'Encrypting', percent: 50 });
  const key = await deriveBackupKey(passphrase);
  // The app role does not read schema_migrations; every row names its columns.
  const description: BackupDescription = {
    format: 'clinicdesk-clinic-export',
    createdAt: now.toISOString(),
    clinics,
    schema: '',
    tables: read,
  };
  const sealed = sealBackup(key, description, Buffer.from(lines.join('\n'), 'utf8'));
  const file = path.join(folder, `clinicdesk-export-${now.toISOString().slice(0, 19).replaceAll(':', '-')}Z.cdexport`);
  progress({ step: `Writing to ${folder}`, percent: 70 });
  try {
    writeFileDurably(file, sealed);
  } catch (error) {
    throw new DomainError('BAD_REQUEST', `The export could not be written to ${folder}: ${(error as Error).message}`, 'folder');
  }
  progress({ step: 'Checking the file: reading it back', percent: 85 });
  try {
    const written = unsealBackup(fs.readFileSync(file), key);
    const differences = tableDifferences(read, checksumsIn(written.tarball));
    if (differences.length > 0) throw new Error(`The export did not read back as written: ${differences.slice(0, 3).join('; ')}.`);
  } catch (error) {
    fs.rmSync(file, { force: true }); // an unchecked export must never be mistaken for a good one
    throw error;
  }
  const total = read.reduce((sum, table) => sum + table.rows, 0);
  await tx.query(`SELECT log_activity('clinic.export', $1, 'clinic', NULL, $2, NULL)`, [
    `Exported the clinic's records (${total} rows) to an encrypted file`,
    { file, tables: read.length, rows: total },
  ]);
  progress({ step: 'Done', percent: 100 });
  return { file, bytes: sealed.length, tables: read.length, rows: total };
}

/** What an export holds (date, clinic, counts), after checking its passphrase and every byte. */
export async function previewClinicExport({ file, passphrase }: BackupFileInput): Promise<BackupPreview> {
  try {
    const { description } = await openBackup(readBackupFile(file), passphrase);
    return previewOf(file, describedAs(description, 'clinicdesk-clinic-export'));
  } catch (error) {
    throw error instanceof BackupFileError ? asDomainError(error) : error;
  }
}
