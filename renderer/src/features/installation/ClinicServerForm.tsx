import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { connectionCheckInput } from '../../../../shared/connection';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../../errors';
import { useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { Field } from '../../ui/Field';

/** Points this PC at a hosted clinic server (desktop app only; takes effect on restart). */
export function ClinicServerForm() {
  const trpc = useTRPC();
  const connection = useQuery(trpc.admin.connection.queryOptions());
  const [databaseUrl, setDatabaseUrl] = useState('');
  const [clinicCode, setClinicCode] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const save = useMutation(
    trpc.admin.saveConnection.mutationOptions({
      onError: (error) => setErrors(formErrorsOf(error)),
      onSuccess: () => {
        setErrors(NO_ERRORS);
        setPassword('');
      },
    }),
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = checkForm(connectionCheckInput, { databaseUrl, clinicCode, email, password });
    setErrors({ fields: checked.fields, general: null });
    if (checked.ok) save.mutate(checked.value);
  };

  return (
    <section className="panel" aria-labelledby="server-title">
      <h2 id="server-title">Clinic server</h2>
      <p className="muted">
        Now using: <strong>{connection.data?.label ?? '…'}</strong>
      </p>
      {connection.data && !connection.data.canSave ? (
        <p>
          This is browser mode: it takes its clinic server from <code>CLINICDESK_DATABASE_URL</code> and <code>CLINICDESK_CLINIC_CODE</code>{' '}
          when it starts.
        </p>
      ) : (
        <form onSubmit={submit} noValidate>
          <Field
            label="Server address"
            hint="postgres://host:5432/database, from your operator (no login in it). A server on another machine is reached only over TLS with a verified certificate."
            value={databaseUrl}
            onChange={(event) => setDatabaseUrl(event.target.value)}
            error={errors.fields.databaseUrl}
            autoComplete="off"
            spellCheck={false}
          />
          <Field
            label="Clinic code"
            hint="Your clinic's code on that server"
            value={clinicCode}
            onChange={(event) => setClinicCode(event.target.value)}
            error={errors.fields.clinicCode}
            autoComplete="off"
          />
          <Field
            label="Your email on the clinic server"
            type="email"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            error={errors.fields.email}
            autoComplete="off"
          />
          <Field
            label="Your password on the clinic server"
            hint="Used once to try the server; never saved"
            type="password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            error={errors.fields.password}
            autoComplete="off"
          />
          {errors.general && <p role="alert">{errors.general}</p>}
          {save.isSuccess && <p role="status">Saved and encrypted on this PC. Restart ClinicDesk to use the clinic server.</p>}
          <button type="submit" disabled={save.isPending}>
            {save.isPending ? 'Trying the server…' : 'Try and save'}
          </button>
        </form>
      )}
    </section>
  );
}
