import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { resetPasswordInput } from '../../../../shared/auth';
import type { StaffRow } from '../../../../shared/staff';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { Dialog, DialogFooter } from '../../ui/Dialog';
import { Field } from '../../ui/Field';

/**
 * A temporary password for a staff member, to be changed at their next sign-in: a reset, or
 * enabling a disabled account again (`enabling`).
 */
export function PasswordDialog({ member, enabling, onClose }: { member: StaffRow; enabling: boolean; onClose(): void }) {
  const trpc = useTRPC();
  const refresh = useRefresh(trpc.staff);
  const [temporaryPassword, setTemporaryPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const options = { onSuccess: () => refresh().then(onClose), onError: (error: unknown) => setErrors(formErrorsOf(error)) };
  const reset = useMutation(trpc.admin.resetPassword.mutationOptions(options));
  const enable = useMutation(trpc.staff.setActive.mutationOptions(options));
  const busy = reset.isPending || enable.isPending;

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkForm(resetPasswordInput, { userId: member.id, temporaryPassword });
    setErrors({ fields: checked.fields, general: null });
    if (!checked.ok || busy) return;
    if (enabling) enable.mutate({ id: member.id, active: true, temporaryPassword });
    else reset.mutate(checked.value);
  }

  const name = `${member.first_name} ${member.last_name}`;
  return (
    <Dialog title={enabling ? `Enable ${name}` : `Reset ${name}'s password`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <p className="dialog-text">They sign in with this temporary password once, then must choose their own.</p>
        <Field
          label="Temporary password"
          hint="10 characters or more; tell it to them in person"
          type="text"
          autoComplete="off"
          spellCheck={false}
          autoFocus
          value={temporaryPassword}
          onChange={(event) => setTemporaryPassword(event.target.value)}
          error={errors.fields.temporaryPassword ?? errors.fields.userId}
        />
        <DialogFooter
          problem={errors.general}
          busy={busy}
          label={enabling ? 'Enable their account' : 'Reset the password'}
          busyLabel="Saving…"
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
