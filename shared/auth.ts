import { z } from 'zod';
import type { Permission } from './permissions';

export const email = z
  .string()
  .trim()
  .min(1, 'Enter your email address.')
  .max(254, 'This email address is too long.')
  .email('Enter a valid email address, like name@clinic.com.');

/** A clinic's code (its tenant slug) on a server that hosts several clinics. */
export const clinicCode = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'Clinic codes use lowercase letters, digits and dashes.');

export const signInInput = z.object({
  email,
  password: z.string().min(1, 'Enter your password.').max(1024, 'This password is too long.'),
  /** Which clinic (tenant) on a shared server; the offline clinic needs none. */
  clinicCode: clinicCode.optional(),
});
export type SignInInput = z.infer<typeof signInInput>;

export const unlockInput = z.object({
  password: z.string().min(1, 'Enter your password.').max(1024, 'This password is too long.'),
});

export const newPassword = z.string().min(10, 'Use at least 10 characters.').max(256, 'Use at most 256 characters.');

export const changePasswordInput = z.object({
  current: z.string().min(1, 'Enter your current password.').max(1024, 'This password is too long.'),
  next: newPassword,
});

/** An administrator's reset: a temporary password the staff member must change at sign-in. */
export const resetPasswordInput = z.object({
  userId: z.uuid('Choose a staff member.'),
  temporaryPassword: newPassword,
});

/** What the renderer knows about the signed-in user: never a token or a hash. */
export interface SessionView {
  user: { id: string; email: string; firstName: string; lastName: string; role: string };
  clinic: { id: string; name: string; timezone: string; currency: string; language: string };
  tenant: { id: string; name: string };
  permissions: Permission[];
  locked: boolean;
  idleLockSeconds: number;
  /** A temporary password (an administrator's reset): nothing opens until it is changed. */
  passwordChangeRequired: boolean;
}

export interface DatabaseStatus {
  kind: 'pglite' | 'postgres';
  label: string;
  /** The in-memory demo clinic chosen at first run: nothing typed is kept. */
  demo?: boolean;
}
