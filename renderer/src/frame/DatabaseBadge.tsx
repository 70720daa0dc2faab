import { useServerReach } from '../serverReach';
import { useDatabaseStatus } from '../session/session';

const SHORT_NAMES = { pglite: 'Offline · this PC', postgres: 'Remote' } as const;

/** Which database this desk works on: the offline one on this PC, or the clinic's remote server. */
export function DatabaseBadge({ withDetail = false }: { withDetail?: boolean }) {
  const status = useDatabaseStatus();
  const answering = useServerReach((s) => s.answering);
  if (status.isError || !answering) {
    return (
      <span className="badge badge-problem" role="status">
        <span className="visually-hidden">Database: </span>Not answering
      </span>
    );
  }
  if (!status.data) {
    return (
      <span className="badge">
        <span className="visually-hidden">Database: </span>checking…
      </span>
    );
  }
  const { kind, label, demo } = status.data;
  return (
    <span className="database-status">
      <span className={`badge badge-${kind}`} title={label}>
        <span className="visually-hidden">Database: </span>
        {demo ? 'Demo · nothing is saved' : SHORT_NAMES[kind]}
      </span>
      {withDetail && <span className="database-detail">{label}</span>}
    </span>
  );
}
