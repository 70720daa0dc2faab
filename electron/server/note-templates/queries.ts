import type { NoteTemplate } from '../../../shared/note-templates';
import { maybeOne, one } from '../db/rows';
import type { Queryable } from '../db/types';

const COLUMNS = `id, name, chief_complaint, history, examination, assessment, plan`;

/** The clinic's templates in use, by name. */
export async function activeTemplates(tx: Queryable): Promise<NoteTemplate[]> {
  const { rows } = await tx.query<NoteTemplate>(`SELECT ${COLUMNS} FROM note_templates WHERE is_active ORDER BY lower(name), id`);
  return rows;
}

/** Another template in use with this name (any case), if there is one. */
export async function templateNamed(tx: Queryable, name: string, exceptId: string | null): Promise<boolean> {
  const found = await maybeOne(
    tx,
    `SELECT 1 FROM note_templates WHERE is_active AND lower(btrim(name)) = lower(btrim($1)) AND id IS DISTINCT FROM $2::uuid`,
    [name, exceptId],
  );
  return found !== undefined;
}

type TemplateText = Omit<NoteTemplate, 'id'>;

const values = (t: TemplateText) => [t.name, t.chief_complaint, t.history, t.examination, t.assessment, t.plan];

export async function insertTemplate(tx: Queryable, template: TemplateText): Promise<NoteTemplate> {
  return one<NoteTemplate>(
    tx,
    `INSERT INTO note_templates (tenant_id, name, chief_complaint, history, examination, assessment, plan)
     VALUES (current_tenant_id(), $1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
    values(template),
  );
}

/** Rewrites a template in use; undefined when there is none such. */
export async function updateTemplate(tx: Queryable, id: string, template: TemplateText): Promise<NoteTemplate | undefined> {
  return maybeOne<NoteTemplate>(
    tx,
    `UPDATE note_templates SET name = $2, chief_complaint = $3, history = $4, examination = $5, assessment = $6, plan = $7
     WHERE id = $1 AND is_active RETURNING ${COLUMNS}`,
    [id, ...values(template)],
  );
}

/** Takes a template out of use; false when it was not in use. */
export async function retireTemplate(tx: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await tx.query(`UPDATE note_templates SET is_active = false WHERE id = $1 AND is_active`, [id]);
  return rowCount === 1;
}
