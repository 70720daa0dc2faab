import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useDesk } from '../deskState';
import { formErrorsOf, NO_ERRORS } from '../errors';
import { DatabaseBadge } from '../frame/DatabaseBadge';
import { trpc } from '../trpc';
import { Field } from '../ui/Field';
import { GateCard } from '../ui/GateCard';
import { afterSignIn } from './session';

const FIELD_ORDER = ['email', 'password', 'clinicCode'] as const;

export function SignInScreen() {
  const client = useQueryClient();
  const notice = useDesk((s) => s.signInNotice);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [clinicCode, setClinicCode] = useState('');
  // Only a shared server with several clinics asks which one; it says so in its answer.
  const [needsClinicCode, setNeedsClinicCode] = useState(false);
  const inputs = {
    email: useRef<HTMLInputElement>(null),
    password: useRef<HTMLInputElement>(null),
    clinicCode: useRef<HTMLInputElement>(null),
  };

  const signIn = useMutation({
    mutationFn: () => trpc.auth.signIn.mutate({ email, password, clinicCode: needsClinicCode && clinicCode ? clinicCode : undefined }),
    onSuccess: (session) => afterSignIn(client, session),
    onError: (error) => {
      if (formErrorsOf(error).fields.clinicCode) setNeedsClinicCode(true);
    },
  });
  const errors = signIn.isError ? formErrorsOf(signIn.error) : NO_ERRORS;

  // Once per failed attempt, take the user to the first field to correct; its message is read with it.
  useEffect(() => {
    if (!signIn.isError) return;
    const first = FIELD_ORDER.find((field) => errors.fields[field]);
    const input = first && inputs[first].current;
    if (input) {
      input.focus();
      input.select();
    }
    // Once per failed attempt, not on every render that shows it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [signIn.error]);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!signIn.isPending) signIn.mutate();
  }

  return (
    <GateCard titleId="sign-in-title" title="Sign in">
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={submit} noValidate aria-describedby={errors.general ? 'sign-in-problem' : undefined}>
        <Field
          ref={inputs.email}
          label="Email"
          type="email"
          name="email"
          autoComplete="username"
          autoFocus
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.fields.email}
        />
        <Field
          ref={inputs.password}
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={errors.fields.password}
        />
        {needsClinicCode && (
          <Field
            ref={inputs.clinicCode}
            label="Clinic code"
            hint="Your clinic's short code, from your administrator."
            name="clinicCode"
            autoComplete="organization"
            autoCapitalize="none"
            spellCheck={false}
            value={clinicCode}
            onChange={(e) => setClinicCode(e.target.value)}
            error={errors.fields.clinicCode}
          />
        )}
        <div role="alert" id="sign-in-problem" className="form-problem">
          {errors.general}
        </div>
        <button type="submit" className="button-primary button-wide" aria-disabled={signIn.isPending}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <footer className="gate-footer">
        <DatabaseBadge withDetail />
      </footer>
    </GateCard>
  );
}
