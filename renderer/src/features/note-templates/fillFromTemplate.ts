import { TEMPLATE_FIELDS, type NoteTemplate } from '../../../../shared/note-templates';

type TemplateBoxes = Record<(typeof TEMPLATE_FIELDS)[number], string>;

/** A template fills the note's boxes that are still empty: what the doctor already wrote stays. */
export function fillFromTemplate<T extends TemplateBoxes>(values: T, template: NoteTemplate): T {
  const filled = { ...values };
  for (const field of TEMPLATE_FIELDS) {
    if (filled[field].trim() === '' && template[field] !== '') filled[field] = template[field] as T[typeof field];
  }
  return filled;
}
