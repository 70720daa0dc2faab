import { useEffect } from 'react';
import type { Permission } from '../../../shared/permissions';
import { useDesk } from '../deskState';
import { useCan, useSignedIn } from '../ui/useSignedIn';
import { CalendarPage } from './calendar/CalendarPage';
import { PatientsPage } from './patients/PatientsPage';
import { startFromSearch } from './patients/startFromSearch';
import { QueueBoard } from './queue/QueueBoard';
import { useReception, type ReceptionView } from './receptionDesk';
import { RemindersPanel, useDueReminders } from './reminders/RemindersPanel';

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
  const { show, focusSearch, register, reset } = useReception.getState();
  const allowed = VIEWS.filter((view) => can(view.permission));
  const current = allowed.find((view) => view.id === chosen) ?? allowed[0];
  const reminders = useDueReminders(can('notifications.read'));

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (dialogOpen()) return;
      const findKey = event.key === 'F2' || (event.ctrlKey && !event.altKey && event.key.toLowerCase() === 'k');
      if (findKey && can('patients.read')) {
        event.preventDefault();
        focusSearch();
      } else if (event.altKey && !event.ctrlKey && event.code === 'KeyN' && can('patients.write')) {
        event.preventDefault();
        register(startFromSearch(useReception.getState().searchText, clinic.language));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [can, clinic.language, focusSearch, register]);

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
        <nav aria-label="Reception" className="subnav">
          {allowed.map((view) => (
            <button
              key={view.id}
              type="button"
              className="subnav-item"
              aria-current={view.id === current?.id ? 'page' : undefined}
              onClick={() => show(view.id)}
            >
              {view.label}
              {view.id === 'reminders' && dueCount > 0 && (
                <span className="count-badge">
                  {dueCount}
                  <span className="visually-hidden"> due</span>
                </span>
              )}
            </button>
          ))}
        </nav>
        {can('patients.read') && (
          <button type="button" className="button-secondary find-patient" onClick={focusSearch} aria-keyshortcuts="F2 Control+K">
            Find patient <kbd>F2</kbd>
          </button>
        )}
      </header>
      <div className="reception-page">
        {current?.id === 'patients' && <PatientsPage />}
        {current?.id === 'calendar' && <CalendarPage />}
        {current?.id === 'queue' && <QueueBoard />}
        {current?.id === 'reminders' && <RemindersPanel reminders={reminders} />}
      </div>
    </div>
  );
}
