import { useDoctors } from '../../features/appointments/useDoctors';
import { ConsultationDesk } from '../../features/consultation/ConsultationDesk';
import { QueueBoard } from '../../features/queue/QueueBoard';
import { AreaHeader } from '../../frame/AreaHeader';
import { useCan, useSignedIn } from '../../ui/useSignedIn';

/** A doctor works from their own day; a nurse (no list of their own) keeps the clinic's queue. */
export function ClinicalArea() {
  const can = useCan();
  const { user } = useSignedIn();
  const doctors = useDoctors();
  const isDoctor = doctors.data?.some((doctor) => doctor.id === user.id) ?? false;
  return (
    <>
      <AreaHeader
        title="Clinical"
        purpose="Today's patients and their history, allergies and alerts first: notes, vitals, prescriptions and test results."
      />
      {doctors.isSuccess && (isDoctor ? <ConsultationDesk /> : can('queue.read') && <QueueBoard ownQueue />)}
    </>
  );
}
