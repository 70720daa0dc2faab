import { useQuery } from '@tanstack/react-query';
import { useSession } from '../session/session';
import { formErrorsOf } from '../errors';
import { trpc } from '../trpc';

export function RecentActivity() {
  const timezone = useSession().data?.clinic.timezone;
  const activity = useQuery({
    queryKey: ['admin', 'recentActivity'],
    queryFn: () => trpc.admin.recentActivity.query({ limit: 25 }),
  });
  const when = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: timezone });
  return (
    <section className="panel" aria-labelledby="activity-title">
      <h2 id="activity-title">Recent sign-ins and activity</h2>
      {activity.error && <p role="alert">{formErrorsOf(activity.error).general}</p>}
      <ul className="activity-list">
        {activity.data?.map((entry) => (
          <li key={entry.id} className={entry.activity_type.includes('fail') || entry.activity_type.includes('locked') ? 'warn' : ''}>
            <time dateTime={String(entry.created_at)}>{when.format(new Date(entry.created_at))}</time>
            <span>{entry.user_name ?? 'Unknown user'}</span>
            <span>{entry.description}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
