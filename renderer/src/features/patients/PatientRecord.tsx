import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { STATUS_LABELS, type AppointmentStatus, type CalendarAppointment } from '../../../../shared/appointments';
import { todayIn } from '../../../../shared/dates';
import type { Patient } from '../../../../shared/patients';
import { formErrorsOf } from '../../errors';
import { useTRPC } from '../../trpc';
import { formatClock } from '../../ui/dates';
import { fullName } from '../../ui/names';
import { useCan, useSignedIn } from '../../ui/useSignedIn';
import { useStatusChanges } from '../appointments/useStatusChanges';
import { VisitList } from '../appointments/VisitList';
import { ExportPatientButton } from '../fhir/ExportPatientButton';
import { WalkInDialog } from '../queue/WalkInDialog';
import { ArchiveDialog } from './ArchiveDialog';
import { MergeDialog } from './MergeDialog';
import { PatientDetails } from './PatientDetails';
import { PatientHeader } from './PatientHeader';
import { usePatient } from './patientQueries';
import { usePatientsDesk, type ChosenPatient } from './patientsDesk';

/** Today's visit in one of these states, if any. */
function todays(
  visits: { upcoming: CalendarAppointment[]; past: CalendarAppointment[] } | undefined,
  today: string,
  statuses: readonly AppointmentStatus[],
): CalendarAppointment | undefined {
  return [...(visits?.upcoming ?? []), ...(visits?.past ?? [])].find(
    (visit) => visit.local_date === today && statuses.includes(visit.status),
  );
}

interface PatientRecordProps {
  patientId: string;
  /** "Book appointment": wherever the desk books. */
  onBook(patient: ChosenPatient): void;
}

export function PatientRecord({ patientId, onBook }: PatientRecordProps) {
  const { clinic } = useSignedIn();
  const patient = usePatient(patientId);
  const backToSearch = usePatientsDesk((s) => s.backToSearch);
  const notice = usePatientsDesk((s) => s.notice);

  // Esc goes back to the results, unless something on the page (a field, a dialog) wants it.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const typing = event.target instanceof HTMLElement && event.target.closest('input, textarea, select, dialog');
      if (event.key === 'Escape' && !typing && !event.defaultPrevented) backToSearch();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [backToSearch]);

  return (
    <section className="patient-record" aria-label="Patient record">
      <button type="button" className="button-quiet back-link" onClick={() => backToSearch()} title="Back (Esc)">
        ← Back to search
      </button>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {patient.isError && <p className="form-problem">{formErrorsOf(patient.error).general}</p>}
      {patient.isPending && <p className="muted">Opening the record…</p>}
      {patient.data && (
        <>
          <PatientHeader patient={patient.data} timezone={clinic.timezone} language={clinic.language} />
          <RecordBody patient={patient.data} onBook={onBook} />
        </>
      )}
    </section>
  );
}

function RecordBody({ patient, onBook }: { patient: Patient; onBook(patient: ChosenPatient): void }) {
  const { clinic } = useSignedIn();
  const can = useCan();
  const edit = usePatientsDesk((s) => s.edit);
  const [dialog, setDialog] = useState<'archive' | 'merge' | 'walk-in' | null>(null);
  const status = useStatusChanges();
  const trpc = useTRPC();
  const visits = useQuery(trpc.appointments.forPatient.queryOptions({ patient_id: patient.id }, { enabled: can('appointments.read') }));

  const today = todayIn(clinic.timezone);
  // The booking the desk is most likely checking in, or the visit already under way today.
  const arriving = todays(visits.data, today, ['scheduled', 'confirmed']);
  const here = todays(visits.data, today, ['checked_in', 'in_progress']);
  const checkIn = arriving && status.stepsFor(arriving).find((step) => step.to === 'checked_in');
  const chosen: ChosenPatient = { id: patient.id, name: fullName(patient), patient_number: patient.patient_number };

  return (
    <>
      <div className="record-actions" role="group" aria-label="Actions">
        {checkIn && arriving && (
          <button
            type="button"
            className="button-primary"
            aria-disabled={status.change.isPending}
            onClick={() => status.change.isPending || status.change.mutate({ step: checkIn, id: arriving.id })}
          >
            Check in ({arriving.local_start})
          </button>
        )}
        {here && (
          <p role="status" className="done-note">
            {STATUS_LABELS[here.status]}
            {here.checked_in_at && ` since ${formatClock(here.checked_in_at, clinic.timezone)}`}
          </p>
        )}
        {visits.data && !arriving && !here && can('appointments.checkin') && (
          <button type="button" className="button-secondary" onClick={() => setDialog('walk-in')}>
            Walk-in
          </button>
        )}
        {can('appointments.write') && (
          <button type="button" className="button-secondary" onClick={() => onBook(chosen)}>
            Book appointment
          </button>
        )}
        {can('patients.write') && (
          <button type="button" className="button-secondary" onClick={() => edit(patient.id)}>
            Edit details
          </button>
        )}
        {can('clinical.read') && <ExportPatientButton patientId={patient.id} />}
        {can('patients.archive') && (
          <>
            <button type="button" className="button-secondary" onClick={() => setDialog('merge')}>
              Merge a duplicate…
            </button>
            <button type="button" className="button-secondary button-danger" onClick={() => setDialog('archive')}>
              Archive…
            </button>
          </>
        )}
      </div>
      {status.change.isError && <p className="form-problem">{formErrorsOf(status.change.error).general}</p>}

      <div className="record-columns">
        <PatientDetails patient={patient} />
        {can('appointments.read') && (
          <div className="record-visits">
            {visits.isError && <p className="form-problem">{formErrorsOf(visits.error).general}</p>}
            <VisitList title="Upcoming appointments" visits={visits.data?.upcoming} empty="Nothing booked." />
            <VisitList title="Past appointments" visits={visits.data?.past} empty="No earlier visits." />
          </div>
        )}
      </div>

      {dialog === 'archive' && <ArchiveDialog patient={patient} onClose={() => setDialog(null)} />}
      {dialog === 'merge' && <MergeDialog patient={patient} onClose={() => setDialog(null)} />}
      {dialog === 'walk-in' && <WalkInDialog patient={chosen} onClose={() => setDialog(null)} />}
    </>
  );
}
