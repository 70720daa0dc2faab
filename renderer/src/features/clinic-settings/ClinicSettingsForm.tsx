import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  clinicSettingsInput,
  timezoneChoices,
  weekHoursText,
  type ClinicSettings,
  type ClinicSettingsInput,
} from '../../../../shared/clinic-settings';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { Field, SelectField, TextAreaField } from '../../ui/Field';
import { useRefreshSession } from '../../ui/useSignedIn';
import { WeekHoursFields } from '../../ui/WeekHoursFields';
import { LogoPanel } from './LogoPanel';
import { SaveBar } from './SaveBar';
import { VisitLengthsPanel } from './VisitLengthsPanel';

/** The clinic's settings as the form edits them: text everywhere, hours as typed. */
function formValues(settings: ClinicSettings): ClinicSettingsInput {
  const { openingHours, ...rest } = settings;
  const text = Object.fromEntries(Object.entries(rest).map(([name, value]) => [name, value ?? ''])) as Omit<
    ClinicSettingsInput,
    'openingHours'
  >;
  return { ...text, openingHours: weekHoursText(openingHours) };
}

export function ClinicSettingsPage() {
  const trpc = useTRPC();
  const settings = useQuery(trpc.admin.settings.queryOptions());
  if (settings.isError) return <p className="form-problem">{formErrorsOf(settings.error).general}</p>;
  if (!settings.data) return <p className="muted">Loading the clinic's settings…</p>;
  return (
    <div className="settings-page">
      <ClinicSettingsForm saved={settings.data} />
      <VisitLengthsPanel />
    </div>
  );
}

/** Name, address, letterhead lines and logo for prints; where the clinic is (timezone, currency, language, phones); opening hours. */
function ClinicSettingsForm({ saved }: { saved: ClinicSettings }) {
  const trpc = useTRPC();
  const refreshSession = useRefreshSession();
  const refresh = useRefresh(trpc.admin, trpc.appointments);
  const [form, setForm] = useState<ClinicSettingsInput>(() => formValues(saved));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const save = useMutation(
    trpc.admin.saveSettings.mutationOptions({
      onSuccess: async (settings) => {
        setErrors(NO_ERRORS);
        setForm(formValues(settings));
        // The frame shows the clinic's name; the calendar its hours and timezone.
        await Promise.all([refreshSession(), refresh()]);
      },
      onError: (error) => setErrors(formErrorsOf(error)),
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkForm(clinicSettingsInput, form);
    setErrors({ fields: checked.fields, general: null });
    if (checked.ok && !save.isPending) save.mutate(form);
  }

  const text = (name: Exclude<keyof ClinicSettingsInput, 'openingHours'>) => ({
    value: form[name] ?? '',
    onChange: (event: { target: { value: string } }) => setForm({ ...form, [name]: event.target.value }),
    error: errors.fields[name],
  });
  return (
    <form className="settings-form" onSubmit={submit} noValidate aria-labelledby="settings-title">
      <h2 id="settings-title" className="visually-hidden">
        Clinic settings
      </h2>
      <section className="panel">
        <h3>The clinic</h3>
        <div className="form-grid">
          <Field label="Name" required className="span-2" {...text('name')} />
          <Field label="Phone" type="tel" {...text('phone')} />
          <Field label="Email" type="email" className="span-2" {...text('email')} />
          <Field label="Address" className="span-3" {...text('addressLine1')} />
          <Field label="Address, second line" className="span-3" {...text('addressLine2')} />
          <Field label="City" {...text('city')} />
          <Field label="County / state" {...text('state')} />
          <Field label="Postcode" {...text('postalCode')} />
          <TextAreaField
            label="Letterhead"
            hint="Lines printed under the address on prescriptions, receipts and reports"
            className="span-3"
            rows={4}
            {...text('letterhead')}
          />
        </div>
      </section>
      <LogoPanel />
      <section className="panel">
        <h3>Where it is</h3>
        <div className="form-grid">
          <SelectField label="Timezone" required hint="Appointments and the audit trail use this clock" {...text('timezone')}>
            {!timezoneChoices().includes(form.timezone) && <option value={form.timezone}>{form.timezone}</option>}
            {timezoneChoices().map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))}
          </SelectField>
          <Field label="Currency" required hint="GBP, EUR, USD…" maxLength={3} {...text('currency')} />
          <Field label="Language" required hint="en-GB, fr, es-MX… (dates and numbers)" {...text('language')} />
          <Field label="Country" {...text('country')} />
          <Field
            label="Phone numbers from"
            required
            hint="Country code for local numbers: GB, US, DE…"
            maxLength={2}
            {...text('phoneRegion')}
          />
        </div>
      </section>
      <section className="panel">
        <WeekHoursFields
          legend="Opening hours"
          value={form.openingHours}
          onChange={(openingHours) => setForm({ ...form, openingHours })}
          errors={errors.fields}
          prefix="openingHours"
        />
      </section>
      <SaveBar problem={errors.general} saved={save.isSuccess} saving={save.isPending} label="Save settings" />
    </form>
  );
}
