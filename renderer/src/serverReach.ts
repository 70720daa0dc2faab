import { create } from 'zustand';

interface ServerReach {
  /** The last call got an answer (even a refusal); false while ClinicDesk's server does not answer. */
  answering: boolean;
  /** Browser mode: the server no longer knows this tab (it restarted): the tab needs a new link. */
  relinkNeeded: boolean;
}

/** Whether this screen can reach ClinicDesk's server, as its calls find out. */
export const useServerReach = create<ServerReach>(() => ({ answering: true, relinkNeeded: false }));

export function noteAnswered(answered: boolean): void {
  if (useServerReach.getState().answering !== answered) useServerReach.setState({ answering: answered });
}

export function noteRelinkNeeded(): void {
  useServerReach.setState({ relinkNeeded: true, answering: true });
}
