import type { AppointmentStatus, CalendarAppointment, CalendarView, Doctor, OpeningHours } from '../../../../shared/appointments';
import { minutesOf, weekdayIndex } from '../../ui/dates';

const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** Statuses that give the slot back: the database's no-double-booking rule ignores them too. */
const RELEASED: readonly AppointmentStatus[] = ['cancelled', 'no_show'];

/** One column of the grid: a doctor on a day. */
export interface Lane {
  date: string;
  doctor: Doctor;
  /** Opening hours of that day, in minutes since midnight. */
  open: [number, number][];
  appointments: PlacedAppointment[];
  /** Start minutes of the slots that can still be booked. */
  freeSlots: number[];
}

/** An appointment with its place among those it overlaps (walk-ins and no-shows may overlap). */
interface PlacedAppointment {
  appointment: CalendarAppointment;
  start: number;
  end: number;
  column: number;
  columns: number;
}

function hoursOn(openingHours: OpeningHours, date: string): [number, number][] {
  return openingHours[WEEKDAY_KEYS[weekdayIndex(date)]].map(([from, until]) => [minutesOf(from), minutesOf(until)]);
}

/** Side by side where they overlap, each group as wide as its most crowded moment needs. */
function place(appointments: CalendarAppointment[]): PlacedAppointment[] {
  const sorted = appointments
    .map((appointment) => ({ appointment, start: minutesOf(appointment.local_start), end: minutesOf(appointment.local_end) }))
    .map((a) => ({ ...a, end: a.end > a.start ? a.end : 24 * 60 }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const placed: PlacedAppointment[] = [];
  let group: PlacedAppointment[] = [];
  let groupEnd = -1;
  const closeGroup = () => {
    const columns = Math.max(1, ...group.map((a) => a.column + 1));
    for (const a of group) a.columns = columns;
  };
  for (const a of sorted) {
    if (a.start >= groupEnd) {
      closeGroup();
      group = [];
    }
    const taken = new Set(group.filter((g) => g.end > a.start).map((g) => g.column));
    let column = 0;
    while (taken.has(column)) column += 1;
    const item = { ...a, column, columns: 1 };
    group.push(item);
    placed.push(item);
    groupEnd = Math.max(groupEnd, a.end);
  }
  closeGroup();
  return placed;
}

/** Slot starts on the doctor's grid, inside opening hours, not yet past and not taken. */
function freeSlots(open: [number, number][], held: PlacedAppointment[], step: number, notBefore: number): number[] {
  const slots: number[] = [];
  for (const [from, until] of open) {
    for (let start = from; start + step <= until; start += step) {
      const taken = held.some((a) => a.start < start + step && a.end > start);
      if (!taken && start >= notBefore) slots.push(start);
    }
  }
  return slots;
}

interface GridInput {
  view: CalendarView;
  /** Today's date and minute in the clinic: earlier slots cannot be booked. */
  now: { date: string; minutes: number };
  showCancelled: boolean;
}

/**
 * The calendar's columns: each doctor on each day. Closed days are left out of a week unless
 * something is booked on them; a single day is always shown, closed or not.
 */
export function lanesOf({ view, now, showCancelled }: GridInput): Lane[] {
  const weekView = view.days.length > 1;
  const lanes: Lane[] = [];
  for (const date of view.days) {
    const open = hoursOn(view.opening_hours, date);
    for (const doctor of view.doctors) {
      const theirs = view.appointments.filter((a) => a.local_date === date && a.doctor_id === doctor.id);
      const shown = place(theirs.filter((a) => showCancelled || a.status !== 'cancelled'));
      const held = shown.filter((a) => !RELEASED.includes(a.appointment.status) && !a.appointment.is_walk_in);
      const notBefore = date < now.date ? Infinity : date === now.date ? now.minutes : 0;
      lanes.push({ date, doctor, open, appointments: shown, freeSlots: freeSlots(open, held, doctor.default_slot_minutes, notBefore) });
    }
  }
  return weekView ? lanes.filter((lane) => lane.open.length > 0 || lane.appointments.length > 0) : lanes;
}

/** The hours the grid spans: opening to closing across its days, widened for anything booked outside. */
export function spanOf(lanes: Lane[]): { from: number; until: number } {
  const starts = lanes.flatMap((lane) => [...lane.open.map(([from]) => from), ...lane.appointments.map((a) => a.start)]);
  const ends = lanes.flatMap((lane) => [...lane.open.map(([, until]) => until), ...lane.appointments.map((a) => a.end)]);
  if (starts.length === 0) return { from: 8 * 60, until: 18 * 60 };
  return { from: Math.floor(Math.min(...starts) / 60) * 60, until: Math.ceil(Math.max(...ends) / 60) * 60 };
}

/** "John Smith" → "J. Smith": a patient in a narrow lane (the full name is in the label and tooltip). */
export function initialled(name: string): string {
  const [first, ...rest] = name.split(' ');
  return first && rest.length > 0 ? `${first.charAt(0)}. ${rest.join(' ')}` : name;
}
