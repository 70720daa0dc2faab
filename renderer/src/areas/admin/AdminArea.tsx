import { Backups } from '../../features/backups/Backups';
import { ClinicServerForm } from '../../features/installation/ClinicServerForm';
import { DatabaseHealth } from '../../features/installation/DatabaseHealth';
import { PasswordReset } from '../../features/staff/PasswordReset';
import { RecentActivity } from '../../features/staff/RecentActivity';
import { AreaHeader } from '../../frame/AreaHeader';
import { useCan } from '../../ui/useSignedIn';

export function AdminArea() {
  const can = useCan();
  return (
    <>
      <AreaHeader
        title="Admin"
        purpose="The health of this installation, maintenance, backups, sign-in activity, staff passwords and where the clinic's data lives."
      />
      <div className="admin-grid">
        {can('admin.maintenance') && <DatabaseHealth />}
        {can('admin.maintenance') && <Backups />}
        {can('admin.audit') && <RecentActivity />}
        {can('admin.users') && <PasswordReset />}
        {can('admin.settings') && <ClinicServerForm />}
      </div>
    </>
  );
}
