import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../trpc';

/** The backups' status, read every second while a backup or restore runs (its progress). */
export function useBackupStatus() {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.backups.status.queryOptions(),
    refetchInterval: (query) => {
      const status = query.state.data;
      return status?.mode === 'offline' && status.job && !status.job.finished ? 1000 : false;
    },
  });
}
