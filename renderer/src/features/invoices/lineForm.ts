import type { InvoiceLine, InvoiceLineInput } from '../../../../shared/billing';

/** A line as the form holds it: every value as typed. */
export interface LineDraft {
  code: string;
  description: string;
  quantity: string;
  unitPrice: string;
  discount: string;
  taxRate: string;
}

export function blankLine(): LineDraft {
  return { code: '', description: '', quantity: '1', unitPrice: '', discount: '0', taxRate: '0' };
}

/** Stored lines back into the form (to edit a draft, or to start a credit note from an invoice). */
export function linesToForm(lines: readonly InvoiceLine[]): LineDraft[] {
  return lines.map((line) => ({
    code: line.code ?? '',
    description: line.description,
    quantity: line.quantity,
    unitPrice: line.unit_price,
    discount: line.discount,
    taxRate: line.tax_rate,
  }));
}

/** A visit's lines as the price list gives them, into the form. */
export function pricedToForm(lines: readonly InvoiceLineInput[]): LineDraft[] {
  return lines.map((line) => ({
    code: line.code ?? '',
    description: line.description,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    discount: line.discount ?? '0',
    taxRate: line.taxRate ?? '0',
  }));
}
