import {
  backupFileInput,
  backupSettingsInput,
  clinicExportInput,
  type BackupStatus,
  type ClinicExportProgress,
} from '../../../shared/backups';
import type { Session } from '../auth/sessions';
import type { Context } from '../context';
import { DomainError } from '../errors';
import { permitted, router, unlockedSessionProcedure } from '../trpc';
import { exportClinic, previewClinicExport } from './clinic-export';
import type { BackupService } from './service';

/** The export each signed-in session is running, or ran last, for the screen's progress. */
const exports = new WeakMap<Session, ClinicExportProgress>();

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

  /** This clinic's records, read as the administrator through row-level security, into one encrypted file (any mode). */
  exportClinic: maintenance.input(clinicExportInput).mutation(({ ctx, input }) => {
    const progress: ClinicExportProgress = { step: 'Starting', percent: 0 };
    exports.set(ctx.session, progress);
    return exportClinic(ctx.tx, input, (now) => Object.assign(progress, now));
  }),

  /** How far this session's export has gone; reads no database, so it answers while the export's transaction runs. */
  exportProgress: unlockedSessionProcedure.query(({ ctx }): ClinicExportProgress | null => exports.get(ctx.session) ?? null),

  /** What a clinic export holds (date, clinic, counts), after checking its passphrase and every byte. */
  previewExport: maintenance.input(backupFileInput).mutation(({ input }) => previewClinicExport(input)),
});
