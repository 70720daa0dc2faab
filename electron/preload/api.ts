/** The one IPC channel between the renderer and main; main answers it with the tRPC router. */
export const TRPC_CHANNEL = 'clinicdesk:trpc';
/** The printing channel: a PDF from the router, saved and opened by main (electron/main/pdf.ts). */
export const PDF_CHANNEL = 'clinicdesk:pdf';
