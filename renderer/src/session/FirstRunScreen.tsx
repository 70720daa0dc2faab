import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { firstClinicInput } from '../../../shared/tenants';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../errors';
import { trpc, useTRPC } from '../trpc';
import { Field } from '../ui/Field';
import { GateCard } from '../ui/GateCard';
import { afterSignIn } from './session';

/** A sensible currency for the PC's own locale; the clinic changes it here if not. */
function localCurrency(): string {
  const region = new Intl.Locale(navigator.language).maximize().region ?? '';
  const byRegion: Record<string, string> = {
    GB: 'GBP',
    US: 'USD',
    IE: 'EUR',
    DE: 'EUR',
    FR: 'EUR',
    ES: 'EUR',
    IT: 'EUR',
    NL: 'EUR',
    IN: 'INR',
    NG: 'NGN',
    KE: 'KES',
    ZA: 'ZAR',
    AU: 'AUD',
    CA: 'CAD',
  };
  return byRegion[region] ?? 'USD';
}

const FIELDS = ['name', 'timezone', 'currency', 'language', 'admin.firstName', 'admin.lastName', 'admin.email', 'admin.password'] as const;

/**
 * The first start of an offline clinic: its name and settings and its first administrator,
 * or a clearly separate look at the demo clinic (in memory, nothing kept).
 */
export function FirstRunScreen() {
  const client = useQueryClient();
  const queries = useTRPC();
  const [form, setForm] = useState({
    name: '',
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    currency: localCurrency(),
    language: navigator.language,
    firstName: '',
    lastName: '',
    email: '',
    password: '',
    confirm: '',
  });
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value });

  const create = useMutation({
    mutationFn: async (input: Parameters<typeof trpc.setup.createClinic.mutate>[0]) => {
      await trpc.setup.createClinic.mutate(input);
      return trpc.auth.signIn.mutate({ email: input.admin.email, password: input.admin.password });
    },
    onSuccess: async (session) => {
      await client.invalidateQueries(queries.setup.pathFilter());
      afterSignIn(client, session);
    },
    onError: (error) => setErrors(formErrorsOf(error)),
  });
  const demo = useMutation({
    mutationFn: () => trpc.setup.tryDemo.mutate(),
    onSuccess: () => client.invalidateQueries(),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const input = {
      name: form.name,
      timezone: form.timezone,
      currency: form.currency.toUpperCase(),
      language: form.language,
      admin: { firstName: form.firstName, lastName: form.lastName, email: form.email, password: form.password },
    };
    const parsed = firstClinicInput.safeParse(input);
    const fields: Record<string, string> = {};
    if (!parsed.success) for (const issue of parsed.error.issues) fields[issue.path.join('.')] ??= issue.message;
    if (form.confirm !== form.password) fields['admin.confirm'] = 'The two passwords are not the same.';
    if (Object.keys(fields).length > 0) {
      setErrors({ fields, general: null });
      const first = [...FIELDS, 'admin.confirm'].find((field) => fields[field]);
      document.querySelector<HTMLInputElement>(`[name="${first}"]`)?.focus();
      return;
    }
    setErrors(NO_ERRORS);
    if (!create.isPending) create.mutate(input);
  }

  const field = (key: string) => errors.fields[key];
  return (
    <GateCard titleId="first-run-title" title="Set up your clinic" variant="wide">
      <p className="muted">This PC has no clinic yet. Its records will stay on this PC, in a folder only you can read.</p>
      <aside className="demo-choice" aria-labelledby="demo-title">
        <div>
          <h2 id="demo-title">Just looking?</h2>
          <p>
            The demo clinic has sample patients and appointments, in memory only: nothing typed there is kept or mixed with your clinic.
          </p>
          {demo.isError && <p role="alert">{formErrorsOf(demo.error).general}</p>}
        </div>
        <button type="button" onClick={() => demo.mutate()} aria-disabled={demo.isPending}>
          {demo.isPending ? 'Opening…' : 'Try the demo clinic'}
        </button>
      </aside>
      <form onSubmit={submit} noValidate className="first-run-form">
        <fieldset>
          <legend>The clinic</legend>
          <Field name="name" label="Clinic name" value={form.name} onChange={set('name')} error={field('name')} autoFocus />
          <div className="field-row">
            <Field
              name="timezone"
              label="Timezone"
              hint="e.g. Europe/London"
              value={form.timezone}
              onChange={set('timezone')}
              error={field('timezone')}
            />
            <Field
              name="currency"
              label="Currency"
              hint="e.g. GBP"
              value={form.currency}
              onChange={set('currency')}
              error={field('currency')}
            />
            <Field
              name="language"
              label="Language"
              hint="e.g. en-GB"
              value={form.language}
              onChange={set('language')}
              error={field('language')}
            />
          </div>
        </fieldset>
        <fieldset>
          <legend>You, its first administrator</legend>
          <div className="field-row">
            <Field
              name="admin.firstName"
              label="First name"
              autoComplete="given-name"
              value={form.firstName}
              onChange={set('firstName')}
              error={field('admin.firstName')}
            />
            <Field
              name="admin.lastName"
              label="Last name"
              autoComplete="family-name"
              value={form.lastName}
              onChange={set('lastName')}
              error={field('admin.lastName')}
            />
          </div>
          <Field
            name="admin.email"
            label="Email"
            type="email"
            autoComplete="username"
            value={form.email}
            onChange={set('email')}
            error={field('admin.email')}
          />
          <div className="field-row">
            <Field
              name="admin.password"
              label="Password"
              hint="10 characters or more"
              type="password"
              autoComplete="new-password"
              value={form.password}
              onChange={set('password')}
              error={field('admin.password')}
            />
            <Field
              name="admin.confirm"
              label="Password again"
              type="password"
              autoComplete="new-password"
              value={form.confirm}
              onChange={set('confirm')}
              error={field('admin.confirm')}
            />
          </div>
        </fieldset>
        <div role="alert" className="form-problem">
          {errors.general}
        </div>
        <button type="submit" className="button-primary button-wide" aria-disabled={create.isPending}>
          {create.isPending ? 'Setting up…' : 'Create the clinic'}
        </button>
      </form>
    </GateCard>
  );
}
