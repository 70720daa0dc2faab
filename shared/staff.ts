import { z } from 'zod';
import { email, newPassword } from './auth';
import { weekHours } from './clinic-settings';
import { optionalPhone } from './patients';
import { optionalText } from './text';
import { PERMISSIONS, type Permission } from './permissions';
import { personName } from './text';

const requiredName = (label: string) => personName(label).pipe(z.string().min(1, `Enter the ${label.toLowerCase()}.`));

/** What an administrator types about a staff member; the login is the email. */
const staffDetails = z.object({
  title: optionalText('Title', 20),
  firstName: requiredName('First name'),
  lastName: requiredName('Last name'),
  email,
  phone: optionalPhone,
  roleId: z.uuid('Choose a role.'),
  specialization: optionalText('Specialization', 100),
  /** A doctor's usual appointment length: the booking form starts from it. */
  defaultSlotMinutes: z
    .number({ message: 'Give the length in minutes.' })
    .int('Use whole minutes.')
    .min(5, 'An appointment lasts at least 5 minutes.')
    .max(240, 'An appointment lasts at most 4 hours.')
    .default(15),
  /** A doctor's own hours on the calendar; none: the clinic's opening hours. */
  workingHours: weekHours.nullable(),
});

export const createStaffInput = staffDetails.extend({ temporaryPassword: newPassword });
export type CreateStaffInput = z.input<typeof createStaffInput>;

export const updateStaffInput = staffDetails.extend({
  id: z.uuid('Unknown staff member.'),
  /** On a clinic server a new email renames the login, which then needs a password. */
  temporaryPassword: newPassword.optional(),
});
export type UpdateStaffInput = z.input<typeof updateStaffInput>;

/** Disabled staff keep their history (the audit trail names them); enabling again sets a temporary password. */
export const setStaffActiveInput = z.discriminatedUnion('active', [
  z.object({ id: z.uuid('Unknown staff member.'), active: z.literal(false) }),
  z.object({ id: z.uuid('Unknown staff member.'), active: z.literal(true), temporaryPassword: newPassword }),
]);

export const roleInput = z.object({
  name: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z][a-z0-9_]{1,40}$/, 'Use 2 to 41 lowercase letters, digits or _, starting with a letter (e.g. practice_manager).'),
  description: z.string().trim().max(300, 'The description is too long (300 characters at most).'),
  permissions: z.array(z.enum(PERMISSIONS)).max(PERMISSIONS.length),
});
export const updateRoleInput = roleInput.extend({ id: z.uuid('Unknown role.') });
export type RoleInput = z.input<typeof roleInput>;

export interface StaffRow {
  id: string;
  title: string | null;
  first_name: string;
  last_name: string;
  email: string;
  phone: string | null;
  role_id: string;
  role: string;
  specialization: string | null;
  default_slot_minutes: number;
  working_hours: z.output<typeof weekHours> | null;
  is_active: boolean;
  last_login_at: string | null;
  password_change_required: boolean;
}

export interface RoleRow {
  id: string;
  name: string;
  description: string | null;
  permissions: Permission[];
  is_system_role: boolean;
  members: number;
}

/** The permission editor's groups, in the clinic's words. */
export const PERMISSION_LABELS: Record<Permission, string> = {
  'patients.read': 'See patients',
  'patients.write': 'Register and edit patients',
  'patients.archive': 'Archive patients',
  'patients.restore': 'Restore archived patients',
  'appointments.read': 'See the calendar',
  'appointments.write': 'Book, move and cancel appointments',
  'appointments.checkin': 'Check patients in',
  'queue.read': 'See the waiting queue',
  'clinical.read': 'Read charts and notes',
  'clinical.write': 'Write notes, vitals and diagnoses',
  'records.confidential': 'Read confidential records',
  'prescriptions.write': 'Write prescriptions',
  'tests.order': 'Order tests',
  'tests.report': 'Enter test results',
  'tests.verify': 'Verify test results',
  'documents.read': 'See documents',
  'documents.write': 'Attach documents',
  'billing.read': 'See invoices',
  'billing.write': 'Write invoices',
  'payments.take': 'Take payments',
  'payments.refund': 'Refund payments',
  'reports.financial': 'Revenue reports',
  'notifications.read': 'Reminders and notifications',
  'admin.users': 'Manage staff and roles',
  'admin.settings': 'Clinic settings',
  'admin.audit': 'Read the audit trail',
  'admin.maintenance': 'Health check and maintenance',
};
