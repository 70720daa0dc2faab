import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { resetPasswordInput } from '../../../../shared/auth';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../../errors';
import { useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { Field, SelectField } from '../../ui/Field';
import { roleName } from '../../ui/names';

/** An administrator gives a staff member a temporary password, to be changed at their next sign-in. */
export function PasswordReset() {
  const trpc = useTRPC();
  const staff = useQuery(trpc.admin.staff.queryOptions());
  const [userId, setUserId] = useState('');
  const [temporaryPassword, setTemporaryPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const reset = useMutation(
    trpc.admin.resetPassword.mutationOptions({
      onSuccess: () => {
        setErrors(NO_ERRORS);
        setTemporaryPassword('');
      },
      onError: (error) => setErrors(formErrorsOf(error)),
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkForm(resetPasswordInput, { userId, temporaryPassword });
    setErrors({ fields: checked.fields, general: null });
    if (checked.ok && !reset.isPending) reset.mutate(checked.value);
  }

  const chosen = staff.data?.find((member) => member.id === userId);
  return (
    <section className="panel" aria-labelledby="reset-title">
      <h2 id="reset-title">Reset a staff member's password</h2>
      <p className="muted">They sign in with the temporary password once, then must choose their own.</p>
      <form onSubmit={submit} noValidate>
        <SelectField label="Staff member" value={userId} onChange={(event) => setUserId(event.target.value)} error={errors.fields.userId}>
          <option value="">Choose…</option>
          {staff.data?.map((member) => (
            <option key={member.id} value={member.id}>
              {member.name} · {roleName(member.role)} · {member.email}
            </option>
          ))}
        </SelectField>
        <Field
          label="Temporary password"
          hint="10 characters or more; tell it to them in person"
          type="text"
          autoComplete="off"
          spellCheck={false}
          value={temporaryPassword}
          onChange={(event) => setTemporaryPassword(event.target.value)}
          error={errors.fields.temporaryPassword}
        />
        {errors.general && <p role="alert">{errors.general}</p>}
        {reset.isSuccess && chosen && <p role="status">{chosen.name} must choose a new password at their next sign-in.</p>}
        <button type="submit" aria-disabled={reset.isPending}>
          {reset.isPending ? 'Resetting…' : 'Reset the password'}
        </button>
      </form>
    </section>
  );
}
