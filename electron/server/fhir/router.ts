import { exportPatientInput, importBundleInput, type FhirExport, type FhirImportSummary } from '../../../shared/fhir';
import { maybeOne } from '../db/rows';
import type { Queryable } from '../db/types';
import { DomainError } from '../errors';
import { permitted, router } from '../trpc';
import { toBundle } from './export';
import { fromBundle, writeClinicRecords } from './import';
import { readClinicRecords } from './records';

/** The Bundle as a file, logged as a chart read of every patient it holds. */
async function exportFile(tx: Queryable, patientId: string | null, name: string): Promise<FhirExport> {
  const records = await readClinicRecords(tx, patientId);
  const now = new Date().toISOString();
  const bundle = toBundle(records, now);
  await tx.query(`SELECT log_activity('fhir.export', $1, $2, $3, $4, NULL)`, [
    `Exported ${records.patients.length} patient(s) as a FHIR Bundle`,
    patientId ? 'patient' : 'clinic',
    patientId,
    { patients: records.patients.length, resources: bundle.entry?.length ?? 0 },
  ]);
  return { fileName: `${name}-${now.slice(0, 10)}.fhir.json`, json: JSON.stringify(bundle, null, 1), resources: bundle.entry?.length ?? 0 };
}

export const fhirRouter = router({
  /** One patient's chart, for whoever may read charts; confidential notes only with records.confidential. */
  exportPatient: permitted('clinical.read')
    .input(exportPatientInput)
    .mutation(async ({ ctx, input }) => {
      const found = await maybeOne<{ patient_number: string }>(ctx.tx, `SELECT patient_number FROM patients WHERE id = $1`, [
        input.patientId,
      ]);
      if (!found) throw new DomainError('NOT_FOUND', 'This patient record does not exist or was archived.', 'patientId');
      return exportFile(ctx.tx, input.patientId, `patient-${found.patient_number}`);
    }),

  /** The whole clinic: the administrator's, like a backup (admin.maintenance). */
  exportClinic: permitted('admin.maintenance').mutation(({ ctx }) => exportFile(ctx.tx, null, 'clinic')),

  /** A Bundle into this clinic, all or nothing, refused by the database unless the clinic has no patients. */
  importClinic: permitted('admin.maintenance')
    .input(importBundleInput)
    .mutation(async ({ ctx, input }): Promise<FhirImportSummary> => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(input.bundle);
      } catch {
        throw new DomainError('BAD_REQUEST', 'This file is not JSON: choose the .json file ClinicDesk exported.', 'bundle');
      }
      const counts = await writeClinicRecords(ctx.tx, fromBundle(parsed));
      return {
        staff: counts.users,
        patients: counts.patients,
        appointments: counts.appointments,
        notes: counts.medical_records,
        prescriptions: counts.prescriptions,
        tests: counts.diagnostic_tests,
        reports: counts.test_reports,
        documents: counts.documents,
      };
    }),
});
