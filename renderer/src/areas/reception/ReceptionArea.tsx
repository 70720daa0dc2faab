import { useEffect } from 'react';
import type { Permission } from '../../../../shared/permissions';
import { useDesk } from '../../deskState';
import { CalendarPage } from '../../features/calendar/CalendarPage';
import { PatientsPage } from '../../features/patients/PatientsPage';
import { usePatientsDesk } from '../../features/patients/patientsDesk';
import { startFromSearch } from '../../features/patients/startFromSearch';
import { QueueBoard } from '../../features/queue/QueueBoard';
import { SubNav } from '../../frame/SubNav';
import { RemindersPanel, useDueReminders } from '../../features/reminders/RemindersPanel';
import { useCan, useSignedIn } from '../../ui/useSignedIn';
import { useReception, type ReceptionView } from './receptionDesk';

const VIEWS: readonly { id: ReceptionView; label: string; permission: Permission }[] = [
  { id: 'patients', label: 'Patients', permission: 'patients.read' },
  { id: 'calendar', label: 'Calendar', permission: 'appointments.read' },
  { id: 'queue', label: "Today's queue", permission: 'queue.read' },
  { id: 'reminders', label: 'Reminders', permission: 'notifications.read' },
];

/** A dialog in front owns the keyboard: shortcuts must not change the page behind it. */
function dialogOpen(): boolean {
  return document.querySelector('dialog[open]') !== null;
}

export function ReceptionArea() {
  const { clinic } = useSignedIn();
  const can = useCan();
  const chosen = useReception((s) => s.view);
  const { show, findPatient, register, openPatient, bookFor, reset } = useReception.getState();
  const allowed = VIEWS.filter((view) => can(view.permission));
  const current = allowed.find((view) => view.id === chosen) ?? allowed[0];
  const reminders = useDueReminders(can('notifications.read'));

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (dialogOpen()) return;
      const findKey = event.key === 'F2' || (event.ctrlKey && !event.altKey && event.key.toLowerCase() === 'k');
      if (findKey && can('patients.read')) {
        event.preventDefault();
        findPatient();
      } else if (event.altKey && !event.ctrlKey && event.code === 'KeyN' && can('patients.write')) {
        event.preventDefault();
        register(startFromSearch(usePatientsDesk.getState().searchText, clinic.language));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [can, clinic.language, findPatient, register]);

  // Keep the place for a trip to another area; forget it (and what was searched) on lock or sign-out.
  useEffect(
    () => () => {
      const desk = useDesk.getState();
      const wentToAnotherArea = !desk.locked && desk.area !== null && desk.area !== 'reception';
      if (!wentToAnotherArea) reset();
    },
    [reset],
  );

  const dueCount = reminders.data?.length ?? 0;
  return (
    // The calendar fills the window and scrolls inside itself; other pages scroll with the area.
    <div className={current?.id === 'calendar' ? 'reception reception-fill' : 'reception'}>
      <header className="reception-header">
        <h1 tabIndex={-1}>Reception</h1>
        <SubNav
          label="Reception"
          views={allowed}
          current={current?.id}
          onChoose={show}
          after={(id) =>
            id === 'reminders' &&
            dueCount > 0 && (
              <span className="count-badge">
                {dueCount}
                <span className="visually-hidden"> due</span>
              </span>
            )
          }
        />
        {can('patients.read') && (
          <button type="button" className="button-secondary find-patient" onClick={findPatient} aria-keyshortcuts="F2 Control+K">
            Find patient <kbd>F2</kbd>
          </button>
        )}
      </header>
      <div className="reception-page">
        {current?.id === 'patients' && <PatientsPage onBook={bookFor} />}
        {current?.id === 'calendar' && <CalendarPage onOpenPatient={openPatient} />}
        {current?.id === 'queue' && <QueueBoard />}
        {current?.id === 'reminders' && <RemindersPanel reminders={reminders} />}
      </div>
    </div>
  );
}
