import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { removeFromQueueInput, type QueueEntry } from '../../../../shared/appointments';
import { formErrorsOf, NO_ERRORS } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { Dialog, DialogFooter } from '../../ui/Dialog';
import { TextAreaField } from '../../ui/Field';

/** Takes a waiting patient off today's queue (they left, or were added by mistake); the visit is cancelled with the reason. */
export function RemoveFromQueueDialog({ visit, onClose }: { visit: QueueEntry; onClose(): void }) {
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const trpc = useTRPC();
  const refresh = useRefresh(trpc.appointments);
  const remove = useMutation(trpc.appointments.removeFromQueue.mutationOptions({ onSuccess: refresh }));
  const server = remove.isError ? formErrorsOf(remove.error) : NO_ERRORS;

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkForm(removeFromQueueInput, { id: visit.id, reason });
    setProblems(checked.fields);
    if (checked.ok && !remove.isPending) remove.mutate(checked.value, { onSuccess: onClose });
  }

  return (
    <Dialog title={`Remove ${visit.patient_name} from the queue`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <TextAreaField
          label="Why do they leave the queue?"
          hint="For example: patient left, added by mistake."
          rows={2}
          autoFocus
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          error={problems.reason ?? server.fields.reason}
        />
        <DialogFooter
          problem={server.general}
          busy={remove.isPending}
          label="Remove from the queue"
          busyLabel="Removing…"
          onCancel={onClose}
          cancelLabel="Keep waiting"
          danger
        />
      </form>
    </Dialog>
  );
}
