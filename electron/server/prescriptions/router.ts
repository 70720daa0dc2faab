import { checkPrescription, genericNameOf, type PrescribingWarning } from '../../../shared/prescribing-checks';
import {
  checkPrescriptionInput,
  createPrescriptionInput,
  discontinuePrescriptionInput,
  patientPrescriptionsInput,
  printPrescriptionsInput,
  type Prescription,
} from '../../../shared/prescriptions';
import type { PrintedPdf } from '../../../shared/print';
import { clinicToday } from '../clinical/queries';
import type { Queryable } from '../db/types';
import { DomainError } from '../errors';
import { lockPatient } from '../patients/queries';
import { printedPdf } from '../print/pdf';
import { clinicLetterhead } from '../print/letterhead';
import { permitted, router } from '../trpc';
import { prescriptionDocument } from './printout';
import {
  activePrescriptions,
  discontinuePrescription,
  findPrescription,
  insertPrescription,
  itemsToPrint,
  patientAllergies,
  prescriptionsForPatient,
} from './queries';

const NO_SUCH_PATIENT = 'This patient record does not exist or was archived.';
const NO_SUCH_PRESCRIPTION = 'This prescription does not exist.';

/** The warnings for prescribing `medication` to this patient now, from the chart as it stands. */
async function warningsFor(tx: Queryable, patientId: string, medication: string): Promise<PrescribingWarning[]> {
  const allergies = await patientAllergies(tx, patientId);
  if (!allergies) throw new DomainError('NOT_FOUND', NO_SUCH_PATIENT, 'patientId');
  return checkPrescription({ medication, allergies, activePrescriptions: await activePrescriptions(tx, patientId) });
}

async function existingPrescription(tx: Queryable, id: string): Promise<Prescription> {
  const prescription = await findPrescription(tx, id);
  if (!prescription) throw new DomainError('NOT_FOUND', NO_SUCH_PRESCRIPTION);
  return prescription;
}

export const prescriptionsRouter = router({
  /** What the prescriber must see before writing it: allergy, cross-sensitivity, duplicate therapy. */
  check: permitted('clinical.read')
    .input(checkPrescriptionInput)
    .query(({ ctx, input }) => warningsFor(ctx.tx, input.patientId, input.medication)),

  /**
   * The warnings are worked out again here, whatever the screen showed: with any, the
   * prescription is written only with a reason to override them, kept beside it (and audited).
   */
  create: permitted('prescriptions.write')
    .input(createPrescriptionInput)
    .mutation(async ({ ctx, input }) => {
      const { tx } = ctx;
      // Two prescriptions for one patient at once are checked in turn: each sees the other.
      await lockPatient(tx, input.patientId);
      const warnings = await warningsFor(tx, input.patientId, input.medication);
      if (warnings.length > 0 && !input.overrideReason) {
        throw new DomainError(
          'CONFLICT',
          `${warnings.map((warning) => warning.message).join(' ')} To prescribe it anyway, give a reason.`,
          'overrideReason',
        );
      }
      const overridden = warnings.length > 0 && input.overrideReason ? { warnings, reason: input.overrideReason } : null;
      return existingPrescription(tx, await insertPrescription(tx, input, genericNameOf(input.medication), overridden));
    }),

  discontinue: permitted('prescriptions.write')
    .input(discontinuePrescriptionInput)
    .mutation(async ({ ctx, input }) => {
      const { tx } = ctx;
      const current = await existingPrescription(tx, input.id);
      if (!(await discontinuePrescription(tx, input.id, input.reason))) {
        throw new DomainError('CONFLICT', `This prescription is already ${current.status.replace('_', ' ')}.`);
      }
      return existingPrescription(tx, input.id);
    }),

  /** A patient's prescriptions, the ones being taken first. */
  forPatient: permitted('clinical.read')
    .input(patientPrescriptionsInput)
    .query(async ({ ctx, input }) => {
      if (!(await patientAllergies(ctx.tx, input.patientId))) throw new DomainError('NOT_FOUND', NO_SUCH_PATIENT);
      return prescriptionsForPatient(ctx.tx, input.patientId);
    }),

  /** The prescription as a PDF to sign and hand over: active items of one patient by one prescriber. */
  print: permitted('clinical.read')
    .input(printPrescriptionsInput)
    .mutation(async ({ ctx, input }): Promise<PrintedPdf> => {
      const { tx } = ctx;
      const ids = [...new Set(input.ids)];
      const items = await itemsToPrint(tx, ids);
      const [first, ...rest] = items;
      if (!first || items.length !== ids.length) throw new DomainError('NOT_FOUND', NO_SUCH_PRESCRIPTION, 'ids');
      if (items.some((item) => item.patient_id !== first.patient_id)) {
        throw new DomainError('BAD_REQUEST', 'One prescription is for one patient: print these separately.', 'ids');
      }
      if (items.some((item) => item.doctor_id !== first.doctor_id)) {
        throw new DomainError('BAD_REQUEST', 'Each prescriber signs their own prescription: print these separately.', 'ids');
      }
      const stopped = items.find((item) => !item.is_active);
      if (stopped) throw new DomainError('BAD_REQUEST', `${stopped.medication_name} is no longer active and is not printed.`, 'ids');
      const letterhead = await clinicLetterhead(tx, ctx.session.clinicId);
      const { date } = await clinicToday(tx, ctx.session.clinicId);
      return printedPdf(`Prescription ${first.patient_number} ${date}.pdf`, prescriptionDocument(letterhead, date, [first, ...rest]));
    }),
});
