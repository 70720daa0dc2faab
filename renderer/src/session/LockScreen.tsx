import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { SessionView } from '../../../shared/auth';
import { formErrorsOf, NO_ERRORS } from '../errors';
import { DatabaseBadge } from '../frame/DatabaseBadge';
import { trpc } from '../trpc';
import { Field } from '../ui/Field';
import { GateCard } from '../ui/GateCard';
import { roleName } from '../ui/names';
import { afterUnlock, forgetSession } from './session';

/** The locked desk: who is signed in, their password to carry on, or sign out for someone else. */
export function LockScreen({ session }: { session: SessionView }) {
  const client = useQueryClient();
  const [password, setPassword] = useState('');
  const passwordInput = useRef<HTMLInputElement>(null);

  const unlock = useMutation({
    mutationFn: () => trpc.auth.unlock.mutate({ password }),
    onSuccess: () => afterUnlock(client),
  });
  const signOut = useMutation({
    mutationFn: () => trpc.auth.signOut.mutate(),
    onSuccess: () => forgetSession(client),
  });
  const errors = signOut.isError ? formErrorsOf(signOut.error) : unlock.isError ? formErrorsOf(unlock.error) : NO_ERRORS;

  useEffect(() => {
    if (!unlock.isError) return;
    passwordInput.current?.focus();
    passwordInput.current?.select();
  }, [unlock.error, unlock.isError]);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!unlock.isPending) unlock.mutate();
  }

  const { user, clinic } = session;
  return (
    <GateCard titleId="lock-title" title="Screen locked" variant="locked">
      <dl className="lock-who">
        <dt>Signed in</dt>
        <dd>
          {user.firstName} {user.lastName}
          <span className="lock-role">{roleName(user.role)}</span>
        </dd>
        <dt>Clinic</dt>
        <dd>{clinic.name}</dd>
      </dl>
      <form onSubmit={submit} noValidate>
        {/* Tells password managers whose password this is. */}
        <input type="hidden" name="username" autoComplete="username" value={user.email} />
        <Field
          ref={passwordInput}
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          autoFocus
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.fields.password}
        />
        <div role="alert" className="form-problem">
          {errors.general}
        </div>
        <button type="submit" className="button-primary button-wide" aria-disabled={unlock.isPending}>
          {unlock.isPending ? 'Unlocking…' : 'Unlock'}
        </button>
      </form>
      <div className="lock-switch">
        <p className="muted" id="switch-user-hint">
          Not {user.firstName}? Sign out so someone else can sign in.
        </p>
        <button
          type="button"
          className="button-secondary"
          aria-describedby="switch-user-hint"
          onClick={() => signOut.isPending || signOut.mutate()}
          aria-disabled={signOut.isPending}
        >
          Sign out
        </button>
      </div>
      <footer className="gate-footer">
        <DatabaseBadge withDetail />
      </footer>
    </GateCard>
  );
}
