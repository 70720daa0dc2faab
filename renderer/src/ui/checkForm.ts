import type { z } from 'zod';

type Checked<T> = { ok: true; value: T; fields: Record<string, never> } | { ok: false; fields: Record<string, string> };

/**
 * Checks a form with the same zod schema the server uses, giving one message per field under
 * the same names the server's fieldErrors use (path joined with dots: "allergies.0.substance").
 */
export function checkForm<S extends z.ZodType>(schema: S, input: unknown): Checked<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data, fields: {} };
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) fields[issue.path.join('.') || 'form'] ??= issue.message;
  return { ok: false, fields };
}
