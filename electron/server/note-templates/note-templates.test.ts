import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anotherClinic, DEMO_USERS, demoBackend, refusal, type Outcome, type TestBackend } from '../../../test/backend';
import { engines } from '../../../test/engines';
import type { TenantFixture } from '../../../test/fixtures';
import { one } from '../db/rows';

type Caller = Awaited<ReturnType<TestBackend['signedIn']>>;
const DR_PATEL_ID = '00000000-0000-4000-8000-000000000102';

describe.each(engines)('note templates on %s', (engine) => {
  let app: TestBackend;
  let doctor: Caller;
  let nurse: Caller;
  let reception: Caller;
  let other: TenantFixture;
  let otherDoctor: Caller;

  const count = async (sql: string, params: string[] = []) =>
    (await one<{ n: number }>(app.db, `SELECT count(*)::int AS n FROM ${sql}`, params)).n;
  const refused = (outcome: Outcome | undefined) => (outcome && 'refused' in outcome ? outcome.refused : outcome);

  beforeAll(async () => {
    app = await demoBackend(engine);
    doctor = await app.signedIn(DEMO_USERS.doctor);
    nurse = await app.signedIn(DEMO_USERS.nurse);
    reception = await app.signedIn(DEMO_USERS.receptionist);
    ({ fixture: other, doctor: otherDoctor } = await anotherClinic(app, 'northside'));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('the demo clinic has templates, listed by name to whoever reads charts', async () => {
    const names = (await nurse.noteTemplates.list()).map((t) => t.name);
    expect(names).toEqual([
      'Child with cough (paediatrics)',
      'Hypertension review',
      'Type 2 diabetes review',
      'Urinary tract infection (adult)',
    ]);
    expect(await refusal(reception.noteTemplates.list())).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_PERMITTED' });
  });

  it('are written, rewritten and removed by clinical staff, stamped with the author and audited', async () => {
    const written = await doctor.noteTemplates.save({
      name: '  Asthma review ',
      assessment: 'Asthma, well controlled.',
      plan: 'Inhaler technique checked.',
    });
    expect(written).toMatchObject({ name: 'Asthma review', chief_complaint: '', assessment: 'Asthma, well controlled.' });
    expect(await count(`note_templates WHERE id = $1 AND created_by = $2`, [written.id, DR_PATEL_ID])).toBe(1);

    const rewritten = await nurse.noteTemplates.save({ ...written, plan: 'Inhaler technique checked; action plan given.' });
    expect(rewritten.plan).toBe('Inhaler technique checked; action plan given.');
    await doctor.noteTemplates.remove({ id: written.id });
    expect((await doctor.noteTemplates.list()).map((t) => t.id)).not.toContain(written.id);
    expect(await refusal(doctor.noteTemplates.remove({ id: written.id }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(doctor.noteTemplates.save({ ...written }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await count(`audit_logs WHERE table_name = 'note_templates' AND record_id = $1`, [written.id])).toBe(3);
    // Its name is free again once it is removed.
    const again = await doctor.noteTemplates.save({ name: 'Asthma review' });
    await doctor.noteTemplates.remove({ id: again.id });
  });

  it('refuses a second template of one name, and bad input beside its box, writing nothing', async () => {
    const before = await count('note_templates');
    expect(await refusal(doctor.noteTemplates.save({ name: 'hypertension REVIEW' }))).toMatchObject({
      code: 'CONFLICT',
      fieldErrors: { name: 'The clinic already has a template of this name.' },
    });
    expect(await refusal(doctor.noteTemplates.save({ name: ' ' }))).toMatchObject({ fieldErrors: { name: 'Name the template.' } });
    expect(await refusal(doctor.noteTemplates.save({ name: 'Long', plan: 'x'.repeat(4001) }))).toMatchObject({
      fieldErrors: { plan: 'The plan is too long (4000 characters at most).' },
    });
    expect(await count('note_templates')).toBe(before);
  });

  it('a receptionist can neither read nor write them, in the router and in the database', async () => {
    const [template] = await doctor.noteTemplates.list();
    expect(await refusal(reception.noteTemplates.save({ name: 'Front desk wording' }))).toMatchObject({ reason: 'NOT_PERMITTED' });
    const outcomes = await app.typedBy(DEMO_USERS.receptionist, 'demo', [
      `SELECT count(*)::int AS n FROM note_templates`,
      `UPDATE note_templates SET plan = 'changed' WHERE id = '${template!.id}'`,
    ]);
    expect(outcomes[0]).toEqual([{ n: 0 }]);
    // Unseen, so not changed (or refused outright, as the statement before may end the transaction).
    expect(await count(`note_templates WHERE plan = 'changed'`)).toBe(0);
    const inserted = await app.typedBy(DEMO_USERS.receptionist, 'demo', [
      `INSERT INTO note_templates (tenant_id, name) VALUES (current_tenant_id(), 'Typed by hand')`,
    ]);
    expect(refused(inserted[0])).toBe('42501');
    expect(await count(`note_templates WHERE name = 'Typed by hand'`)).toBe(0);
  });

  it('another clinic neither sees nor changes this clinic’s templates, nor this clinic theirs', async () => {
    const [ours] = await doctor.noteTemplates.list();
    expect((await otherDoctor.noteTemplates.list()).map((t) => t.name)).toEqual(['Iron deficiency review']);
    expect(await refusal(otherDoctor.noteTemplates.save({ ...ours!, plan: 'Theirs now' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(otherDoctor.noteTemplates.remove({ id: ours!.id }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(doctor.noteTemplates.remove({ id: other.rows.note_templates }))).toMatchObject({ code: 'NOT_FOUND' });

    const outcomes = await app.typedBy('doctor@northside.test', 'northside', [
      `SELECT id FROM note_templates WHERE id = '${ours!.id}'`,
      `UPDATE note_templates SET is_active = false WHERE id = '${ours!.id}' RETURNING id`,
    ]);
    expect(outcomes).toEqual([[], []]);
    expect(await count(`note_templates WHERE id = $1 AND is_active`, [ours!.id])).toBe(1);
  });
});
