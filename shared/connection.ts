import { z } from 'zod';
import { clinicCode } from './auth';

/** What remote mode needs: the tenant's PostgreSQL and, on a shared server, the clinic code. */
export const connectionSettings = z.object({
  databaseUrl: z
    .string()
    .trim()
    .refine((value) => /^postgres(ql)?:\/\/./i.test(value), 'Enter a PostgreSQL address starting with postgres:// or postgresql://.')
    .refine((value) => URL.canParse(value), 'This address is not valid.'),
  clinicCode: clinicCode.optional(),
});
export type ConnectionSettings = z.infer<typeof connectionSettings>;

export interface ConnectionView {
  kind: 'pglite' | 'postgres';
  label: string;
  /** Only the desktop app can keep a connection (encrypted with the OS keychain). */
  canSave: boolean;
}
