import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { NoteTemplate } from '../../../../shared/note-templates';
import { useTRPC } from '../../trpc';
import { SelectField } from '../../ui/Field';
import { useCan } from '../../ui/useSignedIn';
import { TemplatesDialog } from './TemplatesDialog';

/** "Start from a template": fills the note's empty boxes; clinical staff keep the clinic's list. */
export function TemplatePicker({ onChoose }: { onChoose(template: NoteTemplate): void }) {
  const trpc = useTRPC();
  const can = useCan();
  const templates = useQuery(trpc.noteTemplates.list.queryOptions());
  const [managing, setManaging] = useState(false);
  return (
    <div className="template-picker">
      <SelectField
        label="Start from a template"
        hint="Fills the boxes that are still empty."
        value=""
        disabled={!templates.data?.length}
        onChange={(event) => {
          const chosen = templates.data?.find((t) => t.id === event.target.value);
          if (chosen) onChoose(chosen);
        }}
      >
        <option value="">{templates.data?.length ? 'Choose a template…' : 'No templates yet'}</option>
        {templates.data?.map((template) => (
          <option key={template.id} value={template.id}>
            {template.name}
          </option>
        ))}
      </SelectField>
      {can('clinical.write') && (
        <button type="button" className="button-quiet" onClick={() => setManaging(true)}>
          Manage templates…
        </button>
      )}
      {managing && <TemplatesDialog templates={templates.data ?? []} onClose={() => setManaging(false)} />}
    </div>
  );
}
