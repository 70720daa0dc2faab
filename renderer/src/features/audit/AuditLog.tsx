import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { AUDIT_ACTIONS, auditFilterInput, type AuditEntry, type AuditFilter } from '../../../../shared/audit';
import { formErrorsOf } from '../../errors';
import { useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { formatInstant } from '../../ui/dates';
import { Field, SelectField } from '../../ui/Field';
import { useCan, useSignedIn } from '../../ui/useSignedIn';
import { PatientPicker } from '../patients/PatientPicker';
import type { ChosenPatient } from '../patients/patientsDesk';
import { auditCsv } from './auditCsv';

const LIMIT = 500;

/**
 * Who changed what and who opened which chart, filtered by patient, staff member, kind of record
 * and clinic days; old and new values side by side; the rows shown can be saved as CSV.
 * Confidential records' rows reach only those the database lets read them.
 */
export function AuditLog() {
  const { clinic } = useSignedIn();
  const can = useCan();
  const trpc = useTRPC();
  const [patient, setPatient] = useState<ChosenPatient | null>(null);
  const [draft, setDraft] = useState({ userId: '', tableName: '', from: '', to: '' });
  const [filter, setFilter] = useState<AuditFilter>({ limit: LIMIT });
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const staff = useQuery(trpc.staff.list.queryOptions(undefined, { enabled: can('admin.users') }));
  const tables = useQuery(trpc.admin.auditedTables.queryOptions());
  const trail = useQuery(trpc.admin.audit.queryOptions(filter));
  const when = (iso: string) => formatInstant(iso, clinic.language, clinic.timezone);

  function apply(event: FormEvent) {
    event.preventDefault();
    const chosen: AuditFilter = { limit: LIMIT, patientId: patient?.id };
    for (const [name, value] of Object.entries(draft)) if (value) Object.assign(chosen, { [name]: value });
    const checked = checkForm(auditFilterInput, chosen);
    setFieldErrors(checked.fields);
    if (checked.ok) setFilter(chosen);
  }

  function download(entries: readonly AuditEntry[]) {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([auditCsv(entries, when)], { type: 'text/csv;charset=utf-8' }));
    link.download = `audit-trail-${new Date().toISOString().slice(0, 10)}.csv`;
    link.click();
    URL.revokeObjectURL(link.href);
  }

  const set = (name: keyof typeof draft) => ({
    value: draft[name],
    onChange: (event: { target: { value: string } }) => setDraft({ ...draft, [name]: event.target.value }),
    error: fieldErrors[name],
  });
  const entries = trail.data ?? [];
  return (
    <section className="audit" aria-labelledby="audit-title">
      <h2 id="audit-title" className="visually-hidden">
        Audit trail
      </h2>
      <form className="panel audit-filters" onSubmit={apply} noValidate>
        {can('patients.read') && (
          <div className="audit-patient">
            <PatientPicker value={patient} onChange={setPatient} error={fieldErrors.patientId} />
          </div>
        )}
        {can('admin.users') && (
          <SelectField label="Staff member" {...set('userId')}>
            <option value="">Anyone</option>
            {staff.data?.map((member) => (
              <option key={member.id} value={member.id}>
                {member.first_name} {member.last_name}
              </option>
            ))}
          </SelectField>
        )}
        <SelectField label="Kind of record" {...set('tableName')}>
          <option value="">Any</option>
          {tables.data?.map((table) => (
            <option key={table} value={table}>
              {table.replaceAll('_', ' ')}
            </option>
          ))}
        </SelectField>
        <Field label="From" type="date" {...set('from')} />
        <Field label="To" type="date" {...set('to')} />
        <div className="audit-buttons">
          <button type="submit" className="button-primary">
            Show
          </button>
          <button type="button" className="button-secondary" disabled={entries.length === 0} onClick={() => download(entries)}>
            Save as CSV
          </button>
        </div>
      </form>
      {trail.isError && <p className="form-problem">{formErrorsOf(trail.error).general}</p>}
      <p className="muted" role="status">
        {trail.isFetching
          ? 'Reading the trail…'
          : `${entries.length === LIMIT ? `The latest ${LIMIT}` : entries.length} entries, newest first.`}
      </p>
      <table className="plain-table audit-table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Patient</th>
            <th scope="col">Field</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <AuditRows key={entry.id} entry={entry} when={when} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** One entry: a row per changed field, the entry's own cells spanning them. */
function AuditRows({ entry, when }: { entry: AuditEntry; when(iso: string): string }) {
  const fields = entry.fields.length > 0 ? entry.fields : [null];
  const span = fields.length;
  return (
    <>
      {fields.map((change, index) => (
        <tr key={change?.field ?? 'none'} className={index === 0 ? 'audit-first' : undefined}>
          {index === 0 && (
            <>
              <td rowSpan={span}>{when(entry.at)}</td>
              <td rowSpan={span}>{entry.user_name ?? 'The system'}</td>
              <td rowSpan={span}>
                {AUDIT_ACTIONS[entry.action] ?? entry.action}
                {entry.kind === 'change' && <span className="muted"> · {entry.table_name.replaceAll('_', ' ')}</span>}
                {entry.reason && <div className="muted">Reason: {entry.reason}</div>}
              </td>
              <td rowSpan={span}>
                {entry.patient_number && <span className="patient-number">{entry.patient_number}</span>} {entry.patient_name}
              </td>
            </>
          )}
          <td>{change?.field.replaceAll('_', ' ')}</td>
          <td className="audit-old">{change?.old}</td>
          <td className="audit-new">{change?.new}</td>
        </tr>
      ))}
    </>
  );
}
