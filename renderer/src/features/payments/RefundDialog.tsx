import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { PAYMENT_METHOD_LABELS, refundInput, type Payment } from '../../../../shared/billing';
import { formErrorsOf, NO_ERRORS } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { Dialog, DialogFooter } from '../../ui/Dialog';
import { Field, TextAreaField } from '../../ui/Field';
import { useMoney } from '../invoices/useMoney';

/** Money back from one payment, the way it was paid; never more than is left of it. */
export function RefundDialog({ payment, onClose }: { payment: Payment; onClose(): void }) {
  const money = useMoney();
  const trpc = useTRPC();
  const refresh = useRefresh(trpc.billing);
  const refund = useMutation(trpc.billing.refund.mutationOptions({ onSuccess: refresh }));
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [checked, setChecked] = useState<Record<string, string>>({});
  const errors = refund.isError ? formErrorsOf(refund.error) : NO_ERRORS;
  const fields = { ...errors.fields, ...checked };

  function submit(event: FormEvent) {
    event.preventDefault();
    if (refund.isPending) return;
    const result = checkForm(refundInput, { paymentId: payment.id, amount, reason });
    setChecked(result.fields);
    if (result.ok) refund.mutate(result.value, { onSuccess: onClose });
  }

  return (
    <Dialog title={`Refund from ${payment.payment_number}`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p className="dialog-text">
          {money(payment.amount)} paid by {PAYMENT_METHOD_LABELS[payment.payment_method].toLowerCase()}
          {payment.refund_amount !== '0.00' && `, ${money(payment.refund_amount)} already refunded`}. The refund goes back the same way.
        </p>
        <Field
          label="Amount to refund"
          inputMode="decimal"
          autoFocus
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          error={fields.amount}
        />
        <TextAreaField label="Reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} error={fields.reason} />
        <DialogFooter problem={errors.general} busy={refund.isPending} label="Refund" busyLabel="Refunding…" onCancel={onClose} danger />
      </form>
    </Dialog>
  );
}
