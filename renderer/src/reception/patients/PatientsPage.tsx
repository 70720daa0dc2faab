import { useReception } from '../receptionDesk';
import { ArchivedPatients } from './ArchivedPatients';
import { PatientForm } from './PatientForm';
import { PatientRecord } from './PatientRecord';
import { PatientSearch } from './PatientSearch';

export function PatientsPage() {
  const page = useReception((s) => s.patients);
  switch (page.name) {
    case 'search':
      return <PatientSearch />;
    case 'record':
      return <PatientRecord key={page.patientId} patientId={page.patientId} />;
    case 'register':
      return <PatientForm start={page.start} />;
    case 'edit':
      return <PatientForm key={page.patientId} patientId={page.patientId} />;
    case 'archived':
      return <ArchivedPatients />;
  }
}
