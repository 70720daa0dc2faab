import { describe, expect, it } from 'vitest';
import type { CalendarAppointment, CalendarView, Doctor, OpeningHours } from '../../../../shared/appointments';
import { timeOf } from '../../ui/dates';
import { initialled, lanesOf, spanOf } from './calendarLanes';

const patel: Doctor = { id: 'd-patel', name: 'Dr Priya Patel', specialization: null, default_slot_minutes: 30, calendar_color: null };
const okafor: Doctor = {
  id: 'd-okafor',
  name: 'Dr Ada Okafor',
  specialization: 'Paediatrics',
  default_slot_minutes: 20,
  calendar_color: null,
};

// Weekdays 09:00–12:00 and 13:00–15:00; Saturday morning; closed on Sunday.
const HOURS: OpeningHours = {
  mon: [
    ['09:00', '12:00'],
    ['13:00', '15:00'],
  ],
  tue: [['09:00', '12:00']],
  wed: [['09:00', '12:00']],
  thu: [['09:00', '12:00']],
  fri: [['09:00', '12:00']],
  sat: [['09:00', '11:00']],
  sun: [],
};

const MONDAY = '2026-03-16';
const SUNDAY = '2026-03-22';

let count = 0;
function booking(
  date: string,
  start: string,
  end: string,
  more: Partial<CalendarAppointment> = {},
  doctor: Doctor = patel,
): CalendarAppointment {
  count += 1;
  return {
    id: `a-${count}`,
    appointment_number: `A-${count}`,
    patient_id: `p-${count}`,
    patient_name: `Patient ${count}`,
    patient_number: `P-${count}`,
    doctor_id: doctor.id,
    doctor_name: doctor.name,
    starts_at: `${date}T${start}:00Z`,
    ends_at: `${date}T${end}:00Z`,
    local_date: date,
    local_start: start,
    local_end: end,
    duration_minutes: 30,
    status: 'scheduled',
    appointment_type: 'consultation',
    is_walk_in: false,
    reason: null,
    has_allergies: false,
    checked_in_at: null,
    ...more,
  };
}

function view(days: string[], appointments: CalendarAppointment[] = [], doctors: Doctor[] = [patel]): CalendarView {
  return { timezone: 'Europe/London', opening_hours: HOURS, days, doctors, appointments };
}

/** A day long before the calendar's: nothing on it is in the past. */
const EARLIER = { date: '2026-01-01', minutes: 0 };

describe('lanes of the calendar', () => {
  it('gives each doctor a lane on each day, with that weekday’s opening hours in minutes', () => {
    const lanes = lanesOf({ view: view([MONDAY], [], [patel, okafor]), now: EARLIER, showCancelled: false });
    expect(lanes.map((lane) => [lane.date, lane.doctor.id])).toEqual([
      [MONDAY, 'd-patel'],
      [MONDAY, 'd-okafor'],
    ]);
    expect(lanes[0]?.open).toEqual([
      [540, 720],
      [780, 900],
    ]);
  });

  it('offers free slots on each doctor’s own grid, inside opening hours only', () => {
    const [patelLane, okaforLane] = lanesOf({ view: view([MONDAY], [], [patel, okafor]), now: EARLIER, showCancelled: false });
    expect(patelLane?.freeSlots.map(timeOf)).toEqual([
      '09:00',
      '09:30',
      '10:00',
      '10:30',
      '11:00',
      '11:30',
      '13:00',
      '13:30',
      '14:00',
      '14:30',
    ]);
    expect(okaforLane?.freeSlots.slice(0, 4).map(timeOf)).toEqual(['09:00', '09:20', '09:40', '10:00']);
    expect(okaforLane?.freeSlots.at(-1)).toBe(14 * 60 + 40);
  });

  it('takes away every slot a booking overlaps, even in part', () => {
    const lanes = lanesOf({ view: view([MONDAY], [booking(MONDAY, '09:15', '10:05')]), now: EARLIER, showCancelled: false });
    const free = lanes[0]?.freeSlots.map(timeOf);
    expect(free).not.toContain('09:00');
    expect(free).not.toContain('09:30');
    expect(free).not.toContain('10:00');
    expect(free).toContain('10:30');
  });

  it('gives the slot back when the booking is cancelled or a no-show, and walk-ins never hold one', () => {
    const appointments = [
      booking(MONDAY, '09:00', '09:30', { status: 'cancelled' }),
      booking(MONDAY, '09:30', '10:00', { status: 'no_show' }),
      booking(MONDAY, '10:00', '10:30', { is_walk_in: true, status: 'checked_in' }),
      booking(MONDAY, '10:30', '11:00', { status: 'confirmed' }),
    ];
    const free = lanesOf({ view: view([MONDAY], appointments), now: EARLIER, showCancelled: true })[0]?.freeSlots.map(timeOf);
    expect(free?.slice(0, 4)).toEqual(['09:00', '09:30', '10:00', '11:00']);
  });

  it('hides cancelled appointments unless asked to show them; no-shows stay on the grid', () => {
    const appointments = [
      booking(MONDAY, '09:00', '09:30', { status: 'cancelled' }),
      booking(MONDAY, '09:30', '10:00', { status: 'no_show' }),
    ];
    const shown = (showCancelled: boolean) =>
      lanesOf({ view: view([MONDAY], appointments), now: EARLIER, showCancelled })[0]?.appointments.map((a) => a.appointment.status);
    expect(shown(false)).toEqual(['no_show']);
    expect(shown(true)).toEqual(['cancelled', 'no_show']);
  });

  it('puts each appointment in its own doctor’s lane', () => {
    const appointments = [booking(MONDAY, '09:00', '09:30', {}, okafor), booking(MONDAY, '10:00', '10:30')];
    const lanes = lanesOf({ view: view([MONDAY], appointments, [patel, okafor]), now: EARLIER, showCancelled: false });
    expect(lanes.map((lane) => lane.appointments.map((a) => a.appointment.local_start))).toEqual([['10:00'], ['09:00']]);
  });

  it('offers nothing already past: earlier today, or any earlier day', () => {
    const today = lanesOf({ view: view([MONDAY]), now: { date: MONDAY, minutes: 10 * 60 + 10 }, showCancelled: false });
    expect(today[0]?.freeSlots[0]).toBe(10 * 60 + 30);
    const yesterday = lanesOf({ view: view([MONDAY]), now: { date: '2026-03-17', minutes: 0 }, showCancelled: false });
    expect(yesterday[0]?.freeSlots).toEqual([]);
  });
});

describe('overlapping appointments', () => {
  it('stand side by side, each group as wide as its most crowded moment', () => {
    const appointments = [
      booking(MONDAY, '09:00', '10:00'),
      booking(MONDAY, '09:15', '09:45', { is_walk_in: true }),
      booking(MONDAY, '09:50', '10:20', { is_walk_in: true }),
      booking(MONDAY, '11:00', '11:30'),
    ];
    const placed = lanesOf({ view: view([MONDAY], appointments), now: EARLIER, showCancelled: false })[0]?.appointments;
    expect(placed?.map(({ appointment, column, columns }) => [appointment.local_start, column, columns])).toEqual([
      ['09:00', 0, 2],
      ['09:15', 1, 2],
      // The 09:15 walk-in has left by 09:50: its column is free again.
      ['09:50', 1, 2],
      ['11:00', 0, 1],
    ]);
  });

  it('run an appointment that ends at midnight to the end of the day', () => {
    const placed = lanesOf({ view: view([MONDAY], [booking(MONDAY, '23:30', '00:00')]), now: EARLIER, showCancelled: false })[0]
      ?.appointments[0];
    expect([placed?.start, placed?.end]).toEqual([23 * 60 + 30, 24 * 60]);
  });
});

describe('a week of lanes', () => {
  const week = ['2026-03-16', '2026-03-17', '2026-03-18', '2026-03-19', '2026-03-20', '2026-03-21', SUNDAY];

  it('leaves out a closed day with nothing booked', () => {
    const lanes = lanesOf({ view: view(week), now: EARLIER, showCancelled: false });
    expect(lanes.map((lane) => lane.date)).toEqual(week.slice(0, 6));
  });

  it('keeps a closed day that has something booked on it', () => {
    const lanes = lanesOf({ view: view(week, [booking(SUNDAY, '10:00', '10:30')]), now: EARLIER, showCancelled: false });
    expect(lanes.at(-1)?.date).toBe(SUNDAY);
    expect(lanes.at(-1)?.freeSlots).toEqual([]);
  });

  it('always shows a single day, closed or not', () => {
    const lanes = lanesOf({ view: view([SUNDAY]), now: EARLIER, showCancelled: false });
    expect(lanes.map((lane) => [lane.date, lane.open])).toEqual([[SUNDAY, []]]);
  });
});

describe('the hours the grid spans', () => {
  it('run from the earliest opening to the latest closing across its lanes', () => {
    const lanes = lanesOf({ view: view([MONDAY, '2026-03-21']), now: EARLIER, showCancelled: false });
    expect(spanOf(lanes)).toEqual({ from: 9 * 60, until: 15 * 60 });
  });

  it('widen to whole hours around anything booked outside opening hours', () => {
    const appointments = [booking(MONDAY, '07:40', '08:10'), booking(MONDAY, '17:30', '18:10')];
    const lanes = lanesOf({ view: view([MONDAY], appointments), now: EARLIER, showCancelled: false });
    expect(spanOf(lanes)).toEqual({ from: 7 * 60, until: 19 * 60 });
  });

  it('are office hours when nothing is open or booked', () => {
    expect(spanOf(lanesOf({ view: view([SUNDAY]), now: EARLIER, showCancelled: false }))).toEqual({ from: 8 * 60, until: 18 * 60 });
    expect(spanOf([])).toEqual({ from: 8 * 60, until: 18 * 60 });
  });
});

describe('initialled', () => {
  it('keeps the surname whole and the first name as an initial, for narrow lanes', () => {
    expect(initialled('John Smith')).toBe('J. Smith');
    expect(initialled('Siobhán O’Brien')).toBe('S. O’Brien');
    expect(initialled('Mary Ann Hernández García')).toBe('M. Ann Hernández García');
    expect(initialled('Cher')).toBe('Cher');
  });
});
