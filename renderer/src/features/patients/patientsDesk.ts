import { create } from 'zustand';

/** What the form starts with when registering from a search that found no one. */
export interface RegistrationStart {
  first_name?: string;
  last_name?: string;
  date_of_birth?: string;
  phone?: string;
}

/** A patient chosen for a booking or a walk-in: enough to name them on screen. */
export interface ChosenPatient {
  id: string;
  name: string;
  patient_number: string;
}

export type PatientsPage =
  | { name: 'search' }
  | { name: 'record'; patientId: string }
  | { name: 'register'; start: RegistrationStart }
  | { name: 'edit'; patientId: string }
  | { name: 'archived' };

interface PatientsDesk {
  page: PatientsPage;
  /** What is typed in "Search patients", kept while a record is open so Back returns to the results. */
  searchText: string;
  /** Bumped to ask the search box to take focus (F2, Ctrl+K). */
  searchFocusRequests: number;
  /** One line confirming what just happened (archived, restored), shown on the next page. */
  notice: string | null;
  openPatient(patientId: string): void;
  register(start: RegistrationStart): void;
  edit(patientId: string): void;
  showArchived(): void;
  backToSearch(notice?: string): void;
  setSearchText(text: string): void;
  focusSearch(): void;
  /** The desk moved on to another page: the last confirmation no longer applies. */
  dismissNotice(): void;
  reset(): void;
}

const START = {
  page: { name: 'search' },
  searchText: '',
  searchFocusRequests: 0,
  notice: null,
} as const satisfies Partial<PatientsDesk>;

/** Where the desk is among the patients: search, a record, the form or the archive. */
export const usePatientsDesk = create<PatientsDesk>()((set) => ({
  ...START,
  openPatient: (patientId) => set({ page: { name: 'record', patientId }, notice: null }),
  register: (start) => set({ page: { name: 'register', start }, notice: null }),
  edit: (patientId) => set({ page: { name: 'edit', patientId }, notice: null }),
  showArchived: () => set({ page: { name: 'archived' }, notice: null }),
  backToSearch: (notice) => set({ page: { name: 'search' }, notice: notice ?? null }),
  setSearchText: (searchText) => set({ searchText }),
  focusSearch: () => set((desk) => ({ page: { name: 'search' }, searchFocusRequests: desk.searchFocusRequests + 1 })),
  dismissNotice: () => set({ notice: null }),
  reset: () => set(START),
}));
