import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvoiceLineInput } from '../../../shared/billing';
import { DEMO_PASSWORD, DEMO_USERS, demoBackend, refusal, type TestBackend } from '../../../test/backend';
import { engines } from '../../../test/engines';
import { createTenantFixture, type TenantFixture } from '../../../test/fixtures';
import { staffLoginName } from '../auth/scram';
import { serverAddress } from '../backend';
import { openPostgres } from '../db/postgres';
import { pdfText } from '../../../test/pdf';
import { withRequest } from '../db/request';
import { one } from '../db/rows';
import type { Db, QueryResult, SqlParam } from '../db/types';

/** Demo patients have fixed ids: P-000001 is …201. */
const demoPatient = (n: number) => `00000000-0000-4000-8000-000000000${200 + n}`;
const DEMO_TENANT = '00000000-0000-4000-8000-000000000001';
const BILLING_ID = '00000000-0000-4000-8000-000000000106';
const RECEPTIONIST_ID = '00000000-0000-4000-8000-000000000105';
const NURSE_ID = '00000000-0000-4000-8000-000000000104';

type Caller = Awaited<ReturnType<TestBackend['signedIn']>>;

const consultation: InvoiceLineInput = { code: 'CONS-GP', description: 'GP consultation', quantity: '1', unitPrice: '60.00' };

describe.each(engines)('billing on %s', (engine) => {
  let app: TestBackend;
  let billing: Caller;
  let secondDesk: Caller;
  let reception: Caller;
  let nurse: Caller;
  let other: TenantFixture;
  const logins: Db[] = [];

  const count = async (sql: string, params: SqlParam[] = []) =>
    (await one<{ n: number }>(app.db, `SELECT count(*)::int AS n FROM ${sql}`, params)).n;

  /**
   * Raw SQL as a staff member's own database access, as a lifted credential would give it: on
   * PostgreSQL their own login, on PGlite the app role with their identity. One transaction.
   */
  async function asStaff(
    who: { tenantId: string; userId: string; clinicCode: string; email: string },
    sql: string,
    params: SqlParam[] = [],
  ): Promise<QueryResult<Record<string, unknown>>> {
    if (engine === 'pglite') return withRequest(app.db, who, (tx) => tx.query(sql, params));
    const url = new URL(serverAddress((app.db as Db & { url?: string }).url!));
    url.username = staffLoginName(url.pathname.slice(1), who.clinicCode, who.email);
    url.password = DEMO_PASSWORD;
    const login = await openPostgres({ connectionString: url.href, max: 1 });
    logins.push(login);
    return login.transaction((tx) => tx.query(sql, params));
  }
  const demoStaff = (userId: string, email: string) => ({ tenantId: DEMO_TENANT, userId, clinicCode: 'demo', email });
  const asBilling = (sql: string, params: SqlParam[] = []) => asStaff(demoStaff(BILLING_ID, DEMO_USERS.billing), sql, params);
  const asReceptionist = (sql: string, params: SqlParam[] = []) =>
    asStaff(demoStaff(RECEPTIONIST_ID, DEMO_USERS.receptionist), sql, params);
  const asNurse = (sql: string, params: SqlParam[] = []) => asStaff(demoStaff(NURSE_ID, DEMO_USERS.nurse), sql, params);
  const asOtherClinic = (sql: string, params: SqlParam[] = []) =>
    asStaff({ tenantId: other.tenantId, userId: other.adminId, clinicCode: 'northside', email: 'admin@northside.test' }, sql, params);
  const sqlState = (work: Promise<unknown>) =>
    work.then(
      () => 'accepted',
      (error: { code?: string }) => error.code ?? 'error',
    );

  /** An issued invoice of `total` (one untaxed line) for a demo patient. */
  async function issued(total: string, patient = demoPatient(6)) {
    const draft = await billing.billing.createDraft({
      patientId: patient,
      lines: [{ description: 'Minor procedure', quantity: '1', unitPrice: total }],
    });
    return billing.billing.issue({ id: draft.id });
  }

  beforeAll(async () => {
    app = await demoBackend(engine);
    billing = await app.signedIn(DEMO_USERS.billing);
    secondDesk = await app.signedIn(DEMO_USERS.billing);
    reception = await app.signedIn(DEMO_USERS.receptionist);
    nurse = await app.signedIn(DEMO_USERS.nurse);
    other = await createTenantFixture(app.db, 'northside');
    await app.giveLogins(other.tenantId, [other.adminId], DEMO_PASSWORD);
  });
  afterAll(async () => {
    await Promise.all(logins.map((login) => login.close()));
    await app?.close();
  });

  describe('totals', () => {
    it('are the sum of the lines in numeric, tax rounded per line', async () => {
      const draft = await billing.billing.createDraft({
        patientId: demoPatient(2),
        lines: [
          consultation,
          // 3 × 0.35 = 1.05; tax 17.5% = 0.18375, rounded on the line to 0.18
          { description: 'Dressing pack', quantity: '3', unitPrice: '0.35', taxRate: '17.5' },
          // 10.05 less 0.05 discount = 10.00; tax 20% = 2.00
          { code: 'REPORT-INS', description: 'Medical report', quantity: '1', unitPrice: '10.05', discount: '0.05', taxRate: '20' },
          // 0.1 + 0.2: exact in numeric, 0.30000000000000004 in floating point
          { description: 'Swab', quantity: '1', unitPrice: '0.1' },
          { description: 'Swab', quantity: '1', unitPrice: '0.2' },
        ],
      });
      expect(draft).toMatchObject({
        status: 'draft',
        invoice_number: null,
        subtotal: '71.40',
        discount_amount: '0.05',
        tax_amount: '2.18',
        total_amount: '73.53',
        balance_due: '73.53',
        currency: 'GBP',
      });
      expect(draft.line_items.map((line) => [line.amount, line.tax])).toEqual([
        ['60.00', '0.00'],
        ['1.05', '0.18'],
        ['10.00', '2.00'],
        ['0.10', '0.00'],
        ['0.20', '0.00'],
      ]);
      const sums = await one<{ equal: boolean }>(
        app.db,
        `SELECT sum((l ->> 'amount')::numeric + (l ->> 'tax')::numeric) = i.total_amount AS equal
         FROM invoices i CROSS JOIN jsonb_array_elements(i.line_items) l WHERE i.id = $1 GROUP BY i.total_amount`,
        [draft.id],
      );
      expect(sums.equal).toBe(true);
    });

    it('the demo’s invoices with a discount in their note carry it on their lines', async () => {
      const discounted = `invoices WHERE notes ILIKE '%discount%'`;
      expect(await count(discounted)).toBeGreaterThan(0);
      expect(
        await count(
          `${discounted} AND (discount_amount = 0
             OR discount_amount <> (SELECT sum((line ->> 'discount')::numeric) FROM jsonb_array_elements(line_items) line))`,
        ),
      ).toBe(0);
    });

    it('refuse a bad line next to its field, and nothing is written', async () => {
      const before = await count('invoices');
      const refused = await refusal(
        billing.billing.createDraft({ patientId: demoPatient(2), lines: [{ description: 'X', quantity: '1', unitPrice: '1.234' }] }),
      );
      expect(refused).toMatchObject({ code: 'BAD_REQUEST', fieldErrors: { 'lines.0.unitPrice': expect.stringMatching(/as a number/) } });
      // A discount larger than the line is refused by the database too, whoever writes it.
      expect(
        await sqlState(
          asBilling(
            `INSERT INTO invoices (tenant_id, patient_id, line_items)
             VALUES (current_tenant_id(), $1, '[{"description": "X", "quantity": "1", "unit_price": "5", "discount": "6"}]')`,
            [demoPatient(2)],
          ),
        ),
      ).toBe('23514');
      expect(await count('invoices')).toBe(before);
    });
  });

  describe('drafts and issuing', () => {
    it('a draft is edited; an issued invoice is never edited, by the router or by SQL', async () => {
      const draft = await billing.billing.createDraft({ patientId: demoPatient(3), lines: [consultation] });
      const edited = await billing.billing.updateDraft({
        id: draft.id,
        lines: [consultation, { description: 'Blood test', quantity: '1', unitPrice: '25' }],
        insurerName: 'Bupa',
        insurerPercent: '80',
      });
      expect(edited).toMatchObject({ total_amount: '85.00', insurer_amount: '68.00' });
      const invoice = await billing.billing.issue({ id: draft.id });
      expect(invoice.invoice_number).toMatch(/^INV-\d{4}-\d{6}$/);
      expect(invoice.status).toBe('issued');
      expect(await refusal(billing.billing.updateDraft({ id: draft.id, lines: [consultation] }))).toMatchObject({ code: 'CONFLICT' });
      for (const sql of [
        `UPDATE invoices SET line_items = '[]', notes = 'changed' WHERE id = $1`,
        `UPDATE invoices SET notes = 'changed' WHERE id = $1`,
        `UPDATE invoices SET status = 'paid' WHERE id = $1`,
        `UPDATE invoices SET invoice_number = 'INV-0000-000001' WHERE id = $1`,
      ]) {
        expect(await sqlState(asBilling(sql, [draft.id])), sql).toBe('42501');
      }
      expect(await sqlState(asBilling(`SELECT soft_delete('invoices', $1, 'tidy up')`, [draft.id]))).toBe('42501');
      expect((await billing.billing.invoice({ id: draft.id })).total_amount).toBe('85.00');
    });

    it('numbers without gaps under concurrent issuing and a rolled-back issue', async () => {
      const drafts = await Promise.all(
        Array.from({ length: 6 }, (_, n) =>
          billing.billing.createDraft({
            patientId: demoPatient(10 + n),
            lines: [{ description: 'Visit', quantity: '1', unitPrice: '30' }],
          }),
        ),
      );
      // A desk issues a draft and its transaction rolls back: its number is given back.
      const rolledBack = await sqlState(
        engine === 'pglite'
          ? withRequest(app.db, { tenantId: DEMO_TENANT, userId: BILLING_ID }, async (tx) => {
              await tx.query(`UPDATE invoices SET status = 'issued' WHERE id = $1`, [drafts[0]!.id]);
              throw Object.assign(new Error('the desk lost its connection'), { code: 'rolled back' });
            })
          : asBilling(`UPDATE invoices SET status = 'issued' WHERE id = $1 RETURNING 1 / 0`, [drafts[0]!.id]),
      );
      expect(rolledBack).not.toBe('accepted');
      const desks = [billing, secondDesk, await app.signedIn(DEMO_USERS.billing)];
      const numbers = (await Promise.all(drafts.map((draft, n) => desks[n % 3]!.billing.issue({ id: draft.id })))).map(
        (invoice) => invoice.invoice_number!,
      );
      const sequence = numbers.map((number) => Number(number.slice(-6))).sort((a, b) => a - b);
      expect(sequence).toEqual(Array.from({ length: 6 }, (_, n) => sequence[0]! + n));
      // And no number was skipped before them either: the previous one is taken.
      const previous = `INV-${numbers[0]!.slice(4, 8)}-${String(sequence[0]! - 1).padStart(6, '0')}`;
      expect(await count(`invoices WHERE invoice_number = $1`, [previous])).toBe(1);
    });
  });

  describe('payments', () => {
    it('take part, then the rest; an overpayment is refused next to the amount, and nothing is written', async () => {
      const invoice = await issued('80.00');
      const part = await reception.billing.takePayment({ invoiceId: invoice.id, amount: '30', method: 'cash' });
      expect(part.invoice).toMatchObject({ status: 'partially_paid', amount_paid: '30.00', balance_due: '50.00' });
      const before = await count('payments');
      expect(await refusal(reception.billing.takePayment({ invoiceId: invoice.id, amount: '50.01', method: 'card' }))).toEqual({
        code: 'CONFLICT',
        message: `Overpayment refused: £50.00 is still owed by the patient on ${invoice.invoice_number}.`,
        fieldErrors: { amount: `Overpayment refused: £50.00 is still owed by the patient on ${invoice.invoice_number}.` },
        reason: undefined,
      });
      expect(await count('payments')).toBe(before);
      const rest = await reception.billing.takePayment({ invoiceId: invoice.id, amount: '50', method: 'card' });
      expect(rest.invoice).toMatchObject({ status: 'paid', balance_due: '0.00' });
      expect(rest.invoice.payments.map((p) => [p.amount, p.payment_method, p.received_by_name])).toEqual([
        ['30.00', 'cash', expect.any(String)],
        ['50.00', 'card', expect.any(String)],
      ]);
    });

    it('print a receipt: clinic, patient and number, items, paid, balance, method, who took it', async () => {
      const draft = await billing.billing.createDraft({
        patientId: demoPatient(3),
        lines: [consultation, { code: 'TEST-FBC', description: 'Full blood count', quantity: '1', unitPrice: '15.00' }],
      });
      const invoice = await billing.billing.issue({ id: draft.id });
      const { paymentId } = await reception.billing.takePayment({
        invoiceId: invoice.id,
        amount: '50',
        method: 'card',
        reference: 'AUTH-77',
      });
      const receipt = await reception.billing.receipt({ paymentId });
      expect(receipt.fileName).toMatch(/^receipt-PAY-\d{4}-\d{6}\.pdf$/);
      const text = pdfText(receipt.base64).replace(/\s+/g, ' ');
      for (const shown of [
        'Riverside Family Clinic',
        invoice.patient_name,
        invoice.patient_number,
        invoice.invoice_number!,
        'GP consultation',
        'Full blood count',
        'Total £75.00',
        'Paid to date £50.00',
        'Balance still owed £25.00',
        'This payment £50.00',
        'Method Card',
        'Reference AUTH-77',
        'Taken by',
      ]) {
        expect(text).toContain(shown);
      }
      expect(await refusal(nurse.billing.receipt({ paymentId }))).toMatchObject({ reason: 'NOT_PERMITTED' });
    });

    it('two desks paying the same invoice at the same moment cannot overpay it', async () => {
      const invoice = await issued('100.00');
      const attempts = await Promise.allSettled([
        billing.billing.takePayment({ invoiceId: invoice.id, amount: '60', method: 'card' }),
        secondDesk.billing.takePayment({ invoiceId: invoice.id, amount: '60', method: 'cash' }),
      ]);
      expect(attempts.map((attempt) => attempt.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refused = attempts.find((attempt) => attempt.status === 'rejected');
      expect(await refusal(Promise.reject(refused?.reason))).toMatchObject({ code: 'CONFLICT', fieldErrors: { amount: /£40\.00/ } });
      expect(await billing.billing.invoice({ id: invoice.id })).toMatchObject({ amount_paid: '60.00', balance_due: '40.00' });
    });

    it('the database refuses an overpayment however it is sent, and a draft takes none', async () => {
      const invoice = await issued('20.00');
      const pay = (amount: string) =>
        sqlState(
          asReceptionist(
            `INSERT INTO payments (tenant_id, invoice_id, patient_id, amount, payment_method)
             VALUES (current_tenant_id(), $1, $2, $3, 'cash')`,
            [invoice.id, invoice.patient_id, amount],
          ),
        );
      expect(await pay('20.01')).toBe('23514');
      const draft = await billing.billing.createDraft({ patientId: demoPatient(6), lines: [consultation] });
      expect(
        await sqlState(
          asReceptionist(
            `INSERT INTO payments (tenant_id, invoice_id, patient_id, amount, payment_method) VALUES (current_tenant_id(), $1, $2, 1, 'cash')`,
            [draft.id, draft.patient_id],
          ),
        ),
      ).toBe('23514');
      expect(await pay('20.00')).toBe('accepted');
      // Nor is a payment edited afterwards, even by someone who may refund.
      expect(await sqlState(asBilling(`UPDATE payments SET amount = 1 WHERE invoice_id = $1`, [invoice.id]))).toBe('42501');
    });

    it('split with an insurer: each pays only its own part', async () => {
      const draft = await billing.billing.createDraft({
        patientId: demoPatient(8),
        lines: [{ description: 'Consultation', quantity: '1', unitPrice: '100' }],
        insurerName: 'AXA Health',
        insurerPercent: '80',
      });
      const invoice = await billing.billing.issue({ id: draft.id });
      expect(await refusal(billing.billing.takePayment({ invoiceId: invoice.id, amount: '21', method: 'card' }))).toMatchObject({
        fieldErrors: { amount: expect.stringMatching(/£20\.00 is still owed by the patient/) },
      });
      await billing.billing.takePayment({ invoiceId: invoice.id, amount: '20', method: 'card' });
      expect(await refusal(billing.billing.takePayment({ invoiceId: invoice.id, amount: '80.01', method: 'insurance' }))).toMatchObject({
        fieldErrors: { amount: expect.stringMatching(/£80\.00 is still owed by the insurer/) },
      });
      expect((await billing.billing.takePayment({ invoiceId: invoice.id, amount: '80', method: 'insurance' })).invoice.status).toBe('paid');
    });
  });

  describe('refunds', () => {
    it('are linked to a payment, never exceed it, even from two desks at once', async () => {
      const invoice = await issued('90.00');
      const { invoice: paid } = await billing.billing.takePayment({ invoiceId: invoice.id, amount: '90', method: 'card' });
      const paymentId = paid.payments[0]!.id;
      const afterFirst = await billing.billing.refund({ paymentId, amount: '30', reason: 'Procedure not done' });
      expect(afterFirst).toMatchObject({ status: 'partially_paid', amount_paid: '60.00', balance_due: '30.00' });
      expect(afterFirst.refunds).toEqual([
        expect.objectContaining({ amount: '30.00', payment_method: 'card', reason: 'Procedure not done', payment_id: paymentId }),
      ]);
      const attempts = await Promise.allSettled([
        billing.billing.refund({ paymentId, amount: '40', reason: 'Desk one' }),
        secondDesk.billing.refund({ paymentId, amount: '40', reason: 'Desk two' }),
      ]);
      expect(attempts.map((attempt) => attempt.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refused = attempts.find((attempt) => attempt.status === 'rejected');
      expect(await refusal(Promise.reject(refused?.reason))).toMatchObject({
        code: 'CONFLICT',
        fieldErrors: { amount: expect.stringMatching(/^Refund refused: £20\.00 of payment PAY-/) },
      });
      const final = await billing.billing.invoice({ id: invoice.id });
      expect(final).toMatchObject({ amount_paid: '20.00', balance_due: '70.00' });
      expect(final.payments[0]).toMatchObject({ refund_amount: '70.00', payment_status: 'partially_refunded' });
      // Written straight into the table, a refund beyond the payment is refused by the database.
      expect(
        await sqlState(
          asBilling(
            `INSERT INTO refunds (tenant_id, payment_id, invoice_id, amount, currency, payment_method, reason)
             VALUES (current_tenant_id(), $1, $2, 20.01, 'GBP', 'card', 'More')`,
            [paymentId, invoice.id],
          ),
        ),
      ).toBe('23514');
    });

    it('need payments.refund, checked by the database', async () => {
      const invoice = await issued('10.00');
      const { invoice: paid } = await reception.billing.takePayment({ invoiceId: invoice.id, amount: '10', method: 'cash' });
      const paymentId = paid.payments[0]!.id;
      expect(await refusal(reception.billing.refund({ paymentId, amount: '1', reason: 'Try' }))).toMatchObject({ reason: 'NOT_PERMITTED' });
      expect(
        await sqlState(
          asReceptionist(
            `INSERT INTO refunds (tenant_id, payment_id, invoice_id, amount, currency, payment_method, reason)
             VALUES (current_tenant_id(), $1, $2, 1, 'GBP', 'cash', 'Try')`,
            [paymentId, invoice.id],
          ),
        ),
      ).toBe('42501');
    });
  });

  describe('credit notes and voids', () => {
    it('a credit note takes off what is owed, at most that, and is numbered apart', async () => {
      const invoice = await issued('120.00');
      await billing.billing.takePayment({ invoiceId: invoice.id, amount: '50', method: 'cash' });
      expect(
        await refusal(
          billing.billing.creditNote({
            invoiceId: invoice.id,
            lines: [{ description: 'Goodwill', quantity: '1', unitPrice: '70.01' }],
            reason: 'Too much',
          }),
        ),
      ).toMatchObject({ code: 'CONFLICT', fieldErrors: { lines: expect.stringMatching(/at most the £70\.00 still owed/) } });
      const note = await billing.billing.creditNote({
        invoiceId: invoice.id,
        lines: [{ description: 'Procedure charged twice', quantity: '1', unitPrice: '70' }],
        reason: 'Charged twice',
      });
      expect(note).toMatchObject({ kind: 'credit_note', status: 'issued', total_amount: '70.00', balance_due: '0.00' });
      expect(note.invoice_number).toMatch(/^CN-\d{4}-\d{6}$/);
      expect(note.credited_invoice_number).toBe(invoice.invoice_number);
      expect(await billing.billing.invoice({ id: invoice.id })).toMatchObject({
        status: 'paid',
        amount_paid: '50.00',
        amount_credited: '70.00',
        balance_due: '0.00',
      });
    });

    it('void only while nothing is paid or credited, and keeps its number', async () => {
      const invoice = await issued('15.00');
      const voided = await billing.billing.void({ id: invoice.id, reason: 'Wrong patient' });
      expect(voided).toMatchObject({ status: 'cancelled', invoice_number: invoice.invoice_number, void_reason: 'Wrong patient' });
      const paid = await issued('15.00');
      await billing.billing.takePayment({ invoiceId: paid.id, amount: '5', method: 'cash' });
      expect(await refusal(billing.billing.void({ id: paid.id, reason: 'Wrong patient' }))).toMatchObject({ code: 'CONFLICT' });
    });
  });

  describe('the price list', () => {
    const clinicDay = async (days: number) =>
      (await one<{ d: string }>(app.db, `SELECT to_char((now() AT TIME ZONE 'Europe/London')::date + $1::int, 'YYYY-MM-DD') AS d`, [days]))
        .d;
    const service = async (code: string) => (await billing.billing.priceList()).find((row) => row.code === code);

    it('a new price from tomorrow leaves today’s visits at the old one, and keeps the history', async () => {
      const [visit] = await billing.billing.invoiceableVisits();
      const [line] = await billing.billing.visitLines({ appointmentId: visit!.appointment_id });
      const before = (await service(line!.code!))!;
      expect(before.current?.unit_price).toBe(line!.unitPrice);
      const tomorrow = await clinicDay(1);
      await billing.billing.setPrice({ code: line!.code!, unitPrice: '999.50', taxRate: '20', validFrom: tomorrow });
      // Set again the same day: that period takes the new price, no third one.
      await billing.billing.setPrice({ code: line!.code!, unitPrice: '99.50', taxRate: '20', validFrom: tomorrow });
      const after = (await service(line!.code!))!;
      expect(after.current).toEqual({ ...before.current, valid_until: tomorrow });
      expect(after.next).toEqual({ unit_price: '99.50', tax_rate: '20.00', valid_from: tomorrow, valid_until: null });
      expect(after.history).toHaveLength(before.history.length + 1);
      expect((await billing.billing.visitLines({ appointmentId: visit!.appointment_id }))[0]).toEqual(line);
      expect(await count(`audit_logs WHERE table_name = 'price_list' AND action = 'UPDATE'`)).toBeGreaterThan(0);
    });

    it('adds and retires a service; bad input is refused beside its field and nothing is written', async () => {
      const rows = await count('price_list');
      const today = await clinicDay(0);
      expect(
        await refusal(
          billing.billing.addService({ code: 'DRESS', description: 'Dressing', category: 'procedure', unitPrice: 'abc', validFrom: today }),
        ),
      ).toMatchObject({ fieldErrors: { unitPrice: 'Give the price as a number, such as 12.50.' } });
      expect(
        await refusal(
          billing.billing.addService({
            code: 'DRESS',
            description: 'Dressing',
            category: 'procedure',
            unitPrice: '12',
            validFrom: await clinicDay(-1),
          }),
        ),
      ).toMatchObject({ fieldErrors: { validFrom: 'A price starts today or later: earlier visits keep theirs.' } });
      expect(
        await refusal(
          billing.billing.addService({ code: 'CONS-GP', description: 'Again', category: 'consultation', unitPrice: '1', validFrom: today }),
        ),
      ).toMatchObject({
        code: 'CONFLICT',
        fieldErrors: { code: 'This code is already in the price list: set a new price for it instead.' },
      });
      expect(await refusal(billing.billing.setPrice({ code: 'NOPE', unitPrice: '1', validFrom: today }))).toMatchObject({
        fieldErrors: { code: 'This service is not in the price list.' },
      });
      expect(await count('price_list')).toBe(rows);

      await billing.billing.addService({
        code: 'dress',
        description: 'Dressing',
        category: 'procedure',
        unitPrice: '12.5',
        taxRate: '0',
        validFrom: today,
      });
      expect(await service('DRESS')).toMatchObject({ current: { unit_price: '12.50', valid_from: today }, retired_from: null });
      const nextWeek = await clinicDay(7);
      await billing.billing.retireService({ code: 'DRESS', from: nextWeek });
      expect(await service('DRESS')).toMatchObject({ current: { unit_price: '12.50', valid_until: nextWeek }, retired_from: nextWeek });
      expect(await refusal(billing.billing.retireService({ code: 'DRESS', from: await clinicDay(8) }))).toMatchObject({
        fieldErrors: { from: 'This service is not charged on that day already.' },
      });
      expect(await refusal(billing.billing.retireService({ code: 'DRESS', from: today }))).toMatchObject({
        fieldErrors: { from: expect.stringMatching(/retire it from a later day/) },
      });
      // Charged again from a later day: a new period, the old one kept.
      await billing.billing.setPrice({ code: 'DRESS', unitPrice: '14', validFrom: await clinicDay(10) });
      expect(await service('DRESS')).toMatchObject({
        retired_from: null,
        history: [{ unit_price: '12.50' }, { unit_price: '14.00', valid_until: null }],
      });
    });

    it('only billing.write changes it, checked by the database; another clinic neither sees nor changes it', async () => {
      const today = await clinicDay(0);
      expect(await refusal(reception.billing.setPrice({ code: 'CONS-GP', unitPrice: '1', validFrom: today }))).toMatchObject({
        reason: 'NOT_PERMITTED',
      });
      const prices = `(SELECT string_agg(unit_price::text || valid_from || coalesce(valid_until::text, ''), ',' ORDER BY code, valid_from) FROM price_list)`;
      const before = await one<{ p: string }>(app.db, `SELECT ${prices} AS p`);
      for (const write of [asReceptionist, asOtherClinic]) {
        expect(
          await sqlState(
            write(`UPDATE price_list SET unit_price = 1 WHERE tenant_id = $1`, [DEMO_TENANT]).then(
              (r) => r.rowCount || Promise.reject({ code: 'no rows' }),
            ),
          ),
        ).toMatch(/^(42501|no rows)$/);
        expect(
          await sqlState(
            write(
              `INSERT INTO price_list (tenant_id, clinic_id, code, description, category, unit_price, valid_from)
               VALUES ($1, $2, 'FREE', 'Free', 'other', 0, current_date)`,
              [DEMO_TENANT, '00000000-0000-4000-8000-000000000002'],
            ),
          ),
        ).toBe('42501');
      }
      expect(await one<{ p: string }>(app.db, `SELECT ${prices} AS p`)).toEqual(before);
    });
  });

  describe('a completed visit', () => {
    it('is invoiced with its services priced from the price list, once', async () => {
      const [visit] = await billing.billing.invoiceableVisits();
      expect(visit).toBeDefined();
      const lines = await billing.billing.visitLines({ appointmentId: visit!.appointment_id });
      expect(lines.length).toBeGreaterThan(0);
      const draft = await billing.billing.createDraft({ patientId: visit!.patient_id, appointmentId: visit!.appointment_id, lines });
      expect(draft.appointment_id).toBe(visit!.appointment_id);
      expect(
        await refusal(billing.billing.createDraft({ patientId: visit!.patient_id, appointmentId: visit!.appointment_id, lines })),
      ).toMatchObject({
        code: 'CONFLICT',
        fieldErrors: { appointmentId: 'This visit already has an invoice.' },
      });
      expect((await billing.billing.invoiceableVisits()).map((v) => v.appointment_id)).not.toContain(visit!.appointment_id);
    });
  });

  describe('balances, cash-up and revenue', () => {
    it('the patient balance sums what is owed on issued invoices', async () => {
      const patient = demoPatient(30);
      const before = await reception.billing.balance({ patientId: patient });
      await issued('12.34', patient);
      await issued('0.66', patient);
      const after = await reception.billing.balance({ patientId: patient });
      expect(after.open_invoices).toBe(before.open_invoices + 2);
      const difference = await one<{ d: string }>(app.db, `SELECT ($1::numeric - $2::numeric)::text AS d`, [
        after.outstanding,
        before.outstanding,
      ]);
      expect(difference.d).toBe('13.00');
      expect((await billing.billing.agedDebt()).some((row) => row.patient_id === patient)).toBe(true);
    });

    it('the cash-up shows what each person took by method, records the count and the difference', async () => {
      const invoice = await issued('40.00');
      await reception.billing.takePayment({ invoiceId: invoice.id, amount: '40', method: 'cash' });
      const today = (await one<{ d: string }>(app.db, `SELECT to_char(now() AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') AS d`)).d;
      const { lines } = await reception.billing.cashUp({ day: today });
      const till = lines.find((line) => line.cashier_id === RECEPTIONIST_ID && line.payment_method === 'cash')!;
      expect(till.counted).toBeNull();
      const counted = await one<{ c: string }>(app.db, `SELECT ($1::numeric - 0.50)::text AS c`, [till.expected]);
      const after = await reception.billing.countTill({ day: today, cashierId: RECEPTIONIST_ID, method: 'cash', counted: counted.c });
      expect(after.lines.find((line) => line.cashier_id === RECEPTIONIST_ID && line.payment_method === 'cash')).toMatchObject({
        expected: till.expected,
        counted: counted.c,
        difference: '-0.50',
        recount_needed: false,
      });
      // Recorded with what the database expected at that moment, audited.
      const stored = await one<{ expected: string; difference: string; counted_by: string }>(
        app.db,
        `SELECT expected::text, difference::text, counted_by FROM cash_ups WHERE cashier_id = $1 AND business_day = $2 AND payment_method = 'cash'`,
        [RECEPTIONIST_ID, today],
      );
      expect(stored).toEqual({ expected: till.expected, difference: '-0.50', counted_by: RECEPTIONIST_ID });
      expect(await count(`audit_logs WHERE table_name = 'cash_ups'`)).toBeGreaterThan(0);
      // A count cannot be forged: the expected amount is the database's.
      await asReceptionist(`UPDATE cash_ups SET expected = 0 WHERE cashier_id = $1 AND business_day = $2`, [RECEPTIONIST_ID, today]);
      expect(
        (
          await one<{ e: string }>(
            app.db,
            `SELECT expected::text AS e FROM cash_ups WHERE cashier_id = $1 AND business_day = $2 AND payment_method = 'cash'`,
            [RECEPTIONIST_ID, today],
          )
        ).e,
      ).toBe(till.expected);
    });

    it('counts a credit note in the period it is issued, by doctor as by period, even when its invoice is older', async () => {
      const today = (await one<{ d: string }>(app.db, `SELECT to_char(now() AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') AS d`)).d;
      const invoice = await issued('90.00');
      // Issued ten days ago (the owner dates it back; no screen can).
      await app.db.query(`UPDATE invoices SET invoice_date = invoice_date - 10, due_date = NULL WHERE id = $1`, [invoice.id]);
      const from = (await one<{ d: string }>(app.db, `SELECT to_char($1::date - 5, 'YYYY-MM-DD') AS d`, [today])).d;
      const before = await billing.billing.revenue({ from, to: today, period: 'day' });
      await billing.billing.creditNote({
        invoiceId: invoice.id,
        lines: [{ description: 'Charged in error', quantity: '1', unitPrice: '90' }],
        reason: 'Charged in error',
      });
      const after = await billing.billing.revenue({ from, to: today, period: 'day' });
      const total = async (amounts: string[]) =>
        (await one<{ t: string }>(app.db, `SELECT coalesce(sum(a::numeric), 0)::text AS t FROM unnest($1::text[]) a`, [amounts])).t;
      const net = async (report: typeof after) =>
        (
          await one<{ n: string }>(app.db, `SELECT ($1::numeric - $2::numeric)::text AS n`, [
            await total(report.rows.map((row) => row.invoiced)),
            await total(report.rows.map((row) => row.credited)),
          ])
        ).n;
      // The credit note takes 90.00 off this range's revenue, in the periods and by doctor alike.
      for (const report of [before, after]) expect(await total(report.byDoctor.map((row) => row.invoiced))).toBe(await net(report));
      const fell = await one<{ d: string }>(app.db, `SELECT ($1::numeric - $2::numeric)::text AS d`, [await net(before), await net(after)]);
      expect(fell.d).toBe('90.00');
    });

    it('the revenue report adds up by period, doctor and service', async () => {
      const today = (await one<{ d: string }>(app.db, `SELECT to_char(now() AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') AS d`)).d;
      const from = (await one<{ d: string }>(app.db, `SELECT to_char($1::date - 60, 'YYYY-MM-DD') AS d`, [today])).d;
      const report = await billing.billing.revenue({ from, to: today, period: 'week' });
      expect(report.currency).toBe('GBP');
      expect(report.rows.length).toBeGreaterThanOrEqual(9);
      const check = await one<{ invoiced: string; by_doctor: string }>(
        app.db,
        `SELECT (SELECT sum(r::numeric) FROM unnest($1::text[]) r)::text AS invoiced, (SELECT sum(r::numeric) FROM unnest($2::text[]) r)::text AS by_doctor`,
        [report.rows.map((row) => row.invoiced), report.byDoctor.map((row) => row.invoiced)],
      );
      const credited = await one<{ c: string }>(app.db, `SELECT (SELECT sum(r::numeric) FROM unnest($1::text[]) r)::text AS c`, [
        report.rows.map((row) => row.credited),
      ]);
      const net = await one<{ n: string }>(app.db, `SELECT ($1::numeric - $2::numeric)::text AS n`, [check.invoiced, credited.c]);
      expect(check.by_doctor).toBe(net.n);
      // By service, as the report read the lines before (field by field): the same rows.
      const { rows: byService } = await asBilling(
        `SELECT coalesce(line ->> 'code', line ->> 'description') AS key, min(line ->> 'description') AS label,
           sum(CASE i.kind WHEN 'credit_note' THEN -1 ELSE 1 END * (line ->> 'amount')::numeric)::text AS invoiced
         FROM invoices i CROSS JOIN LATERAL jsonb_array_elements(i.line_items) AS line
         WHERE i.status NOT IN ('draft', 'cancelled') AND i.invoice_date BETWEEN $1::date AND $2::date
         GROUP BY 1 ORDER BY sum(CASE i.kind WHEN 'credit_note' THEN -1 ELSE 1 END * (line ->> 'amount')::numeric) DESC, 1 LIMIT 30`,
        [from, today],
      );
      expect(report.byService.length).toBeGreaterThan(3);
      expect(report.byService).toEqual(byService);
      expect(await refusal(reception.billing.revenue({ from, to: today }))).toMatchObject({ reason: 'NOT_PERMITTED' });
    });
  });

  describe('permissions and other clinics', () => {
    it('a receptionist takes payments but neither writes nor edits invoices, by the router or by SQL', async () => {
      expect(await refusal(reception.billing.createDraft({ patientId: demoPatient(2), lines: [consultation] }))).toMatchObject({
        reason: 'NOT_PERMITTED',
      });
      expect(
        await sqlState(
          asReceptionist(
            `INSERT INTO invoices (tenant_id, patient_id, line_items) VALUES (current_tenant_id(), $1, '[{"description": "X", "quantity": "1", "unit_price": "1"}]')`,
            [demoPatient(2)],
          ),
        ),
      ).toBe('42501');
    });

    it('a nurse sees no invoices, payments, refunds or counts', async () => {
      expect(await refusal(nurse.billing.invoices({ filter: 'all' }))).toMatchObject({ reason: 'NOT_PERMITTED' });
      for (const table of ['invoices', 'payments', 'refunds', 'cash_ups', 'price_list']) {
        const { rows } = await asNurse(`SELECT count(*)::int AS n FROM ${table}`);
        expect(rows, table).toEqual([{ n: 0 }]);
      }
    });

    it('another clinic can neither see nor pay, refund, credit or count this clinic’s money', async () => {
      const invoice = await issued('25.00');
      const { invoice: paid } = await billing.billing.takePayment({ invoiceId: invoice.id, amount: '5', method: 'cash' });
      const paymentId = paid.payments[0]!.id;
      for (const table of ['invoices', 'payments', 'refunds', 'cash_ups', 'price_list']) {
        const { rows } = await asOtherClinic(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [DEMO_TENANT]);
        expect(rows, table).toEqual([{ n: 0 }]);
      }
      expect(
        (await asOtherClinic(`UPDATE invoices SET status = 'cancelled', void_reason = 'x' WHERE id = $1`, [invoice.id])).rowCount,
      ).toBe(0);
      const attempts: [string, SqlParam[]][] = [
        [
          `INSERT INTO payments (tenant_id, invoice_id, patient_id, amount, payment_method) VALUES ($1, $2, $3, 1, 'cash')`,
          [DEMO_TENANT, invoice.id, invoice.patient_id],
        ],
        [
          `INSERT INTO refunds (tenant_id, payment_id, invoice_id, amount, currency, payment_method, reason) VALUES ($1, $2, $3, 1, 'GBP', 'cash', 'x')`,
          [DEMO_TENANT, paymentId, invoice.id],
        ],
        [
          `INSERT INTO invoices (tenant_id, kind, credited_invoice_id, patient_id, line_items, status)
           VALUES ($1, 'credit_note', $2, $3, '[{"description": "X", "quantity": "1", "unit_price": "1"}]', 'issued')`,
          [DEMO_TENANT, invoice.id, invoice.patient_id],
        ],
      ];
      for (const [sql, params] of attempts) expect(await sqlState(asOtherClinic(sql, params)), sql).toBe('42501');
      expect(await billing.billing.invoice({ id: invoice.id })).toMatchObject({
        amount_paid: '5.00',
        amount_credited: '0.00',
        status: 'partially_paid',
      });
    });
  });
});
