import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { trpc } from '../trpc';

/**
 * Query keys start with the router they read, so a change invalidates by prefix:
 * anything that books, moves or checks in refreshes every ['appointments', …] answer.
 */
export const keys = {
  patients: ['patients'] as const,
  appointments: ['appointments'] as const,
};

export function usePatientSearch(text: string, limit = 20) {
  const query = text.trim();
  return useQuery({
    queryKey: [...keys.patients, 'search', query, limit],
    queryFn: () => trpc.patients.search.query({ query, limit }),
    enabled: query !== '',
    // Keeps the last results on screen while the next keystroke's answer arrives: no flicker.
    placeholderData: keepPreviousData,
    staleTime: 15_000,
  });
}

export function usePatient(id: string) {
  return useQuery({ queryKey: [...keys.patients, 'record', id], queryFn: () => trpc.patients.get.query({ id }) });
}

export function useDoctors() {
  return useQuery({
    queryKey: [...keys.appointments, 'doctors'],
    queryFn: () => trpc.appointments.doctors.query(),
    staleTime: 5 * 60_000,
  });
}

/** A change that refreshes everything read from the routers it touches once it succeeds. */
export function useChange<Input, Output>(
  run: (input: Input) => Promise<Output>,
  touches: readonly (readonly string[])[] = [keys.appointments],
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => Promise.all(touches.map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}
