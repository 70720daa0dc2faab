import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { createDraftInput, updateDraftInput, type Invoice, type InvoiceableVisit } from '../../../../shared/billing';
import { formErrorsOf, NO_ERRORS } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { formatInstant } from '../../ui/dates';
import { Dialog, DialogFooter } from '../../ui/Dialog';
import { Field, SelectField, TextAreaField } from '../../ui/Field';
import { useSignedIn } from '../../ui/useSignedIn';
import { PatientPicker } from '../patients/PatientPicker';
import type { ChosenPatient } from '../patients/patientsDesk';
import { blankLine, linesToForm, pricedToForm, type LineDraft } from './lineForm';
import { LineRows } from './LineRows';

interface DraftDialogProps {
  /** The draft to edit; none: a new invoice. */
  draft?: Invoice;
  onClose(): void;
  onSaved(invoice: Invoice): void;
}

/** A new invoice, from a completed visit (its services priced from the price list) or by hand; or a draft's lines. */
export function DraftDialog({ draft, onClose, onSaved }: DraftDialogProps) {
  const { clinic } = useSignedIn();
  const trpc = useTRPC();
  const client = useQueryClient();
  const refresh = useRefresh(trpc.billing);
  const [visit, setVisit] = useState<InvoiceableVisit | null>(null);
  const [patient, setPatient] = useState<ChosenPatient | null>(null);
  const [lines, setLines] = useState<LineDraft[]>(draft ? linesToForm(draft.line_items) : [blankLine()]);
  const [insurerName, setInsurerName] = useState(draft?.insurer_name ?? '');
  const [insurerPercent, setInsurerPercent] = useState(draft?.insurer_percent ?? '0');
  const [notes, setNotes] = useState(draft?.notes ?? '');
  const [checked, setChecked] = useState<Record<string, string>>({});
  const visits = useQuery(trpc.billing.invoiceableVisits.queryOptions(undefined, { enabled: !draft }));
  const create = useMutation(trpc.billing.createDraft.mutationOptions({ onSuccess: refresh }));
  const update = useMutation(trpc.billing.updateDraft.mutationOptions({ onSuccess: refresh }));
  const save = draft ? update : create;
  const errors = save.isError ? formErrorsOf(save.error) : NO_ERRORS;
  const fields = { ...errors.fields, ...checked };

  async function chooseVisit(appointmentId: string) {
    const chosen = visits.data?.find((v) => v.appointment_id === appointmentId) ?? null;
    setVisit(chosen);
    if (!chosen) return;
    setPatient({ id: chosen.patient_id, name: chosen.patient_name, patient_number: chosen.patient_number });
    const priced = await client.fetchQuery(trpc.billing.visitLines.queryOptions({ appointmentId }));
    setLines(priced.length > 0 ? pricedToForm(priced) : [blankLine()]);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (save.isPending) return;
    const common = { lines, insurerName, insurerPercent, notes };
    if (draft) {
      const result = checkForm(updateDraftInput, { id: draft.id, ...common });
      setChecked(result.fields);
      if (result.ok) update.mutate(result.value, { onSuccess: onSaved });
    } else {
      const result = checkForm(createDraftInput, { patientId: patient?.id, appointmentId: visit?.appointment_id ?? null, ...common });
      setChecked(result.fields);
      if (result.ok) create.mutate(result.value, { onSuccess: onSaved });
    }
  }

  return (
    <Dialog title={draft ? 'Edit draft invoice' : 'New invoice'} onClose={onClose} wide>
      <form onSubmit={submit} noValidate>
        {!draft && (
          <div className="form-grid">
            <SelectField
              label="From a completed visit"
              hint="Its services and tests, priced as on the day of the visit."
              className="span-2"
              value={visit?.appointment_id ?? ''}
              onChange={(event) => void chooseVisit(event.target.value)}
              error={fields.appointmentId}
            >
              <option value="">By hand: no visit</option>
              {visits.data?.map((v) => (
                <option key={v.appointment_id} value={v.appointment_id}>
                  {formatInstant(v.starts_at, clinic.language, clinic.timezone)} · {v.patient_name} ({v.patient_number}) · {v.doctor_name}
                </option>
              ))}
            </SelectField>
            {visit ? (
              <p className="field">
                <span className="field-label">Patient</span>
                <strong>{visit.patient_name}</strong> <span className="patient-number">{visit.patient_number}</span>
              </p>
            ) : (
              <PatientPicker value={patient} onChange={setPatient} error={fields.patientId} />
            )}
          </div>
        )}
        <LineRows lines={lines} onChange={setLines} errors={fields} />
        <div className="form-grid">
          <Field
            label="Insurer"
            hint="Who pays part of it, if anyone."
            value={insurerName}
            onChange={(e) => setInsurerName(e.target.value)}
            error={fields.insurerName}
          />
          <Field
            label="Insurer’s share (%)"
            inputMode="decimal"
            value={insurerPercent}
            onChange={(e) => setInsurerPercent(e.target.value)}
            error={fields.insurerPercent}
          />
          <TextAreaField label="Notes" rows={2} value={notes} onChange={(e) => setNotes(e.target.value)} error={fields.notes} />
        </div>
        <DialogFooter problem={errors.general} busy={save.isPending} label="Save draft" busyLabel="Saving…" onCancel={onClose} />
      </form>
    </Dialog>
  );
}
