import { z } from 'zod';
import { clinicCode, email } from './auth';

/**
 * What remote mode needs: the clinic server's address (no login in it: every staff member
 * signs in as themselves) and the clinic code.
 */
export const connectionSettings = z.object({
  databaseUrl: z
    .string()
    .trim()
    .refine((value) => /^postgres(ql)?:\/\/./i.test(value), 'Enter a PostgreSQL address starting with postgres:// or postgresql://.')
    .refine((value) => URL.canParse(value), 'This address is not valid.')
    .refine((value) => !URL.canParse(value) || new URL(value).pathname.length > 1, 'Add the database name: postgres://host/database.'),
  clinicCode: clinicCode.optional(),
});
export type ConnectionSettings = z.infer<typeof connectionSettings>;

/** Trying a clinic server: the administrator signs in there once, as themselves. */
export const connectionCheckInput = connectionSettings.extend({
  clinicCode,
  email,
  password: z.string().min(1, 'Enter your password on the clinic server.').max(1024, 'This password is too long.'),
});
export type ConnectionCheckInput = z.infer<typeof connectionCheckInput>;

export interface ConnectionView {
  kind: 'pglite' | 'postgres';
  label: string;
  /** Only the desktop app can keep a connection (encrypted with the OS keychain). */
  canSave: boolean;
}
