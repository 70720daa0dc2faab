import type { AppointmentType } from '../../../../shared/appointments';

export const APPOINTMENT_TYPE_LABELS: Record<AppointmentType, string> = {
  consultation: 'Consultation',
  follow_up: 'Follow-up',
  check_up: 'Check-up',
  procedure: 'Procedure',
  vaccination: 'Vaccination',
  emergency: 'Emergency',
  telemedicine: 'Video / phone',
};
