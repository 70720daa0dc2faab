import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../trpc';

export function usePatientSearch(text: string, limit = 20) {
  const trpc = useTRPC();
  const query = text.trim();
  return useQuery(
    trpc.patients.search.queryOptions(
      { query, limit },
      // Keeps the last results on screen while the next keystroke's answer arrives: no flicker.
      { enabled: query !== '', placeholderData: keepPreviousData, staleTime: 15_000 },
    ),
  );
}

export function usePatient(id: string) {
  const trpc = useTRPC();
  return useQuery(trpc.patients.get.queryOptions({ id }));
}
