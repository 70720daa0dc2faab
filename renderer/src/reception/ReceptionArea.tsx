import { AreaHeader } from '../frame/AreaHeader';

export function ReceptionArea() {
  return (
    <AreaHeader
      title="Reception"
      purpose="Find and register patients, book and check in appointments, see who is waiting, and take payments."
    />
  );
}
