import { z } from 'zod';

/**
 * What no text field may hold, wherever it comes from: NUL and other control characters (a NUL
 * breaks PostgreSQL text), and lone UTF-16 surrogates (they would be stored as U+FFFD, silently
 * changing what was typed). Tabs and line breaks are fine in notes.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why this text cannot be stored, or null when it can. */
export function unsafeTextReason(value: string): string | null {
  if (CONTROL.test(value)) return 'Remove the control characters from this text.';
  if (LONE_SURROGATE.test(value)) return 'This text holds a broken character. Type it again.';
  return null;
}

/** The first string anywhere in `input` that cannot be stored, with its dotted path. */
export function findUnsafeText(input: unknown): { path: string; message: string } | null {
  // One path, pushed and popped as the walk goes (a request may hold 100,000 cells).
  const path: string[] = [];
  const found = (message: string) => ({ path: path.join('.') || 'form', message });
  const walk = (value: unknown): { path: string; message: string } | null => {
    if (typeof value === 'string') {
      const message = unsafeTextReason(value);
      return message ? found(message) : null;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(String(i));
        const inside = walk(value[i]);
        path.pop();
        if (inside) return inside;
      }
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        const keyProblem = unsafeTextReason(key);
        if (keyProblem) return found(keyProblem);
        path.push(key);
        const inside = walk(item);
        path.pop();
        if (inside) return inside;
      }
    }
    return null;
  };
  return walk(input);
}

/**
 * Characters that change how a name looks without being visible (bidi overrides and
 * isolates, zero-width joiners and spaces, word joiner, BOM): a name that reads "Smith" on
 * screen must be "Smith" in the index, or search and duplicate checks are fooled.
 */
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;

/** A person's name: trimmed, NFC-normalized (é typed two ways is one é), nothing invisible. */
export const personName = (label: string, max = 100) =>
  z
    .string()
    .trim()
    .max(max, `${label} is too long.`)
    .refine((value) => !INVISIBLE.test(value), `${label} holds invisible characters (direction marks or zero-width spaces). Type it again.`)
    .transform((value) => value.normalize('NFC'));

/** A text the form requires: trimmed, `missing` when blank, at most `max` characters. */
export const requiredText = (label: string, missing: string, max: number) =>
  z.string().trim().min(1, missing).max(max, `${label} is too long (${max} characters at most).`);

/** A text the form may leave blank (stored as null), at most `max` characters. */
export const optionalText = (label: string, max = 200) =>
  z
    .string()
    .trim()
    .max(max, `${label} is too long (${max} characters at most).`)
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .optional();
