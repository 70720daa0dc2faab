import { create } from 'zustand';
import type { AreaId } from '../../shared/permissions';

/** What the desk shows right now; the session itself lives in main, never here. */
interface DeskState {
  /** The area the user chose; null opens their first allowed area. */
  area: AreaId | null;
  locked: boolean;
  /** Why the user is back at sign-in, when it was not their own choice. */
  signInNotice: string | null;
  /** The user asked to change their password (the frame's button). */
  changingPassword: boolean;
  setChangingPassword(changing: boolean): void;
  openArea(area: AreaId): void;
  lock(): void;
  unlock(): void;
  signedIn(): void;
  signedOut(notice?: string): void;
}

export const useDesk = create<DeskState>()((set) => ({
  area: null,
  locked: false,
  signInNotice: null,
  changingPassword: false,
  setChangingPassword: (changingPassword) => set({ changingPassword }),
  openArea: (area) => set({ area }),
  lock: () => set({ locked: true }),
  unlock: () => set({ locked: false }),
  signedIn: () => set({ area: null, locked: false, signInNotice: null, changingPassword: false }),
  // The area is left as it was: switching it here would mount another area's screens, for one
  // render, without a session (signing in chooses the area afresh).
  signedOut: (notice) => set({ locked: false, signInNotice: notice ?? null, changingPassword: false }),
}));
