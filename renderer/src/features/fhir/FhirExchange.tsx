import { useMutation } from '@tanstack/react-query';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import type { FhirImportSummary } from '../../../../shared/fhir';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../../errors';
import { useTRPC } from '../../trpc';
import { Field } from '../../ui/Field';
import { saveBundle } from './saveBundle';

/** A chosen file: its text as read, and what it holds by kind of resource, for the preview. */
interface ChosenBundle {
  name: string;
  text: string;
  kinds: [string, number][];
}

const SUMMARY_LABELS: Record<keyof FhirImportSummary, string> = {
  patients: 'Patients',
  staff: 'Staff (disabled until given a password)',
  appointments: 'Appointments',
  notes: 'Consultation notes',
  prescriptions: 'Prescriptions',
  tests: 'Test orders',
  reports: 'Test reports',
  documents: 'Documents',
};

/** What a file holds by resource type; null when it is not a Bundle (the server says why on import). */
function kindsIn(text: string): [string, number][] | null {
  try {
    const bundle = JSON.parse(text) as { resourceType?: unknown; entry?: { resource?: { resourceType?: unknown } }[] };
    if (bundle.resourceType !== 'Bundle' || !Array.isArray(bundle.entry)) return null;
    const counts = new Map<string, number>();
    for (const entry of bundle.entry) {
      const kind = typeof entry.resource?.resourceType === 'string' ? entry.resource.resourceType : 'Unreadable entry';
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    return [...counts].sort(([a], [b]) => a.localeCompare(b));
  } catch {
    return null;
  }
}

/**
 * The clinic's records as a FHIR R4 Bundle, out and in: the whole clinic saved as a .json file,
 * and a Bundle imported into this clinic while it has no patients (all or nothing).
 */
export function FhirExchange() {
  const trpc = useTRPC();
  const [chosen, setChosen] = useState<ChosenBundle | null>(null);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const exported = useMutation(trpc.fhir.exportClinic.mutationOptions({ onSuccess: saveBundle }));
  const imported = useMutation(
    trpc.fhir.importClinic.mutationOptions({ onSuccess: () => setErrors(NO_ERRORS), onError: (error) => setErrors(formErrorsOf(error)) }),
  );

  async function choose(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    imported.reset();
    setChosen(null);
    if (!file) return;
    const text = await file.text();
    const kinds = kindsIn(text);
    setErrors(
      kinds
        ? NO_ERRORS
        : { fields: { bundle: 'This file is not a FHIR Bundle: choose the .json file ClinicDesk exported.' }, general: null },
    );
    if (kinds) setChosen({ name: file.name, text, kinds });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!chosen) setErrors({ fields: { bundle: 'Choose a FHIR Bundle file (.json).' }, general: null });
    else if (!imported.isPending) imported.mutate({ bundle: chosen.text });
  }

  return (
    <div className="admin-grid">
      <section className="panel" aria-labelledby="fhir-export-title">
        <h2 id="fhir-export-title">Export the clinic</h2>
        <p className="muted">
          Every patient with their allergies, history, visits, notes and vitals, prescriptions, tests and results, and the staff who wrote
          them, as one FHIR R4 Bundle (a .json file other clinical systems read). Confidential notes are included only for those allowed to
          read them. The file is not encrypted: keep it as safe as the records themselves.
        </p>
        <div className="panel-actions">
          <button
            type="button"
            className="button-primary"
            aria-disabled={exported.isPending}
            onClick={() => exported.isPending || exported.mutate()}
          >
            {exported.isPending ? 'Exporting…' : 'Export as FHIR'}
          </button>
        </div>
        {exported.data && (
          <p role="status">
            Saved {exported.data.fileName}: {exported.data.resources} resources.
          </p>
        )}
        {exported.error && (
          <p className="form-problem" role="alert">
            {formErrorsOf(exported.error).general}
          </p>
        )}
      </section>

      <section className="panel" aria-labelledby="fhir-import-title">
        <h2 id="fhir-import-title">Import into this clinic</h2>
        <p className="muted">
          A Bundle exported from ClinicDesk goes into a clinic that has no patients yet, all at once or not at all. Staff it names come in
          disabled: enable each one under Staff and roles with a temporary password.
        </p>
        <form className="panel-form" onSubmit={submit} noValidate aria-label="FHIR Bundle to import">
          <Field
            label="FHIR Bundle file"
            type="file"
            accept=".json,application/json,application/fhir+json"
            onChange={(event) => void choose(event)}
            error={errors.fields.bundle}
          />
          {chosen && !imported.data && (
            <table className="data-table" aria-label={`What ${chosen.name} holds`}>
              <tbody>
                {chosen.kinds.map(([kind, count]) => (
                  <tr key={kind}>
                    <th scope="row">{kind}</th>
                    <td>{count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {errors.general && (
            <p className="form-problem" role="alert">
              {errors.general}
            </p>
          )}
          <div className="panel-actions">
            <button type="submit" className="button-secondary" aria-disabled={imported.isPending}>
              {imported.isPending ? 'Importing…' : 'Import this Bundle'}
            </button>
          </div>
        </form>
        {imported.data && (
          <div role="status" aria-label="Imported">
            <p>Imported:</p>
            <table className="data-table">
              <tbody>
                {(Object.keys(SUMMARY_LABELS) as (keyof FhirImportSummary)[]).map((key) => (
                  <tr key={key}>
                    <th scope="row">{SUMMARY_LABELS[key]}</th>
                    <td>{imported.data[key]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
