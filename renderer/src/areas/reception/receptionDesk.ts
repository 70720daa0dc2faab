import { create } from 'zustand';
import { useCalendarDesk } from '../../features/calendar/calendarDesk';
import { usePatientsDesk, type ChosenPatient, type RegistrationStart } from '../../features/patients/patientsDesk';

export type ReceptionView = 'patients' | 'calendar' | 'queue' | 'reminders';

interface ReceptionDesk {
  view: ReceptionView;
  show(view: ReceptionView): void;
  /** F2 or Ctrl+K from anywhere in Reception: the patient search, ready to type. */
  findPatient(): void;
  /** Alt+N from anywhere in Reception: the registration form. */
  register(start: RegistrationStart): void;
  /** The calendar's "Open patient record": that patient's record. */
  openPatient(patientId: string): void;
  /** From a patient's record: the calendar, booking for them. */
  bookFor(patient: ChosenPatient): void;
  /** Forgets the place in every page, and what was searched (lock, sign-out). */
  reset(): void;
}

/**
 * Which page of Reception is open. Each page keeps its own place (the patients desk, the
 * calendar desk); this joins them. It survives a trip to Billing, not a lock.
 */
export const useReception = create<ReceptionDesk>()((set) => ({
  view: 'patients',
  show: (view) => {
    usePatientsDesk.getState().dismissNotice();
    set({ view });
  },
  findPatient: () => {
    usePatientsDesk.getState().focusSearch();
    set({ view: 'patients' });
  },
  register: (start) => {
    usePatientsDesk.getState().register(start);
    set({ view: 'patients' });
  },
  openPatient: (patientId) => {
    usePatientsDesk.getState().openPatient(patientId);
    set({ view: 'patients' });
  },
  bookFor: (patient) => {
    useCalendarDesk.getState().bookFor(patient);
    usePatientsDesk.getState().dismissNotice();
    set({ view: 'calendar' });
  },
  reset: () => {
    usePatientsDesk.getState().reset();
    useCalendarDesk.getState().reset();
    set({ view: 'patients' });
  },
}));
