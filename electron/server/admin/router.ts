import { z } from 'zod';
import { auditFilterInput } from '../../../shared/audit';
import { resetPasswordInput } from '../../../shared/auth';
import {
  clinicLogoInput,
  clinicSettingsInput,
  LOGO_NOT_AN_IMAGE,
  LOGO_TOO_LARGE,
  MAX_LOGO_BYTES,
  visitLengthsInput,
  type ClinicLogo,
} from '../../../shared/clinic-settings';
import { connectionCheckInput, type ConnectionView } from '../../../shared/connection';
import { visitLengths } from '../appointments/queries';
import { DomainError } from '../errors';
import { printableImage } from '../print/pdf';
import { passwordSecrets, setTemporaryPassword } from '../staff/queries';
import { permitted, router } from '../trpc';
import { auditedTables, auditTrail } from './audit';
import { checkRemoteConnection } from './connection';
import { databaseHealth, recentActivity, runMaintenance } from './queries';
import {
  clinicLogo,
  clinicSettings,
  knownTimezone,
  removeClinicLogo,
  saveClinicSettings,
  saveVisitLengths,
  storeClinicLogo,
} from './settings';

export const adminRouter = router({
  health: permitted('admin.maintenance').query(({ ctx }) => databaseHealth(ctx.tx)),
  runMaintenance: permitted('admin.maintenance').mutation(({ ctx }) => runMaintenance(ctx.tx)),
  recentActivity: permitted('admin.audit')
    .input(z.object({ limit: z.number().int().min(1).max(500).default(100) }))
    .query(({ ctx, input }) => recentActivity(ctx.tx, input.limit)),

  /** A temporary password the staff member must change at their next sign-in. */
  resetPassword: permitted('admin.users')
    .input(resetPasswordInput)
    .mutation(async ({ ctx, input }) => {
      const secrets = await passwordSecrets(ctx.backend.access.engine, input.temporaryPassword);
      if (!(await setTemporaryPassword(ctx.tx, input.userId, secrets)))
        throw new DomainError('NOT_FOUND', 'There is no active staff member with this id.', 'userId');
      return { reset: true as const };
    }),

  settings: permitted('admin.settings').query(({ ctx }) => clinicSettings(ctx.tx, ctx.session.clinicId)),
  saveSettings: permitted('admin.settings')
    .input(clinicSettingsInput)
    .mutation(async ({ ctx, input }) => {
      if (!(await knownTimezone(ctx.tx, input.timezone))) {
        throw new DomainError('BAD_REQUEST', 'The database does not know this timezone. Choose one from the list.', 'timezone');
      }
      const saved = await saveClinicSettings(ctx.tx, ctx.session.clinicId, input);
      if (!saved) throw new DomainError('NOT_FOUND', 'This clinic no longer exists.');
      return saved;
    }),

  /** The logo heading every print, for the settings preview. */
  logo: permitted('admin.settings').query(({ ctx }): Promise<ClinicLogo | null> => clinicLogo(ctx.tx)),
  /** Replaces the logo: a PNG or JPEG (read from its bytes) that prints, 512 KB at most. */
  saveLogo: permitted('admin.settings')
    .input(clinicLogoInput)
    .mutation(async ({ ctx, input }): Promise<ClinicLogo | null> => {
      const bytes = Buffer.from(input.content, 'base64');
      if (bytes.length > MAX_LOGO_BYTES) throw new DomainError('BAD_REQUEST', LOGO_TOO_LARGE, 'content');
      if (!(await printableImage(bytes))) throw new DomainError('BAD_REQUEST', LOGO_NOT_AN_IMAGE, 'content');
      await storeClinicLogo(ctx.tx, input.content);
      return clinicLogo(ctx.tx);
    }),
  removeLogo: permitted('admin.settings').mutation(async ({ ctx }) => {
    await removeClinicLogo(ctx.tx);
    return null;
  }),
  /** The usual length of each type of visit (booking prefills the end time from it). */
  saveVisitLengths: permitted('admin.settings')
    .input(visitLengthsInput)
    .mutation(async ({ ctx, input }) => {
      await saveVisitLengths(ctx.tx, ctx.session.clinicId, input);
      return visitLengths(ctx.tx, ctx.session.clinicId);
    }),

  /** Changes to records and chart openings; confidential rows only for those the database lets read them. */
  audit: permitted('admin.audit')
    .input(auditFilterInput)
    .query(({ ctx, input }) => auditTrail(ctx.tx, ctx.session.clinicId, input)),
  auditedTables: permitted('admin.audit').query(({ ctx }) => auditedTables(ctx.tx)),

  connection: permitted('admin.settings').query(({ ctx }): ConnectionView => ({
    ...ctx.backend.status,
    canSave: ctx.backend.desktop !== undefined,
  })),
  /** Points this PC at a clinic server from its next start, after trying the connection. */
  saveConnection: permitted('admin.settings')
    .input(connectionCheckInput)
    .mutation(async ({ ctx, input }) => {
      const desktop = ctx.backend.desktop;
      if (!desktop) {
        throw new DomainError(
          'BAD_REQUEST',
          'Browser mode takes its clinic server from CLINICDESK_DATABASE_URL and CLINICDESK_CLINIC_CODE.',
        );
      }
      await desktop.saveConnection(await checkRemoteConnection(input));
      return { saved: true, restartNeeded: true };
    }),
});
