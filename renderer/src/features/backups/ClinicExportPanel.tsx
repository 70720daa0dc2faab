import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { backupFileInput, clinicExportInput } from '../../../../shared/backups';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../../errors';
import { useTRPC } from '../../trpc';
import { checkForm } from '../../ui/checkForm';
import { Field } from '../../ui/Field';
import { fileSize } from './backupAge';
import { BackupContents } from './BackupContents';
import { NewPassphraseFields } from './NewPassphraseFields';

/**
 * On a clinic server: the administrator's own copy of their clinic, every record they may read,
 * in one encrypted file on this PC (checked after writing), and what such a file holds.
 */
export function ClinicExportPanel({ onExportFhir }: { onExportFhir: () => void }) {
  const trpc = useTRPC();
  const [folder, setFolder] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [passphraseAgain, setPassphraseAgain] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [file, setFile] = useState('');
  const [filePassphrase, setFilePassphrase] = useState('');
  const [fileErrors, setFileErrors] = useState<FormErrors>(NO_ERRORS);
  const exported = useMutation(
    trpc.backups.exportClinic.mutationOptions({
      onSuccess: (result) => {
        setErrors(NO_ERRORS);
        setPassphrase('');
        setPassphraseAgain('');
        setFile(result.file);
      },
      onError: (error) => setErrors(formErrorsOf(error)),
    }),
  );
  const progress = useQuery(trpc.backups.exportProgress.queryOptions(undefined, { enabled: exported.isPending, refetchInterval: 500 }));
  const preview = useMutation(
    trpc.backups.previewExport.mutationOptions({
      onSuccess: () => setFileErrors(NO_ERRORS),
      onError: (error) => setFileErrors(formErrorsOf(error)),
    }),
  );
  const shown = preview.data?.file === file ? preview.data : undefined;

  function exportClinic(event: FormEvent) {
    event.preventDefault();
    const checked = checkForm(clinicExportInput, { folder, passphrase, passphraseAgain });
    setErrors({ fields: checked.fields, general: null });
    if (checked.ok && !exported.isPending) exported.mutate(checked.value);
  }

  function open(event: FormEvent) {
    event.preventDefault();
    const checked = checkForm(backupFileInput, { file, passphrase: filePassphrase });
    setFileErrors({ fields: checked.fields, general: null });
    if (checked.ok && !preview.isPending) preview.mutate(checked.value);
  }

  return (
    <section className="panel" aria-labelledby="clinic-export-title">
      <h2 id="clinic-export-title">Export this clinic</h2>
      <p className="muted">
        Every record of this clinic you may read (patients, appointments, notes, prescriptions, results, invoices and payments, settings,
        the audit trail) in one file encrypted with a passphrase, checked after writing. To move the records into another system, use the{' '}
        <button type="button" className="button-quiet" onClick={onExportFhir}>
          FHIR export
        </button>{' '}
        instead.
      </p>
      <form className="panel-form" onSubmit={exportClinic} noValidate aria-label="Clinic export">
        <Field
          label="Folder"
          hint="A USB drive or folder on this PC, as a full path"
          value={folder}
          onChange={(event) => setFolder(event.target.value)}
          error={errors.fields.folder}
          spellCheck={false}
        />
        <NewPassphraseFields
          hint="12 characters or more. Write it down: without it the file cannot be opened."
          passphrase={passphrase}
          passphraseAgain={passphraseAgain}
          onPassphrase={setPassphrase}
          onPassphraseAgain={setPassphraseAgain}
          errors={errors.fields}
        />
        {errors.general && <p role="alert">{errors.general}</p>}
        <button type="submit" aria-disabled={exported.isPending}>
          {exported.isPending ? 'Exporting…' : 'Export the clinic'}
        </button>
      </form>
      {exported.isPending && (
        <div className="job-progress" role="status">
          <progress max={100} value={progress.data?.percent ?? 0} aria-label="Export progress" />
          <span>{progress.data?.step ?? 'Starting'}…</span>
        </div>
      )}
      {exported.data && !exported.isPending && (
        <p className="notice" role="status">
          Exported and checked: {exported.data.rows} rows of {exported.data.tables} tables, {fileSize(exported.data.bytes)}, in{' '}
          {exported.data.file}.
        </p>
      )}

      <form className="panel-form" onSubmit={open} noValidate aria-label="Open an export">
        <Field
          label="Export file"
          hint="Its full path"
          value={file}
          onChange={(event) => setFile(event.target.value)}
          error={fileErrors.fields.file}
          spellCheck={false}
        />
        <Field
          label="Passphrase of this export"
          type="password"
          autoComplete="off"
          value={filePassphrase}
          onChange={(event) => setFilePassphrase(event.target.value)}
          error={fileErrors.fields.passphrase}
        />
        {fileErrors.general && <p role="alert">{fileErrors.general}</p>}
        <button type="submit" className="button-secondary" aria-disabled={preview.isPending}>
          {preview.isPending ? 'Opening…' : 'Show what it holds'}
        </button>
      </form>
      {shown && <BackupContents preview={shown} kind="export" />}
    </section>
  );
}
