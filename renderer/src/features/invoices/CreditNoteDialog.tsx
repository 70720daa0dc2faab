import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { creditNoteInput, type Invoice } from '../../../../shared/billing';
import { formErrorsOf, NO_ERRORS } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { Dialog, DialogFooter } from '../../ui/Dialog';
import { TextAreaField } from '../../ui/Field';
import { blankLine, type LineDraft } from './lineForm';
import { LineRows } from './LineRows';
import { useMoney } from './useMoney';

/** An issued invoice is corrected, never edited: a credit note takes part or all of what is owed off it. */
export function CreditNoteDialog({ invoice, onClose }: { invoice: Invoice; onClose(): void }) {
  const money = useMoney();
  const trpc = useTRPC();
  const refresh = useRefresh(trpc.billing);
  const credit = useMutation(trpc.billing.creditNote.mutationOptions({ onSuccess: refresh }));
  const [lines, setLines] = useState<LineDraft[]>([{ ...blankLine(), description: `Credit against ${invoice.invoice_number}` }]);
  const [reason, setReason] = useState('');
  const [checked, setChecked] = useState<Record<string, string>>({});
  const errors = credit.isError ? formErrorsOf(credit.error) : NO_ERRORS;
  const fields = { ...errors.fields, ...checked };

  function submit(event: FormEvent) {
    event.preventDefault();
    if (credit.isPending) return;
    const result = checkForm(creditNoteInput, { invoiceId: invoice.id, lines, reason });
    setChecked(result.fields);
    if (result.ok) credit.mutate(result.value, { onSuccess: onClose });
  }

  return (
    <Dialog title={`Credit note against ${invoice.invoice_number}`} onClose={onClose} wide>
      <form onSubmit={submit} noValidate>
        <p className="dialog-text">
          Still owed: <strong>{money(invoice.balance_due)}</strong>. A credit note takes at most that off; to give back money already paid,
          refund the payment.
        </p>
        <LineRows lines={lines} onChange={setLines} errors={fields} />
        <TextAreaField label="Reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} error={fields.reason} />
        <DialogFooter problem={errors.general} busy={credit.isPending} label="Issue credit note" busyLabel="Issuing…" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
