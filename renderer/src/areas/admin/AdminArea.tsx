import { Backups } from '../../features/backups/Backups';
import { useState } from 'react';
import type { Permission } from '../../../../shared/permissions';
import { AuditLog } from '../../features/audit/AuditLog';
import { ClinicSettingsPage } from '../../features/clinic-settings/ClinicSettingsForm';
import { ClinicServerForm } from '../../features/installation/ClinicServerForm';
import { PatientImportPage } from '../../features/patient-import/PatientImportPage';
import { DatabaseHealth } from '../../features/installation/DatabaseHealth';
import { FhirExchange } from '../../features/fhir/FhirExchange';
import { RecentActivity } from '../../features/staff/RecentActivity';
import { StaffPage } from '../../features/staff/StaffPage';
import { SubNav } from '../../frame/SubNav';
import { useCan } from '../../ui/useSignedIn';

type AdminView = 'installation' | 'staff' | 'settings' | 'audit' | 'import' | 'fhir';

const VIEWS: readonly { id: AdminView; label: string; permission: Permission }[] = [
  { id: 'installation', label: 'This installation', permission: 'admin.settings' },
  { id: 'staff', label: 'Staff and roles', permission: 'admin.users' },
  { id: 'settings', label: 'Clinic settings', permission: 'admin.settings' },
  { id: 'audit', label: 'Audit trail', permission: 'admin.audit' },
  { id: 'import', label: 'Import patients', permission: 'patients.write' },
  { id: 'fhir', label: 'FHIR export and import', permission: 'admin.maintenance' },
];

export function AdminArea() {
  const can = useCan();
  const [chosen, setChosen] = useState<AdminView>('installation');
  const allowed = VIEWS.filter((view) => can(view.permission));
  const current = allowed.find((view) => view.id === chosen) ?? allowed[0];
  return (
    <div className="admin">
      <header className="reception-header">
        <h1 tabIndex={-1}>Admin</h1>
        <SubNav<AdminView> label="Admin" views={allowed} current={current?.id} onChoose={setChosen} />
      </header>
      {current?.id === 'installation' && (
        <div className="admin-grid">
          {can('admin.maintenance') && <DatabaseHealth />}
          {can('admin.maintenance') && <Backups onExportFhir={() => setChosen('fhir')} />}
          {can('admin.audit') && <RecentActivity />}
          <ClinicServerForm />
        </div>
      )}
      {current?.id === 'staff' && <StaffPage />}
      {current?.id === 'settings' && <ClinicSettingsPage />}
      {current?.id === 'audit' && <AuditLog />}
      {current?.id === 'import' && <PatientImportPage />}
      {current?.id === 'fhir' && <FhirExchange />}
    </div>
  );
}
