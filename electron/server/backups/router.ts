import { backupFileInput, backupSettingsInput, type BackupStatus } from '../../../shared/backups';
import type { Context } from '../context';
import { DomainError } from '../errors';
import { permitted, router } from '../trpc';
import type { BackupService } from './service';

/**
 * Backups and restores: the administrator's maintenance permission, checked here for a clear
 * message and by the database (require_permission) in the request's own transaction.
 */
const maintenance = permitted('admin.maintenance').use(async ({ ctx, next }) => {
  await ctx.tx.query(`SELECT require_permission('admin.maintenance')`);
  return next();
});

function offlineBackups({ backend }: Context): BackupService {
  if (backend.backups) return backend.backups;
  throw new DomainError(
    'BAD_REQUEST',
    backend.access.engine === 'postgres'
      ? "This clinic's data lives on its server, which the server's operator backs up."
      : 'The demo clinic lives in memory: there is nothing to back up.',
  );
}

export const backupsRouter = router({
  status: maintenance.query(
    ({ ctx }): BackupStatus => ctx.backend.backups?.status() ?? { mode: ctx.backend.access.engine === 'postgres' ? 'remote' : 'memory' },
  ),

  /** The folder, how many backups to keep and the passphrase; the next backups use them. */
  configure: maintenance.input(backupSettingsInput).mutation(async ({ ctx, input }) => {
    await offlineBackups(ctx).configure(input);
    return { saved: true as const };
  }),

  /** Starts a backup; its progress shows in `status`. */
  backUpNow: maintenance.mutation(({ ctx }) => offlineBackups(ctx).backUpNow()),

  /** What a backup holds (date, clinic, counts), after checking its passphrase and every byte. */
  preview: maintenance.input(backupFileInput).mutation(({ ctx, input }) => offlineBackups(ctx).preview(input)),

  /** Restores into a new data directory, verifies it, and switches to it at the next start. */
  restore: maintenance.input(backupFileInput).mutation(({ ctx, input }) => offlineBackups(ctx).restore(input)),
});
