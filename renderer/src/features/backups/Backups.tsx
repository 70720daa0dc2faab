import { useState } from 'react';
import { formErrorsOf } from '../../errors';
import { BackupPanel } from './BackupPanel';
import { ClinicExportPanel } from './ClinicExportPanel';
import { RestorePanel } from './RestorePanel';
import { useBackupStatus } from './useBackupStatus';

/**
 * Backups and restore of the offline database; on a clinic server, who backs it up, and the
 * administrator's own encrypted copy of their clinic (or its FHIR export, `onExportFhir`).
 */
export function Backups({ onExportFhir }: { onExportFhir: () => void }) {
  const status = useBackupStatus();
  const [restoreFile, setRestoreFile] = useState('');
  if (status.isPending) return <p className="muted">Reading the backups…</p>;
  if (status.error) return <p role="alert">{formErrorsOf(status.error).general}</p>;
  if (status.data.mode !== 'offline') {
    return (
      <>
        <section className="panel" aria-labelledby="backups-title">
          <h2 id="backups-title">Backups</h2>
          <p>
            {status.data.mode === 'remote'
              ? 'This clinic’s data lives on its server, and the server’s operator backs it up (pg_dump): nothing is kept on this PC to back up. You can still take a copy of this clinic’s own records below.'
              : 'The demo clinic lives in memory and is gone when ClinicDesk closes: there is nothing to back up.'}
          </p>
        </section>
        {status.data.mode === 'remote' && <ClinicExportPanel onExportFhir={onExportFhir} />}
      </>
    );
  }
  return (
    <>
      <BackupPanel status={status.data} onRestore={(file) => setRestoreFile(file.file)} />
      <RestorePanel status={status.data} file={restoreFile} onFileChange={setRestoreFile} />
    </>
  );
}
