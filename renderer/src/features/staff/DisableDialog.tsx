import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { StaffRow } from '../../../../shared/staff';
import { formErrorsOf } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { Dialog, DialogFooter } from '../../ui/Dialog';

/** Disabling keeps the person in the records (the audit trail names them) and ends their sign-in at once. */
export function DisableDialog({ member, onClose }: { member: StaffRow; onClose(): void }) {
  const trpc = useTRPC();
  const refresh = useRefresh(trpc.staff);
  const [problem, setProblem] = useState<string | null>(null);
  const disable = useMutation(
    trpc.staff.setActive.mutationOptions({
      onSuccess: () => refresh().then(onClose),
      onError: (error) => {
        const { fields, general } = formErrorsOf(error);
        setProblem(fields.active ?? general);
      },
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!disable.isPending) disable.mutate({ id: member.id, active: false });
  }

  const name = `${member.first_name} ${member.last_name}`;
  return (
    <Dialog title={`Disable ${name}?`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p className="dialog-text">
          {name} is signed out everywhere and can no longer sign in. Their name stays on everything they did; you can enable the account
          again later.
        </p>
        <DialogFooter problem={problem} busy={disable.isPending} label="Disable" busyLabel="Disabling…" onCancel={onClose} danger />
      </form>
    </Dialog>
  );
}
