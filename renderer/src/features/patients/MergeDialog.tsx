import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { mergePatientsInput, type Patient } from '../../../../shared/patients';
import { formErrorsOf, NO_ERRORS } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { Dialog, DialogFooter } from '../../ui/Dialog';
import { TextAreaField } from '../../ui/Field';
import { fullName } from '../../ui/names';
import { PatientPicker } from './PatientPicker';
import { usePatientsDesk, type ChosenPatient } from './patientsDesk';

/** Table names as the desk says them, for what a merge moved. */
const MOVED_WORDS: Record<string, string> = {
  appointments: 'appointments',
  medical_records: 'medical records',
  prescriptions: 'prescriptions',
  invoices: 'invoices',
  payments: 'payments',
  diagnostic_tests: 'test orders',
  test_reports: 'test reports',
  documents: 'documents',
};

/**
 * Two records of one person made one, from the open record: the desk finds the other record,
 * chooses which to keep, and says why. Everything of the other moves to the one kept; the other
 * is archived pointing at it.
 */
export function MergeDialog({ patient, onClose }: { patient: Patient; onClose(): void }) {
  const here: ChosenPatient = { id: patient.id, name: fullName(patient), patient_number: patient.patient_number };
  const [other, setOther] = useState<ChosenPatient | null>(null);
  const [keep, setKeep] = useState<'here' | 'other'>('here');
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const openPatient = usePatientsDesk((s) => s.openPatient);
  const trpc = useTRPC();
  const refresh = useRefresh(trpc.patients, trpc.appointments);
  const merge = useMutation(trpc.patients.merge.mutationOptions({ onSuccess: refresh }));
  const server = merge.isError ? formErrorsOf(merge.error) : NO_ERRORS;
  const errors = { ...server.fields, ...problems };
  const [survivor, duplicate] = keep === 'here' ? [here, other] : [other, here];

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkForm(mergePatientsInput, { survivor_id: survivor?.id ?? '', duplicate_id: duplicate?.id ?? '', reason });
    // The record to find is "the other one", whichever of the two is kept: one message, under the picker.
    const { survivor_id: _keep, duplicate_id: _merge, ...rest } = checked.fields;
    setProblems(other ? rest : { ...rest, duplicate_id: 'Find the other record of this patient.' });
    if (!checked.ok || merge.isPending || !survivor || !duplicate) return;
    merge.mutate(checked.value, {
      onSuccess: ({ moved }) => {
        const what = Object.entries(moved)
          .filter(([table]) => MOVED_WORDS[table])
          .map(([table, n]) => `${n} ${MOVED_WORDS[table]}`)
          .join(', ');
        openPatient(
          survivor.id,
          `${duplicate.name} (${duplicate.patient_number}) was merged into this record${what ? `: ${what} moved` : ''}. It is archived.`,
        );
      },
    });
  }

  return (
    <Dialog title={`Merge a duplicate of ${here.name}`} onClose={onClose} wide>
      <form onSubmit={submit} noValidate>
        <p className="dialog-text">
          For one person registered twice. Appointments, medical records, prescriptions, invoices and everything else of the record not kept
          move to the one kept; allergies and alerts it lacks are added. The other record is archived and points to the one kept.
        </p>
        <PatientPicker
          label="The other record"
          value={other}
          onChange={(chosen) => {
            setOther(chosen);
            setProblems(({ duplicate_id: _gone, ...rest }) => rest);
            merge.reset();
          }}
          error={errors.duplicate_id}
          autoFocus
        />
        <fieldset className="merge-keep">
          <legend>Keep</legend>
          {[
            { value: 'here' as const, record: here },
            { value: 'other' as const, record: other },
          ].map(({ value, record }) => (
            <label key={value} className="choice">
              <input type="radio" name="keep" value={value} checked={keep === value} onChange={() => setKeep(value)} disabled={!record} />
              {record ? (
                <span>
                  <strong>{record.name}</strong> <span className="patient-number">{record.patient_number}</span>
                  {value === 'here' && <span className="muted"> (open now)</span>}
                </span>
              ) : (
                <span className="muted">the other record, once found</span>
              )}
            </label>
          ))}
        </fieldset>
        <TextAreaField
          label="Why are they merged?"
          hint="For example: registered twice, once with her maiden name."
          rows={2}
          value={reason}
          onChange={(event) => {
            setReason(event.target.value);
            setProblems(({ reason: _answered, ...rest }) => rest);
          }}
          error={errors.reason}
        />
        <DialogFooter
          problem={server.general}
          busy={merge.isPending}
          label={duplicate ? `Merge ${duplicate.patient_number} into ${survivor?.patient_number}` : 'Merge records'}
          busyLabel="Merging…"
          onCancel={onClose}
          danger
        />
      </form>
    </Dialog>
  );
}
