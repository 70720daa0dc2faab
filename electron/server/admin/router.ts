import { z } from 'zod';
import { connectionCheckInput, type ConnectionView } from '../../../shared/connection';
import { DomainError } from '../errors';
import { permitted, router } from '../trpc';
import { checkRemoteConnection } from './connection';
import { databaseHealth, recentActivity, runMaintenance } from './queries';

export const adminRouter = router({
  health: permitted('admin.maintenance').query(({ ctx }) => databaseHealth(ctx.tx)),
  runMaintenance: permitted('admin.maintenance').mutation(({ ctx }) => runMaintenance(ctx.tx)),
  recentActivity: permitted('admin.audit')
    .input(z.object({ limit: z.number().int().min(1).max(500).default(100) }))
    .query(({ ctx, input }) => recentActivity(ctx.tx, input.limit)),

  connection: permitted('admin.settings').query(
    ({ ctx }): ConnectionView => ({ ...ctx.backend.status, canSave: ctx.backend.desktop !== undefined }),
  ),
  /** Points this PC at a clinic server from its next start, after trying the connection. */
  saveConnection: permitted('admin.settings')
    .input(connectionCheckInput)
    .mutation(async ({ ctx, input }) => {
      const desktop = ctx.backend.desktop;
      if (!desktop) {
        throw new DomainError('BAD_REQUEST', 'Browser mode takes its clinic server from CLINICDESK_DATABASE_URL and CLINICDESK_CLINIC_CODE.');
      }
      await desktop.saveConnection(await checkRemoteConnection(input));
      return { saved: true, restartNeeded: true };
    }),
});
