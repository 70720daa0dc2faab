import { STATUS_LABELS, type AppointmentStatus, type OpeningHours } from '../../../shared/appointments';
import { WEEKDAYS } from '../../../shared/clinic-settings';

type Weekday = keyof OpeningHours;

/** The weekday of an ISO calendar date (no timezone involved: it is the clinic's own date). */
export function weekdayOf(date: string): { key: Weekday; name: string } {
  // getUTCDay counts from Sunday; the week here starts on Monday.
  const weekday = WEEKDAYS[(new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7];
  if (!weekday) throw new Error(`${date} is not a calendar date`);
  return { key: weekday.key, name: weekday.label };
}

/** Every weekday present, a closed day as no periods: clinics.opening_hours may leave days out. */
export function weekHours(hours: Partial<OpeningHours> | null | undefined): OpeningHours {
  return Object.fromEntries(WEEKDAYS.map(({ key }) => [key, hours?.[key] ?? []])) as OpeningHours;
}

/** Minutes since midnight of H:MM or HH:MM; NaN for anything else, which lies within no period. */
function minutesOf(time: string): number {
  const [, hours, minutes] = /^(\d{1,2}):(\d\d)$/.exec(time) ?? [];
  return Number(hours) * 60 + Number(minutes);
}

/** Whether [time, time + minutes) on the wall clock lies inside one of the day's periods. */
export function withinHours(periods: readonly [string, string][], time: string, minutes: number): boolean {
  const start = minutesOf(time);
  return periods.some(([open, close]) => minutesOf(open) <= start && start + minutes <= minutesOf(close));
}

/** "Tuesday hours: 08:00–12:30, 13:30–18:00." */
export function describeHours(dayName: string, periods: readonly [string, string][]): string {
  const list = periods.map(([open, close]) => `${open}–${close}`).join(', ');
  return `${dayName} hours: ${list || 'closed all day'}.`;
}

/** A status an appointment can be changed to (a booking starts as scheduled and never returns to it). */
export type StatusChange = Exclude<AppointmentStatus, 'scheduled'>;

/** What each change does to an appointment, as the refusal says it. */
const CHANGE_WORDS: Record<StatusChange | 'moved', string> = {
  confirmed: 'confirmed',
  checked_in: 'checked in',
  in_progress: 'started',
  completed: 'completed',
  cancelled: 'cancelled',
  no_show: 'marked as a no-show',
  moved: 'moved',
};

/** 'A “Cancelled” appointment cannot be checked in.', in the status words the screens show. */
export function refusedChange(from: AppointmentStatus, change: keyof typeof CHANGE_WORDS): string {
  const label = STATUS_LABELS[from];
  const article = /^[AEIOU]/.test(label) ? 'An' : 'A';
  return `${article} “${label}” appointment cannot be ${CHANGE_WORDS[change]}.`;
}
