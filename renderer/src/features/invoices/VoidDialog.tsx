import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { voidInvoiceInput, type Invoice } from '../../../../shared/billing';
import { formErrorsOf, NO_ERRORS } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { Dialog, DialogFooter } from '../../ui/Dialog';
import { TextAreaField } from '../../ui/Field';

/** A void keeps the invoice and its number (no gap), marked void with the reason. */
export function VoidDialog({ invoice, onClose }: { invoice: Invoice; onClose(): void }) {
  const trpc = useTRPC();
  const refresh = useRefresh(trpc.billing);
  const voiding = useMutation(trpc.billing.void.mutationOptions({ onSuccess: refresh }));
  const [reason, setReason] = useState('');
  const [checked, setChecked] = useState<Record<string, string>>({});
  const errors = voiding.isError ? formErrorsOf(voiding.error) : NO_ERRORS;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (voiding.isPending) return;
    const result = checkForm(voidInvoiceInput, { id: invoice.id, reason });
    setChecked(result.fields);
    if (result.ok) voiding.mutate(result.value, { onSuccess: onClose });
  }

  return (
    <Dialog title={`Void ${invoice.invoice_number}?`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p className="dialog-text">Nothing is owed on a void invoice. It keeps its number and stays in the list, marked void.</p>
        <TextAreaField
          label="Reason"
          autoFocus
          rows={2}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          error={checked.reason ?? errors.fields.reason}
        />
        <DialogFooter
          problem={errors.general}
          busy={voiding.isPending}
          label="Void invoice"
          busyLabel="Voiding…"
          onCancel={onClose}
          danger
        />
      </form>
    </Dialog>
  );
}
