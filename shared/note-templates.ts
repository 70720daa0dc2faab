import { z } from 'zod';

const text = (label: string, max: number) => z.string().trim().max(max, `${label} is too long (${max} characters at most).`).default('');

/** A clinic's SOAP text template, as written and as it fills a note's boxes (the same limits as the note). */
export const noteTemplateInput = z.object({
  /** Absent for a new template. */
  id: z.uuid('Unknown template.').optional(),
  name: z.string().trim().min(1, 'Name the template.').max(100, 'The name is too long (100 characters at most).'),
  chief_complaint: text('The presenting complaint', 500),
  history: text('The history', 8000),
  examination: text('The examination', 8000),
  assessment: text('The assessment', 4000),
  plan: text('The plan', 4000),
});
export type NoteTemplateInput = z.input<typeof noteTemplateInput>;

export const noteTemplateId = z.object({ id: z.uuid('Unknown template.') });

export interface NoteTemplate {
  id: string;
  name: string;
  chief_complaint: string;
  history: string;
  examination: string;
  assessment: string;
  plan: string;
}

/** The boxes a template fills, in the note's order. */
export const TEMPLATE_FIELDS = ['chief_complaint', 'history', 'examination', 'assessment', 'plan'] as const;
