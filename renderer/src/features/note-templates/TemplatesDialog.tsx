import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { noteTemplateInput, type NoteTemplate, type NoteTemplateInput } from '../../../../shared/note-templates';
import { formErrorsOf } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { Dialog, DialogFooter } from '../../ui/Dialog';
import { Field, TextAreaField } from '../../ui/Field';

const BLANK: NoteTemplateInput = { name: '', chief_complaint: '', history: '', examination: '', assessment: '', plan: '' };

const BOXES = [
  { key: 'chief_complaint', label: 'Presenting complaint', rows: 1 },
  { key: 'history', label: 'History', rows: 2 },
  { key: 'examination', label: 'Examination', rows: 2 },
  { key: 'assessment', label: 'Assessment', rows: 2 },
  { key: 'plan', label: 'Plan', rows: 2 },
] as const;

/** The clinic's note templates: pick one to change or remove, or write a new one. */
export function TemplatesDialog({ templates, onClose }: { templates: readonly NoteTemplate[]; onClose(): void }) {
  const trpc = useTRPC();
  const refresh = useRefresh(trpc.noteTemplates.list);
  const [editing, setEditing] = useState<NoteTemplateInput>(BLANK);
  const [fields, setFields] = useState<Record<string, string>>({});
  const save = useMutation(
    trpc.noteTemplates.save.mutationOptions({
      onSuccess: async () => {
        await refresh();
        setEditing(BLANK);
      },
    }),
  );
  const remove = useMutation(
    trpc.noteTemplates.remove.mutationOptions({
      onSuccess: async () => {
        await refresh();
        setEditing(BLANK);
      },
    }),
  );
  const serverErrors = save.isError ? formErrorsOf(save.error) : remove.isError ? formErrorsOf(remove.error) : undefined;
  const error = (name: string) => fields[name] ?? serverErrors?.fields[name];
  const pick = (template: NoteTemplate | null) => {
    setFields({});
    save.reset();
    remove.reset();
    setEditing(template ?? BLANK);
  };

  return (
    <Dialog title="Note templates" onClose={onClose} wide>
      <div className="templates-dialog">
        <nav aria-label="Templates">
          <ul>
            {templates.map((template) => (
              <li key={template.id}>
                <button type="button" className="button-quiet" aria-current={editing.id === template.id} onClick={() => pick(template)}>
                  {template.name}
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="button-secondary" onClick={() => pick(null)}>
            New template
          </button>
        </nav>
        <form
          className="prescription-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            if (save.isPending) return;
            const checked = checkForm(noteTemplateInput, editing);
            setFields(checked.fields);
            if (checked.ok) save.mutate(editing);
          }}
        >
          <Field
            label="Template name"
            value={editing.name}
            error={error('name')}
            onChange={(e) => setEditing({ ...editing, name: e.target.value })}
          />
          {BOXES.map(({ key, label, rows }) => (
            <TextAreaField
              key={key}
              label={label}
              rows={rows}
              value={editing[key] ?? ''}
              error={error(key)}
              onChange={(e) => setEditing({ ...editing, [key]: e.target.value })}
            />
          ))}
          {editing.id && (
            <button
              type="button"
              className="button-quiet button-danger"
              onClick={() => editing.id && !remove.isPending && remove.mutate({ id: editing.id })}
            >
              Remove this template
            </button>
          )}
          <DialogFooter
            problem={serverErrors?.general ?? null}
            busy={save.isPending}
            label={editing.id ? 'Save changes' : 'Add template'}
            busyLabel="Saving…"
            onCancel={onClose}
            cancelLabel="Close"
          />
        </form>
      </div>
    </Dialog>
  );
}
