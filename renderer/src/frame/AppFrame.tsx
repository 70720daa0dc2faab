import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef } from 'react';
import type { SessionView } from '../../../shared/auth';
import { AREAS, type AreaId } from '../../../shared/permissions';
import { useDesk } from '../deskState';
import { formErrorsOf } from '../errors';
import { forgetSession, lockNow } from '../session/session';
import { useIdleLock } from '../session/useIdleLock';
import { useTRPC, useTRPCClient } from '../trpc';
import { roleName } from '../ui/names';
import { AREA_PAGES } from './areaPages';
import { areaToOpen } from './homeArea';
import { DatabaseBadge } from './DatabaseBadge';

/** Alt+1 is always Reception and Alt+4 always Admin, whoever signs in at this desk. */
const AREA_KEYS = ['Digit1', 'Digit2', 'Digit3', 'Digit4'];

export function AppFrame({ session }: { session: SessionView }) {
  const client = useQueryClient();
  const trpc = useTRPC();
  const trpcClient = useTRPCClient();
  const chosen = useDesk((s) => s.area);
  const openArea = useDesk((s) => s.openArea);
  const setChangingPassword = useDesk((s) => s.setChangingPassword);
  const allowed = AREAS.filter((area) => session.permissions.includes(area.permission));
  const current = areaToOpen(allowed, chosen, session.user.role);
  const main = useRef<HTMLElement>(null);

  const lock = useCallback(() => lockNow(client), [client]);
  const reportActivity = useCallback(() => {
    void trpcClient.auth.stillHere.mutate().then(
      ({ locked }) => locked && lock(),
      () => undefined,
    );
  }, [lock, trpcClient]);
  useIdleLock(session.idleLockSeconds, lock, reportActivity);

  const signOut = useMutation(trpc.auth.signOut.mutationOptions({ onSuccess: () => forgetSession(client) }));

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'l') {
        event.preventDefault();
        lock();
        return;
      }
      const shortcut = event.altKey && !event.ctrlKey ? AREA_KEYS.indexOf(event.code) : -1;
      const target = AREAS[shortcut];
      if (target && session.permissions.includes(target.permission)) {
        event.preventDefault();
        openArea(target.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [lock, openArea, session.permissions]);

  // Bring keyboard and screen-reader users to where the area starts: the control it marks as its
  // start (Reception's patient search), else its heading.
  useEffect(() => {
    const start = main.current?.querySelector<HTMLElement>('[data-area-start]') ?? main.current?.querySelector<HTMLElement>('h1');
    start?.focus();
    document.title = current ? `${current.label} · ClinicDesk` : 'ClinicDesk';
  }, [current]);

  const Page = current && AREA_PAGES[current.id];
  return (
    <div className="frame">
      <header className="frame-header">
        <div className="frame-clinic">
          <span className="brand-mark" aria-hidden="true" />
          <span className="visually-hidden">ClinicDesk, </span>
          <span className="clinic-name">{session.clinic.name}</span>
        </div>
        <DatabaseBadge />
        <p className="frame-user">
          <span className="visually-hidden">Signed in as </span>
          <span className="user-name">
            {session.user.firstName} {session.user.lastName}
          </span>
          <span className="user-role">{roleName(session.user.role)}</span>
        </p>
        <button type="button" className="button-secondary" onClick={() => setChangingPassword(true)}>
          Password
        </button>
        <button type="button" className="button-secondary" onClick={lock} aria-keyshortcuts="Control+L" title="Lock (Ctrl+L)">
          Lock
        </button>
        <button
          type="button"
          className="button-secondary"
          onClick={() => signOut.isPending || signOut.mutate()}
          aria-disabled={signOut.isPending}
        >
          Sign out
        </button>
      </header>
      {signOut.isError && (
        <p role="alert" className="frame-problem">
          Could not sign out: {formErrorsOf(signOut.error).general}
        </p>
      )}
      <nav className="frame-nav" aria-label="Areas">
        <ul>
          {allowed.map((area) => (
            <li key={area.id}>
              <AreaLink
                id={area.id}
                label={area.label}
                shortcut={AREAS.indexOf(area) + 1}
                current={area.id === current?.id}
                onOpen={openArea}
              />
            </li>
          ))}
        </ul>
      </nav>
      <main className="frame-main" ref={main}>
        {Page ? <Page /> : <p className="notice">Your role does not include any area yet. Ask an administrator to give you one.</p>}
      </main>
    </div>
  );
}

function AreaLink(props: { id: AreaId; label: string; shortcut: number; current: boolean; onOpen(id: AreaId): void }) {
  return (
    <button
      type="button"
      className="nav-item"
      aria-current={props.current ? 'page' : undefined}
      aria-keyshortcuts={`Alt+${props.shortcut}`}
      onClick={() => props.onOpen(props.id)}
    >
      <span>{props.label}</span>
      <kbd aria-hidden="true">Alt+{props.shortcut}</kbd>
    </button>
  );
}
