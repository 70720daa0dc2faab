import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useDesk } from './deskState';
import { AppFrame } from './frame/AppFrame';
import { LockScreen } from './session/LockScreen';
import { showLockScreen, useSession } from './session/session';
import { ChangePasswordScreen } from './session/ChangePasswordScreen';
import { FirstRunScreen } from './session/FirstRunScreen';
import { RelinkScreen } from './session/RelinkScreen';
import { SignInScreen } from './session/SignInScreen';
import { useServerReach } from './serverReach';
import { useTRPC } from './trpc';

/** Sign-in, the lock screen or the frame: the frame is rendered only for an unlocked session. */
export function App() {
  const client = useQueryClient();
  const session = useSession();
  const lockedHere = useDesk((s) => s.locked);
  const changingPassword = useDesk((s) => s.changingPassword);
  const setChangingPassword = useDesk((s) => s.setChangingPassword);
  const lockedByServer = session.data?.locked === true;
  const trpc = useTRPC();
  const setup = useQuery(trpc.setup.status.queryOptions());
  const relinkNeeded = useServerReach((s) => s.relinkNeeded);

  // The server locks an idle session on its own (or the window reloaded while locked).
  useEffect(() => {
    if (lockedByServer && !lockedHere) showLockScreen(client);
  }, [client, lockedByServer, lockedHere]);

  useEffect(() => {
    if (session.data === null) document.title = 'Sign in · ClinicDesk';
    else if (session.data && (lockedHere || lockedByServer)) document.title = 'Locked · ClinicDesk';
  }, [session.data, lockedHere, lockedByServer]);

  if (relinkNeeded) return <RelinkScreen />;
  if (session.data === undefined) {
    return (
      <div className="gate">
        {session.isError ? (
          <div className="gate-card" role="alert">
            <h1>ClinicDesk is not answering</h1>
            <p>Its database service did not respond. Wait a moment, then try again.</p>
            <button type="button" className="button-primary" onClick={() => void session.refetch()}>
              Try again
            </button>
          </div>
        ) : (
          <p className="starting" role="status">
            Starting ClinicDesk…
          </p>
        )}
      </div>
    );
  }
  if (setup.data?.needed) return <FirstRunScreen />;
  if (!session.data) return <SignInScreen />;
  if (lockedHere || lockedByServer) return <LockScreen session={session.data} />;
  if (session.data.passwordChangeRequired) return <ChangePasswordScreen session={session.data} />;
  if (changingPassword) return <ChangePasswordScreen session={session.data} onDone={() => setChangingPassword(false)} />;
  return <AppFrame session={session.data} />;
}
