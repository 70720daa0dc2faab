import { z } from 'zod';
import { isoDate } from './dates';

/** Filters of the audit viewer; dates are the clinic's calendar days, both included. */
export const auditFilterInput = z
  .object({
    patientId: z.uuid('Choose a patient.').optional(),
    userId: z.uuid('Choose a staff member.').optional(),
    tableName: z
      .string()
      .regex(/^[a-z_]{1,63}$/, 'Choose a kind of record.')
      .optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    limit: z.number().int().min(1).max(5000).default(200),
  })
  .refine((filter) => !filter.from || !filter.to || filter.from <= filter.to, { message: 'The end comes before the start.', path: ['to'] });
export type AuditFilter = z.input<typeof auditFilterInput>;

/** One field of a change: what it was and what it became (null: absent or empty). */
export interface AuditField {
  field: string;
  old: string | null;
  new: string | null;
}

export interface AuditEntry {
  id: string;
  /** A change to a record (from audit_logs), or a chart opened (activity_logs). */
  kind: 'change' | 'chart_read';
  at: string;
  user_id: string | null;
  user_name: string | null;
  /** INSERT, UPDATE, DELETE, SOFT_DELETE, RESTORE; READ for a chart opening. */
  action: string;
  table_name: string;
  record_id: string | null;
  patient_id: string | null;
  patient_number: string | null;
  patient_name: string | null;
  reason: string | null;
  fields: AuditField[];
}

export const AUDIT_ACTIONS: Record<string, string> = {
  INSERT: 'Created',
  UPDATE: 'Changed',
  DELETE: 'Deleted',
  SOFT_DELETE: 'Archived',
  RESTORE: 'Restored',
  READ: 'Chart opened',
};
