import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { DueReminder } from '../../../../shared/appointments';
import { formErrorsOf } from '../../errors';
import { trpc } from '../../trpc';
import { formatInstant } from '../../ui/dates';
import { useCan, useSignedIn } from '../../ui/useSignedIn';
import { keys, useChange } from '../queries';

/** Reminders falling due in the next day; the area's navigation shows how many. */
export function useDueReminders(allowed: boolean) {
  return useQuery({
    queryKey: [...keys.appointments, 'reminders'],
    queryFn: () => trpc.appointments.dueReminders.query(),
    enabled: allowed,
    refetchInterval: 60_000,
  });
}

/** Sending is done by hand for now (phone, text): the desk marks each one once it is done. */
export function RemindersPanel({ reminders }: { reminders: UseQueryResult<DueReminder[]> }) {
  const { clinic } = useSignedIn();
  const can = useCan();
  const markSent = useChange((id: string) => trpc.appointments.markReminderSent.mutate({ id }));

  return (
    <section className="reminders" aria-labelledby="reminders-title">
      <h2 id="reminders-title">Reminders due</h2>
      <p className="muted">Appointment reminders due within the next 24 hours, oldest first.</p>
      {reminders.isError && <p className="form-problem">{formErrorsOf(reminders.error).general}</p>}
      {markSent.isError && (
        <p className="form-problem" role="alert">
          {formErrorsOf(markSent.error).general}
        </p>
      )}
      {reminders.data?.length === 0 && <p className="empty-note">No reminders are due.</p>}
      <ul className="reminder-list">
        {reminders.data?.map((reminder) => (
          <li key={reminder.id} className="reminder">
            <div>
              <p className="reminder-title">{reminder.title}</p>
              <p>{reminder.message}</p>
              <p className="muted">Due {formatInstant(reminder.scheduled_for, clinic.language, clinic.timezone)}</p>
            </div>
            {can('appointments.write') && (
              <button
                type="button"
                className="button-secondary"
                aria-label={`Mark sent: ${reminder.title}`}
                aria-disabled={markSent.isPending}
                onClick={() => markSent.isPending || markSent.mutate(reminder.id)}
              >
                Mark sent
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
