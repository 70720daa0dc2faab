import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { backupFileInput, type BackupStatus } from '../../../../shared/backups';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { formatInstant } from '../../ui/dates';
import { Field } from '../../ui/Field';
import { useSignedIn } from '../../ui/useSignedIn';
import { BackupContents } from './BackupContents';
import { JobProgress } from './JobProgress';

type Offline = Extract<BackupStatus, { mode: 'offline' }>;

/**
 * A backup file and its passphrase → what it holds → restored into a new data directory,
 * verified, and used from the next start. The current data is kept, never overwritten.
 */
export function RestorePanel({ status, file, onFileChange }: { status: Offline; file: string; onFileChange(file: string): void }) {
  const { clinic } = useSignedIn();
  const trpc = useTRPC();
  const refresh = useRefresh(trpc.backups);
  const [passphrase, setPassphrase] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const onError = (error: unknown) => setErrors(formErrorsOf(error));
  const preview = useMutation(trpc.backups.preview.mutationOptions({ onSuccess: () => setErrors(NO_ERRORS), onError }));
  const restore = useMutation(trpc.backups.restore.mutationOptions({ onSuccess: refresh, onError }));
  const job = status.job;
  const busy = job !== null && job.finished === null;
  const shown = preview.data?.file === file ? preview.data : undefined;

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkForm(backupFileInput, { file, passphrase });
    setErrors({ fields: checked.fields, general: null });
    if (checked.ok && !preview.isPending) preview.mutate(checked.value);
  }

  return (
    <section className="panel" aria-labelledby="restore-title">
      <h2 id="restore-title">Restore from a backup</h2>
      <p className="muted">
        The backup is restored into a new data directory and checked table by table; ClinicDesk uses it from its next start. The current
        data is kept beside it.
      </p>
      {status.pendingRestore && (
        <p className="notice" role="status">
          Restored from {status.pendingRestore.from} at {formatInstant(status.pendingRestore.restoredAt, clinic.language, clinic.timezone)}:
          close ClinicDesk and start it again to use it.
        </p>
      )}
      <form onSubmit={submit} noValidate aria-label="Backup to restore">
        <Field
          label="Backup file"
          hint="Choose one in the list, or type its full path"
          value={file}
          onChange={(event) => onFileChange(event.target.value)}
          error={errors.fields.file}
          spellCheck={false}
        />
        <Field
          label="Passphrase of this backup"
          type="password"
          autoComplete="off"
          value={passphrase}
          onChange={(event) => setPassphrase(event.target.value)}
          error={errors.fields.passphrase}
        />
        {errors.general && <p role="alert">{errors.general}</p>}
        <button type="submit" className="button-secondary" aria-disabled={preview.isPending}>
          {preview.isPending ? 'Opening…' : 'Show what it holds'}
        </button>
      </form>
      {shown && (
        <BackupContents preview={shown} kind="backup">
          <div className="panel-actions">
            <button
              type="button"
              className="button-primary"
              disabled={busy || restore.isPending}
              onClick={() => restore.mutate({ file, passphrase })}
            >
              Restore this backup
            </button>
          </div>
        </BackupContents>
      )}
      {job?.kind === 'restore' && <JobProgress job={job} />}
    </section>
  );
}
