import { adminRouter } from './admin/router';
import { appointmentsRouter } from './appointments/router';
import { authRouter } from './auth/router';
import { backupsRouter } from './backups/router';
import { billingRouter } from './billing/router';
import { clinicalRouter } from './clinical/router';
import { documentsRouter } from './documents/router';
import { fhirRouter } from './fhir/router';
import { noteTemplatesRouter } from './note-templates/router';
import { patientImportRouter } from './patient-import/router';
import { patientsRouter } from './patients/router';
import { prescriptionsRouter } from './prescriptions/router';
import { resultsRouter } from './results/router';
import { staffRouter } from './staff/router';
import { setupRouter } from './tenants/router';
import { publicProcedure, router } from './trpc';

export const appRouter = router({
  admin: adminRouter,
  appointments: appointmentsRouter,
  auth: authRouter,
  backups: backupsRouter,
  billing: billingRouter,
  clinical: clinicalRouter,
  documents: documentsRouter,
  fhir: fhirRouter,
  noteTemplates: noteTemplatesRouter,
  patientImport: patientImportRouter,
  patients: patientsRouter,
  prescriptions: prescriptionsRouter,
  results: resultsRouter,
  setup: setupRouter,
  staff: staffRouter,
  system: router({
    /** Which database this app runs on, shown in the frame (offline PGlite or remote). */
    status: publicProcedure.query(({ ctx }) => ctx.backend.status),
  }),
});

export type AppRouter = typeof appRouter;
