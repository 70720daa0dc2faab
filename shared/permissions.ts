/**
 * Named permissions. A role holds a list of these (roles.permissions in the database);
 * every router procedure names the one it needs. The default roles are created by
 * create_default_roles() in migrations/001 — a test keeps the two lists in step.
 */
export const PERMISSIONS = [
  'patients.read',
  'patients.write',
  'patients.archive',
  'patients.restore',
  'appointments.read',
  'appointments.write',
  'appointments.checkin',
  'queue.read',
  'clinical.read',
  'clinical.write',
  'records.confidential',
  'prescriptions.write',
  'tests.order',
  'tests.report',
  'tests.verify',
  'documents.read',
  'documents.write',
  'billing.read',
  'billing.write',
  'payments.take',
  'payments.refund',
  'reports.financial',
  'notifications.read',
  'admin.users',
  'admin.settings',
  'admin.audit',
  'admin.maintenance',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export function isPermission(name: string): name is Permission {
  return (PERMISSIONS as readonly string[]).includes(name);
}

/** The screens' areas, each shown when the user holds its permission. */
export const AREAS = [
  { id: 'reception', label: 'Reception', permission: 'appointments.read' },
  { id: 'clinical', label: 'Clinical', permission: 'clinical.read' },
  { id: 'billing', label: 'Billing', permission: 'billing.read' },
  { id: 'admin', label: 'Admin', permission: 'admin.settings' },
] as const satisfies readonly { id: string; label: string; permission: Permission }[];

export type AreaId = (typeof AREAS)[number]['id'];
