import { useState } from 'react';
import { useDoctors } from '../../features/appointments/useDoctors';
import { ConsultationDesk } from '../../features/consultation/ConsultationDesk';
import { QueueBoard } from '../../features/queue/QueueBoard';
import { ResultsDesk } from '../../features/results/ResultsDesk';
import { AreaHeader } from '../../frame/AreaHeader';
import { useCan, useSignedIn } from '../../ui/useSignedIn';

type ClinicalView = 'today' | 'results';

/** A doctor works from their own day; a nurse (no list of their own) keeps the clinic's queue. Both reach the results. */
export function ClinicalArea() {
  const can = useCan();
  const { user } = useSignedIn();
  const doctors = useDoctors();
  const [view, setView] = useState<ClinicalView>('today');
  const isDoctor = doctors.data?.some((doctor) => doctor.id === user.id) ?? false;
  const views: { id: ClinicalView; label: string }[] = [
    { id: 'today', label: isDoctor ? 'Your day' : "Today's queue" },
    { id: 'results', label: 'Tests and results' },
  ];
  return (
    <>
      <AreaHeader
        title="Clinical"
        purpose="Today's patients and their history, allergies and alerts first: notes, vitals, prescriptions and test results."
      />
      <nav aria-label="Clinical" className="subnav clinical-subnav">
        {views.map((item) => (
          <button
            key={item.id}
            type="button"
            className="subnav-item"
            aria-current={item.id === view ? 'page' : undefined}
            onClick={() => setView(item.id)}
          >
            {item.label}
          </button>
        ))}
      </nav>
      {doctors.isSuccess && view === 'today' && (isDoctor ? <ConsultationDesk /> : can('queue.read') && <QueueBoard ownQueue />)}
      {doctors.isSuccess && view === 'results' && <ResultsDesk ownResults={isDoctor} />}
    </>
  );
}
