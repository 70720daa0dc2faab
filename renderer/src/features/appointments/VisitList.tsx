import { STATUS_LABELS, type CalendarAppointment } from '../../../../shared/appointments';
import { formatDay } from '../../ui/dates';
import { useSignedIn } from '../../ui/useSignedIn';
import { APPOINTMENT_TYPE_LABELS } from './labels';

export function StatusTag({ status }: { status: CalendarAppointment['status'] }) {
  return <span className={`status-tag status-${status}`}>{STATUS_LABELS[status]}</span>;
}

/** A patient's appointments, as a table: when, with whom, what for, and where it stands. */
export function VisitList({ title, visits, empty }: { title: string; visits: CalendarAppointment[] | undefined; empty: string }) {
  const { clinic } = useSignedIn();
  return (
    <section className="visit-list">
      <h3>{title}</h3>
      {visits === undefined ? (
        <p className="muted">Loading…</p>
      ) : visits.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Time</th>
              <th scope="col">Doctor</th>
              <th scope="col">Visit</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {visits.map((visit) => (
              <tr key={visit.id}>
                <td>{formatDay(visit.local_date, clinic.language, true)}</td>
                <td>{visit.local_start}</td>
                <td>{visit.doctor_name}</td>
                <td>
                  {APPOINTMENT_TYPE_LABELS[visit.appointment_type]}
                  {visit.reason && <span className="muted"> · {visit.reason}</span>}
                </td>
                <td>
                  <StatusTag status={visit.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
