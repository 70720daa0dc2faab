import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { changePasswordInput, type SessionView } from '../../../shared/auth';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../errors';
import { trpc } from '../trpc';
import { Field } from '../ui/Field';
import { GateCard } from '../ui/GateCard';
import { sessionKey } from './session';

/**
 * Choosing a new password: forced after an administrator's reset (nothing else opens until
 * then), or asked for from the frame (`onDone` returns there).
 */
export function ChangePasswordScreen({ session, onDone }: { session: SessionView; onDone?: () => void }) {
  const client = useQueryClient();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const change = useMutation({
    mutationFn: () => trpc.auth.changePassword.mutate({ current, next }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: sessionKey });
      onDone?.();
    },
    onError: (error) => setErrors(formErrorsOf(error)),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = changePasswordInput.safeParse({ current, next });
    const fields: Record<string, string> = {};
    if (!parsed.success) for (const issue of parsed.error.issues) fields[String(issue.path[0])] ??= issue.message;
    if (again !== next) fields.again = 'The two new passwords are not the same.';
    setErrors({ fields, general: null });
    if (Object.keys(fields).length === 0 && !change.isPending) change.mutate();
  }

  return (
    <GateCard titleId="change-password-title" title="Choose a new password">
      <p className="muted">
        {session.passwordChangeRequired
          ? `${session.user.firstName}, an administrator reset your password. Choose your own to continue.`
          : 'For you only: at least 10 characters, none shared with other staff.'}
      </p>
      <form onSubmit={submit} noValidate>
        <Field
          label={session.passwordChangeRequired ? 'Temporary password' : 'Current password'}
          type="password"
          autoComplete="current-password"
          autoFocus
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          error={errors.fields.current}
        />
        <Field
          label="New password"
          hint="10 characters or more"
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
          error={errors.fields.next}
        />
        <Field
          label="New password again"
          type="password"
          autoComplete="new-password"
          value={again}
          onChange={(e) => setAgain(e.target.value)}
          error={errors.fields.again}
        />
        <div role="alert" className="form-problem">
          {errors.general}
        </div>
        <button type="submit" className="button-primary button-wide" aria-disabled={change.isPending}>
          {change.isPending ? 'Saving…' : 'Save the new password'}
        </button>
        {onDone && (
          <button type="button" className="button-wide" onClick={onDone}>
            Cancel
          </button>
        )}
      </form>
    </GateCard>
  );
}
