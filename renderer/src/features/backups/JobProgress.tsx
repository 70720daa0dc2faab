import type { BackupJob } from '../../../../shared/backups';

/** A backup's or restore's progress while it runs, then how it ended. */
export function JobProgress({ job }: { job: BackupJob }) {
  if (job.finished === null) {
    return (
      <div className="job-progress" role="status">
        <progress max={100} value={job.percent} aria-label={job.kind === 'backup' ? 'Backup progress' : 'Restore progress'} />
        <span>{job.step}…</span>
      </div>
    );
  }
  return job.finished.ok ? (
    <p className="notice" role="status">
      {job.finished.message}
    </p>
  ) : (
    <p className="form-problem" role="alert">
      {job.kind === 'backup' ? 'The backup failed: ' : 'The restore failed: '}
      {job.finished.message}
    </p>
  );
}
