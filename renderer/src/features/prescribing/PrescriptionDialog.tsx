import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { createPrescriptionInput, DOSAGE_FORMS, ROUTES, type Prescription } from '../../../../shared/prescriptions';
import { formErrorsOf } from '../../errors';
import { useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { Dialog, DialogFooter } from '../../ui/Dialog';
import { Field, SelectField, TextAreaField } from '../../ui/Field';
import { MedicationField } from './MedicationField';
import { EMPTY_PRESCRIPTION, prescriptionInputOf, type PrescriptionFormValues } from './prescriptionForm';

/** A pause in typing the medicine this long asks for the warnings. */
const CHECK_AFTER_MS = 300;

const label = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);

/**
 * Writing a prescription: the allergy, cross-sensitivity and duplicate-therapy warnings show as
 * the medicine is named, before anything is saved; with any, it is written only with a reason.
 */
export function PrescriptionDialog({
  patientId,
  onWritten,
  onClose,
}: {
  patientId: string;
  onWritten(prescription: Prescription): void;
  onClose(): void;
}) {
  const trpc = useTRPC();
  const [values, setValues] = useState<PrescriptionFormValues>(EMPTY_PRESCRIPTION);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [checkedName, setCheckedName] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setCheckedName(values.medication.trim()), CHECK_AFTER_MS);
    return () => clearTimeout(timer);
  }, [values.medication]);
  const check = useQuery(
    trpc.prescriptions.check.queryOptions({ patientId, medication: checkedName }, { enabled: checkedName.length >= 2, staleTime: 0 }),
  );
  const warnings = checkedName.length >= 2 ? (check.data ?? []) : [];
  const create = useMutation(trpc.prescriptions.create.mutationOptions({ onSuccess: onWritten }));
  const serverErrors = create.isError ? formErrorsOf(create.error) : undefined;
  const error = (name: string) => fields[name] ?? serverErrors?.fields[name];
  const edit = (change: Partial<PrescriptionFormValues>) => setValues((current) => ({ ...current, ...change }));

  return (
    <Dialog title="New prescription" onClose={onClose} wide>
      <form
        className="prescription-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (create.isPending) return;
          const input = prescriptionInputOf(patientId, values);
          const checked = checkForm(createPrescriptionInput, input);
          const reasonMissing = warnings.length > 0 && values.overrideReason.trim() === '';
          setFields(
            reasonMissing ? { ...checked.fields, overrideReason: 'Give a reason to prescribe despite the warnings.' } : checked.fields,
          );
          if (checked.ok && !reasonMissing) create.mutate(input);
        }}
      >
        <MedicationField value={values.medication} error={error('medication')} onChange={(medication) => edit({ medication })} />
        {warnings.length > 0 && (
          <div className="prescribing-warnings" role="alert">
            {warnings.map((warning) => (
              <p
                key={`${warning.kind}:${warning.message}`}
                className={warning.kind === 'allergy' ? 'warning warning-severe' : 'warning warning-allergy'}
              >
                <strong>
                  {warning.kind === 'allergy'
                    ? 'Allergy'
                    : warning.kind === 'cross_sensitivity'
                      ? 'Cross-sensitivity'
                      : 'Duplicate therapy'}
                  :
                </strong>{' '}
                {warning.message}
              </p>
            ))}
          </div>
        )}
        <div className="field-row">
          <Field
            label="Strength"
            placeholder="500 mg"
            value={values.strength}
            error={error('strength')}
            onChange={(e) => edit({ strength: e.target.value })}
          />
          <SelectField
            label="Form"
            value={values.form}
            error={error('form')}
            onChange={(e) => edit({ form: e.target.value as PrescriptionFormValues['form'] })}
          >
            <option value="">—</option>
            {DOSAGE_FORMS.map((form) => (
              <option key={form} value={form}>
                {label(form)}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Route"
            value={values.route}
            error={error('route')}
            onChange={(e) => edit({ route: e.target.value as PrescriptionFormValues['route'] })}
          >
            {ROUTES.map((route) => (
              <option key={route} value={route}>
                {label(route)}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="field-row">
          <Field
            label="Dose"
            placeholder="One capsule"
            value={values.dose}
            error={error('dose')}
            onChange={(e) => edit({ dose: e.target.value })}
          />
          <Field
            label="Frequency"
            placeholder="Three times a day"
            value={values.frequency}
            error={error('frequency')}
            onChange={(e) => edit({ frequency: e.target.value })}
          />
        </div>
        <div className="field-row">
          <Field
            label="Duration (days)"
            inputMode="numeric"
            value={values.durationDays}
            error={error('durationDays')}
            onChange={(e) => edit({ durationDays: e.target.value })}
          />
          <Field
            label="Quantity"
            inputMode="decimal"
            value={values.quantity}
            error={error('quantity')}
            onChange={(e) => edit({ quantity: e.target.value })}
          />
          <Field
            label="Repeats"
            inputMode="numeric"
            value={values.repeats}
            error={error('repeats')}
            onChange={(e) => edit({ repeats: e.target.value })}
          />
        </div>
        <TextAreaField
          label="Instructions for the patient"
          rows={2}
          value={values.instructions}
          error={error('instructions')}
          onChange={(e) => edit({ instructions: e.target.value })}
        />
        {(warnings.length > 0 || error('overrideReason')) && (
          <TextAreaField
            label="Reason to prescribe despite the warnings"
            hint="Kept with the prescription and the warnings shown, and audited."
            rows={2}
            value={values.overrideReason}
            error={error('overrideReason')}
            onChange={(e) => edit({ overrideReason: e.target.value })}
          />
        )}
        <DialogFooter
          problem={serverErrors?.general ?? null}
          busy={create.isPending}
          label={warnings.length > 0 ? 'Prescribe anyway' : 'Prescribe'}
          busyLabel="Prescribing…"
          onCancel={onClose}
          danger={warnings.length > 0}
        />
      </form>
    </Dialog>
  );
}
