import {
  addServiceInput,
  appointmentId,
  cashUpInput,
  countTillInput,
  createDraftInput,
  creditNoteInput,
  formatMoney,
  invoiceId,
  listInvoicesInput,
  patientId,
  paymentId,
  refundInput,
  retireServiceInput,
  revenueInput,
  setPriceInput,
  takePaymentInput,
  updateDraftInput,
  voidInvoiceInput,
  type Invoice,
  type RevenueReport,
} from '../../../shared/billing';
import { formatDate, todayIn } from '../../../shared/dates';
import type { Queryable } from '../db/types';
import { DomainError } from '../errors';
import { permitted, router } from '../trpc';
import {
  clinicMoney,
  completedVisit,
  findInvoice,
  findPayment,
  insertCreditNote,
  insertDraft,
  insertPayment,
  insertRefund,
  invoiceableVisits,
  issueInvoice,
  listInvoices,
  payableOn,
  updateDraft,
  visitLines,
  voidInvoice,
} from './queries';
import { insertService, listPriceList, retireService, serviceExists, setPrice } from './priceList';
import { receiptPdf, receiptRow } from './receipt';
import { agedDebt, patientBalance, recordCount, revenueByDoctor, revenueByService, revenueRows, tillLines } from './reports';

const NO_SUCH_INVOICE = 'This invoice does not exist, or belongs to another clinic.';
const NO_SUCH_PAYMENT = 'This payment does not exist, or belongs to another clinic.';
const NO_SUCH_SERVICE = 'This service is not in the price list.';

/** A price starts today or later, so what was invoiced (or is to be, for a visit already seen) keeps its price. */
async function fromToday(tx: Queryable, day: string, field: string): Promise<void> {
  const { timezone } = await clinicMoney(tx);
  if (day < todayIn(timezone)) throw new DomainError('BAD_REQUEST', 'A price starts today or later: earlier visits keep theirs.', field);
}

async function existingInvoice(tx: Queryable, id: string): Promise<Invoice> {
  const invoice = await findInvoice(tx, id);
  if (!invoice) throw new DomainError('NOT_FOUND', NO_SUCH_INVOICE);
  return invoice;
}

/**
 * Runs a money write that the database may refuse by `constraint` (a payment beyond what is
 * owed, a refund beyond what is left, a credit beyond the balance). The database decides, with
 * the row locked, so of two desks at once the second is checked after the first has committed;
 * the savepoint keeps the transaction usable to explain the refusal in the clinic's money.
 */
async function withinLimit<T>(tx: Queryable, constraint: string, write: () => Promise<T>, refusal: () => Promise<DomainError>): Promise<T> {
  await tx.query('SAVEPOINT money_limit');
  try {
    const result = await write();
    await tx.query('RELEASE SAVEPOINT money_limit');
    return result;
  } catch (error) {
    if ((error as { constraint?: unknown }).constraint !== constraint) throw error;
    await tx.query('ROLLBACK TO SAVEPOINT money_limit');
    throw await refusal();
  }
}

export const billingRouter = router({
  invoices: permitted('billing.read')
    .input(listInvoicesInput)
    .query(({ ctx, input }) => listInvoices(ctx.tx, input.filter, input.patientId ?? null)),

  invoice: permitted('billing.read')
    .input(invoiceId)
    .query(({ ctx, input }) => existingInvoice(ctx.tx, input.id)),

  /** Completed visits not invoiced yet, to invoice from. */
  invoiceableVisits: permitted('billing.write').query(({ ctx }) => invoiceableVisits(ctx.tx)),

  /** The lines a visit's invoice starts with, priced from the price list as on the day of the visit. */
  visitLines: permitted('billing.write')
    .input(appointmentId)
    .query(async ({ ctx, input }) => {
      if (!(await completedVisit(ctx.tx, input.appointmentId))) throw new DomainError('NOT_FOUND', 'This visit is not completed yet.');
      return visitLines(ctx.tx, input.appointmentId);
    }),

  /** The clinic's services with today's price, the next one set and their history. */
  priceList: permitted('billing.read').query(async ({ ctx }) => {
    const { timezone } = await clinicMoney(ctx.tx);
    return listPriceList(ctx.tx, todayIn(timezone));
  }),

  addService: permitted('billing.write')
    .input(addServiceInput)
    .mutation(async ({ ctx, input }) => {
      await fromToday(ctx.tx, input.validFrom, 'validFrom');
      if (await serviceExists(ctx.tx, input.code)) {
        throw new DomainError('CONFLICT', 'This code is already in the price list: set a new price for it instead.', 'code');
      }
      await insertService(ctx.tx, input);
    }),

  setPrice: permitted('billing.write')
    .input(setPriceInput)
    .mutation(async ({ ctx, input }) => {
      await fromToday(ctx.tx, input.validFrom, 'validFrom');
      let found: boolean;
      try {
        found = await setPrice(ctx.tx, input);
      } catch (error) {
        // Another desk added a period of this service after our lock was taken.
        if ((error as { constraint?: unknown }).constraint !== 'price_list_one_price_a_day') throw error;
        throw new DomainError('CONFLICT', 'Someone changed this service’s prices at the same moment: look at the list again.', 'validFrom');
      }
      if (!found) throw new DomainError('NOT_FOUND', NO_SUCH_SERVICE, 'code');
    }),

  retireService: permitted('billing.write')
    .input(retireServiceInput)
    .mutation(async ({ ctx, input }) => {
      const { tx } = ctx;
      await fromToday(tx, input.from, 'from');
      const outcome = await retireService(tx, input.code, input.from);
      if (outcome === 'unknown') throw new DomainError('NOT_FOUND', NO_SUCH_SERVICE, 'code');
      if (outcome !== 'retired') {
        const { language } = await clinicMoney(tx);
        throw new DomainError(
          'CONFLICT',
          outcome === 'priced later'
            ? `A price of this service starts on or after ${formatDate(input.from, language)}: retire it from a later day.`
            : 'This service is not charged on that day already.',
          'from',
        );
      }
    }),

  createDraft: permitted('billing.write')
    .input(createDraftInput)
    .mutation(async ({ ctx, input }) => {
      if (input.appointmentId) {
        const visit = await completedVisit(ctx.tx, input.appointmentId);
        if (!visit) throw new DomainError('BAD_REQUEST', 'Only a completed visit is invoiced.', 'appointmentId');
        if (visit.patient_id !== input.patientId) throw new DomainError('BAD_REQUEST', 'This visit is another patient’s.', 'appointmentId');
      }
      try {
        return await existingInvoice(ctx.tx, await insertDraft(ctx.tx, input));
      } catch (error) {
        if ((error as { constraint?: unknown }).constraint === 'invoices_one_per_visit') {
          throw new DomainError('CONFLICT', 'This visit already has an invoice.', 'appointmentId');
        }
        throw error;
      }
    }),

  updateDraft: permitted('billing.write')
    .input(updateDraftInput)
    .mutation(async ({ ctx, input }) => {
      await existingInvoice(ctx.tx, input.id);
      if (!(await updateDraft(ctx.tx, input.id, input))) {
        throw new DomainError('CONFLICT', 'This invoice is issued: correct it with a credit note instead.');
      }
      return existingInvoice(ctx.tx, input.id);
    }),

  /** Gives the draft its number (the next of the clinic's year, gap-free) and today's date. */
  issue: permitted('billing.write')
    .input(invoiceId)
    .mutation(async ({ ctx, input }) => {
      const invoice = await existingInvoice(ctx.tx, input.id);
      if (!(await issueInvoice(ctx.tx, input.id)))
        throw new DomainError('CONFLICT', `This invoice is already issued as ${invoice.invoice_number}.`);
      return existingInvoice(ctx.tx, input.id);
    }),

  void: permitted('billing.write')
    .input(voidInvoiceInput)
    .mutation(async ({ ctx, input }) => {
      const invoice = await existingInvoice(ctx.tx, input.id);
      if (!(await voidInvoice(ctx.tx, input.id, input.reason))) {
        throw new DomainError(
          'CONFLICT',
          invoice.status === 'draft'
            ? 'A draft is not voided: it has no number yet.'
            : 'Only an issued invoice with nothing paid or credited is voided: refund the payments or write a credit note.',
        );
      }
      return existingInvoice(ctx.tx, input.id);
    }),

  creditNote: permitted('billing.write')
    .input(creditNoteInput)
    .mutation(async ({ ctx, input }) => {
      const { tx } = ctx;
      await existingInvoice(tx, input.invoiceId);
      const id = await withinLimit(
        tx,
        'credit_within_balance',
        () => insertCreditNote(tx, input.invoiceId, input.lines, input.reason),
        async () => {
          const invoice = await existingInvoice(tx, input.invoiceId);
          const { language } = await clinicMoney(tx);
          return new DomainError(
            'CONFLICT',
            invoice.kind !== 'invoice' || !['issued', 'partially_paid', 'overdue'].includes(invoice.status)
              ? 'Only an issued invoice with something still owed can be credited.'
              : `A credit note credits at most the ${formatMoney(invoice.balance_due, invoice.currency, language)} still owed; refund a payment first to give money back.`,
            'lines',
          );
        },
      );
      return existingInvoice(tx, id);
    }),

  /** At most what is still owed: the insurer's part by insurance, the patient's part otherwise. */
  takePayment: permitted('payments.take')
    .input(takePaymentInput)
    .mutation(async ({ ctx, input }) => {
      const { tx } = ctx;
      const invoice = await existingInvoice(tx, input.invoiceId);
      const paymentId = await withinLimit(
        tx,
        'payment_within_balance',
        () => insertPayment(tx, input),
        async () => {
          const payable = await payableOn(tx, input.invoiceId, input.method);
          if (payable === null) return new DomainError('CONFLICT', 'Only an issued invoice takes payments: issue it first.', 'amount');
          const { language } = await clinicMoney(tx);
          const who = input.method === 'insurance' ? 'the insurer' : 'the patient';
          return new DomainError(
            'CONFLICT',
            `Overpayment refused: ${formatMoney(payable, invoice.currency, language)} is still owed by ${who} on ${invoice.invoice_number}.`,
            'amount',
          );
        },
      );
      return { paymentId, invoice: await existingInvoice(tx, input.invoiceId) };
    }),

  /** Part or all of a payment back, by the same method; never more than is left of it. */
  refund: permitted('payments.refund')
    .input(refundInput)
    .mutation(async ({ ctx, input }) => {
      const { tx } = ctx;
      const payment = await findPayment(tx, input.paymentId);
      if (!payment) throw new DomainError('NOT_FOUND', NO_SUCH_PAYMENT);
      await withinLimit(
        tx,
        'refund_within_payment',
        () => insertRefund(tx, input),
        async () => {
          const left = (await findPayment(tx, input.paymentId))?.left_to_refund ?? '0';
          const { language } = await clinicMoney(tx);
          return new DomainError(
            'CONFLICT',
            `Refund refused: ${formatMoney(left, payment.currency, language)} of payment ${payment.payment_number} is left to refund.`,
            'amount',
          );
        },
      );
      return existingInvoice(tx, payment.invoice_id);
    }),

  /** The printed receipt of one payment (PDF). */
  receipt: permitted('billing.read')
    .input(paymentId)
    .query(async ({ ctx, input }) => {
      const row = await receiptRow(ctx.tx, input.paymentId);
      if (!row) throw new DomainError('NOT_FOUND', NO_SUCH_PAYMENT);
      return receiptPdf(ctx.tx, row);
    }),

  /** What the patient owes the clinic (shown in the patient's header at reception). */
  balance: permitted('billing.read')
    .input(patientId)
    .query(({ ctx, input }) => patientBalance(ctx.tx, input.patientId)),

  agedDebt: permitted('billing.read').query(({ ctx }) => agedDebt(ctx.tx)),

  /** The day's cash-up: takings per person and method, what was counted and the difference. */
  cashUp: permitted('billing.read')
    .input(cashUpInput)
    .query(async ({ ctx, input }) => ({ day: input.day, lines: await tillLines(ctx.tx, input.day) })),

  countTill: permitted('payments.take')
    .input(countTillInput)
    .mutation(async ({ ctx, input }) => {
      const { timezone } = await clinicMoney(ctx.tx);
      if (input.day > todayIn(timezone)) throw new DomainError('BAD_REQUEST', 'A day is counted once it has started.', 'day');
      await recordCount(ctx.tx, input);
      return { day: input.day, lines: await tillLines(ctx.tx, input.day) };
    }),

  revenue: permitted('reports.financial')
    .input(revenueInput)
    .query(async ({ ctx, input }): Promise<RevenueReport> => {
      const { tx } = ctx;
      const { currency } = await clinicMoney(tx);
      return {
        currency,
        rows: await revenueRows(tx, input.from, input.to, input.period),
        byDoctor: await revenueByDoctor(tx, input.from, input.to),
        byService: await revenueByService(tx, input.from, input.to),
      };
    }),
});
