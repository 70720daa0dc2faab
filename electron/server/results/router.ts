import { catalogTest, isFinding } from '../../../shared/lab-catalog';
import {
  TEST_STATUS_LABELS,
  TEST_STATUS_TRANSITIONS,
  advanceTestInput,
  enterResultsInput,
  orderTestInput,
  patientTestsInput,
  resultEntryFor,
  testInput,
  type LabTest,
} from '../../../shared/results';
import type { Queryable } from '../db/types';
import { DomainError } from '../errors';
import { clinicToday } from '../clinical/queries';
import { clinicLocale, findPatient } from '../patients/queries';
import { clinicLetterhead } from '../print/letterhead';
import { printedPdf } from '../print/pdf';
import { permitted, router } from '../trpc';
import { resultReport } from './report';
import {
  findTest,
  insertTest,
  markResultNoticesRead,
  openTests,
  patientAtCollection,
  resultsInbox,
  saveReport,
  setTestStatus,
  testsForPatient,
  verifyReport,
} from './queries';

const NO_SUCH_PATIENT = 'This patient record does not exist or was archived.';
const NO_SUCH_TEST = 'This test does not exist, or you may not see it.';

async function existingTest(tx: Queryable, testId: string): Promise<LabTest> {
  const test = await findTest(tx, testId);
  if (!test) throw new DomainError('NOT_FOUND', NO_SUCH_TEST);
  return test;
}

/** The test locked for a change, with the patient's sex and age when the sample was taken. */
async function lockedTest(tx: Queryable, testId: string) {
  const test = await patientAtCollection(tx, testId);
  if (!test) throw new DomainError('NOT_FOUND', NO_SUCH_TEST);
  return test;
}

export const resultsRouter = router({
  /** Orders a catalog test (its specimen and preparation come with it) or one named in free text. */
  order: permitted('tests.order')
    .input(orderTestInput)
    .mutation(async ({ ctx, input }) => {
      const { tx } = ctx;
      if (!(await findPatient(tx, input.patientId))) throw new DomainError('NOT_FOUND', NO_SUCH_PATIENT, 'patientId');
      const catalog = input.catalogCode ? catalogTest(input.catalogCode) : undefined;
      const id = await insertTest(tx, {
        patientId: input.patientId,
        appointmentId: input.appointmentId ?? null,
        name: catalog?.name ?? input.testName!,
        code: catalog?.code ?? null,
        specimen: catalog?.specimen ?? null,
        instructions: catalog?.preparation ?? null,
        priority: input.priority,
        clinicalNotes: input.clinicalNotes ?? null,
        isConfidential: input.isConfidential,
      });
      return existingTest(tx, id);
    }),

  /** Sample collected, at the laboratory, or cancelled: one legal step at a time (the database refuses others). */
  advance: permitted('clinical.read')
    .input(advanceTestInput)
    .mutation(async ({ ctx, input }) => {
      const { tx } = ctx;
      const test = await lockedTest(tx, input.testId);
      const step = TEST_STATUS_TRANSITIONS.find((t) => t.from === test.status && t.to === input.to);
      if (!step) {
        throw new DomainError(
          'CONFLICT',
          `This test is ${TEST_STATUS_LABELS[test.status].toLowerCase()}: it cannot be marked ${TEST_STATUS_LABELS[input.to].toLowerCase()}.`,
        );
      }
      if (!ctx.session.permissions.has(step.permission))
        throw new DomainError('FORBIDDEN', 'Your role does not allow this. Ask an administrator.');
      await setTestStatus(tx, input.testId, input.to);
      return existingTest(tx, input.testId);
    }),

  /**
   * Enters (or corrects, until verified) the results of a test at the laboratory. Each catalog
   * analyte is stored with the range for the patient's sex and age at collection; the database
   * adds the flags, completes the test and tells the ordering doctor of a critical value.
   */
  enter: permitted('tests.report')
    .input(enterResultsInput)
    .mutation(async ({ ctx, input }) => {
      const { tx } = ctx;
      const test = await lockedTest(tx, input.testId);
      if (test.status !== 'in_progress' && test.status !== 'completed') {
        throw new DomainError(
          'CONFLICT',
          `Results are entered once the sample is at the laboratory (this test is: ${TEST_STATUS_LABELS[test.status].toLowerCase()}).`,
        );
      }
      const catalog = test.test_code ? catalogTest(test.test_code) : undefined;
      const entries = (catalog?.analytes ?? []).flatMap((analyte) => {
        const value = input.values[analyte.code]?.trim().replace(',', '.') ?? '';
        if (value === '') return [];
        if (!isFinding(analyte) && !/^-?\d+(\.\d+)?$/.test(value)) {
          throw new DomainError('BAD_REQUEST', `Give ${analyte.name} as a number, such as 4.5.`, `values.${analyte.code}`);
        }
        return [resultEntryFor(analyte, value, test.sex, test.age)];
      });
      if (entries.length === 0 && !input.findings) {
        throw new DomainError(
          'BAD_REQUEST',
          catalog ? 'Enter at least one result.' : 'Write the findings.',
          catalog ? 'values' : 'findings',
        );
      }
      await saveReport(tx, input.testId, entries, input.findings ?? null, input.interpretation ?? null);
      return existingTest(tx, input.testId);
    }),

  /** A second person verifies the results; the one who entered them cannot (the database refuses it too). */
  verify: permitted('tests.verify')
    .input(testInput)
    .mutation(async ({ ctx, input }) => {
      const { tx } = ctx;
      const test = await lockedTest(tx, input.testId);
      if (test.status !== 'completed') {
        throw new DomainError(
          'CONFLICT',
          `Only results waiting to be verified can be verified (this test is: ${TEST_STATUS_LABELS[test.status].toLowerCase()}).`,
        );
      }
      const current = await existingTest(tx, input.testId);
      if (current.report?.reported_by === ctx.session.userId) {
        throw new DomainError('FORBIDDEN', 'Results are verified by a second person: you entered these.');
      }
      await verifyReport(tx, input.testId);
      if (current.doctor_id === ctx.session.userId) await markResultNoticesRead(tx, input.testId, ctx.session.userId);
      return existingTest(tx, input.testId);
    }),

  /** One test with its results. */
  get: permitted('clinical.read')
    .input(testInput)
    .query(({ ctx, input }) => existingTest(ctx.tx, input.testId)),

  /** The results as a PDF report on the clinic's letterhead; unverified ones are marked preliminary. */
  print: permitted('clinical.read')
    .input(testInput)
    .mutation(async ({ ctx, input }) => {
      const { tx, session } = ctx;
      const test = await existingTest(tx, input.testId);
      const patient = await findPatient(tx, test.patient_id);
      if (!test.report || !patient) throw new DomainError('BAD_REQUEST', 'There are no results to print yet.');
      const clock = {
        timezone: (await clinicToday(tx, session.clinicId)).timezone,
        language: (await clinicLocale(tx, session.clinicId)).language,
      };
      const document = resultReport(test, patient, await clinicLetterhead(tx, session.clinicId), clock);
      // A file name of letters, digits and spaces only (an apostrophe in O'Brien is not one).
      return printedPdf(`${test.test_number} ${test.patient_name}`.replace(/[^\p{L}\p{N} ._-]/gu, '') + '.pdf', document);
    }),

  /** A patient's tests and results, the latest first (the chart's list and trends). */
  forPatient: permitted('clinical.read')
    .input(patientTestsInput)
    .query(async ({ ctx, input }) => {
      if (!(await findPatient(ctx.tx, input.patientId))) throw new DomainError('NOT_FOUND', NO_SUCH_PATIENT);
      return testsForPatient(ctx.tx, input.patientId);
    }),

  /** The signed-in doctor's results: still to verify first, critical and abnormal first within them. */
  inbox: permitted('clinical.read').query(({ ctx }) => resultsInbox(ctx.tx, ctx.session.userId)),

  /** Tests the clinic has in hand, for whoever takes samples and enters results. */
  worklist: permitted('clinical.read').query(({ ctx }) => openTests(ctx.tx)),
});
