import { describe, expect, it } from 'vitest';
import {
  ageOn,
  clinicNow,
  dateExample,
  formatClock,
  formatDate,
  formatDay,
  formatInstant,
  formatLongDay,
  minutesOf,
  mondayOf,
  parseTypedTime,
  timeOf,
  typedDate,
  weekdayIndex,
} from './dates';

describe('formatting a calendar date', () => {
  it('puts day and month in the order of the clinic’s language', () => {
    expect(formatDate('1968-03-14', 'en-GB')).toBe('14 Mar 1968');
    expect(formatDate('1968-03-14', 'en-US')).toBe('Mar 14, 1968');
  });

  it('shows the same date in every timezone of the PC, never the day before', () => {
    // Dates carry no time: 1 January must not become 31 December west of Greenwich.
    expect(formatDate('2026-01-01', 'en-GB')).toBe('1 Jan 2026');
    expect(formatDay('2026-01-01', 'en-GB')).toMatch(/^Thu/);
  });

  it('gives calendar headings a weekday, and the year only when asked', () => {
    expect(formatDay('2026-12-01', 'en-GB')).toBe('Tue 1 Dec');
    expect(formatDay('2026-12-01', 'en-GB', true)).toContain('1 Dec 2026');
  });

  it('writes the whole date out where the date is the point', () => {
    expect(formatLongDay('2026-12-01', 'en-GB')).toMatch(/^Tuesday,? 1 December 2026$/);
    expect(formatLongDay('2026-12-01', 'en-US')).toBe('Tuesday, December 1, 2026');
  });
});

describe('formatting an instant as the clinic’s wall clock', () => {
  it('follows summer time in the clinic’s timezone', () => {
    expect(formatClock('2026-07-01T08:30:00Z', 'Europe/London')).toBe('09:30');
    expect(formatClock('2026-01-15T08:30:00Z', 'Europe/London')).toBe('08:30');
  });

  it('uses the 24-hour clock whatever the language', () => {
    expect(formatClock('2026-01-15T17:05:00Z', 'America/New_York')).toBe('12:05');
    expect(formatClock('2026-01-15T23:45:00Z', 'UTC')).toBe('23:45');
  });

  it('gives date and time together in the clinic’s language and timezone', () => {
    expect(formatInstant('2026-07-01T08:30:00Z', 'en-GB', 'Europe/London')).toBe('1 Jul 2026, 09:30');
  });
});

describe('weekdays', () => {
  it('counts from Monday (0) to Sunday (6)', () => {
    expect(weekdayIndex('2026-03-16')).toBe(0);
    expect(weekdayIndex('2026-03-21')).toBe(5);
    expect(weekdayIndex('2026-03-22')).toBe(6);
  });

  it('finds the Monday of a date’s week, across a month end', () => {
    expect(mondayOf('2026-04-01')).toBe('2026-03-30');
    expect(mondayOf('2026-03-30')).toBe('2026-03-30');
    expect(mondayOf('2026-04-05')).toBe('2026-03-30');
  });
});

describe('age', () => {
  it('counts whole years, turning only on the birthday itself', () => {
    expect(ageOn('1968-03-14', '2026-03-13')).toBe('57 y');
    expect(ageOn('1968-03-14', '2026-03-14')).toBe('58 y');
  });

  it('gives babies under two their age in months', () => {
    expect(ageOn('2025-01-20', '2026-03-19')).toBe('13 mo');
    expect(ageOn('2024-03-20', '2026-03-19')).toBe('23 mo');
    expect(ageOn('2024-03-19', '2026-03-19')).toBe('2 y');
  });

  it('says a birth date still to come is in the future rather than giving an age', () => {
    expect(ageOn('2026-04-01', '2026-03-19')).toBe('date in the future');
    expect(ageOn('2026-03-19', '2026-03-19')).toBe('0 mo');
  });
});

describe('times of day', () => {
  it('turns HH:MM into minutes since midnight and back', () => {
    expect(minutesOf('09:30')).toBe(570);
    expect(minutesOf('00:00')).toBe(0);
    expect(minutesOf('9:05')).toBe(545);
    expect(timeOf(570)).toBe('09:30');
    expect(timeOf(23 * 60 + 5)).toBe('23:05');
  });

  it('reads a time typed at the desk with a colon, a dot or neither', () => {
    expect(parseTypedTime('9:30')).toBe('09:30');
    expect(parseTypedTime('0930')).toBe('09:30');
    expect(parseTypedTime('09.30')).toBe('09:30');
    expect(parseTypedTime('930')).toBe('09:30');
    expect(parseTypedTime(' 14:05 ')).toBe('14:05');
  });

  it('refuses what is no time of day', () => {
    expect(parseTypedTime('24:00')).toBeNull();
    expect(parseTypedTime('9:60')).toBeNull();
    expect(parseTypedTime('9:3')).toBeNull();
    expect(parseTypedTime('half nine')).toBeNull();
    expect(parseTypedTime('')).toBeNull();
  });
});

describe('the clinic’s now', () => {
  it('is the date and minute in the clinic’s timezone, not the PC’s', () => {
    // 23:30 UTC on 29 March 2026 is already 00:30 on the 30th in London (summer time began that day).
    expect(clinicNow('Europe/London', new Date('2026-03-29T23:30:00Z'))).toEqual({ date: '2026-03-30', minutes: 30 });
    expect(clinicNow('America/New_York', new Date('2026-03-29T02:30:00Z'))).toEqual({ date: '2026-03-28', minutes: 22 * 60 + 30 });
  });
});

describe('dates typed at the desk', () => {
  it('are written day first, or month first in US English', () => {
    expect(typedDate('1980-05-17', 'en-GB')).toBe('17/05/1980');
    expect(typedDate('1980-05-17', 'en-US')).toBe('05/17/1980');
  });

  it('have an example in the same order as the clinic types them', () => {
    expect(dateExample('en-GB')).toBe('17/05/1980');
    expect(dateExample('en-US')).toBe('05/17/1980');
  });
});
