import { AreaHeader } from '../frame/AreaHeader';

export function ClinicalArea() {
  return (
    <AreaHeader
      title="Clinical"
      purpose="Today's patients and their history, allergies and alerts first: notes, vitals, prescriptions and test results."
    />
  );
}
