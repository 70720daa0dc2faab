import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../trpc';

/** The clinic's doctors change rarely: one answer serves every select for five minutes. */
export function useDoctors() {
  const trpc = useTRPC();
  return useQuery(trpc.appointments.doctors.queryOptions(undefined, { staleTime: 5 * 60_000 }));
}
