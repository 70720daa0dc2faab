import { create } from 'zustand';

export type ReceptionView = 'patients' | 'calendar' | 'queue' | 'reminders';

/** What the form starts with when registering from a search that found no one. */
export interface RegistrationStart {
  first_name?: string;
  last_name?: string;
  date_of_birth?: string;
  phone?: string;
}

export type PatientsPage =
  | { name: 'search' }
  | { name: 'record'; patientId: string }
  | { name: 'register'; start: RegistrationStart }
  | { name: 'edit'; patientId: string }
  | { name: 'archived' };

/** A patient picked on their record for the next booking made on the calendar. */
export interface ChosenPatient {
  id: string;
  name: string;
  patient_number: string;
}

/** What the calendar shows: a day or a week from `date` (null: today), one doctor or all ('' ). */
interface CalendarChoice {
  mode: 'day' | 'week';
  date: string | null;
  doctorId: string;
}

interface ReceptionDesk {
  view: ReceptionView;
  patients: PatientsPage;
  /** What is typed in "Search patients", kept while a record is open so Back returns to the results. */
  searchText: string;
  /** Bumped to ask the search box to take focus (F2, Ctrl+K). */
  searchFocusRequests: number;
  bookingFor: ChosenPatient | null;
  calendar: CalendarChoice;
  /** One line confirming what just happened (archived, restored), shown on the next page. */
  notice: string | null;
  show(view: ReceptionView): void;
  openPatient(patientId: string): void;
  register(start: RegistrationStart): void;
  edit(patientId: string): void;
  showArchived(): void;
  backToSearch(notice?: string): void;
  setSearchText(text: string): void;
  focusSearch(): void;
  bookFor(patient: ChosenPatient | null): void;
  showCalendar(choice: Partial<CalendarChoice>): void;
  reset(): void;
}

const START = {
  view: 'patients',
  patients: { name: 'search' },
  searchText: '',
  searchFocusRequests: 0,
  bookingFor: null,
  calendar: { mode: 'day', date: null, doctorId: '' },
  notice: null,
} as const satisfies Partial<ReceptionDesk>;

/** Where the receptionist is inside Reception; it survives a trip to Billing, not a lock. */
export const useReception = create<ReceptionDesk>()((set) => ({
  ...START,
  show: (view) => set({ view, notice: null }),
  openPatient: (patientId) => set({ view: 'patients', patients: { name: 'record', patientId }, notice: null }),
  register: (start) => set({ view: 'patients', patients: { name: 'register', start }, notice: null }),
  edit: (patientId) => set({ view: 'patients', patients: { name: 'edit', patientId }, notice: null }),
  showArchived: () => set({ view: 'patients', patients: { name: 'archived' }, notice: null }),
  backToSearch: (notice) => set({ view: 'patients', patients: { name: 'search' }, notice: notice ?? null }),
  setSearchText: (searchText) => set({ searchText }),
  focusSearch: () =>
    set((desk) => ({
      view: 'patients',
      patients: { name: 'search' },
      searchFocusRequests: desk.searchFocusRequests + 1,
    })),
  bookFor: (bookingFor) => set(bookingFor ? { bookingFor, view: 'calendar', notice: null } : { bookingFor }),
  showCalendar: (choice) => set((desk) => ({ calendar: { ...desk.calendar, ...choice } })),
  reset: () => set(START),
}));
