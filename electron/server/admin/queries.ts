import { one } from '../db/rows';
import type { Queryable } from '../db/types';

export interface HealthCheck {
  check_name: string;
  status: 'ok' | 'warning' | 'critical';
  value: string;
  details: string;
}

export async function databaseHealth(tx: Queryable): Promise<HealthCheck[]> {
  const { rows } = await tx.query<HealthCheck>(`SELECT check_name, status, value, details FROM database_health_check()`);
  return rows;
}

export interface MaintenanceReport {
  overdue_invoices_marked: number;
  expired_notifications_removed: number;
  tables_analyzed: string[];
  ran_at: string;
}

export async function runMaintenance(tx: Queryable): Promise<MaintenanceReport> {
  const { report } = await one<{ report: MaintenanceReport }>(tx, `SELECT perform_maintenance() AS report`);
  return report;
}

export interface ActivityEntry {
  id: string;
  created_at: string;
  user_id: string | null;
  user_name: string | null;
  activity_type: string;
  description: string;
}

/** Recent sign-ins, lockouts and chart openings, newest first (searches, one per keystroke, are left to the audit viewer). */
export async function recentActivity(tx: Queryable, limit: number): Promise<ActivityEntry[]> {
  const { rows } = await tx.query<ActivityEntry>(
    `SELECT a.id, a.created_at, a.user_id, u.first_name || ' ' || u.last_name AS user_name, a.activity_type, a.description
     FROM activity_logs a
     LEFT JOIN users u ON u.tenant_id = a.tenant_id AND u.id = a.user_id
     WHERE a.activity_type <> 'patient.search'
     ORDER BY a.created_at DESC
     LIMIT $1`,
    [limit],
  );
  return rows;
}
