import { AreaHeader } from '../frame/AreaHeader';

export function AdminArea() {
  return (
    <AreaHeader
      title="Admin"
      purpose="Users and their roles, clinic settings, the audit trail, backups and the health of this installation."
    />
  );
}
