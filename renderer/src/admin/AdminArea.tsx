import { AreaHeader } from '../frame/AreaHeader';
import { useSession } from '../session/session';
import { ClinicServerForm } from './ClinicServerForm';
import { DatabaseHealth } from './DatabaseHealth';
import { PasswordReset } from './PasswordReset';
import { RecentActivity } from './RecentActivity';

export function AdminArea() {
  const permissions = useSession().data?.permissions ?? [];
  return (
    <>
      <AreaHeader
        title="Admin"
        purpose="The health of this installation, maintenance, sign-in activity, staff passwords and where the clinic's data lives."
      />
      <div className="admin-grid">
        {permissions.includes('admin.maintenance') && <DatabaseHealth />}
        {permissions.includes('admin.audit') && <RecentActivity />}
        {permissions.includes('admin.users') && <PasswordReset />}
        {permissions.includes('admin.settings') && <ClinicServerForm />}
      </div>
    </>
  );
}
