import type { ReactNode } from 'react';
import type { BackupPreview } from '../../../../shared/backups';
import { formatInstant } from '../../ui/dates';
import { useSignedIn } from '../../ui/useSignedIn';

const TABLE_NAMES: Record<string, string> = {
  patients: 'Patients',
  appointments: 'Appointments',
  medical_records: 'Consultation notes',
  prescriptions: 'Prescriptions',
  diagnostic_tests: 'Test orders',
  invoices: 'Invoices',
  payments: 'Payments',
  users: 'Staff accounts',
};

/** What an opened backup or clinic export holds: its clinic, when it was made, the counts a person recognises. */
export function BackupContents({ preview, kind, children }: { preview: BackupPreview; kind: 'backup' | 'export'; children?: ReactNode }) {
  const { clinic } = useSignedIn();
  return (
    <div className="panel-form" aria-label={`What the ${kind} holds`} role="region">
      <p>
        {kind === 'backup' ? 'Backup' : 'Export'} of <strong>{preview.clinics.map((c) => c.name).join(', ') || 'no clinic'}</strong>, made{' '}
        {formatInstant(preview.createdAt, clinic.language, clinic.timezone)}; {preview.tableCount} tables.
      </p>
      <table className="data-table">
        <tbody>
          {preview.counts.map((row) => (
            <tr key={row.table}>
              <th scope="row">{TABLE_NAMES[row.table] ?? row.table}</th>
              <td>{row.rows}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {children}
    </div>
  );
}
