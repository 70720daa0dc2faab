import type { Patient } from '../../../../shared/patients';
import { todayIn } from '../../../../shared/dates';
import { ageOn, formatDate } from '../../ui/dates';
import { PatientBalance } from '../invoices/PatientBalance';
import { fullName } from '../../ui/names';
import { bySeverity } from './PatientFlags';

/**
 * Who the patient is, with what can hurt them read first: severe allergies in red, then the
 * other allergies and the alerts, and only then name and details.
 */
export function PatientHeader({ patient, timezone, language }: { patient: Patient; timezone: string; language: string }) {
  const allergies = bySeverity(patient.allergies);
  const severe = allergies.filter((a) => a.severity === 'severe');
  const others = allergies.filter((a) => a.severity !== 'severe');
  return (
    <header className="patient-header">
      <div className="patient-warnings">
        {severe.map((allergy) => (
          <p key={allergy.substance} className="warning warning-severe">
            <strong>Severe allergy: {allergy.substance}</strong>
            {allergy.reaction && <span> — {allergy.reaction}</span>}
          </p>
        ))}
        {others.length > 0 && (
          <p className="warning warning-allergy">
            <strong>{others.length > 1 ? 'Allergies' : 'Allergy'}:</strong>{' '}
            {others.map((a) => `${a.substance} (${a.severity}${a.reaction ? `, ${a.reaction}` : ''})`).join('; ')}
          </p>
        )}
        {allergies.length === 0 && <p className="warning warning-none">No known allergies</p>}
        {patient.alerts && (
          <p className="warning warning-alert">
            <span className="alert-mark" aria-hidden="true">
              !
            </span>
            <strong>Alert:</strong> {patient.alerts}
          </p>
        )}
      </div>
      <div className="patient-identity">
        <h2>{fullName(patient)}</h2>
        <p>
          <span className="patient-number">{patient.patient_number}</span>
          <span>
            Born {formatDate(patient.date_of_birth, language)} ({ageOn(patient.date_of_birth, todayIn(timezone))})
          </span>
          <span>{patient.gender}</span>
          <span>{patient.phone ?? 'No phone'}</span>
          <PatientBalance patientId={patient.id} />
        </p>
      </div>
    </header>
  );
}
