import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { APPOINTMENT_TYPES } from '../../../../shared/appointments';
import { visitLengthsInput, type VisitLengths, type VisitLengthsInput } from '../../../../shared/clinic-settings';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { Field } from '../../ui/Field';
import { APPOINTMENT_TYPE_LABELS } from '../appointments/labels';
import { SaveBar } from './SaveBar';

const asText = (lengths: VisitLengths) =>
  Object.fromEntries(APPOINTMENT_TYPES.map((type) => [type, String(lengths[type])])) as VisitLengthsInput;

export function VisitLengthsPanel() {
  const trpc = useTRPC();
  const lengths = useQuery(trpc.appointments.visitLengths.queryOptions());
  if (lengths.isError) return <p className="form-problem">{formErrorsOf(lengths.error).general}</p>;
  if (!lengths.data) return <p className="muted">Loading the types of visit…</p>;
  return <VisitLengthsForm saved={lengths.data} />;
}

/** How long each type of visit usually lasts: booking a visit of that type prefills its end time. */
function VisitLengthsForm({ saved }: { saved: VisitLengths }) {
  const trpc = useTRPC();
  const refresh = useRefresh(trpc.appointments.visitLengths);
  const [form, setForm] = useState(() => asText(saved));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const save = useMutation(
    trpc.admin.saveVisitLengths.mutationOptions({
      onSuccess: async (stored) => {
        setErrors(NO_ERRORS);
        setForm(asText(stored));
        await refresh();
      },
      onError: (error) => setErrors(formErrorsOf(error)),
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkForm(visitLengthsInput, form);
    setErrors({ fields: checked.fields, general: null });
    if (checked.ok && !save.isPending) save.mutate(form);
  }

  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby="visit-lengths-title">
      <h3 id="visit-lengths-title">Types of visit</h3>
      <p className="field-hint">
        Minutes a visit of each type usually takes (5 to 480, in steps of 5). Booking fills in the end time from it.
      </p>
      <div className="form-grid">
        {APPOINTMENT_TYPES.map((type) => (
          <Field
            key={type}
            label={`${APPOINTMENT_TYPE_LABELS[type]}, minutes`}
            type="number"
            min={5}
            max={480}
            step={5}
            value={form[type]}
            onChange={(event) => setForm({ ...form, [type]: event.target.value })}
            error={errors.fields[type]}
          />
        ))}
      </div>
      <SaveBar problem={errors.general} saved={save.isSuccess} saving={save.isPending} label="Save visit lengths" />
    </form>
  );
}
