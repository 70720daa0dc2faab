import type { Chart } from '../../../../shared/clinical';
import { todayIn } from '../../../../shared/dates';
import { ageOn, formatDate } from '../../ui/dates';
import { bySeverity } from '../patients/PatientFlags';

/** Allergies and alerts first, then who the patient is, what they take, their problems and last vitals. */
export function ChartHeader({ chart, timezone, language }: { chart: Chart; timezone: string; language: string }) {
  const { patient, medications, problems, last_vitals: last } = chart;
  const allergies = bySeverity(patient.allergies);
  const v = last?.vitals;
  return (
    <header className="patient-header chart-header">
      <div className="patient-warnings">
        {allergies.map((allergy) => (
          <p key={allergy.substance} className={allergy.severity === 'severe' ? 'warning warning-severe' : 'warning warning-allergy'}>
            <strong>
              {allergy.severity === 'severe' ? 'Severe allergy' : 'Allergy'}: {allergy.substance}
            </strong>
            {allergy.reaction && <span> — {allergy.reaction}</span>}
          </p>
        ))}
        {allergies.length === 0 && <p className="warning warning-none">No known allergies</p>}
        {patient.alerts && (
          <p className="warning warning-alert">
            <strong>Alert:</strong> {patient.alerts}
          </p>
        )}
      </div>
      <div className="patient-identity">
        <h2>{patient.name}</h2>
        <p>
          <span className="patient-number">{patient.patient_number}</span>
          <span>{ageOn(patient.date_of_birth, todayIn(timezone))}</span>
          <span>{patient.gender}</span>
        </p>
      </div>
      <dl className="chart-facts">
        <div>
          <dt>Medications</dt>
          <dd>
            {[
              ...medications.prescribed.map((m) => `${m.medication_name} ${m.strength ?? ''} ${m.dosage}, ${m.frequency}`),
              ...medications.reported.map((m) => [m.name, m.dose, m.frequency].filter(Boolean).join(' ') + ' (reported)'),
            ].join('; ') || 'None recorded'}
          </dd>
        </div>
        <div>
          <dt>Problems</dt>
          <dd>{problems.map((p) => (p.code ? `${p.description} (${p.code})` : p.description)).join('; ') || 'None recorded'}</dd>
        </div>
        <div>
          <dt>Last vitals{last && ` (${formatDate(last.local_date.slice(0, 10), language)})`}</dt>
          <dd>
            {v
              ? [
                  v.bp_systolic !== undefined && `BP ${v.bp_systolic}/${v.bp_diastolic ?? '–'}`,
                  v.pulse !== undefined && `pulse ${v.pulse}`,
                  v.temperature_c !== undefined && `${v.temperature_c} °C`,
                  v.spo2 !== undefined && `SpO₂ ${v.spo2}%`,
                  v.weight_kg !== undefined && `${v.weight_kg} kg`,
                  last.bmi !== null && `BMI ${last.bmi}`,
                ]
                  .filter(Boolean)
                  .join(' · ')
              : 'None recorded'}
          </dd>
        </div>
      </dl>
    </header>
  );
}
