import { z } from 'zod';
import { optionalText, requiredText } from './text';
import { APPOINTMENT_TYPES } from './appointments';
import { isoDate } from './dates';

/**
 * Billing's inputs and rows. Money travels as decimal strings ("12.50") and is added up only
 * by the database (numeric); the screens format it, never sum it.
 */

/** As the payments table allows them (migrations/001); the desk offers the first four. */
export const PAYMENT_METHODS = ['cash', 'card', 'bank_transfer', 'insurance'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const PAYMENT_METHOD_LABELS: Record<PaymentMethod, string> = {
  cash: 'Cash',
  card: 'Card',
  bank_transfer: 'Bank transfer',
  insurance: 'Insurance',
};

export const INVOICE_STATUSES = ['draft', 'issued', 'partially_paid', 'paid', 'overdue', 'cancelled', 'refunded', 'credited'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** The words the desk uses for each status ("cancelled" is how the seed stores a void). */
export const INVOICE_STATUS_LABELS: Record<InvoiceStatus, string> = {
  draft: 'Draft',
  issued: 'Unpaid',
  partially_paid: 'Part paid',
  paid: 'Paid',
  overdue: 'Overdue',
  cancelled: 'Void',
  refunded: 'Refunded',
  credited: 'Credited',
};

/** Which invoices a list shows. */
export const INVOICE_FILTERS = ['unpaid', 'drafts', 'issued', 'all'] as const;
export type InvoiceFilter = (typeof INVOICE_FILTERS)[number];

/** A decimal with at most two places, as typed: kept as text so nothing is lost to floats. */
const decimal = (what: string, maxDigits: number) =>
  z
    .string(`Give the ${what}.`)
    .trim()
    .regex(new RegExp(`^\\d{1,${maxDigits}}(\\.\\d{1,2})?$`), `Give the ${what} as a number, such as 12.50.`);

/** An amount of money that is more than nothing. */
export const money = decimal('amount', 9).refine((value) => /[1-9]/.test(value), 'The amount must be more than nothing.');

const taxRate = decimal('tax rate', 3).refine((value) => Number(value) <= 100, 'A tax rate is 100% at most.');

/** One line of an invoice as written; the database computes its amount and tax. */
export const invoiceLine = z.object({
  code: optionalText('Code', 30),
  description: requiredText('Description', 'Describe the line.', 200),
  quantity: decimal('quantity', 6).refine((value) => /[1-9]/.test(value), 'The quantity must be more than nothing.'),
  unitPrice: decimal('unit price', 9),
  discount: decimal('discount', 9).default('0'),
  taxRate: taxRate.default('0'),
});
export type InvoiceLineInput = z.input<typeof invoiceLine>;

const lines = z.array(invoiceLine).min(1, 'An invoice needs at least one line.').max(100, 'An invoice has 100 lines at most.');

const insurer = {
  insurerName: optionalText('Insurer', 200),
  insurerPercent: decimal('insurer’s share', 3)
    .refine((value) => Number(value) <= 100, 'The insurer’s share is 100% at most.')
    .default('0'),
  notes: optionalText('Notes', 1000),
};

export const createDraftInput = z.object({
  patientId: z.uuid('Choose a patient.'),
  appointmentId: z.uuid('Unknown visit.').nullable().optional(),
  lines,
  ...insurer,
});
export type CreateDraftInput = z.input<typeof createDraftInput>;
export type DraftInvoice = z.output<typeof createDraftInput>;

export const updateDraftInput = z.object({ id: z.uuid('Unknown invoice.'), lines, ...insurer });
export type UpdateDraftInput = z.input<typeof updateDraftInput>;

export const invoiceId = z.object({ id: z.uuid('Unknown invoice.') });
export const appointmentId = z.object({ appointmentId: z.uuid('Unknown visit.') });
export const patientId = z.object({ patientId: z.uuid('Choose a patient.') });
export const paymentId = z.object({ paymentId: z.uuid('Unknown payment.') });

export const listInvoicesInput = z.object({
  filter: z.enum(INVOICE_FILTERS).default('unpaid'),
  patientId: z.uuid().nullable().optional(),
});

export const voidInvoiceInput = z.object({
  id: z.uuid('Unknown invoice.'),
  reason: requiredText('Reason', 'Say why the invoice is void.', 500),
});

export const creditNoteInput = z.object({
  invoiceId: z.uuid('Unknown invoice.'),
  lines,
  reason: requiredText('Reason', 'Say why the invoice is credited.', 1000),
});
export type CreditNoteInput = z.input<typeof creditNoteInput>;

export const takePaymentInput = z.object({
  invoiceId: z.uuid('Unknown invoice.'),
  amount: money,
  method: z.enum(PAYMENT_METHODS, { message: 'Choose how it is paid.' }),
  reference: optionalText('Reference', 100),
});
export type TakePaymentInput = z.input<typeof takePaymentInput>;

export const refundInput = z.object({
  paymentId: z.uuid('Unknown payment.'),
  amount: money,
  reason: requiredText('Reason', 'Say why the money is given back.', 500),
});
export type RefundInput = z.input<typeof refundInput>;

export const cashUpInput = z.object({ day: isoDate });

export const countTillInput = z.object({
  day: isoDate,
  cashierId: z.uuid('Unknown person.'),
  method: z.enum(PAYMENT_METHODS, { message: 'Choose a method.' }),
  counted: decimal('amount counted', 9),
  note: optionalText('Note', 500),
});
export type CountTillInput = z.input<typeof countTillInput>;

export const REVENUE_PERIODS = ['day', 'week', 'month'] as const;
export type RevenuePeriod = (typeof REVENUE_PERIODS)[number];

export const revenueInput = z
  .object({ from: isoDate, to: isoDate, period: z.enum(REVENUE_PERIODS).default('day') })
  .refine((range) => range.from <= range.to, { message: 'The end comes after the start.', path: ['to'] })
  .refine((range) => Date.parse(range.to) - Date.parse(range.from) <= 366 * 86_400_000 * 3, {
    message: 'Three years at most.',
    path: ['from'],
  });
export type RevenueInput = z.input<typeof revenueInput>;

/** What the price list charges for, as the price_list table allows it (migrations/015). */
export const SERVICE_CATEGORIES = ['consultation', 'procedure', 'test', 'other'] as const;
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];

export const SERVICE_CATEGORY_LABELS: Record<ServiceCategory, string> = {
  consultation: 'Consultation',
  procedure: 'Procedure',
  test: 'Test',
  other: 'Other',
};

const price = { unitPrice: decimal('price', 9), taxRate: taxRate.default('0') };
const serviceCode = z
  .string('Give the code.')
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9-]{0,29}$/, 'A code is letters, digits and dashes (30 at most), such as CONS-GP.');

/** A new service, priced from a day (today or later: what was invoiced before keeps its price). */
export const addServiceInput = z.object({
  code: serviceCode,
  description: requiredText('Description', 'Describe the service.', 200),
  category: z.enum(SERVICE_CATEGORIES, { message: 'Choose the kind of service.' }),
  appointmentType: z.enum(APPOINTMENT_TYPES, { message: 'Unknown type of visit.' }).nullable().optional(),
  testCode: optionalText('Test code', 30),
  ...price,
  validFrom: isoDate,
});
export type AddServiceInput = z.input<typeof addServiceInput>;

/** A service's new price from a day on; the price before that day stays as it was. */
export const setPriceInput = z.object({ code: serviceCode, ...price, validFrom: isoDate });
export type SetPriceInput = z.input<typeof setPriceInput>;

/** A service no longer charged from a day on (its prices until then are kept). */
export const retireServiceInput = z.object({ code: serviceCode, from: isoDate });
export type RetireServiceInput = z.input<typeof retireServiceInput>;

/** One price of a service and the days it applies: from valid_from up to, not including, valid_until. */
export interface ServicePrice {
  unit_price: string;
  tax_rate: string;
  valid_from: string;
  valid_until: string | null;
}

/** A service of the price list, as the clinic's today sees it. */
export interface PriceListService {
  code: string;
  description: string;
  category: ServiceCategory;
  appointment_type: string | null;
  test_code: string | null;
  /** The price in force today; null before it starts or once it is retired. */
  current: ServicePrice | null;
  /** The next price set from a later day, if any. */
  next: ServicePrice | null;
  /** The day it is no longer charged, when it is retired. */
  retired_from: string | null;
  /** Every price it has had and will have, oldest first. */
  history: ServicePrice[];
}

/** A line as stored, its amount (net of discount) and tax computed by the database. */
export interface InvoiceLine {
  code?: string | null;
  description: string;
  quantity: string;
  unit_price: string;
  discount: string;
  tax_rate: string;
  amount: string;
  tax: string;
}

export interface InvoiceSummary {
  id: string;
  kind: 'invoice' | 'credit_note';
  invoice_number: string | null;
  patient_id: string;
  patient_number: string;
  patient_name: string;
  invoice_date: string;
  due_date: string | null;
  total_amount: string;
  amount_paid: string;
  amount_credited: string;
  balance_due: string;
  currency: string;
  status: InvoiceStatus;
  issued_at: string | null;
}

export interface Payment {
  id: string;
  payment_number: string;
  amount: string;
  refund_amount: string;
  payment_method: PaymentMethod;
  payment_status: string;
  transaction_reference: string | null;
  paid_at: string;
  received_by_name: string | null;
}

export interface Refund {
  id: string;
  refund_number: string;
  payment_id: string;
  amount: string;
  payment_method: PaymentMethod;
  reason: string;
  refunded_at: string;
  refunded_by_name: string | null;
}

export interface Invoice extends InvoiceSummary {
  appointment_id: string | null;
  credited_invoice_id: string | null;
  credited_invoice_number: string | null;
  line_items: InvoiceLine[];
  subtotal: string;
  discount_amount: string;
  tax_amount: string;
  insurer_name: string | null;
  insurer_percent: string;
  insurer_amount: string;
  notes: string | null;
  void_reason: string | null;
  created_by_name: string | null;
  payments: Payment[];
  refunds: Refund[];
  credit_notes: { id: string; invoice_number: string; total_amount: string; issued_at: string }[];
}

/** A completed visit with no invoice yet, and what the price list charges for it. */
export interface InvoiceableVisit {
  appointment_id: string;
  appointment_number: string;
  patient_id: string;
  patient_number: string;
  patient_name: string;
  doctor_name: string;
  appointment_type: string;
  starts_at: string;
}

export interface PatientBalance {
  outstanding: string;
  open_invoices: number;
  currency: string;
}

export interface AgedDebt {
  patient_id: string;
  patient_number: string;
  patient_name: string;
  current: string;
  days_31_60: string;
  days_61_90: string;
  over_90: string;
  total: string;
  oldest_due: string;
}

export interface TillLine {
  cashier_id: string;
  cashier_name: string;
  payment_method: PaymentMethod;
  taken: string;
  refunded: string;
  expected: string;
  /** What was counted, and when; null until it is. */
  counted: string | null;
  difference: string | null;
  counted_at: string | null;
  counted_by_name: string | null;
  /** The takings moved since the count: the expected amount the count was checked against differs. */
  recount_needed: boolean;
}

export interface RevenueRow {
  period: string;
  invoiced: string;
  credited: string;
  collected: string;
  refunded: string;
}

export interface RevenueByKey {
  key: string;
  label: string;
  invoiced: string;
}

export interface RevenueReport {
  currency: string;
  rows: RevenueRow[];
  byDoctor: RevenueByKey[];
  byService: RevenueByKey[];
}

/** An amount in the clinic's currency, as the clinic's language writes it. Display only. */
export function formatMoney(amount: string, currency: string, language = 'en-GB'): string {
  return new Intl.NumberFormat(language, { style: 'currency', currency }).format(Number(amount));
}
