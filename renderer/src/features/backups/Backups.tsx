import { useState } from 'react';
import { formErrorsOf } from '../../errors';
import { BackupPanel } from './BackupPanel';
import { RestorePanel } from './RestorePanel';
import { useBackupStatus } from './useBackupStatus';

/**
 * Backups and restore of the offline database; on a clinic server, who backs it up and where the
 * administrator takes a copy of the clinic's own records (the FHIR export, `onExportClinic`).
 */
export function Backups({ onExportClinic }: { onExportClinic: () => void }) {
  const status = useBackupStatus();
  const [restoreFile, setRestoreFile] = useState('');
  if (status.isPending) return <p className="muted">Reading the backups…</p>;
  if (status.error) return <p role="alert">{formErrorsOf(status.error).general}</p>;
  if (status.data.mode !== 'offline') {
    return (
      <section className="panel" aria-labelledby="backups-title">
        <h2 id="backups-title">Backups</h2>
        {status.data.mode === 'remote' ? (
          <>
            <p>
              This clinic’s data lives on its server, and the server’s operator backs it up (pg_dump): nothing is kept on this PC to back
              up.
            </p>
            <p>
              To keep a copy of this clinic’s own records, or to move them elsewhere, export the clinic as a FHIR file: patients, staff,
              appointments, notes, prescriptions, tests and results, and documents. Invoices and payments are not in it.
            </p>
            <button type="button" onClick={onExportClinic}>
              Export this clinic…
            </button>
          </>
        ) : (
          <p>The demo clinic lives in memory and is gone when ClinicDesk closes: there is nothing to back up.</p>
        )}
      </section>
    );
  }
  return (
    <>
      <BackupPanel status={status.data} onRestore={(file) => setRestoreFile(file.file)} />
      <RestorePanel status={status.data} file={restoreFile} onFileChange={setRestoreFile} />
    </>
  );
}
