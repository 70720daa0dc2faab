/** The one IPC channel between the renderer and main; main answers it with the tRPC router. */
export const TRPC_CHANNEL = 'clinicdesk:trpc';
