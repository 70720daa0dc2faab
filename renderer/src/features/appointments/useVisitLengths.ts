import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../trpc';

/** Minutes per type of visit (Admin → clinic settings): what a new booking's length starts from. */
export function useVisitLengths() {
  const trpc = useTRPC();
  return useQuery(trpc.appointments.visitLengths.queryOptions(undefined, { staleTime: 60_000 })).data;
}
