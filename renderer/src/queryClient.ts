import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { errorCode } from './errors';
import { noteAnswered } from './serverReach';
import { followSessionChange } from './session/session';

function failed(error: unknown): void {
  // A refusal is an answer; no code means the call never got one.
  noteAnswered(errorCode(error) !== undefined);
  followSessionChange(queryClient, error);
}

export const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: failed, onSuccess: () => noteAnswered(true) }),
  mutationCache: new MutationCache({ onError: failed, onSuccess: () => noteAnswered(true) }),
  defaultOptions: {
    queries: {
      // A refusal from the server will not change on retry; a missed answer might.
      retry: (failures, error) => errorCode(error) === undefined && failures < 2,
    },
    mutations: { retry: false },
  },
});
