import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { LAB_CATALOG } from '../../../../shared/lab-catalog';
import { orderTestInput, PRIORITIES, type LabTest, type TestPriority } from '../../../../shared/results';
import { formErrorsOf, NO_ERRORS } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { Dialog, DialogFooter } from '../../ui/Dialog';
import { Field, SelectField } from '../../ui/Field';
import { PatientPicker } from '../patients/PatientPicker';
import type { ChosenPatient } from '../patients/patientsDesk';

const OTHER = 'other';
const PRIORITY_LABELS: Record<TestPriority, string> = { routine: 'Routine', urgent: 'Urgent', stat: 'Same day (stat)' };

/** Orders a test of the catalog, or one it does not have by name, for a patient (given, or chosen here). */
export function OrderTestDialog(props: {
  patient?: ChosenPatient;
  appointmentId?: string;
  onClose(): void;
  onOrdered?(test: LabTest): void;
}) {
  const trpc = useTRPC();
  const refresh = useRefresh(trpc.results);
  const order = useMutation(trpc.results.order.mutationOptions({ onSuccess: refresh }));
  const [patient, setPatient] = useState<ChosenPatient | null>(props.patient ?? null);
  const [code, setCode] = useState('');
  const [testName, setTestName] = useState('');
  const [priority, setPriority] = useState<TestPriority>('routine');
  const [clinicalNotes, setClinicalNotes] = useState('');
  const [isConfidential, setConfidential] = useState(false);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const server = order.isError ? formErrorsOf(order.error) : NO_ERRORS;
  const errors = { ...server.fields, ...problems };
  const chosen = LAB_CATALOG.find((test) => test.code === code);

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkForm(orderTestInput, {
      patientId: patient?.id ?? '',
      appointmentId: props.appointmentId ?? null,
      catalogCode: code === OTHER || code === '' ? null : code,
      testName: code === OTHER ? testName : null,
      priority,
      clinicalNotes,
      isConfidential,
    });
    setProblems(checked.fields);
    if (checked.ok && !order.isPending) {
      order.mutate(checked.value, {
        onSuccess: (test) => {
          props.onOrdered?.(test);
          props.onClose();
        },
      });
    }
  }

  return (
    <Dialog title="Order a test" onClose={props.onClose}>
      <form onSubmit={submit} noValidate>
        {!props.patient && <PatientPicker value={patient} onChange={setPatient} error={errors.patientId} autoFocus />}
        <SelectField
          label="Test"
          value={code}
          onChange={(event) => setCode(event.target.value)}
          error={errors.catalogCode ?? (code === OTHER ? undefined : errors.testName)}
          hint={chosen ? `${chosen.specimen}: ${chosen.analytes.map((a) => a.name).join(', ')}` : undefined}
          autoFocus={!!props.patient}
        >
          <option value="">Choose a test…</option>
          {LAB_CATALOG.map((test) => (
            <option key={test.code} value={test.code}>
              {test.name}
            </option>
          ))}
          <option value={OTHER}>Another test (name it)…</option>
        </SelectField>
        {code === OTHER && (
          <Field label="Test name" value={testName} onChange={(event) => setTestName(event.target.value)} error={errors.testName} />
        )}
        {chosen?.preparation && <p className="field-hint">Tell the patient: {chosen.preparation}</p>}
        <SelectField label="Priority" value={priority} onChange={(event) => setPriority(event.target.value as TestPriority)}>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {PRIORITY_LABELS[p]}
            </option>
          ))}
        </SelectField>
        <Field
          label="Clinical details"
          hint="What the laboratory should know"
          value={clinicalNotes}
          onChange={(event) => setClinicalNotes(event.target.value)}
          error={errors.clinicalNotes}
        />
        <label className="check">
          <input type="checkbox" checked={isConfidential} onChange={(event) => setConfidential(event.target.checked)} /> Confidential (seen
          only by you and those allowed confidential records, results included)
        </label>
        <DialogFooter problem={server.general} busy={order.isPending} label="Order test" busyLabel="Ordering…" onCancel={props.onClose} />
      </form>
    </Dialog>
  );
}
