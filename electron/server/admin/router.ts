import { z } from 'zod';
import { resetPasswordInput } from '../../../shared/auth';
import { connectionCheckInput, type ConnectionView } from '../../../shared/connection';
import { hashPassword } from '../auth/passwords';
import { scramVerifier } from '../auth/scram';
import { one } from '../db/rows';
import { DomainError } from '../errors';
import { permitted, router } from '../trpc';
import { checkRemoteConnection } from './connection';
import { activeStaff, databaseHealth, recentActivity, runMaintenance } from './queries';

export const adminRouter = router({
  health: permitted('admin.maintenance').query(({ ctx }) => databaseHealth(ctx.tx)),
  runMaintenance: permitted('admin.maintenance').mutation(({ ctx }) => runMaintenance(ctx.tx)),
  recentActivity: permitted('admin.audit')
    .input(z.object({ limit: z.number().int().min(1).max(500).default(100) }))
    .query(({ ctx, input }) => recentActivity(ctx.tx, input.limit)),

  staff: permitted('admin.users').query(({ ctx }) => activeStaff(ctx.tx)),

  /** A temporary password the staff member must change at their next sign-in. */
  resetPassword: permitted('admin.users')
    .input(resetPasswordInput)
    .mutation(async ({ ctx, input }) => {
      const hash = await hashPassword(input.temporaryPassword);
      const verifier = ctx.backend.access.engine === 'postgres' ? scramVerifier(input.temporaryPassword) : null;
      const { reset } = await one<{ reset: boolean }>(ctx.tx, `SELECT reset_staff_password($1, $2, $3) AS reset`, [
        input.userId,
        hash,
        verifier,
      ]);
      if (!reset) throw new DomainError('NOT_FOUND', 'There is no active staff member with this id.', 'userId');
      return { reset: true as const };
    }),

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
