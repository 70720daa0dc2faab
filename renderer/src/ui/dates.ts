/** Dates as the desk reads them. Dates travel as YYYY-MM-DD and times as HH:MM clinic time. */
import { addDays } from '../../../shared/dates';

export { formatDate } from '../../../shared/dates';

function utcDate(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00Z`);
}

/** Tue 1 Dec, for calendar headings; Tue 1 Dec 2026 in lists that span years. */
export function formatDay(isoDate: string, language: string, withYear = false): string {
  return new Intl.DateTimeFormat(language, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: withYear ? 'numeric' : undefined,
    timeZone: 'UTC',
  }).format(utcDate(isoDate));
}

/** Tuesday 1 December 2026, where the whole date is the point. */
export function formatLongDay(isoDate: string, language: string): string {
  return new Intl.DateTimeFormat(language, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(utcDate(isoDate));
}

/** An instant as the clinic's wall clock: 1 Dec 2026, 09:30. */
export function formatInstant(iso: string, language: string, timeZone: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));
}

/** An instant as the clinic's time of day, HH:MM. */
export function formatClock(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(new Date(iso));
}

/** 0 for Monday … 6 for Sunday. */
export type WeekdayIndex = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export function weekdayIndex(isoDate: string): WeekdayIndex {
  // getUTCDay() counts from Sunday (0 to 6): shifted by six, modulo 7, it is one of the seven.
  return ((utcDate(isoDate).getUTCDay() + 6) % 7) as WeekdayIndex;
}

export function mondayOf(isoDate: string): string {
  return addDays(isoDate, -weekdayIndex(isoDate));
}

/** Age for the header and search rows: whole years, or months for babies under two. */
export function ageOn(dateOfBirth: string, today: string): string {
  // A mistyped year, most likely: say so rather than show an age.
  if (dateOfBirth > today) return 'date in the future';
  const born = utcDate(dateOfBirth);
  const on = utcDate(today);
  const months =
    (on.getUTCFullYear() - born.getUTCFullYear()) * 12 +
    (on.getUTCMonth() - born.getUTCMonth()) -
    (on.getUTCDate() < born.getUTCDate() ? 1 : 0);
  if (months < 24) return `${months} mo`;
  return `${Math.floor(months / 12)} y`;
}

/** Minutes since midnight of an HH:MM time. */
export function minutesOf(time: string): number {
  const colon = time.indexOf(':');
  return Number(time.slice(0, colon)) * 60 + Number(time.slice(colon + 1));
}

export function timeOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The clinic's date and minute of the day right now. */
export function clinicNow(timeZone: string, now: Date = new Date()): { date: string; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  return {
    date: `${part('year')}-${part('month')}-${part('day')}`,
    minutes: Number(part('hour')) * 60 + Number(part('minute')),
  };
}

/** Dates are typed the way the clinic writes them: 17/05/1980 (or 05/17/1980 in US English). */
export function typedDate(isoDate: string, language: string): string {
  const [year, month, day] = isoDate.split('-');
  return language === 'en-US' ? `${month}/${day}/${year}` : `${day}/${month}/${year}`;
}

export function dateExample(language: string): string {
  return typedDate('1980-05-17', language);
}

/** A time typed at the desk as HH:MM: "9:30", "0930" and "09.30" all read as 09:30. */
export function parseTypedTime(typed: string): string | null {
  const match = /^(\d{1,2})[:.]?(\d{2})$/.exec(typed.trim());
  if (!match) return null;
  const [hours, minutes] = [Number(match[1]), Number(match[2])];
  return hours < 24 && minutes < 60 ? timeOf(hours * 60 + minutes) : null;
}
