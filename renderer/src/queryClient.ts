import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { errorCode } from './errors';
import { followSessionChange } from './session/session';

export const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: (error) => followSessionChange(queryClient, error) }),
  mutationCache: new MutationCache({ onError: (error) => followSessionChange(queryClient, error) }),
  defaultOptions: {
    queries: {
      // A refusal from the server will not change on retry; a missed answer might.
      retry: (failures, error) => errorCode(error) === undefined && failures < 2,
    },
    mutations: { retry: false },
  },
});
