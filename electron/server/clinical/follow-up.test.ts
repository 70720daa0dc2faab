import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsultationNoteInput } from '../../../shared/clinical';
import {
  DEMO_TENANT,
  DEMO_USERS,
  DR_PATEL_ID,
  anotherClinic,
  demoArrival,
  demoBackend,
  refusal,
  sqlState,
  staffSql,
  type TestBackend,
} from '../../../test/backend';
import { engines } from '../../../test/engines';
import { one } from '../db/rows';
import type { SqlParam } from '../db/types';

type Caller = Awaited<ReturnType<TestBackend['signedIn']>>;

const NOTE: ConsultationNoteInput = {
  chief_complaint: 'Raised blood pressure at the pharmacy',
  assessment: 'Hypertension, to review',
  plan: 'Home readings for two weeks, then review.',
  diagnoses: [{ code: 'I10', description: 'Essential hypertension', type: 'primary' }],
  follow_up_days: 14,
};

describe.each(engines)('a follow-up booked as the visit ends, on %s', (engine) => {
  let app: TestBackend;
  let patel: Caller;
  let okafor: Caller;
  let nurse: Caller;
  let otherDoctor: Caller;
  let otherClinic: { tenantId: string; doctorId: string };
  let sql: ReturnType<typeof staffSql>;

  const count = async (query: string, params: SqlParam[] = []) =>
    (await one<{ n: number }>(app.db, `SELECT count(*)::int AS n FROM ${query}`, params)).n;
  const followUpsOf = (patientNumber: number) =>
    count(`appointments WHERE patient_id = $1 AND appointment_type = 'follow_up'`, [
      `00000000-0000-4000-8000-000000000${200 + patientNumber}`,
    ]);
  const statusOf = async (appointmentId: string) =>
    (await one<{ status: string }>(app.db, `SELECT status FROM appointments WHERE id = $1`, [appointmentId])).status;

  /** A visit of Dr Patel's in progress with its note signed: ready to finish. */
  async function readyToFinish(patientNumber: number): Promise<string> {
    const appointmentId = await demoArrival(app.db, patientNumber);
    const draft = await patel.clinical.start({ appointmentId });
    await patel.clinical.saveDraft({ recordId: draft.id, note: NOTE });
    await patel.clinical.sign({ recordId: draft.id });
    return appointmentId;
  }

  /** The free times on the first open weekday (Monday to Friday) at least `afterDays` ahead. */
  async function weekdaySlots(appointmentId: string, afterDays = 7) {
    for (let days = afterDays; days < afterDays + 7; days++) {
      const free = await patel.clinical.followUpSlots({ appointmentId, afterDays: days });
      if (free.date && ![0, 6].includes(new Date(`${free.date}T12:00:00Z`).getUTCDay())) return { ...free, date: free.date, days };
    }
    throw new Error('no open weekday in a week');
  }

  /** An instant at a wall-clock time of the demo clinic (Europe/London) on a date. */
  const londonTime = async (date: string, time: string) =>
    (await one<{ at: string }>(app.db, `SELECT clinic_instant($1::date, $2::time, 'Europe/London') AS at`, [date, time])).at;

  beforeAll(async () => {
    app = await demoBackend(engine);
    patel = await app.signedIn(DEMO_USERS.doctor);
    okafor = await app.signedIn(DEMO_USERS.secondDoctor);
    nurse = await app.signedIn(DEMO_USERS.nurse);
    const other = await anotherClinic(app, 'northside');
    otherDoctor = other.doctor;
    otherClinic = other.fixture;
    sql = staffSql(app);
  });
  afterAll(async () => {
    await sql?.close();
    await app?.close();
  });

  it('offers the doctor’s free times and books one as the visit ends, with its date on the visit', async () => {
    const appointmentId = await readyToFinish(21);
    const free = await weekdaySlots(appointmentId, 14);
    expect(free.minutes).toBe(15);
    expect(free.slots.length).toBeGreaterThan(10);
    // Within hours: none in the doctor's lunch (12:30–13:30) nor before opening.
    expect(free.slots.map((s) => s.local_time)).not.toContain('12:45');
    expect(free.slots[0]!.local_time >= '08:00').toBe(true);

    const chosen = free.slots[3]!;
    const finished = await patel.clinical.finish({ appointmentId, followUp: { startsAt: chosen.starts_at } });
    expect(finished.follow_up).toMatchObject({
      doctor_id: DR_PATEL_ID,
      appointment_type: 'follow_up',
      status: 'scheduled',
      local_date: free.date,
      local_start: chosen.local_time,
    });
    expect(finished.follow_up_date).toBe(free.date);
    expect(await statusOf(appointmentId)).toBe('completed');
    // Booked with a reminder like any booking, and gone from the free times.
    expect(await count(`notifications WHERE related_entity_id = $1 AND type = 'reminder'`, [finished.follow_up!.id])).toBe(1);
    const again = await patel.clinical.followUpSlots({ appointmentId, afterDays: free.days });
    expect(again.date).toBe(free.date);
    expect(again.slots.map((s) => s.starts_at)).not.toContain(chosen.starts_at);
  });

  it('refuses a time out of hours or taken beside the times, and then writes nothing', async () => {
    const appointmentId = await readyToFinish(22);
    const followUpsBefore = await followUpsOf(22);
    const { date } = await weekdaySlots(appointmentId);
    const attempts: [string, string][] = [
      ['03:00', 'The clinic is closed then.'],
      ['12:45', 'Dr Priya Patel does not work then.'],
    ];
    for (const [time, message] of attempts) {
      const refused = await refusal(patel.clinical.finish({ appointmentId, followUp: { startsAt: await londonTime(date, time) } }));
      expect(refused).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { followUp: message } });
    }
    const past = await refusal(
      patel.clinical.finish({ appointmentId, followUp: { startsAt: new Date(Date.now() - 3_600_000).toISOString() } }),
    );
    expect(past.fieldErrors).toEqual({ followUp: 'Choose a time from now to two years ahead.' });

    // A time another visit's follow-up holds.
    const first = await readyToFinish(23);
    const { slots } = await weekdaySlots(first);
    await patel.clinical.finish({ appointmentId: first, followUp: { startsAt: slots[0]!.starts_at } });
    const taken = await refusal(patel.clinical.finish({ appointmentId, followUp: { startsAt: slots[0]!.starts_at } }));
    expect(taken).toMatchObject({ code: 'CONFLICT', fieldErrors: { followUp: 'This time has just been taken. Choose another.' } });
    // All or nothing: the visit is still in progress and no follow-up was booked.
    expect(await statusOf(appointmentId)).toBe('in_progress');
    expect(await followUpsOf(22)).toBe(followUpsBefore);
  });

  it('lets only the visit’s doctor or the front desk book it: not another doctor, not a nurse, not by SQL', async () => {
    const appointmentId = await readyToFinish(24);
    const followUpsBefore = await followUpsOf(24);
    const { slots } = await weekdaySlots(appointmentId);
    const startsAt = slots[1]!.starts_at;
    for (const caller of [okafor, nurse]) {
      const refused = await refusal(caller.clinical.finish({ appointmentId, followUp: { startsAt } }));
      expect(refused).toMatchObject({
        code: 'FORBIDDEN',
        fieldErrors: { followUp: 'Only the doctor who saw the patient, or the front desk, can book this follow-up.' },
      });
    }
    expect(await statusOf(appointmentId)).toBe('in_progress');
    // The nurse's own database access, typing the function: refused by the database.
    const nurseId = (await one<{ id: string }>(app.db, `SELECT id FROM users WHERE email = $1`, [DEMO_USERS.nurse])).id;
    const asNurse = { tenantId: DEMO_TENANT, userId: nurseId, clinicCode: 'demo', email: DEMO_USERS.nurse };
    expect(await sqlState(sql.run(asNurse, `SELECT book_follow_up($1, $2, 15, 'x')`, [appointmentId, startsAt]))).toBe('42501');
    expect(await followUpsOf(24)).toBe(followUpsBefore);
  });

  it('shows another clinic neither the visit nor its free times, and lets it book nothing', async () => {
    const appointmentId = await readyToFinish(25);
    const followUpsBefore = await followUpsOf(25);
    const { slots } = await weekdaySlots(appointmentId);
    expect(await refusal(otherDoctor.clinical.followUpSlots({ appointmentId, afterDays: 7 }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(otherDoctor.clinical.finish({ appointmentId, followUp: { startsAt: slots[0]!.starts_at } }))).toMatchObject({
      code: 'NOT_FOUND',
    });
    const asOther = {
      tenantId: otherClinic.tenantId,
      userId: otherClinic.doctorId,
      clinicCode: 'northside',
      email: 'doctor@northside.test',
    };
    const typed = await sql.run(asOther, `SELECT count(*)::int AS n FROM follow_up_slots($1, current_date + 7, 14, 15)`, [appointmentId]);
    expect(typed.rows).toEqual([{ n: 0 }]);
    expect(await sqlState(sql.run(asOther, `SELECT book_follow_up($1, $2, 15, 'x')`, [appointmentId, slots[0]!.starts_at]))).toBe('P0002');
    expect(await followUpsOf(25)).toBe(followUpsBefore);
  });

  it('gives a slot asked for at the same moment from two desks to one of them only', async () => {
    const [mine, theirs] = [await readyToFinish(26), await readyToFinish(27)];
    const { slots } = await weekdaySlots(mine, 21);
    const startsAt = slots[2]!.starts_at;
    const receptionId = (await one<{ id: string }>(app.db, `SELECT id FROM users WHERE email = $1`, [DEMO_USERS.receptionist])).id;
    const doctor = { tenantId: DEMO_TENANT, userId: DR_PATEL_ID, clinicCode: 'demo', email: DEMO_USERS.doctor };
    const desk = { tenantId: DEMO_TENANT, userId: receptionId, clinicCode: 'demo', email: DEMO_USERS.receptionist };
    const outcomes = await Promise.all([
      sqlState(sql.run(doctor, `SELECT book_follow_up($1, $2, 15, 'Review')`, [mine, startsAt])),
      sqlState(sql.run(desk, `SELECT book_follow_up($1, $2, 15, 'Review')`, [theirs, startsAt])),
    ]);
    expect(outcomes.sort()).toEqual(['23P01', 'accepted']);
    expect(await count(`appointments WHERE starts_at = $1 AND doctor_id = $2 AND status = 'scheduled'`, [startsAt, DR_PATEL_ID])).toBe(1);
  });
});
