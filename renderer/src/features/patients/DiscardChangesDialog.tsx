import { Dialog } from '../../ui/Dialog';
import { usePatientsDesk } from './patientsDesk';

/** Asked when the desk moves away (F2, Alt+N, another record) from a form with changes not saved. */
export function DiscardChangesDialog() {
  const { discardDraft, keepEditing } = usePatientsDesk.getState();
  const registering = usePatientsDesk((s) => s.draft?.form === 'register');
  return (
    <Dialog title="Discard changes?" onClose={keepEditing}>
      <p>
        {registering ? 'This registration is not saved yet.' : 'The changes to this record are not saved yet.'} What is typed will be lost.
      </p>
      <div className="dialog-actions">
        <button type="button" className="button-primary" autoFocus onClick={keepEditing}>
          Keep editing
        </button>
        <button type="button" className="button-secondary button-danger" onClick={discardDraft}>
          Discard changes
        </button>
      </div>
    </Dialog>
  );
}
