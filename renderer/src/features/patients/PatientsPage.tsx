import { ArchivedPatients } from './ArchivedPatients';
import { DiscardChangesDialog } from './DiscardChangesDialog';
import { PatientForm } from './PatientForm';
import { PatientRecord } from './PatientRecord';
import { PatientSearch } from './PatientSearch';
import { usePatientsDesk, type ChosenPatient } from './patientsDesk';

/** The patients pages; `onBook` takes the desk to wherever appointments are booked. */
export function PatientsPage({ onBook }: { onBook(patient: ChosenPatient): void }) {
  const leaving = usePatientsDesk((s) => s.leaving !== null);
  return (
    <>
      <CurrentPage onBook={onBook} />
      {leaving && <DiscardChangesDialog />}
    </>
  );
}

function CurrentPage({ onBook }: { onBook(patient: ChosenPatient): void }) {
  const page = usePatientsDesk((s) => s.page);
  switch (page.name) {
    case 'search':
      return <PatientSearch />;
    case 'record':
      return <PatientRecord key={page.patientId} patientId={page.patientId} onBook={onBook} />;
    case 'register':
      return <PatientForm start={page.start} />;
    case 'edit':
      return <PatientForm key={page.patientId} patientId={page.patientId} />;
    case 'archived':
      return <ArchivedPatients />;
  }
}
