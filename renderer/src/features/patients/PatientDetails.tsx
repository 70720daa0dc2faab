import type { ReactNode } from 'react';
import type { Patient } from '../../../../shared/patients';
import { formatDate } from '../../ui/dates';
import { languageName } from '../../ui/names';
import { useSignedIn } from '../../ui/useSignedIn';

/** Only what is recorded: an empty line tells the desk nothing. */
function Item({ term, children }: { term: string; children: ReactNode }) {
  // `false` too: `list.length > 0 && <ul>…` renders nothing, and its label must go with it.
  if (children === null || children === undefined || children === false || children === '') return null;
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

function joined(...parts: (string | null | undefined)[]): string {
  return parts.filter(Boolean).join(', ');
}

/** The rest of the record, read-only, in the same groups as the form. */
export function PatientDetails({ patient }: { patient: Patient }) {
  const { clinic } = useSignedIn();
  const insurance = patient.insurance_info;
  return (
    <div className="record-details">
      <h3>Details</h3>
      <dl className="details-list">
        <Item term="Mobile / phone">{joined(patient.phone, patient.alternate_phone)}</Item>
        <Item term="Email">{patient.email}</Item>
        <Item term="Address">
          {joined(patient.address_line1, patient.address_line2, patient.city, patient.state, patient.postal_code, patient.country)}
        </Item>
        <Item term="Emergency contact">
          {patient.emergency_contact_name &&
            joined(
              patient.emergency_contact_relationship
                ? `${patient.emergency_contact_name} (${patient.emergency_contact_relationship})`
                : patient.emergency_contact_name,
              patient.emergency_contact_phone,
            )}
        </Item>
        <Item term="Insurance">
          {insurance.provider &&
            joined(
              insurance.provider,
              insurance.policy_number && `policy ${insurance.policy_number}`,
              insurance.group_number && `group ${insurance.group_number}`,
              insurance.valid_until && `valid until ${formatDate(insurance.valid_until, clinic.language)}`,
            )}
        </Item>
        <Item term="Usual doctor">{patient.primary_care_physician_name}</Item>
        <Item term="Blood group">{patient.blood_group}</Item>
        <Item term="Language">{patient.preferred_language && languageName(patient.preferred_language, clinic.language)}</Item>
        <Item term="Occupation">{patient.occupation}</Item>
        <Item term="Medical history">
          {patient.medical_history.length > 0 && (
            <ul>
              {patient.medical_history.map((entry, index) => (
                <li key={index}>{joined(entry.condition, entry.since && `since ${entry.since}`, entry.notes)}</li>
              ))}
            </ul>
          )}
        </Item>
        <Item term="Medications">
          {patient.current_medications.length > 0 && (
            <ul>
              {patient.current_medications.map((medicine, index) => (
                <li key={index}>{joined(medicine.name, medicine.dose, medicine.frequency)}</li>
              ))}
            </ul>
          )}
        </Item>
        <Item term="Notes">{patient.notes}</Item>
      </dl>
    </div>
  );
}
