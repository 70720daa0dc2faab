import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { SessionView } from '../../../shared/auth';
import type { Permission } from '../../../shared/permissions';
import { sessionKey, useSession } from '../session/session';

/** The signed-in session; the frame only renders areas once there is one. */
export function useSignedIn(): SessionView {
  const { data } = useSession();
  if (!data) throw new Error('This screen is shown only to a signed-in user.');
  return data;
}

/** Whether the signed-in user's role holds a permission: actions are shown only when it does. */
export function useCan(): (permission: Permission) => boolean {
  const { permissions } = useSignedIn();
  return useCallback((permission) => permissions.includes(permission), [permissions]);
}

/** Reads the session again: after a change to what it shows (the clinic's name, the user's role). */
export function useRefreshSession(): () => Promise<void> {
  const client = useQueryClient();
  return useCallback(() => client.invalidateQueries({ queryKey: sessionKey }), [client]);
}
