import { z } from 'zod';
import { email, newPassword } from './auth';

const personName = (what: string) =>
  z.string().trim().min(1, `Enter the ${what}.`).max(100, `The ${what} is too long (100 characters at most).`);

/** A new clinic (tenant) with its first administrator, as the operator provisions it. */
export const newTenantInput = z.object({
  name: z.string().trim().min(1, 'Enter the clinic name.').max(200, 'The clinic name is too long.'),
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'The clinic code uses 2–63 lowercase letters, digits and dashes.'),
  timezone: z.string().trim().min(1, 'Enter the clinic timezone, e.g. Europe/London.'),
  currency: z
    .string()
    .trim()
    .regex(/^[A-Z]{3}$/, 'Enter a three-letter currency code, e.g. GBP.'),
  language: z
    .string()
    .trim()
    .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'Enter a language code, e.g. en or en-GB.'),
  admin: z.object({
    email,
    firstName: personName('first name'),
    lastName: personName('last name'),
    password: newPassword,
  }),
});
export type NewTenantInput = z.infer<typeof newTenantInput>;

/** The first run of an offline clinic: its name and settings, and its first administrator. */
export const firstClinicInput = newTenantInput.omit({ slug: true });
export type FirstClinicInput = z.infer<typeof firstClinicInput>;

/** What the first-run screen needs to know. */
export interface FirstRunView {
  /** No clinic on this PC yet: set one up (or try the demo). */
  needed: boolean;
  /** Running the in-memory demo clinic: nothing typed is kept. */
  demo: boolean;
}
