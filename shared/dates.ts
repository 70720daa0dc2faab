import { z } from 'zod';

/** A calendar date as the clinic writes it in ISO form (YYYY-MM-DD), checked to exist. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 1980-05-17.')
  .refine((value) => {
    const parsed = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
  }, 'This date does not exist.');

/** A wall-clock time in the clinic's timezone, HH:MM (24-hour). */
export const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a time like 09:30.');

/** Today's date in a timezone, as YYYY-MM-DD. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** 14 Mar 1968, in the clinic's language (on screen and on printouts). */
export function formatDate(isoDate: string, language: string): string {
  return new Intl.DateTimeFormat(language, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${isoDate}T00:00:00Z`),
  );
}

/** The calendar date `days` after an ISO date (before, when negative): plain date arithmetic, no clock. */
export function addDays(date: string, days: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

/** Whole days from one ISO date to a later one (negative when it is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Two numbers and a four-digit year: 17/05/1980, 5.17.1980, 17-05-1980. */
const DAY_MONTH_YEAR = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

/** Whether text is shaped like a date whose reading depends on the clinic's language. */
export function looksLikeTypedDate(typed: string): boolean {
  return DAY_MONTH_YEAR.test(typed.trim());
}

/**
 * Reads a date typed at the desk: ISO (1980-05-17) or day-first (17/05/1980, 17.05.1980,
 * 17-05-1980); month-first when the clinic's language is US English. Null if it is no date.
 */
export function parseTypedDate(typed: string, language: string): string | null {
  const text = typed.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return isoDate.safeParse(text).success ? text : null;
  const [, first, second, year] = DAY_MONTH_YEAR.exec(text) ?? [];
  if (!first || !second || !year) return null;
  const [day, month] = language === 'en-US' ? [second, first] : [first, second];
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  return isoDate.safeParse(iso).success ? iso : null;
}
