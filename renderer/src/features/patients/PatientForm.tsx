import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import { parseTypedDate, todayIn } from '../../../../shared/dates';
import {
  ALLERGY_SEVERITIES,
  BLOOD_GROUPS,
  GENDERS,
  MARITAL_STATUSES,
  patientDetails,
  type DuplicateCandidate,
  type Patient,
  type PatientDetails,
} from '../../../../shared/patients';
import { errorCode, formErrorsOf } from '../../errors';
import { useRefresh, useTRPC, useTRPCClient } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { ageOn, dateExample, formatLongDay } from '../../ui/dates';
import { Field, SelectField, TextAreaField } from '../../ui/Field';
import { fullName } from '../../ui/names';
import { useSignedIn } from '../../ui/useSignedIn';
import { DoctorSelect } from '../appointments/DoctorSelect';
import { DuplicateWarning } from './DuplicateWarning';
import { EntryRows } from './EntryRows';
import { detailsInput, EMPTY_ROWS, valuesFromPatient, valuesFromStart, type PatientFormValues, type ScalarField } from './formValues';
import { usePatient } from './patientQueries';
import { usePatientsDesk, type RegistrationStart } from './patientsDesk';

/** Register a new patient (from `start`) or edit an existing one (`patientId`). */
export function PatientForm({ start, patientId }: { start?: RegistrationStart; patientId?: string }) {
  const { clinic } = useSignedIn();
  if (!patientId) return <PatientFormBody initial={valuesFromStart(start ?? {}, clinic.language)} />;
  return <EditPatient patientId={patientId} />;
}

function EditPatient({ patientId }: { patientId: string }) {
  const { clinic } = useSignedIn();
  const patient = usePatient(patientId);
  if (patient.isError) return <p className="form-problem">{formErrorsOf(patient.error).general}</p>;
  if (!patient.data) return <p className="muted">Opening the record…</p>;
  return <PatientFormBody patient={patient.data} initial={valuesFromPatient(patient.data, clinic.language)} />;
}

/** The server names fields by their place in its input ("patient.first_name"); the form by the details'. */
function serverFields(error: unknown): Record<string, string> {
  const fields = formErrorsOf(error).fields;
  return Object.fromEntries(Object.entries(fields).map(([name, message]) => [name.replace(/^patient\./, ''), message]));
}

const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

function PatientFormBody({ patient, initial }: { patient?: Patient; initial: PatientFormValues }) {
  const { clinic } = useSignedIn();
  const language = clinic.language;
  const client = useQueryClient();
  const trpc = useTRPC();
  const trpcClient = useTRPCClient();
  const { openPatient, backToSearch, dropDraft } = usePatientsDesk.getState();
  // What is typed lives in the desk, so another tab or area and back finds it as it was left.
  const draftForm = patient ? `edit:${patient.id}` : 'register';
  const values = usePatientsDesk((s) => (s.draft?.form === draftForm ? s.draft.values : null)) ?? initial;
  function setValues(update: (current: PatientFormValues) => PatientFormValues) {
    const { draft, keepDraft } = usePatientsDesk.getState();
    const next = update(draft?.form === draftForm ? draft.values : initial);
    keepDraft({ form: draftForm, values: next, changed: JSON.stringify(next) !== JSON.stringify(initial) });
  }
  // Messages appear once Save has been tried, then follow every change.
  const [attempted, setAttempted] = useState(false);
  const [duplicates, setDuplicates] = useState<DuplicateCandidate[]>([]);
  const [differentFrom, setDifferentFrom] = useState<string[]>([]);
  /** The warning stopped a save: "It's someone else — continue" then saves. */
  const [heldSave, setHeldSave] = useState(false);
  const [focusRequest, setFocusRequest] = useState<{ to: 'error' | 'duplicates'; n: number } | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const duplicatePanel = useRef<HTMLElement>(null);
  const lookups = useRef(0);

  // Names and flags show in search, on the calendar and in the queue: all of them refresh.
  const refresh = useRefresh(trpc.patients, trpc.appointments);
  const save = useMutation({
    mutationFn: ({ details, acknowledged }: { details: PatientDetails; acknowledged: boolean }) =>
      patient
        ? trpcClient.patients.update.mutate({ id: patient.id, patient: details })
        : trpcClient.patients.register.mutate({ patient: details, duplicates_acknowledged: acknowledged }),
    onSuccess: refresh,
  });

  const { input, dateProblems } = detailsInput(values, language);
  const checked = checkForm(patientDetails, input);
  const errors: Record<string, string> = {
    ...(save.isError ? serverFields(save.error) : {}),
    ...(attempted ? { ...checked.fields, ...dateProblems } : {}),
  };
  const unconfirmed = duplicates.filter((candidate) => !differentFrom.includes(candidate.id));

  // The form opens at its top, not where the record before it was scrolled to.
  useLayoutEffect(() => {
    for (let box = form.current?.parentElement; box; box = box.parentElement) box.scrollTop = 0;
  }, []);

  // Ctrl+S saves wherever the focus is (straight after "Edit details" it is on no field yet); not behind a dialog.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.ctrlKey || event.key.toLowerCase() !== 's') return;
      event.preventDefault();
      if (!document.querySelector('dialog[open]')) void submit();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  useEffect(() => {
    if (focusRequest?.to === 'error') form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    if (focusRequest?.to === 'duplicates') duplicatePanel.current?.focus();
  }, [focusRequest]);
  const focus = (to: 'error' | 'duplicates') => setFocusRequest((last) => ({ to, n: (last?.n ?? 0) + 1 }));

  /** Asks the server who this might already be; only the latest question's answer is shown. */
  async function lookForDuplicates(fresh: boolean): Promise<DuplicateCandidate[]> {
    const birth = parseTypedDate(values.date_of_birth, language);
    const phone = values.phone.replace(/\D/g, '').length >= 6 ? values.phone.trim() : null;
    const named = values.first_name.trim() !== '' && values.last_name.trim() !== '';
    const lookup = ++lookups.current;
    let found: DuplicateCandidate[] = [];
    if ((named && birth) || phone) {
      const question = {
        first_name: values.first_name.trim(),
        last_name: values.last_name.trim(),
        date_of_birth: birth,
        phone,
        exclude_id: patient?.id ?? null,
      };
      found = await client.fetchQuery(trpc.patients.findDuplicates.queryOptions(question, { staleTime: fresh ? 0 : 10_000 }));
    }
    if (lookup === lookups.current) setDuplicates(found);
    return found;
  }

  function checkOnLeave() {
    // A failed look-up here is not the last word: Save asks again, and the server checks too.
    lookForDuplicates(false).catch(() => undefined);
  }

  function store(acknowledged: boolean) {
    if (checked.ok && Object.keys(dateProblems).length === 0) {
      save.mutate(
        { details: checked.value, acknowledged },
        {
          onSuccess: (saved) => {
            dropDraft();
            openPatient(saved.id);
          },
          onError: (error) => {
            // Someone registered a match since we looked: show them before trying again.
            if (errorCode(error) !== 'CONFLICT') return;
            setHeldSave(true);
            lookForDuplicates(true).then(
              () => focus('duplicates'),
              () => undefined,
            );
          },
        },
      );
    }
  }

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    if (save.isPending) return;
    setAttempted(true);
    if (!checked.ok || Object.keys(dateProblems).length > 0) {
      focus('error');
      return;
    }
    const found = await lookForDuplicates(true).catch(() => duplicates);
    if (found.some((candidate) => !differentFrom.includes(candidate.id))) {
      setHeldSave(true);
      focus('duplicates');
      return;
    }
    store(found.length > 0);
  }

  function someoneElse() {
    setDifferentFrom((ids) => [...ids, ...unconfirmed.map((candidate) => candidate.id)]);
    focus('duplicates');
    if (heldSave) store(true);
  }

  const set = (field: ScalarField) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [field]: event.target.value }));
  const text = (field: ScalarField, label: string, more: Partial<Parameters<typeof Field>[0]> = {}) => (
    <Field label={label} name={field} value={values[field]} onChange={set(field)} error={errors[field]} {...more} />
  );
  const choice = (field: ScalarField, label: string, options: readonly string[], none?: string) => (
    <SelectField label={label} name={field} value={values[field]} onChange={set(field)} error={errors[field]} required={!none}>
      <option value="">{none ?? 'Choose…'}</option>
      {options.map((option) => (
        <option key={option} value={option}>
          {capitalised(option)}
        </option>
      ))}
    </SelectField>
  );
  const insurance = (field: keyof PatientFormValues['insurance_info'], label: string, more: Partial<Parameters<typeof Field>[0]> = {}) => (
    <Field
      label={label}
      value={values.insurance_info[field]}
      onChange={(event) =>
        setValues((current) => ({ ...current, insurance_info: { ...current.insurance_info, [field]: event.target.value } }))
      }
      error={errors[`insurance_info.${field}`]}
      {...more}
    />
  );

  const birth = parseTypedDate(values.date_of_birth, language);
  const errorCount = Object.keys(errors).length;
  const title = patient ? `Edit ${fullName(patient)}` : 'Register new patient';

  return (
    <form ref={form} className="patient-form" noValidate aria-label={title} onSubmit={(event) => void submit(event)}>
      <div className="form-main">
        <h2>{title}</h2>
        <fieldset className="form-group">
          <legend>Identity</legend>
          <div className="form-grid">
            {text('first_name', 'First name', { required: true, autoFocus: true, onBlur: checkOnLeave, autoComplete: 'off' })}
            {text('middle_name', 'Middle name', { autoComplete: 'off' })}
            {text('last_name', 'Last name', { required: true, onBlur: checkOnLeave, autoComplete: 'off' })}
            {text('date_of_birth', 'Date of birth', {
              required: true,
              onBlur: checkOnLeave,
              autoComplete: 'off',
              className: 'field-hint-below',
              placeholder: dateExample(language),
              hint: birth
                ? `${formatLongDay(birth, language)} · ${ageOn(birth, todayIn(clinic.timezone))}`
                : `Day, month, year: ${dateExample(language)}`,
            })}
            {choice('gender', 'Gender', GENDERS)}
            {choice('blood_group', 'Blood group', BLOOD_GROUPS, 'Not known')}
            {choice('marital_status', 'Marital status', MARITAL_STATUSES, 'Not given')}
            {text('occupation', 'Occupation')}
            {text('preferred_language', 'Preferred language')}
            {text('national_id', 'National id / NHS number')}
            <DoctorSelect
              label="Usual doctor"
              anyLabel="None"
              value={values.primary_care_physician_id}
              onChange={(id) => setValues((current) => ({ ...current, primary_care_physician_id: id }))}
              error={errors.primary_care_physician_id}
            />
          </div>
        </fieldset>

        <fieldset className="form-group">
          <legend>Contact</legend>
          <div className="form-grid">
            {text('phone', 'Phone', { type: 'tel', onBlur: checkOnLeave, autoComplete: 'off' })}
            {text('alternate_phone', 'Other phone', { type: 'tel', autoComplete: 'off' })}
            {text('email', 'Email', { type: 'email', autoComplete: 'off' })}
          </div>
        </fieldset>

        <fieldset className="form-group">
          <legend>Address</legend>
          <div className="form-grid">
            {text('address_line1', 'Address line 1', { className: 'span-2' })}
            {text('address_line2', 'Address line 2')}
            {text('city', 'Town / city')}
            {text('state', 'County / state')}
            {text('postal_code', 'Postcode')}
            {text('country', 'Country')}
          </div>
        </fieldset>

        <fieldset className="form-group">
          <legend>Emergency contact</legend>
          <div className="form-grid">
            {text('emergency_contact_name', "Contact's name")}
            {text('emergency_contact_relationship', 'Relationship')}
            {text('emergency_contact_phone', "Contact's phone", { type: 'tel' })}
          </div>
        </fieldset>

        <fieldset className="form-group">
          <legend>Insurance</legend>
          <div className="form-grid">
            {insurance('provider', 'Insurer')}
            {insurance('policy_number', 'Policy number')}
            {insurance('group_number', 'Group number')}
            {insurance('valid_until', 'Valid until', { placeholder: dateExample(language) })}
          </div>
        </fieldset>

        <EntryRows
          legend="Allergies"
          itemName="allergy"
          path="allergies"
          rows={values.allergies}
          blank={EMPTY_ROWS.allergies}
          columns={[
            { key: 'substance', label: 'Allergen' },
            { key: 'reaction', label: 'Reaction' },
            { key: 'severity', label: 'Severity', choices: ALLERGY_SEVERITIES },
          ]}
          errors={errors}
          none="No known allergies recorded."
          onChange={(allergies) => setValues((current) => ({ ...current, allergies }))}
        />
        <EntryRows
          legend="Medical history"
          itemName="condition"
          path="medical_history"
          rows={values.medical_history}
          blank={EMPTY_ROWS.medical_history}
          columns={[
            { key: 'condition', label: 'Condition' },
            { key: 'since', label: 'Since', hint: 'Year or date' },
            { key: 'notes', label: 'Notes' },
          ]}
          errors={errors}
          none="No conditions recorded."
          onChange={(medical_history) => setValues((current) => ({ ...current, medical_history }))}
        />
        <EntryRows
          legend="Current medications"
          itemName="medication"
          path="current_medications"
          rows={values.current_medications}
          blank={EMPTY_ROWS.current_medications}
          columns={[
            { key: 'name', label: 'Medication' },
            { key: 'dose', label: 'Dose' },
            { key: 'frequency', label: 'How often' },
          ]}
          errors={errors}
          none="No medications recorded."
          onChange={(current_medications) => setValues((current) => ({ ...current, current_medications }))}
        />

        <fieldset className="form-group">
          <legend>Alerts &amp; notes</legend>
          <TextAreaField
            label="Alerts"
            hint="Shown on the patient's header for everyone, e.g. needs wheelchair access."
            rows={2}
            value={values.alerts}
            onChange={set('alerts')}
            error={errors.alerts}
          />
          <TextAreaField label="Notes" rows={3} value={values.notes} onChange={set('notes')} error={errors.notes} />
        </fieldset>
      </div>

      <aside className="form-aside">
        {duplicates.length > 0 && (
          <DuplicateWarning
            ref={duplicatePanel}
            candidates={duplicates}
            acknowledged={unconfirmed.length === 0}
            onOpen={(patientId) => {
              // Choosing the record already on file is the answer to the half-typed one: no "discard?" prompt.
              dropDraft();
              openPatient(patientId);
            }}
            onSomeoneElse={someoneElse}
          />
        )}
        <div role="alert" className="form-problem">
          {save.isError && errorCode(save.error) !== 'CONFLICT'
            ? formErrorsOf(save.error).general
            : attempted && errorCount > 0
              ? `Please correct the ${errorCount === 1 ? 'field' : `${errorCount} fields`} marked in red.`
              : null}
        </div>
        <div className="form-buttons">
          <button type="submit" className="button-primary" aria-disabled={save.isPending} aria-keyshortcuts="Control+S">
            {save.isPending ? 'Saving…' : patient ? 'Save changes' : 'Register patient'} <kbd>Ctrl+S</kbd>
          </button>
          <button
            type="button"
            className="button-secondary"
            onClick={() => {
              dropDraft();
              if (patient) openPatient(patient.id);
              else backToSearch();
            }}
          >
            Cancel
          </button>
        </div>
      </aside>
    </form>
  );
}
