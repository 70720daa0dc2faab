import { useQuery } from '@tanstack/react-query';
import { formErrorsOf } from '../../errors';
import { useTRPC } from '../../trpc';
import { formatInstant } from '../../ui/dates';
import { useSignedIn } from '../../ui/useSignedIn';

export function RecentActivity() {
  const { clinic } = useSignedIn();
  const trpc = useTRPC();
  const activity = useQuery(trpc.admin.recentActivity.queryOptions({ limit: 25 }));
  return (
    <section className="panel" aria-labelledby="activity-title">
      <h2 id="activity-title">Recent sign-ins and activity</h2>
      {activity.error && <p role="alert">{formErrorsOf(activity.error).general}</p>}
      <ul className="activity-list">
        {activity.data?.map((entry) => (
          <li key={entry.id} className={entry.activity_type.includes('fail') || entry.activity_type.includes('locked') ? 'warn' : ''}>
            <time dateTime={String(entry.created_at)}>{formatInstant(String(entry.created_at), clinic.language, clinic.timezone)}</time>
            <span>{entry.user_name ?? 'Unknown user'}</span>
            <span>{entry.description}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
