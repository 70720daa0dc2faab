import { useMutation } from '@tanstack/react-query';
import { canMove, type AppointmentStatus, type CalendarAppointment } from '../../../../shared/appointments';
import type { Permission } from '../../../../shared/permissions';
import { useRefresh, useTRPC, useTRPCClient } from '../../trpc';
import { todayIn } from '../../../../shared/dates';
import { useCan, useSignedIn } from '../../ui/useSignedIn';

/** The one-click status changes; cancelling (needs a reason) and moving (needs a time) have forms. */
const STEPS = [
  { to: 'confirmed', label: 'Confirm', permission: 'appointments.write', procedure: 'confirm' },
  { to: 'checked_in', label: 'Check in', permission: 'appointments.checkin', procedure: 'checkIn' },
  { to: 'in_progress', label: 'Start', permission: 'clinical.write', procedure: 'start' },
  { to: 'completed', label: 'Complete', permission: 'clinical.write', procedure: 'complete' },
  { to: 'no_show', label: 'No-show', permission: 'appointments.write', procedure: 'markNoShow' },
] as const satisfies readonly {
  to: AppointmentStatus;
  label: string;
  permission: Permission;
  /** The `appointments` procedure that makes the change. */
  procedure: string;
}[];

type StatusStep = (typeof STEPS)[number];

/** A booking can be moved to another time only before the patient has arrived. */
const MOVABLE: readonly AppointmentStatus[] = ['scheduled', 'confirmed'];

/**
 * What the signed-in user may do with an appointment now: the steps STATUS_TRANSITIONS allows
 * from its status that their role holds. A no-show is offered only once its start has passed;
 * check-in only on the appointment's own day (the server refuses the rest too).
 */
export function useStatusChanges() {
  const can = useCan();
  const { clinic } = useSignedIn();
  const trpc = useTRPC();
  const trpcClient = useTRPCClient();
  const refresh = useRefresh(trpc.appointments);
  const change = useMutation({
    mutationFn: ({ step, id }: { step: StatusStep; id: string }) => trpcClient.appointments[step.procedure].mutate({ id }),
    onSuccess: refresh,
  });

  function stepsFor(appointment: Pick<CalendarAppointment, 'status' | 'starts_at' | 'local_date'>, now = Date.now()): StatusStep[] {
    const today = todayIn(clinic.timezone, new Date(now));
    return STEPS.filter(
      (step) =>
        canMove(appointment.status, step.to) &&
        can(step.permission) &&
        (step.to !== 'no_show' || Date.parse(appointment.starts_at) <= now) &&
        (step.to !== 'checked_in' || appointment.local_date === today),
    );
  }

  return {
    stepsFor,
    canCancel: (status: AppointmentStatus) => canMove(status, 'cancelled') && can('appointments.write'),
    canReschedule: (status: AppointmentStatus) => MOVABLE.includes(status) && can('appointments.write'),
    /** Runs a step; the caller shows `change.error` next to the buttons. */
    change,
  };
}
