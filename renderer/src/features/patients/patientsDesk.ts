import { create } from 'zustand';
import type { PatientFormValues } from './formValues';

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

/** What is typed in the registration or edit form: kept while the desk looks at another tab or area. */
export interface PatientDraft {
  /** 'register', or 'edit:<patient id>'. */
  form: string;
  values: PatientFormValues;
  /** Differs from what the form opened with: leaving it asks first. */
  changed: boolean;
}

/** A move away from a changed form, waiting for "Discard changes". */
type Leaving = Pick<PatientsDesk, 'page'> & Partial<Pick<PatientsDesk, 'searchFocusRequests' | 'notice'>>;

interface PatientsDesk {
  page: PatientsPage;
  draft: PatientDraft | null;
  leaving: Leaving | null;
  /** What is typed in "Search patients", kept while a record is open so Back returns to the results. */
  searchText: string;
  /** Bumped to ask the search box to take focus (F2, Ctrl+K). */
  searchFocusRequests: number;
  /** One line confirming what just happened (archived, restored, merged), shown on the next page. */
  notice: string | null;
  /** A record; `notice` says what just happened to it (merged). */
  openPatient(patientId: string, notice?: string): void;
  register(start: RegistrationStart): void;
  edit(patientId: string): void;
  showArchived(): void;
  backToSearch(notice?: string): void;
  setSearchText(text: string): void;
  focusSearch(): void;
  /** The desk moved on to another page: the last confirmation no longer applies. */
  dismissNotice(): void;
  keepDraft(draft: PatientDraft): void;
  /** The form was saved or cancelled: nothing to keep or ask about. */
  dropDraft(): void;
  /** "Discard changes": the move that was held goes ahead. */
  discardDraft(): void;
  /** "Keep editing": the move that was held is forgotten. */
  keepEditing(): void;
  reset(): void;
}

const START = {
  page: { name: 'search' },
  draft: null,
  leaving: null,
  searchText: '',
  searchFocusRequests: 0,
  notice: null,
} as const satisfies Partial<PatientsDesk>;

/**
 * Where the desk is among the patients: search, a record, the form or the archive. Moving away
 * from a changed form is held until the desk says to discard it (another tab or area keeps it).
 */
export const usePatientsDesk = create<PatientsDesk>()((set, get) => {
  const go = (next: Leaving) => {
    if (get().draft?.changed) set({ leaving: next });
    else set({ notice: null, ...next, draft: null, leaving: null });
  };
  return {
    ...START,
    openPatient: (patientId, notice) => go({ page: { name: 'record', patientId }, notice: notice ?? null }),
    register: (start) => go({ page: { name: 'register', start } }),
    edit: (patientId) => go({ page: { name: 'edit', patientId } }),
    showArchived: () => go({ page: { name: 'archived' } }),
    backToSearch: (notice) => go({ page: { name: 'search' }, notice: notice ?? null }),
    setSearchText: (searchText) => set({ searchText }),
    focusSearch: () => go({ page: { name: 'search' }, searchFocusRequests: get().searchFocusRequests + 1 }),
    dismissNotice: () => set({ notice: null }),
    keepDraft: (draft) => set({ draft }),
    dropDraft: () => set({ draft: null, leaving: null }),
    discardDraft: () => {
      const { leaving } = get();
      if (leaving) set({ notice: null, ...leaving, draft: null, leaving: null });
    },
    keepEditing: () => set({ leaving: null }),
    reset: () => set(START),
  };
});
