import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { backupSettingsInput, type BackupFile, type BackupStatus } from '../../../../shared/backups';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { formatInstant } from '../../ui/dates';
import { Field } from '../../ui/Field';
import { useSignedIn } from '../../ui/useSignedIn';
import { backupAge, fileSize } from './backupAge';
import { JobProgress } from './JobProgress';
import { NewPassphraseFields } from './NewPassphraseFields';

type Offline = Extract<BackupStatus, { mode: 'offline' }>;

/** The last backup's age (a warning when stale), backing up now, the folder and passphrase, the backups kept. */
export function BackupPanel({ status, onRestore }: { status: Offline; onRestore(file: BackupFile): void }) {
  const { clinic } = useSignedIn();
  const trpc = useTRPC();
  const refresh = useRefresh(trpc.backups);
  const backUp = useMutation(trpc.backups.backUpNow.mutationOptions({ onSettled: refresh }));
  const age = backupAge(status.lastBackup?.at ?? null, new Date());
  const job = status.job;
  const busy = job !== null && job.finished === null;

  return (
    <section className="panel" aria-labelledby="backups-title">
      <h2 id="backups-title">Backups</h2>
      <p className={age.stale ? 'backup-age backup-stale' : 'backup-age'} role={age.stale ? 'alert' : undefined}>
        Last backup: <strong>{age.text}</strong>
        {status.lastBackup
          ? ` (${formatInstant(status.lastBackup.at, clinic.language, clinic.timezone)}, verified)`
          : '. Choose a folder and passphrase below, then back up.'}
        {status.lastBackup && age.stale && ' Back up now, and check the backup drive is plugged in.'}
      </p>
      {job?.kind === 'backup' && <JobProgress job={job} />}
      <div className="panel-actions">
        <button type="button" onClick={() => backUp.mutate()} disabled={!status.settings || busy || backUp.isPending}>
          Back up now
        </button>
        {status.settings && (
          <span className="muted">
            To {status.settings.folder}, keeping the last {status.settings.keep}. Daily, and on quit if none was made that day.
          </span>
        )}
        {backUp.error && <p role="alert">{formErrorsOf(backUp.error).general}</p>}
      </div>
      {status.files.length > 0 && (
        <table className="data-table backup-files">
          <caption className="muted">Backups in the folder</caption>
          <thead>
            <tr>
              <th scope="col">Made</th>
              <th scope="col">Size</th>
              <th scope="col">
                <span className="visually-hidden">Restore</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {status.files.map((file) => (
              <tr key={file.file} title={file.file}>
                <td>{formatInstant(file.modifiedAt, clinic.language, clinic.timezone)}</td>
                <td>{fileSize(file.bytes)}</td>
                <td>
                  <button type="button" className="button-quiet" onClick={() => onRestore(file)}>
                    Restore…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <BackupSettingsForm current={status.settings} onSaved={refresh} />
    </section>
  );
}

function BackupSettingsForm({ current, onSaved }: { current: Offline['settings']; onSaved(): void }) {
  const trpc = useTRPC();
  const [folder, setFolder] = useState(current?.folder ?? '');
  const [keep, setKeep] = useState(String(current?.keep ?? 14));
  const [passphrase, setPassphrase] = useState('');
  const [passphraseAgain, setPassphraseAgain] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const save = useMutation(
    trpc.backups.configure.mutationOptions({
      onSuccess: () => {
        setErrors(NO_ERRORS);
        setPassphrase('');
        setPassphraseAgain('');
        onSaved();
      },
      onError: (error) => setErrors(formErrorsOf(error)),
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkForm(backupSettingsInput, { folder, keep: Number(keep), passphrase, passphraseAgain });
    setErrors({ fields: checked.fields, general: null });
    if (checked.ok && !save.isPending) save.mutate(checked.value);
  }

  return (
    <form className="panel-form" onSubmit={submit} noValidate aria-label="Backup settings">
      <Field
        label="Backup folder"
        hint="A USB drive or network folder, as a full path"
        value={folder}
        onChange={(event) => setFolder(event.target.value)}
        error={errors.fields.folder}
        spellCheck={false}
      />
      <Field
        label="Backups to keep"
        type="number"
        min={1}
        max={365}
        value={keep}
        onChange={(event) => setKeep(event.target.value)}
        error={errors.fields.keep}
      />
      <NewPassphraseFields
        label={current ? 'New passphrase' : 'Passphrase'}
        hint="12 characters or more. Write it down and keep it away from the backups: without it no backup can be restored."
        passphrase={passphrase}
        passphraseAgain={passphraseAgain}
        onPassphrase={setPassphrase}
        onPassphraseAgain={setPassphraseAgain}
        errors={errors.fields}
      />
      {errors.general && <p role="alert">{errors.general}</p>}
      {save.isSuccess && <p role="status">Saved: the next backups go to {folder}.</p>}
      <button type="submit" aria-disabled={save.isPending}>
        {save.isPending ? 'Saving…' : 'Save backup settings'}
      </button>
    </form>
  );
}
