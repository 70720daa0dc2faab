import { noteTemplateId, noteTemplateInput, type NoteTemplate } from '../../../shared/note-templates';
import { DomainError } from '../errors';
import { permitted, router } from '../trpc';
import { activeTemplates, insertTemplate, retireTemplate, templateNamed, updateTemplate } from './queries';

const NO_SUCH_TEMPLATE = 'This template does not exist or was removed. Refresh the list.';

/** The clinic's SOAP note templates: used by whoever writes notes, kept by clinical staff (migration 018). */
export const noteTemplatesRouter = router({
  list: permitted('clinical.read').query(({ ctx }) => activeTemplates(ctx.tx)),

  /** Writes a new template, or rewrites one (with its id). */
  save: permitted('clinical.write')
    .input(noteTemplateInput)
    .mutation(async ({ ctx, input }): Promise<NoteTemplate> => {
      const { tx } = ctx;
      const { id, ...template } = input;
      if (await templateNamed(tx, template.name, id ?? null)) {
        throw new DomainError('CONFLICT', 'The clinic already has a template of this name.', 'name');
      }
      if (!id) return insertTemplate(tx, template);
      const saved = await updateTemplate(tx, id, template);
      if (!saved) throw new DomainError('NOT_FOUND', NO_SUCH_TEMPLATE);
      return saved;
    }),

  /** Takes a template out of use (kept, and audited, like every change). */
  remove: permitted('clinical.write')
    .input(noteTemplateId)
    .mutation(async ({ ctx, input }) => {
      if (!(await retireTemplate(ctx.tx, input.id))) throw new DomainError('NOT_FOUND', NO_SUCH_TEMPLATE);
    }),
});
