import { AreaHeader } from '../frame/AreaHeader';
import { useSession } from '../session/session';
import { ClinicServerForm } from './ClinicServerForm';
import { DatabaseHealth } from './DatabaseHealth';
import { RecentActivity } from './RecentActivity';

export function AdminArea() {
  const permissions = useSession().data?.permissions ?? [];
  return (
    <>
      <AreaHeader
        title="Admin"
        purpose="The health of this installation, maintenance, sign-in activity and where the clinic's data lives."
      />
      <div className="admin-grid">
        {permissions.includes('admin.maintenance') && <DatabaseHealth />}
        {permissions.includes('admin.audit') && <RecentActivity />}
        {permissions.includes('admin.settings') && <ClinicServerForm />}
      </div>
    </>
  );
}
