import type { PatientSearchResult } from '../../../../shared/patients';
import { ageOn, formatDate } from '../../ui/dates';
import { fullName } from '../../ui/names';
import { AlertMark, AllergyBadge } from './PatientFlags';

/** One patient in a list: who they are and what must not be missed, on one line. */
export function PatientSummary({ patient, today, language }: { patient: PatientSearchResult; today: string; language: string }) {
  return (
    <>
      <span className="summary-name">
        {fullName(patient)}
        <AlertMark alerts={patient.alerts} />
      </span>
      <span className="summary-number">{patient.patient_number}</span>
      <span className="summary-birth">
        {formatDate(patient.date_of_birth, language)} · {ageOn(patient.date_of_birth, today)}
      </span>
      <span className="summary-phone">{patient.phone ?? <span className="muted">no phone</span>}</span>
      <span className="summary-flags">
        <AllergyBadge allergies={patient.allergies} />
      </span>
    </>
  );
}
