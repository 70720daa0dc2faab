import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { PAYMENT_METHOD_LABELS, PAYMENT_METHODS, takePaymentInput, type Invoice, type PaymentMethod } from '../../../../shared/billing';
import { formErrorsOf, NO_ERRORS } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { Dialog, DialogFooter } from '../../ui/Dialog';
import { Field, SelectField } from '../../ui/Field';
import { useMoney } from '../invoices/useMoney';

/** Part or all of what is owed; the database refuses more, with the amount still owed. */
export function TakePaymentDialog({ invoice, onClose, onTaken }: { invoice: Invoice; onClose(): void; onTaken(): void }) {
  const money = useMoney();
  const trpc = useTRPC();
  const refresh = useRefresh(trpc.billing);
  const take = useMutation(trpc.billing.takePayment.mutationOptions({ onSuccess: refresh }));
  const [amount, setAmount] = useState(invoice.balance_due);
  const [method, setMethod] = useState<PaymentMethod>(invoice.insurer_name && invoice.insurer_percent !== '0.00' ? 'insurance' : 'card');
  const [reference, setReference] = useState('');
  const [checked, setChecked] = useState<Record<string, string>>({});
  const errors = take.isError ? formErrorsOf(take.error) : NO_ERRORS;
  const fields = { ...errors.fields, ...checked };

  function submit(event: FormEvent) {
    event.preventDefault();
    if (take.isPending) return;
    const result = checkForm(takePaymentInput, { invoiceId: invoice.id, amount, method, reference });
    setChecked(result.fields);
    if (result.ok) take.mutate(result.value, { onSuccess: onTaken });
  }

  return (
    <Dialog title={`Take a payment on ${invoice.invoice_number}`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p className="dialog-text">
          {invoice.patient_name} ({invoice.patient_number}) owes <strong>{money(invoice.balance_due)}</strong> of{' '}
          {money(invoice.total_amount)}
          {invoice.insurer_name && ` (${invoice.insurer_name} covers ${money(invoice.insurer_amount)})`}.
        </p>
        <Field
          label="Amount"
          hint="Part of it is fine; more than is owed is refused."
          inputMode="decimal"
          autoFocus
          value={amount}
          onChange={(event) => setAmount(event.target.value)}
          error={fields.amount}
        />
        <SelectField
          label="Paid by"
          value={method}
          onChange={(event) => setMethod(event.target.value as PaymentMethod)}
          error={fields.method}
        >
          {PAYMENT_METHODS.map((m) => (
            <option key={m} value={m}>
              {PAYMENT_METHOD_LABELS[m]}
            </option>
          ))}
        </SelectField>
        <Field
          label="Reference"
          hint="Card authorisation, transfer or claim number."
          value={reference}
          onChange={(e) => setReference(e.target.value)}
          error={fields.reference}
        />
        <DialogFooter problem={errors.general} busy={take.isPending} label="Take payment" busyLabel="Taking…" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
