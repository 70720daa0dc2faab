import { z } from 'zod';

/** FHIR R4 export and import (issue 14): what the screens send and get back. */
export const exportPatientInput = z.object({ patientId: z.uuid('Choose a patient.') });

/** The largest Bundle a request carries (the browser-mode body limit is 8 MB). */
export const MAX_BUNDLE_CHARACTERS = 7_500_000;

export const importBundleInput = z.object({
  bundle: z
    .string()
    .min(1, 'Choose a FHIR Bundle file (.json).')
    .max(MAX_BUNDLE_CHARACTERS, 'This file is too large to import here (7.5 MB at most).'),
});

/** An exported Bundle as a file to save. */
export interface FhirExport {
  fileName: string;
  json: string;
  resources: number;
}

/** How many of each record an import wrote. */
export interface FhirImportSummary {
  staff: number;
  patients: number;
  appointments: number;
  notes: number;
  prescriptions: number;
  tests: number;
  reports: number;
  documents: number;
}
