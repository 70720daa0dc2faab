import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { Note } from '../../../../shared/clinical';
import { formErrorsOf } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { Field, TextAreaField } from '../../ui/Field';
import { formatLongDay } from '../../ui/dates';
import { useSignedIn } from '../../ui/useSignedIn';
import { fillFromTemplate } from '../note-templates/fillFromTemplate';
import { TemplatePicker } from '../note-templates/TemplatePicker';
import { FinishVisitDialog, type FinishedVisit } from './FinishVisitDialog';
import { formValuesOf, noteInputOf, typedBmi, VITAL_FIELDS, type NoteFormValues } from './noteForm';

/** A pause in typing this long saves the draft. */
const AUTOSAVE_MS = 1_000;

/**
 * The visit's note: vitals, SOAP, diagnosis and follow-up, saved as the doctor types; signed,
 * it is read-only and takes addenda. Errors from the server are shown beside their box.
 */
export function NoteEditor({ initial }: { initial: Note }) {
  const trpc = useTRPC();
  const [note, setNote] = useState(initial);
  const [values, setValues] = useState<NoteFormValues>(() => formValuesOf(initial.note));
  const [dirty, setDirty] = useState(false);
  const save = useMutation(trpc.clinical.saveDraft.mutationOptions());
  const refreshChart = useRefresh(trpc.clinical.chart);
  // Signed vitals and diagnoses become the chart's last vitals and problems: read it again.
  const sign = useMutation(
    trpc.clinical.sign.mutationOptions({
      onSuccess: async (signed) => {
        setNote(signed);
        await refreshChart();
      },
    }),
  );
  const [finishing, setFinishing] = useState(false);
  const [finished, setFinished] = useState<FinishedVisit | null>(null);
  const latest = useRef(values);
  latest.current = values;

  useEffect(() => {
    if (!dirty) return;
    const timer = setTimeout(() => {
      setDirty(false);
      save.mutate({ recordId: note.id, note: noteInputOf(latest.current) });
    }, AUTOSAVE_MS);
    return () => clearTimeout(timer);
    // Saves after each pause in typing, not on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [values, dirty]);

  const edit = (change: Partial<NoteFormValues>) => {
    setValues((current) => ({ ...current, ...change }));
    setDirty(true);
  };
  const errors = save.isError ? formErrorsOf(save.error) : sign.isError ? formErrorsOf(sign.error) : undefined;
  const fieldError = (name: string) => errors?.fields[`note.${name}`];
  const signed = note.signed_at !== null;
  const bmi = typedBmi(values);

  const signNow = async () => {
    setDirty(false);
    // A draft the server refuses (its messages are shown beside the boxes) is not signed.
    const saved = await save.mutateAsync({ recordId: note.id, note: noteInputOf(latest.current) }).catch(() => null);
    if (saved) sign.mutate({ recordId: note.id });
  };

  return (
    <section className="panel note-editor" aria-labelledby="note-title">
      <div className="note-title-row">
        <h2 id="note-title">{signed ? 'Consultation note (signed)' : 'Consultation note'}</h2>
        <p className="muted" aria-live="polite">
          {signed
            ? `Signed by ${note.doctor_name}`
            : save.isPending
              ? 'Saving…'
              : save.isError
                ? 'Not saved: check the boxes marked'
                : save.isSuccess
                  ? 'Draft saved'
                  : 'Draft'}
        </p>
      </div>
      {errors?.general && (
        <p className="form-problem" role="alert">
          {errors.general}
        </p>
      )}
      <fieldset className="vitals-grid" disabled={signed}>
        <legend>Vitals</legend>
        {VITAL_FIELDS.map(({ key, label, unit }) => (
          <Field
            key={key}
            label={`${label} (${unit})`}
            inputMode="decimal"
            value={values.vitals[key]}
            error={fieldError(`vitals.${key}`)}
            onChange={(event) => edit({ vitals: { ...values.vitals, [key]: event.target.value } })}
          />
        ))}
        <p className="bmi">
          BMI <strong>{bmi ?? '–'}</strong>
        </p>
      </fieldset>
      <fieldset className="note-text" disabled={signed}>
        <legend>Note</legend>
        {!signed && <TemplatePicker onChoose={(template) => edit(fillFromTemplate(values, template))} />}
        <Field
          label="Presenting complaint"
          value={values.chief_complaint}
          error={fieldError('chief_complaint')}
          onChange={(e) => edit({ chief_complaint: e.target.value })}
        />
        <TextAreaField
          label="History"
          rows={2}
          value={values.history}
          error={fieldError('history')}
          onChange={(e) => edit({ history: e.target.value })}
        />
        <TextAreaField
          label="Examination"
          rows={2}
          value={values.examination}
          error={fieldError('examination')}
          onChange={(e) => edit({ examination: e.target.value })}
        />
        <TextAreaField
          label="Assessment"
          rows={2}
          value={values.assessment}
          error={fieldError('assessment')}
          onChange={(e) => edit({ assessment: e.target.value })}
        />
        <div className="field-row">
          <Field
            label="Diagnosis"
            value={values.diagnosis}
            error={fieldError('diagnoses')}
            onChange={(e) => edit({ diagnosis: e.target.value })}
          />
          <Field label="ICD-10 code" value={values.diagnosis_code} onChange={(e) => edit({ diagnosis_code: e.target.value })} />
        </div>
        <TextAreaField
          label="Plan"
          rows={2}
          value={values.plan}
          error={fieldError('plan')}
          onChange={(e) => edit({ plan: e.target.value })}
        />
        <div className="field-row">
          <Field
            label="Follow up in (days)"
            inputMode="numeric"
            value={values.follow_up_days}
            error={fieldError('follow_up_days')}
            onChange={(e) => edit({ follow_up_days: e.target.value })}
          />
          <label className="check">
            <input type="checkbox" checked={values.is_confidential} onChange={(e) => edit({ is_confidential: e.target.checked })} />{' '}
            Confidential
          </label>
        </div>
      </fieldset>
      {!signed && (
        <div className="button-row">
          <button type="button" className="button-primary" aria-disabled={sign.isPending} onClick={() => sign.isPending || void signNow()}>
            Sign note
          </button>
        </div>
      )}
      {signed && (
        <>
          <Addenda note={note} onAdded={setNote} />
          {finished && <FinishedNotice visit={finished} />}
          {note.appointment_id && !finished && (
            <div className="button-row">
              <button type="button" className="button-primary" onClick={() => setFinishing(true)}>
                Finish visit…
              </button>
            </div>
          )}
          {finishing && note.appointment_id && (
            <FinishVisitDialog
              appointmentId={note.appointment_id}
              noteFollowUpDays={note.note.follow_up_days}
              onClose={() => setFinishing(false)}
              onFinished={(visit) => {
                setFinishing(false);
                setFinished(visit);
              }}
            />
          )}
        </>
      )}
    </section>
  );
}

function FinishedNotice({ visit }: { visit: FinishedVisit }) {
  const { clinic } = useSignedIn();
  if (visit.follow_up) {
    const { local_date, local_start, appointment_number } = visit.follow_up;
    return (
      <p className="notice" role="status">
        Visit finished. Follow-up booked: {formatLongDay(local_date, clinic.language)} at {local_start} ({appointment_number}).
      </p>
    );
  }
  return (
    <p className="notice" role="status">
      Visit finished.
      {visit.follow_up_date && ` Follow-up due ${formatLongDay(visit.follow_up_date, clinic.language)}: book it at reception.`}
    </p>
  );
}

function Addenda({ note, onAdded }: { note: Note; onAdded(note: Note): void }) {
  const trpc = useTRPC();
  const [text, setText] = useState('');
  const add = useMutation(
    trpc.clinical.addAddendum.mutationOptions({
      onSuccess: (updated) => {
        setText('');
        onAdded(updated);
      },
    }),
  );
  const errors = add.isError ? formErrorsOf(add.error) : undefined;
  return (
    <section className="addenda" aria-label="Addenda">
      {note.addenda.map((a) => (
        <p key={a.id} className="addendum">
          <span className="muted">
            Addendum {a.local_date}, {a.written_by_name}:
          </span>{' '}
          {a.addendum}
        </p>
      ))}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          add.mutate({ recordId: note.id, text });
        }}
      >
        <TextAreaField
          label="Add an addendum"
          rows={2}
          value={text}
          error={errors?.fields.text ?? errors?.general ?? undefined}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="button-secondary" aria-disabled={add.isPending}>
          Add addendum
        </button>
      </form>
    </section>
  );
}
