import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPOINTMENT_STATUSES, canMove, STATUS_TRANSITIONS, type CalendarAppointment } from '../../../shared/appointments';
import { addDays, todayIn } from '../../../shared/dates';
import { DEMO_PASSWORD, DEMO_USERS, demoBackend, refusal, type Refusal, type TestBackend } from '../../../test/backend';
import { engines } from '../../../test/engines';
import { createTenantFixture } from '../../../test/fixtures';
import { withRequest } from '../db/request';
import { one } from '../db/rows';
import type { Session } from '../auth/sessions';
import type { Queryable } from '../db/types';

const TIMEZONE = 'Europe/London';
const DEMO_TENANT = '00000000-0000-4000-8000-000000000001';
const DEMO_CLINIC = '00000000-0000-4000-8000-000000000002';
const DR_PATEL = '00000000-0000-4000-8000-000000000102';
const DR_OKAFOR = '00000000-0000-4000-8000-000000000103';
const NURSE = '00000000-0000-4000-8000-000000000104';
const RECEPTIONIST = '00000000-0000-4000-8000-000000000105';
const ADMIN = '00000000-0000-4000-8000-000000000101';
const BILLING = '00000000-0000-4000-8000-000000000106';
/** A third doctor made for these tests: no working hours, no demo appointments, 10-minute slots. */
const DR_ASHBY = '00000000-0000-4000-8000-000000000177';
/** Demo patients: P-000001 John Smith is …201, P-000050 is …250. */
const demoPatient = (n: number) => `00000000-0000-4000-8000-000000000${200 + n}`;
const JOHN_SMITH = demoPatient(1);

type Caller = ReturnType<TestBackend['client']>;

// ---------------------------------------------------------------------------------------------
// Clinic dates, computed here with Intl (independently of the SQL under test).
// ---------------------------------------------------------------------------------------------
const wallClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIMEZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** The clinic's wall clock at an instant: { date: YYYY-MM-DD, time: HH:MM }. */
function clinicClockAt(instant: string): { date: string; time: string } {
  const part = Object.fromEntries(wallClock.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return { date: `${part.year}-${part.month}-${part.day}`, time: `${part.hour}:${part.minute}` };
}

/** The instant (ISO) of a wall-clock date and time in the clinic. */
function clinicInstant(date: string, time: string): string {
  const guess = Date.parse(`${date}T${time}:00Z`);
  const seen = clinicClockAt(new Date(guess).toISOString());
  const offset = Date.parse(`${seen.date}T${seen.time}:00Z`) - guess;
  return new Date(guess - offset).toISOString();
}

const weekdayOf = (date: string) => new Date(`${date}T12:00:00Z`).getUTCDay();
const weekdayName = (date: string) => new Date(`${date}T12:00:00Z`).toLocaleString('en-GB', { weekday: 'long', timeZone: 'UTC' });

function nextDay(from: string, accept: (weekday: number) => boolean): string {
  let day = from;
  while (!accept(weekdayOf(day))) day = addDays(day, 1);
  return day;
}

/** The Monday after the last Sunday of `month` (0-based) in the first year where it is still ahead. */
function mondayAfterClockChange(month: number, after: string): string {
  for (let year = Number(after.slice(0, 4)); ; year++) {
    const lastDay = new Date(Date.UTC(year, month + 1, 0));
    lastDay.setUTCDate(lastDay.getUTCDate() - lastDay.getUTCDay());
    const monday = addDays(lastDay.toISOString().slice(0, 10), 1);
    if (monday > after) return monday;
  }
}

describe.each(engines)('calendar, booking and queue on %s', (engine) => {
  let app: TestBackend;
  let reception: Caller;
  /** Demo patients with no visit today, for walk-ins. */
  let nothingToday: string[] = [];
  let doctor: Caller;
  const today = todayIn(TIMEZONE);
  const monday = addDays(today, -((weekdayOf(today) + 6) % 7));
  /** Weekdays one to two weeks ahead: Dr Patel is free 16:00–17:00 and Dr Okafor 14:00–15:00. */
  const dayOne = nextDay(addDays(today, 7), (d) => d >= 1 && d <= 5);
  const dayTwo = nextDay(addDays(dayOne, 1), (d) => d >= 1 && d <= 5);

  async function signIn(email: string, clientKey = `${email}:${crypto.randomUUID()}`): Promise<Caller> {
    const window = app.client(clientKey);
    // With the clinic code, sign-in still works once a second tenant exists.
    await window.auth.signIn({ email, password: DEMO_PASSWORD, clinicCode: 'demo' });
    return window;
  }

  /** SQL as the demo receptionist: the app role, under the tenant's RLS. */
  const asReception = <T>(work: (tx: Queryable) => Promise<T>) =>
    withRequest(app.db, { tenantId: DEMO_TENANT, userId: RECEPTIONIST }, work);

  /** Row counts that a refused request must leave as they were (the owner sees every row). */
  function footprint() {
    return one<{ appointments: number; notifications: number; audit: number }>(
      app.db,
      `SELECT (SELECT count(*) FROM appointments)::int AS appointments, (SELECT count(*) FROM notifications)::int AS notifications,
              (SELECT count(*) FROM audit_logs)::int AS audit`,
    );
  }

  /** An appointment written straight into the demo tenant, for times the router would refuse. */
  async function insertAppointment(patientId: string, doctorId: string, startsAt: string, minutes: number, status = 'scheduled') {
    const { id } = await one<{ id: string }>(
      app.db,
      `INSERT INTO appointments (tenant_id, clinic_id, patient_id, doctor_id, starts_at, ends_at, status, created_by)
       VALUES ($1, $2, $3, $4, $5::timestamptz, $5::timestamptz + make_interval(mins => $6), $7, $8) RETURNING id`,
      [DEMO_TENANT, DEMO_CLINIC, patientId, doctorId, startsAt, minutes, status, RECEPTIONIST],
    );
    return id;
  }

  /** Today's weekday key in clinics.opening_hours. */
  const todayKey = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][weekdayOf(today)]!;

  /** Today's opening hours set to `periods` while `work` runs (walk-ins are taken only when the clinic is open; tests run at any hour). */
  async function withTodaysHours<T>(periods: [string, string][], work: () => Promise<T>): Promise<T> {
    const setHours = (hours: unknown) =>
      app.db.query(`UPDATE clinics SET opening_hours = jsonb_set(opening_hours, ARRAY[$2], $3::jsonb) WHERE id = $1`, [
        DEMO_CLINIC,
        todayKey,
        JSON.stringify(hours),
      ]);
    const { hours } = await one<{ hours: unknown }>(app.db, `SELECT opening_hours -> $2 AS hours FROM clinics WHERE id = $1`, [
      DEMO_CLINIC,
      todayKey,
    ]);
    await setHours(periods);
    try {
      return await work();
    } finally {
      await setHours(hours ?? []);
    }
  }
  const whileOpen = <T>(work: () => Promise<T>) => withTodaysHours([['00:00', '24:00']], work);

  async function reminders(appointmentId: string) {
    const { rows } = await app.db.query<{ id: string; message: string; scheduled_for: string; deleted_at: string | null }>(
      `SELECT id, message, scheduled_for, deleted_at FROM notifications
       WHERE related_entity_type = 'appointment' AND related_entity_id = $1 AND type = 'reminder' ORDER BY created_at`,
      [appointmentId],
    );
    return rows;
  }

  const book = (caller: Caller, date: string, time: string, overrides: Record<string, unknown> = {}) =>
    caller.appointments.book({
      patient_id: JOHN_SMITH,
      doctor_id: DR_PATEL,
      date,
      time,
      duration_minutes: 15,
      appointment_type: 'consultation',
      ...overrides,
    });

  beforeAll(async () => {
    app = await demoBackend(engine);
    await app.db.query(
      `INSERT INTO users (tenant_id, id, clinic_id, role_id, email, password_hash, title, first_name, last_name, default_slot_minutes)
       SELECT $1, $2, $3, r.id, 'dr.ashby@demo.clinic', 'scrypt$not-for-sign-in', 'Dr', 'Quinn', 'Ashby', 10
       FROM roles r WHERE r.tenant_id = $1 AND r.name = 'doctor'`,
      [DEMO_TENANT, DR_ASHBY, DEMO_CLINIC],
    );
    reception = await signIn(DEMO_USERS.receptionist);
    doctor = await signIn(DEMO_USERS.doctor);
    // The demo books today from the day it is loaded: on a weekday some patients are already in the queue.
    // Chosen among patients no other test here books.
    const { rows } = await app.db.query<{ id: string }>(
      `SELECT p.id FROM patients p
       WHERE p.tenant_id = $1 AND p.deleted_at IS NULL
         AND p.patient_number IN ('P-000023', 'P-000024', 'P-000025', 'P-000026', 'P-000027', 'P-000028', 'P-000029', 'P-000035',
                                  'P-000036', 'P-000037', 'P-000039', 'P-000043', 'P-000045', 'P-000046', 'P-000047', 'P-000049', 'P-000050')
         AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = p.id
                           AND (a.starts_at AT TIME ZONE $2)::date = (now() AT TIME ZONE $2)::date)
       ORDER BY p.patient_number`,
      [DEMO_TENANT, TIMEZONE],
    );
    nothingToday = rows.map((row) => row.id);
  });
  afterAll(async () => app?.db.close());

  it('lists the clinic’s doctors by surname, named as the calendar shows them', async () => {
    const doctors = await reception.appointments.doctors();
    expect(doctors.map((d) => d.name)).toEqual(['Dr Quinn Ashby', 'Dr James Okafor', 'Dr Priya Patel']);
    expect(doctors.find((d) => d.id === DR_PATEL)).toEqual({
      id: DR_PATEL,
      name: 'Dr Priya Patel',
      specialization: 'General Practice',
      default_slot_minutes: 15,
      calendar_color: '#2563eb',
    });
    expect(doctors.find((d) => d.id === DR_OKAFOR)?.default_slot_minutes).toBe(20);
  });

  it('shows the week and a day, for the clinic and per doctor, in clinic time', async () => {
    const { rows: all } = await app.db.query<{ id: string; doctor_id: string; starts_at: string; ends_at: string }>(
      `SELECT id, doctor_id, starts_at, ends_at FROM appointments WHERE tenant_id = $1 AND deleted_at IS NULL`,
      [DEMO_TENANT],
    );
    const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
    const expectedIn = (dates: string[], doctorId?: string) =>
      all
        .filter((a) => dates.includes(clinicClockAt(a.starts_at).date) && (!doctorId || a.doctor_id === doctorId))
        .map((a) => a.id)
        .sort();
    const ids = (list: CalendarAppointment[]) => list.map((a) => a.id).sort();

    const week = await reception.appointments.calendar({ from: monday, days: 7 });
    expect(week.timezone).toBe(TIMEZONE);
    expect(week.days).toEqual(days);
    expect(week.opening_hours.tue).toEqual([['08:00', '18:00']]);
    expect(week.opening_hours.sun).toEqual([]);
    expect(week.doctors.map((d) => d.id)).toEqual([DR_ASHBY, DR_OKAFOR, DR_PATEL]);
    expect(week.appointments.length).toBeGreaterThan(20);
    expect(ids(week.appointments)).toEqual(expectedIn(days));
    for (const a of week.appointments) {
      const start = clinicClockAt(a.starts_at);
      expect([a.local_date, a.local_start, a.local_end]).toEqual([start.date, start.time, clinicClockAt(a.ends_at).time]);
    }
    expect(week.appointments.map((a) => a.starts_at)).toEqual(week.appointments.map((a) => a.starts_at).sort());

    const patelsWeek = await reception.appointments.calendar({ from: monday, days: 7, doctor_id: DR_PATEL });
    expect(patelsWeek.doctors.map((d) => d.name)).toEqual(['Dr Priya Patel']);
    expect(ids(patelsWeek.appointments)).toEqual(expectedIn(days, DR_PATEL));
    // The demo keeps Dr Patel's 16:00–17:00 free on weekdays.
    const weekdayTeaTime = (a: CalendarAppointment) =>
      a.local_start >= '16:00' && a.local_start < '17:00' && weekdayOf(a.local_date) % 6 !== 0;
    expect(patelsWeek.appointments.filter(weekdayTeaTime)).toEqual([]);

    const tuesday = addDays(monday, 1);
    const day = await reception.appointments.calendar({ from: tuesday, days: 1 });
    expect(day.days).toEqual([tuesday]);
    expect(ids(day.appointments)).toEqual(expectedIn([tuesday]));
    const okafersDay = await reception.appointments.calendar({ from: tuesday, days: 1, doctor_id: DR_OKAFOR });
    expect(ids(okafersDay.appointments)).toEqual(expectedIn([tuesday], DR_OKAFOR));

    const notADoctor = await refusal(reception.appointments.calendar({ from: monday, days: 7, doctor_id: NURSE }));
    expect(notADoctor.code).toBe('NOT_FOUND');
  });

  it('books a free slot and queues its reminder for 24 hours before', async () => {
    const booked = await book(reception, dayOne, '16:00', { reason: 'Blood pressure review' });
    expect(booked).toMatchObject({
      patient_id: JOHN_SMITH,
      patient_name: 'John Smith',
      patient_number: 'P-000001',
      doctor_id: DR_PATEL,
      doctor_name: 'Dr Priya Patel',
      starts_at: clinicInstant(dayOne, '16:00'),
      ends_at: clinicInstant(dayOne, '16:15'),
      local_date: dayOne,
      local_start: '16:00',
      local_end: '16:15',
      duration_minutes: 15,
      status: 'scheduled',
      appointment_type: 'consultation',
      is_walk_in: false,
      reason: 'Blood pressure review',
      has_allergies: false,
      checked_in_at: null,
    });
    expect(booked.appointment_number).toMatch(/^APT-\d{4}-\d{6}$/);

    const [reminder, ...others] = await reminders(booked.id);
    expect(others).toEqual([]);
    const [year, , day] = dayOne.split('-');
    const monthName = new Date(`${dayOne}T12:00:00Z`).toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' });
    expect(reminder!.message).toBe(`John Smith with Dr Priya Patel on ${weekdayName(dayOne)} ${Number(day)} ${monthName} ${year} at 16:00`);
    expect(reminder!.scheduled_for).toBe(new Date(Date.parse(booked.starts_at) - 24 * 3_600_000).toISOString());

    // Not due for days yet; once due it is listed until it is marked sent.
    expect((await reception.appointments.dueReminders()).map((r) => r.id)).not.toContain(reminder!.id);
    await app.db.query(`UPDATE notifications SET scheduled_for = now() - interval '1 minute' WHERE id = $1`, [reminder!.id]);
    const due = await reception.appointments.dueReminders();
    expect(due.find((r) => r.id === reminder!.id)).toMatchObject({
      title: 'Appointment reminder',
      message: reminder!.message,
      appointment_id: booked.id,
      patient_phone: '+44 7700 900123',
    });
    expect(due.map((r) => r.scheduled_for)).toEqual(due.map((r) => r.scheduled_for).sort());
    const sent = await reception.appointments.markReminderSent({ id: reminder!.id });
    expect(sent.id).toBe(reminder!.id);
    expect(Date.now() - Date.parse(sent.sent_at)).toBeLessThan(60_000);
    expect((await reception.appointments.dueReminders()).map((r) => r.id)).not.toContain(reminder!.id);
  });

  it('refuses a past time, closed hours, a Sunday, the doctor’s break, unknown and archived patients and non-doctors', async () => {
    const { id: archived } = await one<{ id: string }>(
      app.db,
      `INSERT INTO patients (tenant_id, clinic_id, first_name, last_name, date_of_birth, gender, deleted_at)
       VALUES ($1, $2, 'Ari', 'Archived', '1970-01-01', 'Other', now()) RETURNING id`,
      [DEMO_TENANT, DEMO_CLINIC],
    );
    const sunday = nextDay(addDays(today, 7), (d) => d === 0);
    const before = await footprint();
    const closed = `The clinic is closed then. ${weekdayName(dayOne)} hours: 08:00–18:00.`;
    const passed = 'This time has passed.';
    const notOnFile = { code: 'NOT_FOUND', message: expect.stringMatching(/not on file/), fieldErrors: { patient_id: expect.any(String) } };
    const notADoctor = {
      code: 'BAD_REQUEST',
      message: 'Choose one of the clinic’s doctors.',
      fieldErrors: { doctor_id: expect.any(String) },
    };
    const cases: [() => Promise<unknown>, Refusal][] = [
      [() => book(reception, addDays(today, -1), '10:00'), { code: 'BAD_REQUEST', message: passed, fieldErrors: { time: passed } }],
      [() => book(reception, dayOne, '07:30'), { code: 'BAD_REQUEST', message: closed, fieldErrors: { time: closed } }],
      [() => book(reception, dayOne, '17:50'), { code: 'BAD_REQUEST', message: closed }],
      [
        () => book(reception, sunday, '10:00'),
        { code: 'BAD_REQUEST', message: 'The clinic is closed then. Sunday hours: closed all day.' },
      ],
      [
        () => book(reception, dayOne, '12:45'),
        { code: 'BAD_REQUEST', message: `Dr Priya Patel does not work then. ${weekdayName(dayOne)} hours: 08:00–12:30, 13:30–18:00.` },
      ],
      [() => book(reception, dayOne, '16:00', { patient_id: crypto.randomUUID() }), notOnFile],
      [() => book(reception, dayOne, '16:00', { patient_id: archived }), notOnFile],
      [() => book(reception, dayOne, '16:00', { doctor_id: NURSE }), notADoctor],
      [() => book(reception, dayOne, '16:00', { doctor_id: RECEPTIONIST }), notADoctor],
    ];
    for (const [attempt, expected] of cases) expect(await refusal(attempt())).toMatchObject(expected);
    expect(await footprint()).toEqual(before);
  });

  it('refuses a booking more than two years ahead (a mistyped year), beside the date', async () => {
    const before = await footprint();
    const refused = await refusal(book(reception, addDays(today, 800), '10:00'));
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { date: 'Book at most two years ahead. Check the year.' } });
    expect(await footprint()).toEqual(before);
  });

  it('refuses malformed input with a message per field, before writing anything', async () => {
    const before = await footprint();
    const refused = await refusal(book(reception, '2026-02-31', '25:00', { duration_minutes: 3, patient_id: 'nobody' }));
    expect(refused.code).toBe('BAD_REQUEST');
    expect(refused.fieldErrors).toEqual({
      patient_id: 'Choose a patient.',
      date: 'This date does not exist.',
      time: 'Use a time like 09:30.',
      duration_minutes: 'An appointment lasts at least 5 minutes.',
    });
    expect(await footprint()).toEqual(before);
  });

  it('lets exactly one of several receptionists booking the same slot at the same moment have it', async () => {
    const keys = Array.from({ length: 6 }, () => `desk:${crypto.randomUUID()}`);
    const windows = await Promise.all(keys.map((key) => signIn(DEMO_USERS.receptionist, key)));
    const before = await footprint();
    // On PostgreSQL every desk has its own login and connection, and no booking goes on until
    // all six transactions are open: each finds the slot free, so only the constraint can decide.
    const seen = { connections: new Set<number>(), mostOpen: 0 };
    if (engine === 'postgres')
      startingTogether(
        keys.map((key) => app.backend.sessions.get(key)!),
        seen,
      );
    const outcomes = await Promise.allSettled(windows.map((w, i) => book(w, dayOne, '16:30', { patient_id: demoPatient(2 + i) })));
    if (engine === 'postgres') {
      expect(seen.connections.size).toBe(windows.length);
      expect(seen.mostOpen).toBe(windows.length);
    }
    const won = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(won).toHaveLength(1);
    const lost = await Promise.all(outcomes.flatMap((o) => (o.status === 'rejected' ? [refusal(Promise.reject(o.reason))] : [])));
    expect(lost).toHaveLength(windows.length - 1);
    const winner = won.map((visit) => `${visit.patient_number} ${visit.patient_name}`).join();
    const clash = `Dr Priya Patel already has an appointment 16:30–16:45 (${winner}). Choose another time.`;
    for (const refused of lost) expect(refused).toEqual({ code: 'CONFLICT', message: clash, fieldErrors: { time: clash } });
    const after = await footprint();
    expect(after.appointments).toBe(before.appointments + 1);
    expect(after.notifications).toBe(before.notifications + 1);
  });

  it('refuses an overlapping slot, accepts back to back, and frees the slot of a cancelled appointment', async () => {
    // 16:00–16:15 (John Smith) and 16:30–16:45 are taken on dayOne.
    expect(await refusal(book(reception, dayOne, '16:40', { duration_minutes: 10 }))).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/^Dr Priya Patel already has an appointment 16:30–16:45 \(P-0000\d\d .+\)\. Choose another time\.$/),
    });
    expect(await refusal(book(reception, dayOne, '15:55', { duration_minutes: 10 }))).toMatchObject({
      message: 'Dr Priya Patel already has an appointment 16:00–16:15 (P-000001 John Smith). Choose another time.',
    });
    const before = await book(reception, dayOne, '16:15', { patient_id: demoPatient(20) });
    const after = await book(reception, dayOne, '16:45', { patient_id: demoPatient(21) });
    expect([before.local_start, before.local_end, after.local_start, after.local_end]).toEqual(['16:15', '16:30', '16:45', '17:00']);

    expect(await refusal(reception.appointments.cancel({ id: after.id, reason: '' }))).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { reason: 'Say why the appointment is cancelled.' },
    });
    const cancelled = await reception.appointments.cancel({ id: after.id, reason: 'Patient phoned: feeling better' });
    expect(cancelled.status).toBe('cancelled');
    const { rows } = await app.db.query(
      `SELECT cancellation_reason, cancelled_by, cancelled_at IS NOT NULL AS stamped FROM appointments WHERE id = $1`,
      [after.id],
    );
    expect(rows[0]).toEqual({ cancellation_reason: 'Patient phoned: feeling better', cancelled_by: RECEPTIONIST, stamped: true });
    expect((await reminders(after.id)).every((r) => r.deleted_at !== null)).toBe(true);
    const rebooked = await book(reception, dayOne, '16:45', { patient_id: demoPatient(22) });
    expect(rebooked.status).toBe('scheduled');

    const { rows: onCalendar } = await app.db.query(
      `SELECT count(*)::int AS n FROM appointments WHERE doctor_id = $1 AND starts_at = $2 AND status NOT IN ('cancelled', 'no_show')`,
      [DR_PATEL, clinicInstant(dayOne, '16:45')],
    );
    expect(onCalendar[0]).toEqual({ n: 1 });
  });

  it('moves a booked appointment and re-queues its reminder', async () => {
    const booked = await book(reception, dayTwo, '14:00', { doctor_id: DR_OKAFOR, duration_minutes: 20, patient_id: demoPatient(30) });
    const moveTo = (date: string, time: string, doctorId = DR_OKAFOR, minutes = 20, id = booked.id) =>
      reception.appointments.move({ id, doctor_id: doctorId, date, time, duration_minutes: minutes });
    const [firstReminder] = await reminders(booked.id);
    const moved = await moveTo(dayTwo, '14:20');
    expect(moved).toMatchObject({ id: booked.id, local_date: dayTwo, local_start: '14:20', local_end: '14:40' });
    expect(moved.starts_at).toBe(clinicInstant(dayTwo, '14:20'));
    const afterMove = await reminders(booked.id);
    expect(afterMove.find((r) => r.id === firstReminder!.id)?.deleted_at).not.toBeNull();
    expect(afterMove.filter((r) => r.deleted_at === null)).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/ at 14:20$/),
        scheduled_for: new Date(Date.parse(moved.starts_at) - 24 * 3_600_000).toISOString(),
      }),
    ]);

    // Overlapping its own old time is no clash; another appointment is.
    expect((await moveTo(dayTwo, '14:30')).local_start).toBe('14:30');
    expect(await refusal(moveTo(dayOne, '16:00', DR_PATEL, 15))).toMatchObject({
      code: 'CONFLICT',
      message: 'Dr Priya Patel already has an appointment 16:00–16:15 (P-000001 John Smith). Choose another time.',
    });
    expect((await refusal(moveTo(dayTwo, '18:00'))).message).toBe(`The clinic is closed then. ${weekdayName(dayTwo)} hours: 08:00–18:00.`);
    expect(await refusal(moveTo(dayTwo, '14:30', NURSE))).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { doctor_id: 'Choose one of the clinic’s doctors.' },
    });
    const toPatel = await moveTo(dayTwo, '16:00', DR_PATEL, 15);
    expect(toPatel).toMatchObject({ doctor_id: DR_PATEL, doctor_name: 'Dr Priya Patel', local_start: '16:00', duration_minutes: 15 });

    await reception.appointments.cancel({ id: booked.id, reason: 'Rebooking elsewhere' });
    expect(await refusal(moveTo(dayTwo, '16:30', DR_PATEL, 15))).toEqual({
      code: 'BAD_REQUEST',
      message: 'A “Cancelled” appointment cannot be moved.',
      fieldErrors: undefined,
    });
    expect((await refusal(moveTo(dayTwo, '16:30', DR_PATEL, 15, crypto.randomUUID()))).code).toBe('NOT_FOUND');
  });

  it('keeps the database’s status changes and STATUS_TRANSITIONS the same, pair by pair', async () => {
    const { rows: sqlPairs } = await app.db.query<{ from_status: string; to_status: string }>(
      `SELECT from_status, to_status FROM appointment_status_transitions`,
    );
    const tsPairs = APPOINTMENT_STATUSES.flatMap((from) => STATUS_TRANSITIONS[from].map((to) => `${from}→${to}`));
    expect(sqlPairs.map((p) => `${p.from_status}→${p.to_status}`).sort()).toEqual(tsPairs.sort());

    // Every pair on a scratch row, as the app role, each in its own savepoint; all rolled back.
    const STAMPS: Record<string, string> = {
      confirmed: 'confirmed_at',
      checked_in: 'checked_in_at',
      in_progress: 'started_at',
      completed: 'completed_at',
      cancelled: 'cancelled_at',
      no_show: 'no_show_at',
    };
    const allowed: string[] = [];
    const rolledBack = new Error('roll back the scratch rows');
    // As the administrator, who holds every permission: only the transitions themselves refuse.
    await withRequest(app.db, { tenantId: DEMO_TENANT, userId: ADMIN }, async (tx) => {
      for (const from of APPOINTMENT_STATUSES) {
        const { id } = await one<{ id: string }>(
          tx,
          `INSERT INTO appointments (tenant_id, clinic_id, patient_id, doctor_id, starts_at, ends_at, status, is_walk_in, cancellation_reason)
           VALUES (current_tenant_id(), $1, $2, $3, now(), now() + interval '10 minutes', $4, true, $5) RETURNING id`,
          [DEMO_CLINIC, JOHN_SMITH, DR_ASHBY, from, from === 'cancelled' ? 'Scratch row' : null],
        );
        for (const to of APPOINTMENT_STATUSES.filter((s) => s !== from)) {
          await tx.query('SAVEPOINT pair');
          const outcome = await tx
            .query(`UPDATE appointments SET status = $2, cancellation_reason = coalesce(cancellation_reason, 'Scratch') WHERE id = $1`, [
              id,
              to,
            ])
            .then(
              () => 'changed',
              (error: { code?: string }) => error.code,
            );
          if (outcome === 'changed') {
            allowed.push(`${from}→${to}`);
            const stamped = await one<{ at: string | null; by: string | null }>(
              tx,
              `SELECT ${STAMPS[to]} AS at, cancelled_by AS by FROM appointments WHERE id = $1`,
              [id],
            );
            expect(stamped.at, `${from}→${to}`).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
            if (to === 'cancelled') expect(stamped.by).toBe(ADMIN);
          } else {
            expect(outcome, `${from}→${to}`).toBe('23514');
          }
          await tx.query('ROLLBACK TO SAVEPOINT pair');
        }
      }
      throw rolledBack;
    }).catch((error: unknown) => {
      if (error !== rolledBack) throw error;
    });
    const expected = APPOINTMENT_STATUSES.flatMap((from) =>
      APPOINTMENT_STATUSES.filter((to) => to !== from && canMove(from, to)).map((to) => `${from}→${to}`),
    );
    expect(allowed.sort()).toEqual(expected.sort());
  });

  it('takes a visit from booked to completed only along legal changes, and says why not', async () => {
    const visit = await book(reception, dayOne, '14:00', { doctor_id: DR_OKAFOR, duration_minutes: 20, patient_id: demoPatient(31) });
    const confirmed = await reception.appointments.confirm({ id: visit.id });
    expect(confirmed.status).toBe('confirmed');
    expect(await refusal(reception.appointments.confirm({ id: visit.id }))).toEqual({
      code: 'BAD_REQUEST',
      message: 'A “Confirmed” appointment cannot be confirmed.',
      fieldErrors: undefined,
    });
    expect((await refusal(doctor.appointments.start({ id: visit.id }))).message).toBe('A “Confirmed” appointment cannot be started.');
    expect((await refusal(reception.appointments.markNoShow({ id: visit.id }))).message).toBe(
      `A no-show can be marked only once the appointment has started (14:00 on ${dayOne}).`,
    );
    expect((await refusal(reception.appointments.start({ id: visit.id }))).code).toBe('FORBIDDEN');

    // Check-in is for today's visits: bring this one to just after midnight today (no clash there).
    const earlyToday = clinicInstant(today, '00:01');
    await app.db.query(`UPDATE appointments SET starts_at = $2, ends_at = $2::timestamptz + interval '20 minutes' WHERE id = $1`, [
      visit.id,
      earlyToday,
    ]);
    const arrived = await reception.appointments.checkIn({ id: visit.id });
    expect(arrived.status).toBe('checked_in');
    expect(Math.abs(Date.now() - Date.parse(arrived.checked_in_at!))).toBeLessThan(60_000);
    const started = await doctor.appointments.start({ id: visit.id });
    expect(started.status).toBe('in_progress');
    expect((await refusal(reception.appointments.cancel({ id: visit.id, reason: 'Changed mind' }))).message).toBe(
      'A “With doctor” appointment cannot be cancelled.',
    );
    expect((await doctor.appointments.complete({ id: visit.id })).status).toBe('completed');
    expect((await refusal(reception.appointments.checkIn({ id: visit.id }))).message).toBe(
      'A “Completed” appointment cannot be checked in.',
    );
    const { rows } = await app.db.query(
      `SELECT confirmed_at IS NOT NULL AS confirmed, started_at IS NOT NULL AS started, completed_at IS NOT NULL AS completed
       FROM appointments WHERE id = $1`,
      [visit.id],
    );
    expect(rows[0]).toEqual({ confirmed: true, started: true, completed: true });

    const other = await book(reception, dayOne, '14:20', { doctor_id: DR_OKAFOR, duration_minutes: 20, patient_id: demoPatient(32) });
    await reception.appointments.cancel({ id: other.id, reason: 'Clashes with school trip' });
    expect(await refusal(reception.appointments.checkIn({ id: other.id }))).toEqual({
      code: 'BAD_REQUEST',
      message: 'A “Cancelled” appointment cannot be checked in.',
      fieldErrors: undefined,
    });
    expect((await refusal(reception.appointments.checkIn({ id: crypto.randomUUID() }))).code).toBe('NOT_FOUND');
  });

  it('marks a no-show once the start has passed and withdraws its reminder', async () => {
    const startsAt = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const id = await insertAppointment(demoPatient(33), DR_ASHBY, startsAt, 10, 'confirmed');
    await asReception((tx) => tx.query(`SELECT queue_appointment_reminder($1)`, [id]));
    expect((await reminders(id)).map((r) => r.deleted_at)).toEqual([null]);
    expect((await reception.appointments.markNoShow({ id })).status).toBe('no_show');
    expect((await reminders(id)).every((r) => r.deleted_at !== null)).toBe(true);
    expect((await refusal(reception.appointments.checkIn({ id }))).message).toBe('A “No-show” appointment cannot be checked in.');
  });

  it('checks a patient in to the waiting queue with waiting minutes, and on to the doctor', async () => {
    const now = new Date();
    now.setUTCSeconds(0, 0);
    const id = await insertAppointment(demoPatient(34), DR_ASHBY, now.toISOString(), 10);
    let queue = await doctor.appointments.queue({ doctor_id: DR_ASHBY });
    expect(queue.upcoming.map((e) => e.id)).toContain(id);
    expect(queue.waiting.map((e) => e.id)).not.toContain(id);

    const arrived = await reception.appointments.checkIn({ id });
    expect(arrived.checked_in_at).not.toBeNull();
    await app.db.query(`UPDATE appointments SET checked_in_at = now() - interval '7 minutes' WHERE id = $1`, [id]);
    queue = await doctor.appointments.queue({ doctor_id: DR_ASHBY });
    expect(queue.waiting.find((e) => e.id === id)).toMatchObject({ status: 'checked_in', waiting_minutes: 7, local_date: today });
    expect(queue.upcoming.map((e) => e.id)).not.toContain(id);
    expect(Math.abs(Date.now() - Date.parse(queue.now))).toBeLessThan(60_000);
    expect((await reception.appointments.queue({})).waiting.map((e) => e.id)).toContain(id);

    await doctor.appointments.start({ id });
    queue = await doctor.appointments.queue({ doctor_id: DR_ASHBY });
    expect(queue.with_doctor.find((e) => e.id === id)).toMatchObject({ status: 'in_progress', waiting_minutes: null });
    expect(queue.waiting.map((e) => e.id)).not.toContain(id);
    await doctor.appointments.complete({ id });
    queue = await doctor.appointments.queue({ doctor_id: DR_ASHBY });
    expect([...queue.waiting, ...queue.with_doctor, ...queue.upcoming].map((e) => e.id)).not.toContain(id);
  });

  it('queues walk-ins as arrived now, without a calendar clash check', () =>
    whileOpen(async () => {
      const first = await reception.appointments.walkIn({ patient_id: nothingToday[0]!, doctor_id: DR_ASHBY, reason: 'Cut finger' });
      const second = await reception.appointments.walkIn({ patient_id: nothingToday[1]!, doctor_id: DR_ASHBY });
      expect(first).toMatchObject({
        is_walk_in: true,
        status: 'checked_in',
        // As long as the clinic's consultations usually last (demo/06), whatever the doctor's own slot.
        duration_minutes: 15,
        local_date: today,
        reason: 'Cut finger',
      });
      expect(Math.abs(Date.parse(first.checked_in_at!) - Date.parse(first.starts_at))).toBeLessThan(1000);
      expect(second.starts_at >= first.starts_at).toBe(true);
      const patelWalkIn = await reception.appointments.walkIn({
        patient_id: nothingToday[2]!,
        doctor_id: DR_PATEL,
        appointment_type: 'emergency',
      });
      expect(patelWalkIn).toMatchObject({ duration_minutes: 15, appointment_type: 'emergency' });
      expect(second.appointment_type).toBe('consultation');

      const queue = await doctor.appointments.queue({ doctor_id: DR_ASHBY });
      const waiting = queue.waiting.map((e) => e.id);
      expect(waiting.indexOf(first.id)).toBeLessThan(waiting.indexOf(second.id));
      expect(queue.waiting.find((e) => e.id === first.id)?.waiting_minutes).toBe(0);
      const unknown = await refusal(reception.appointments.walkIn({ patient_id: crypto.randomUUID(), doctor_id: DR_ASHBY }));
      expect(unknown.code).toBe('NOT_FOUND');
    }));

  it('checks in only today’s appointments: a future one is refused and stays booked', async () => {
    const start = clinicInstant(dayOne, '09:00');
    const id = await insertAppointment(demoPatient(38), DR_ASHBY, start, 10);
    const before = await footprint();
    const refused = await refusal(reception.appointments.checkIn({ id }));
    const dayName = new Date(`${dayOne}T12:00:00Z`).toLocaleDateString('en-GB', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      timeZone: 'UTC',
    });
    expect(refused).toMatchObject({
      code: 'BAD_REQUEST',
      message: `Only today’s appointments can be checked in: this one is on ${dayName} at 09:00.`,
    });
    expect(await footprint()).toEqual(before);
    expect(await one(app.db, `SELECT status, checked_in_at FROM appointments WHERE id = $1`, [id])).toEqual({
      status: 'scheduled',
      checked_in_at: null,
    });
  });

  it('does not queue a patient twice: a second walk-in is refused beside the patient until the first visit ends', () =>
    whileOpen(async () => {
      const patient = nothingToday[3]!;
      const first = await reception.appointments.walkIn({ patient_id: patient, doctor_id: DR_ASHBY });
      const before = await footprint();
      const again = await refusal(reception.appointments.walkIn({ patient_id: patient, doctor_id: DR_PATEL }));
      const message = 'This patient is already waiting for Dr Quinn Ashby today.';
      expect(again).toMatchObject({ code: 'CONFLICT', message, fieldErrors: { patient_id: message } });
      expect(await footprint()).toEqual(before);

      await doctor.appointments.start({ id: first.id });
      expect((await refusal(reception.appointments.walkIn({ patient_id: patient, doctor_id: DR_ASHBY }))).message).toBe(
        'This patient is with Dr Quinn Ashby today.',
      );
      await doctor.appointments.complete({ id: first.id });
      // Back the same day with something new: a new visit is fine once the first has ended.
      expect(await reception.appointments.walkIn({ patient_id: patient, doctor_id: DR_ASHBY })).toMatchObject({ status: 'checked_in' });
    }));

  it('queues a patient once when two desks walk them in at the same moment', () =>
    whileOpen(async () => {
      const patient = nothingToday[4]!;
      const otherDesk = await signIn(DEMO_USERS.receptionist);
      const attempts = await Promise.allSettled([
        reception.appointments.walkIn({ patient_id: patient, doctor_id: DR_ASHBY }),
        otherDesk.appointments.walkIn({ patient_id: patient, doctor_id: DR_PATEL }),
      ]);
      expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1);
      const refused = attempts.find((attempt) => attempt.status === 'rejected');
      expect(await refusal(Promise.reject(refused?.reason))).toMatchObject({ code: 'CONFLICT' });
      const open = await one<{ n: number }>(
        app.db,
        `SELECT count(*)::int AS n FROM appointments WHERE patient_id = $1 AND status IN ('checked_in', 'in_progress')`,
        [patient],
      );
      expect(open.n).toBe(1);
    }));

  it('refuses a walk-in when the clinic is closed, beside the type of visit; an emergency is still taken', async () => {
    const patient = nothingToday[5]!;
    const dayName = weekdayName(today);
    await withTodaysHours([], async () => {
      const before = await footprint();
      const refused = await refusal(reception.appointments.walkIn({ patient_id: patient, doctor_id: DR_ASHBY }));
      const message = `The clinic is closed now. ${dayName} hours: closed all day. Out of hours, only an emergency can be walked in.`;
      expect(refused).toMatchObject({ code: 'BAD_REQUEST', message, fieldErrors: { appointment_type: message } });
      expect(await footprint()).toEqual(before);
      const emergency = await reception.appointments.walkIn({ patient_id: patient, doctor_id: DR_ASHBY, appointment_type: 'emergency' });
      expect(emergency).toMatchObject({ status: 'checked_in', appointment_type: 'emergency' });
      await reception.appointments.removeFromQueue({ id: emergency.id, reason: 'Sent to A&E' });
    });
    // Hours that end before now (or start after it) are closed too: the clinic's own clock decides.
    const now = clinicClockAt(new Date().toISOString()).time;
    const closedPeriod: [string, string] = now >= '12:00' ? ['00:00', '00:01'] : ['23:58', '23:59'];
    await withTodaysHours([closedPeriod], async () => {
      const refused = await refusal(reception.appointments.walkIn({ patient_id: patient, doctor_id: DR_ASHBY }));
      expect(refused.message).toBe(
        `The clinic is closed now. ${dayName} hours: ${closedPeriod.join('–')}. Out of hours, only an emergency can be walked in.`,
      );
    });
  });

  it('takes a waiting patient off the queue with a reason; only arrivals, only with the check-in permission, checked by the database', async () => {
    const visit = await whileOpen(() => reception.appointments.walkIn({ patient_id: nothingToday[6]!, doctor_id: DR_ASHBY }));
    const billing = await signIn(DEMO_USERS.billing);
    const before = await footprint();
    expect(await refusal(reception.appointments.removeFromQueue({ id: visit.id, reason: ' ' }))).toMatchObject({
      code: 'BAD_REQUEST',
      fieldErrors: { reason: 'Say why the patient leaves the queue, e.g. “Patient left”.' },
    });
    expect((await refusal(billing.appointments.removeFromQueue({ id: visit.id, reason: 'Patient left' }))).code).toBe('FORBIDDEN');
    // The same change typed as SQL by a user without the permission: the database refuses it.
    await expect(
      withRequest(app.db, { tenantId: DEMO_TENANT, userId: BILLING }, (tx) =>
        tx.query(`UPDATE appointments SET status = 'cancelled', cancellation_reason = 'x' WHERE id = $1`, [visit.id]),
      ),
    ).rejects.toMatchObject({ code: '42501' });
    expect(await footprint()).toEqual(before);

    const removed = await reception.appointments.removeFromQueue({ id: visit.id, reason: 'Patient left' });
    expect(removed).toMatchObject({ status: 'cancelled' });
    expect(await one(app.db, `SELECT cancellation_reason, cancelled_by FROM appointments WHERE id = $1`, [visit.id])).toEqual({
      cancellation_reason: 'Patient left',
      cancelled_by: RECEPTIONIST,
    });
    const queue = await reception.appointments.queue({});
    expect([...queue.waiting, ...queue.with_doctor, ...queue.upcoming].map((e) => e.id)).not.toContain(visit.id);
    expect((await refusal(reception.appointments.removeFromQueue({ id: visit.id, reason: 'Patient left' }))).message).toBe(
      'A “Cancelled” appointment cannot be cancelled.',
    );
    // A booking not arrived yet is cancelled from the calendar, not taken off the queue.
    const booked = await insertAppointment(demoPatient(48), DR_ASHBY, clinicInstant(dayOne, '11:40'), 10);
    expect((await refusal(reception.appointments.removeFromQueue({ id: booked, reason: 'Patient left' }))).message).toBe(
      'Only a patient who is waiting can be taken off the queue: this visit is “Booked”.',
    );
    // The nurse holds appointments.checkin too.
    const nurseVisit = await whileOpen(() => reception.appointments.walkIn({ patient_id: nothingToday[7]!, doctor_id: DR_ASHBY }));
    const nurse = await signIn(DEMO_USERS.nurse);
    expect(await nurse.appointments.removeFromQueue({ id: nurseVisit.id, reason: 'Came on the wrong day' })).toMatchObject({
      status: 'cancelled',
    });
  });

  it('lists a patient’s upcoming and past appointments; a cancelled future visit stays under upcoming, marked so', async () => {
    const dayThree = nextDay(addDays(dayTwo, 1), (d) => d >= 1 && d <= 5);
    const cancelled = await book(reception, dayThree, '16:00', { patient_id: JOHN_SMITH });
    await reception.appointments.cancel({ id: cancelled.id, reason: 'Away that week' });
    const { upcoming, past } = await reception.appointments.forPatient({ patient_id: JOHN_SMITH });
    expect(upcoming.find((a) => a.id === cancelled.id)).toMatchObject({ status: 'cancelled', local_date: dayThree });
    expect(past.map((a) => a.id)).not.toContain(cancelled.id);
    const dayOneVisit = upcoming.find((a) => a.local_date === dayOne && a.local_start === '16:00');
    expect(dayOneVisit).toMatchObject({ doctor_name: 'Dr Priya Patel', status: 'scheduled' });
    const stillToHappen = ['scheduled', 'confirmed', 'checked_in', 'in_progress', 'cancelled'];
    expect(upcoming.every((a) => stillToHappen.includes(a.status) && a.local_date >= today)).toBe(true);
    expect(upcoming.map((a) => a.starts_at)).toEqual(upcoming.map((a) => a.starts_at).sort());
    expect(past.length).toBeGreaterThan(0);
    expect(past.length).toBeLessThanOrEqual(20);
    expect(past.map((a) => a.starts_at)).toEqual(
      past
        .map((a) => a.starts_at)
        .sort()
        .reverse(),
    );
    expect(past.every((a) => a.local_date < today || !stillToHappen.includes(a.status))).toBe(true);
  });

  // 09:00 in London is 09:00Z in winter (GMT) and 08:00Z in summer (BST).
  it.each([
    { change: 'March', month: 2, fridayAt: 'T09:00:00.000Z', mondayAt: 'T08:00:00.000Z', weekHours: 167 },
    { change: 'October', month: 9, fridayAt: 'T08:00:00.000Z', mondayAt: 'T09:00:00.000Z', weekHours: 169 },
  ])(
    'books across the $change clock change at the right instant and shows it in clinic time',
    async ({ month, fridayAt, mondayAt, weekHours }) => {
      // The whole week around the change still ahead, so nothing in it has passed.
      const mondayAfter = mondayAfterClockChange(month, addDays(today, 7));
      const fridayBefore = addDays(mondayAfter, -3);
      const mondayVisit = await book(reception, mondayAfter, '09:00', { patient_id: demoPatient(40) });
      expect(mondayVisit.starts_at).toBe(`${mondayAfter}${mondayAt}`);
      const fridayVisit = await book(reception, fridayBefore, '09:00', { patient_id: demoPatient(41) });
      expect(fridayVisit.starts_at).toBe(`${fridayBefore}${fridayAt}`);

      const { rows } = await asReception((tx) =>
        tx.query<{ hours: number }>(`SELECT extract(epoch FROM until_at - from_at)::int / 3600 AS hours FROM clinic_days($1, $2, 7)`, [
          DEMO_CLINIC,
          fridayBefore,
        ]),
      );
      expect(rows).toEqual([{ hours: weekHours }]);

      // Just inside and just outside the week's first and last clinic midnights.
      const lastDay = addDays(fridayBefore, 6);
      const edges = {
        before: await insertAppointment(demoPatient(42), DR_ASHBY, clinicInstant(addDays(fridayBefore, -1), '23:45'), 10),
        first: await insertAppointment(demoPatient(42), DR_ASHBY, clinicInstant(fridayBefore, '00:15'), 10),
        last: await insertAppointment(demoPatient(42), DR_ASHBY, clinicInstant(lastDay, '23:45'), 10),
        after: await insertAppointment(demoPatient(42), DR_ASHBY, clinicInstant(addDays(lastDay, 1), '00:15'), 10),
      };
      const ashbysWeek = await reception.appointments.calendar({ from: fridayBefore, days: 7, doctor_id: DR_ASHBY });
      expect(ashbysWeek.appointments.map((a) => [a.id, a.local_date, a.local_start])).toEqual([
        [edges.first, fridayBefore, '00:15'],
        [edges.last, lastDay, '23:45'],
      ]);
      const patelsWeek = await reception.appointments.calendar({ from: fridayBefore, days: 7, doctor_id: DR_PATEL });
      expect(patelsWeek.appointments.map((a) => [a.local_date, a.local_start])).toEqual([
        [fridayBefore, '09:00'],
        [mondayAfter, '09:00'],
      ]);
    },
  );

  it('keeps another tenant away from this clinic’s calendar, queue, reminders and appointments', async () => {
    const other = await createTenantFixture(app.db, 'other-clinic');
    // The other clinic's administrator, holding every permission, signed in as themselves.
    await app.giveLogins(other.tenantId, [other.adminId], 'other-clinic-admin');
    const outsider = app.client(`outsider:${crypto.randomUUID()}`);
    await outsider.auth.signIn({ email: 'admin@other-clinic.test', password: 'other-clinic-admin', clinicCode: 'other-clinic' });

    const demoVisit = await book(reception, dayTwo, '16:30', { patient_id: demoPatient(44) });
    await app.db.query(`UPDATE notifications SET scheduled_for = now() WHERE related_entity_id = $1`, [demoVisit.id]);
    const demoReminder = (await reception.appointments.dueReminders()).find((r) => r.appointment_id === demoVisit.id);
    expect(demoReminder).toBeDefined();
    const { rows: demoRows } = await app.db.query<{ id: string }>(`SELECT id FROM appointments WHERE tenant_id = $1`, [DEMO_TENANT]);
    const demoIds = new Set(demoRows.map((r) => r.id));
    const demoTenantRows = async () =>
      (
        await app.db.query(
          `SELECT (SELECT jsonb_agg(to_jsonb(a) ORDER BY a.id) FROM appointments a WHERE a.tenant_id = $1) AS appointments,
                  (SELECT jsonb_agg(to_jsonb(n) ORDER BY n.id) FROM notifications n WHERE n.tenant_id = $1) AS notifications`,
          [DEMO_TENANT],
        )
      ).rows[0];
    const before = await demoTenantRows();

    expect((await outsider.appointments.doctors()).map((d) => [d.id, d.name])).toEqual([[other.doctorId, 'Dr Dana Fixture']]);
    const week = await outsider.appointments.calendar({ from: monday, days: 7 });
    expect(week.doctors.map((d) => d.id)).toEqual([other.doctorId]);
    expect(week.appointments.filter((a) => demoIds.has(a.id))).toEqual([]);
    expect((await refusal(outsider.appointments.calendar({ from: monday, days: 7, doctor_id: DR_PATEL }))).code).toBe('NOT_FOUND');
    const queue = await outsider.appointments.queue({});
    expect([...queue.waiting, ...queue.with_doctor, ...queue.upcoming]).toEqual([]);
    expect(await outsider.appointments.dueReminders()).toEqual([]);
    expect(await outsider.appointments.forPatient({ patient_id: JOHN_SMITH })).toEqual({ upcoming: [], past: [] });

    const slot = { date: dayOne, time: '10:00', duration_minutes: 15 };
    const theirs = { patient_id: other.rows.patients, doctor_id: other.doctorId, appointment_type: 'consultation' as const };
    // Called one at a time: each refusal is awaited as it happens.
    const attempts: [() => Promise<unknown>, string][] = [
      [() => outsider.appointments.book({ ...slot, ...theirs, patient_id: JOHN_SMITH }), 'NOT_FOUND'],
      [() => outsider.appointments.book({ ...slot, ...theirs, doctor_id: DR_PATEL }), 'BAD_REQUEST'],
      [() => outsider.appointments.walkIn({ ...theirs, patient_id: JOHN_SMITH }), 'NOT_FOUND'],
      [() => outsider.appointments.walkIn({ ...theirs, doctor_id: DR_PATEL }), 'BAD_REQUEST'],
      [() => outsider.appointments.move({ id: demoVisit.id, doctor_id: other.doctorId, ...slot }), 'NOT_FOUND'],
      [() => outsider.appointments.cancel({ id: demoVisit.id, reason: 'Not ours to cancel' }), 'NOT_FOUND'],
      [() => outsider.appointments.confirm({ id: demoVisit.id }), 'NOT_FOUND'],
      [() => outsider.appointments.checkIn({ id: demoVisit.id }), 'NOT_FOUND'],
      [() => outsider.appointments.start({ id: demoVisit.id }), 'NOT_FOUND'],
      [() => outsider.appointments.complete({ id: demoVisit.id }), 'NOT_FOUND'],
      [() => outsider.appointments.markNoShow({ id: demoVisit.id }), 'NOT_FOUND'],
      [() => outsider.appointments.removeFromQueue({ id: demoVisit.id, reason: 'Patient left' }), 'NOT_FOUND'],
      [() => outsider.appointments.markReminderSent({ id: demoReminder!.id }), 'NOT_FOUND'],
    ];
    for (const [attempt, code] of attempts) expect((await refusal(attempt())).code).toBe(code);
    // Typed as SQL by the other clinic's administrator: our appointments are not there to change.
    const typed = await withRequest(app.db, { tenantId: other.tenantId, userId: other.adminId }, (tx) =>
      tx.query(`UPDATE appointments SET status = 'cancelled', cancellation_reason = 'x' WHERE id = $1`, [demoVisit.id]),
    );
    expect(typed.rowCount).toBe(0);
    expect(await demoTenantRows()).toEqual(before);

    // Their own calendar works as ours does, and stays out of ours.
    const own = await outsider.appointments.book({ ...slot, ...theirs });
    expect(own).toMatchObject({ doctor_name: 'Dr Dana Fixture', patient_name: 'Pat Fixture-other-clinic', local_start: '10:00' });
    expect((await reception.appointments.calendar({ from: dayOne, days: 1 })).appointments.map((a) => a.id)).not.toContain(own.id);
  });
});

/**
 * Makes each session's next request transaction start only once all of them are open, each
 * on its own connection: the bookings then really run side by side. Records the connections
 * and how many transactions were open at once.
 */
function startingTogether(sessions: Session[], seen: { connections: Set<number>; mostOpen: number }): void {
  let open = 0;
  let release!: () => void;
  const allOpen = new Promise<void>((resolve) => (release = resolve));
  for (const session of sessions) {
    const inner = session.access;
    session.access = {
      ...inner,
      request: (work) =>
        inner.request(async (tx) => {
          open += 1;
          seen.mostOpen = Math.max(seen.mostOpen, open);
          const { pid } = await one<{ pid: number }>(tx, 'SELECT pg_backend_pid() AS pid');
          seen.connections.add(pid);
          if (seen.connections.size === sessions.length) release();
          await allOpen;
          try {
            return await work(tx);
          } finally {
            open -= 1;
          }
        }),
    };
  }
}
