import { useId } from 'react';
import { GateCard } from '../ui/GateCard';

/**
 * Browser mode, after ClinicDesk restarted: the server no longer knows this tab (its links and
 * keys last one start), so the tab asks for a new link instead of failing call after call.
 */
export function RelinkScreen() {
  const titleId = useId();
  return (
    <GateCard titleId={titleId} title="ClinicDesk restarted">
      <p>This tab was opened before ClinicDesk restarted, so it is no longer let in.</p>
      <ol className="relink-steps">
        <li>Press Enter in the window where ClinicDesk runs: it prints a new link.</li>
        <li>Open that link in this browser (within 10 minutes). You then sign in again.</li>
      </ol>
      <p className="muted">What was saved is kept. A form that was not saved has to be typed again.</p>
    </GateCard>
  );
}
