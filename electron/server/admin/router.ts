import { z } from 'zod';
import { permitted, router } from '../trpc';
import { databaseHealth, recentActivity, runMaintenance } from './queries';

export const adminRouter = router({
  health: permitted('admin.maintenance').query(({ ctx }) => ctx.inTransaction(databaseHealth)),
  runMaintenance: permitted('admin.maintenance').mutation(({ ctx }) => ctx.inTransaction(runMaintenance)),
  recentActivity: permitted('admin.audit')
    .input(z.object({ limit: z.number().int().min(1).max(500).default(100) }))
    .query(({ ctx, input }) => ctx.inTransaction((tx) => recentActivity(tx, input.limit))),
});
