import { QueueBoard } from '../../features/queue/QueueBoard';
import { AreaHeader } from '../../frame/AreaHeader';
import { useCan } from '../../ui/useSignedIn';

export function ClinicalArea() {
  const can = useCan();
  return (
    <>
      <AreaHeader
        title="Clinical"
        purpose="Today's patients and their history, allergies and alerts first: notes, vitals, prescriptions and test results."
      />
      {can('queue.read') && <QueueBoard ownQueue />}
    </>
  );
}
