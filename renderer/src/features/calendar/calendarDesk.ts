import { create } from 'zustand';
import type { ChosenPatient } from '../patients/patientsDesk';

/** What the calendar shows: a day or a week from `date` (null: today), one doctor or all (''). */
export interface CalendarChoice {
  mode: 'day' | 'week';
  date: string | null;
  doctorId: string;
}

interface CalendarDesk {
  choice: CalendarChoice;
  /** A patient picked on their record for the next booking made on the calendar. */
  bookingFor: ChosenPatient | null;
  show(choice: Partial<CalendarChoice>): void;
  bookFor(patient: ChosenPatient | null): void;
  reset(): void;
}

const START = { choice: { mode: 'day', date: null, doctorId: '' }, bookingFor: null } as const satisfies Partial<CalendarDesk>;

export const useCalendarDesk = create<CalendarDesk>()((set) => ({
  ...START,
  show: (choice) => set((desk) => ({ choice: { ...desk.choice, ...choice } })),
  bookFor: (bookingFor) => set({ bookingFor }),
  reset: () => set(START),
}));
