import { useMutation, useQuery } from '@tanstack/react-query';
import { formErrorsOf } from '../../errors';
import { useRefresh, useTRPC } from '../../trpc';
import { formatInstant } from '../../ui/dates';
import { useCan, useSignedIn } from '../../ui/useSignedIn';

/** Reminders falling due in the next day; the area's navigation shows how many. */
export function useDueReminders(allowed: boolean) {
  const trpc = useTRPC();
  return useQuery(trpc.appointments.dueReminders.queryOptions(undefined, { enabled: allowed, refetchInterval: 60_000 }));
}

/** Sending is done by hand for now (phone, text): the desk marks each one once it is done. */
export function RemindersPanel({ reminders }: { reminders: ReturnType<typeof useDueReminders> }) {
  const { clinic } = useSignedIn();
  const can = useCan();
  const trpc = useTRPC();
  const refresh = useRefresh(trpc.appointments);
  const markSent = useMutation(trpc.appointments.markReminderSent.mutationOptions({ onSuccess: refresh }));

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
              {reminder.patient_phone && (
                <p>
                  Phone <strong className="reminder-phone">{reminder.patient_phone}</strong>
                </p>
              )}
              <p className="muted">Due {formatInstant(reminder.scheduled_for, clinic.language, clinic.timezone)}</p>
            </div>
            {can('appointments.write') && (
              <button
                type="button"
                className="button-secondary"
                aria-label={`Mark sent: ${reminder.title}`}
                aria-disabled={markSent.isPending}
                onClick={() => markSent.isPending || markSent.mutate({ id: reminder.id })}
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
