import { useQuery, type QueryClient, type QueryKey } from '@tanstack/react-query';
import type { SessionView } from '../../../shared/auth';
import { useDesk } from '../deskState';
import { formErrorsOf, sessionRefusalOf } from '../errors';
import { useServerReach } from '../serverReach';
import { trpc } from '../trpc';

export const sessionKey = ['auth', 'session'] as const;
const databaseStatusKey = ['system', 'status'] as const;

export function useSession() {
  return useQuery({ queryKey: sessionKey, queryFn: () => trpc.auth.session.query() });
}

export function useDatabaseStatus() {
  const answering = useServerReach((s) => s.answering);
  return useQuery({
    queryKey: databaseStatusKey,
    queryFn: () => trpc.system.status.query(),
    staleTime: Infinity,
    // While the server does not answer, ask every few seconds so the badge turns back by itself.
    refetchInterval: answering ? false : 5_000,
  });
}

/** Who is signed in and which database: the only cached answers that are not patient data. */
function isSessionQuery(key: QueryKey): boolean {
  return key[0] === sessionKey[0] || key[0] === databaseStatusKey[0];
}

function dropClinicData(client: QueryClient): void {
  client.removeQueries({ predicate: (query) => !isSessionQuery(query.queryKey) });
}

function markSession(client: QueryClient, locked: boolean): void {
  client.setQueryData<SessionView | null>(sessionKey, (session) => session && { ...session, locked });
}

/**
 * Hides everything behind the lock screen at once and forgets cached clinic data, so
 * nothing of the previous screen survives in the page while the desk is unattended.
 */
export function showLockScreen(client: QueryClient): void {
  useDesk.getState().lock();
  markSession(client, true);
  dropClinicData(client);
}

export function lockNow(client: QueryClient): void {
  showLockScreen(client);
  // The screen is already hidden; if this fails, unlocking still needs the password.
  void trpc.auth.lock.mutate().catch(() => undefined);
}

export function afterUnlock(client: QueryClient): void {
  markSession(client, false);
  useDesk.getState().unlock();
}

export function afterSignIn(client: QueryClient, session: SessionView): void {
  client.setQueryData(sessionKey, session);
  useDesk.getState().signedIn();
}

export function forgetSession(client: QueryClient, notice?: string): void {
  client.setQueryData(sessionKey, null);
  dropClinicData(client);
  useDesk.getState().signedOut(notice);
}

/** Follows what any failed call says about the session: locked, ended, or neither. */
export function followSessionChange(client: QueryClient, error: unknown): void {
  switch (sessionRefusalOf(error)) {
    case 'SCREEN_LOCKED':
      showLockScreen(client);
      break;
    case 'SIGNED_OUT':
      // A call still under way when the user signed out ends so too: already forgotten, and the
      // sign-in form keeps what is being typed into it.
      if (client.getQueryData(sessionKey) === null) break;
      // The server's message says why: the session ended, or wrong unlock passwords locked the account.
      forgetSession(client, formErrorsOf(error).general ?? undefined);
      break;
    case 'NOT_PERMITTED':
      // An administrator may have changed this role: the areas and actions shown follow it.
      void client.invalidateQueries({ queryKey: sessionKey });
      break;
  }
}
