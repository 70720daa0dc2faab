import type { z } from 'zod';
import type { AuditEntry, AuditField, auditFilterInput } from '../../../shared/audit';
import type { Queryable } from '../db/types';

interface AuditRow extends Omit<AuditEntry, 'fields'> {
  old_values: Record<string, unknown> | null;
  new_values: Record<string, unknown> | null;
  changed_fields: string[] | null;
}

/** Bookkeeping every row has: a new record's other values are what was entered. */
const NOT_ENTERED = new Set(['tenant_id', 'id', 'created_at', 'updated_at', 'deleted_at']);

function shown(field: string, value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (field === 'imported' && typeof value === 'object') {
    // An imported patient's origin (035): the file's row and the import it was part of.
    const { file_row, import: importId } = value as { file_row?: number; import?: string };
    return [file_row === undefined ? 'From a file' : `Row ${file_row} of the file`, importId && `import ${importId}`]
      .filter(Boolean)
      .join(', ');
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Old → new, field by field: what a change changed, what a new record held, what a deleted one had. */
export function changedFields(row: Pick<AuditRow, 'action' | 'old_values' | 'new_values' | 'changed_fields'>): AuditField[] {
  const before = row.old_values ?? {};
  const after = row.new_values ?? {};
  const names =
    row.action === 'INSERT' || row.action === 'DELETE'
      ? Object.keys(row.action === 'INSERT' ? after : before).filter((name) => !NOT_ENTERED.has(name))
      : (row.changed_fields ?? []);
  return names
    .map((field) => ({ field, old: shown(field, before[field]), new: shown(field, after[field]) }))
    .filter((change) => change.old !== null || change.new !== null);
}

/**
 * Changes to records and chart openings, newest first, as the app role reads them: the database
 * shows them only with admin.audit, and rows about a confidential record only to its author and
 * holders of records.confidential (policy tenant_isolation_audit_logs). Dates are clinic days.
 */
export async function auditTrail(tx: Queryable, clinicId: string, filter: z.output<typeof auditFilterInput>): Promise<AuditEntry[]> {
  const { rows } = await tx.query<AuditRow>(
    `WITH clinic AS (SELECT timezone FROM clinics WHERE id = $1),
     span AS (
       SELECT coalesce($6::date::timestamp AT TIME ZONE clinic.timezone, '-infinity') AS from_at,
              coalesce(($7::date + 1)::timestamp AT TIME ZONE clinic.timezone, 'infinity') AS until_at
       FROM clinic),
     entries AS (
       SELECT a.id, 'change' AS kind, a.created_at AS at, a.user_id, a.action, a.table_name, a.record_id,
              CASE WHEN a.table_name = 'patients' THEN a.record_id::text
                   ELSE coalesce(a.new_values, a.old_values) ->> 'patient_id' END AS patient_id,
              a.reason, a.old_values, a.new_values, a.changed_fields
       FROM audit_logs a, span
       WHERE a.created_at >= span.from_at AND a.created_at < span.until_at
         AND ($3::uuid IS NULL OR a.user_id = $3)
         AND ($4::text IS NULL OR a.table_name = $4)
         AND ($2::uuid IS NULL OR (a.table_name = 'patients' AND a.record_id = $2)
              OR coalesce(a.new_values, a.old_values) ->> 'patient_id' = $2::text)
       UNION ALL
       SELECT l.id, 'chart_read', l.created_at, l.user_id, 'READ', 'patients', l.entity_id, l.entity_id::text,
              NULL, NULL, NULL, NULL
       FROM activity_logs l, span
       WHERE l.activity_type = 'patient.view'
         AND l.created_at >= span.from_at AND l.created_at < span.until_at
         AND ($3::uuid IS NULL OR l.user_id = $3)
         AND ($4::text IS NULL OR $4 = 'patients')
         AND ($2::uuid IS NULL OR l.entity_id = $2))
     SELECT e.id, e.kind, e.at, e.user_id, u.first_name || ' ' || u.last_name AS user_name, e.action, e.table_name,
            e.record_id, e.patient_id, p.patient_number, p.first_name || ' ' || p.last_name AS patient_name, e.reason,
            e.old_values, e.new_values, e.changed_fields
     FROM entries e
     LEFT JOIN users u ON u.id = e.user_id
     LEFT JOIN patients p ON p.id::text = e.patient_id
     ORDER BY e.at DESC, e.id
     LIMIT $5`,
    [
      clinicId,
      filter.patientId ?? null,
      filter.userId ?? null,
      filter.tableName ?? null,
      filter.limit,
      filter.from ?? null,
      filter.to ?? null,
    ],
  );
  return rows.map(({ old_values, new_values, changed_fields, ...entry }) => ({
    ...entry,
    fields: changedFields({ action: entry.action, old_values, new_values, changed_fields }),
  }));
}

/** The kinds of record the trail holds, for the filter. */
export async function auditedTables(tx: Queryable): Promise<string[]> {
  const { rows } = await tx.query<{ table_name: string }>(`SELECT DISTINCT table_name FROM audit_logs ORDER BY table_name`);
  return rows.map((row) => row.table_name);
}
