import type { CountryCode } from 'libphonenumber-js';
import { looksLikeTypedDate, parseTypedDate } from '../../../shared/dates';
import {
  archivePatientInput,
  findDuplicatesInput,
  mergePatientsInput,
  patientId,
  registerPatientInput,
  restorePatientInput,
  searchPatientsInput,
  updatePatientInput,
  type DuplicateCandidate,
  type MergeResult,
  type Patient,
  type PatientDetails,
  type PatientSearchResult,
} from '../../../shared/patients';
import { phoneKey } from '../../../shared/phones';
import type { Queryable } from '../db/types';
import { DomainError } from '../errors';
import { permitted, router } from '../trpc';
import {
  archivedPatients,
  archivePatient,
  clinicLocale,
  findDuplicates,
  findPatient,
  insertPatient,
  isActiveDoctor,
  logChartView,
  mergePatients,
  restorePatient,
  searchPatients,
  updatePatient,
  type DuplicateQuestion,
  type PhoneKeys,
} from './queries';

const NO_SUCH_PATIENT = 'This patient record does not exist or was archived.';

/** A patient the request can see, or NOT_FOUND (another tenant's and archived ones look absent). */
async function existingPatient(tx: Queryable, id: string): Promise<Patient> {
  const patient = await findPatient(tx, id);
  if (!patient) throw new DomainError('NOT_FOUND', NO_SUCH_PATIENT);
  return patient;
}

/** What reception typed; typed phones are also read as E.164 and dates the clinic's way. */
const PHONE_TYPED = /^[0-9 ()+./-]+$/;

/**
 * search_patients reads ISO dates; a date typed the clinic's way (14/03/1968) is turned into one.
 * A phone, national or international, is also passed as the start of its E.164 form.
 */
async function searchPatientsAsTyped(tx: Queryable, clinicId: string, query: string, limit: number): Promise<PatientSearchResult[]> {
  if (!looksLikeTypedDate(query) && !PHONE_TYPED.test(query)) return searchPatients(tx, query, limit, null);
  const locale = await clinicLocale(tx, clinicId);
  const date = looksLikeTypedDate(query) ? parseTypedDate(query, locale.language) : null;
  return searchPatients(tx, date ?? query, limit, date ? null : phoneKey(query, locale.phoneCountry));
}

function phoneKeys(patient: PatientDetails, country: CountryCode | undefined): PhoneKeys {
  return {
    phone_e164: patient.phone ? phoneKey(patient.phone, country) : null,
    alternate_phone_e164: patient.alternate_phone ? phoneKey(patient.alternate_phone, country) : null,
  };
}

/** The duplicate check compares phones as search does: E.164, read with the clinic's country. */
async function possibleDuplicates(tx: Queryable, clinicId: string, question: DuplicateQuestion): Promise<DuplicateCandidate[]> {
  const phone = question.phone ? phoneKey(question.phone, (await clinicLocale(tx, clinicId)).phoneCountry) : null;
  return findDuplicates(tx, question, phone);
}

/** The doctor chosen must be an active doctor of this clinic, unless the patient already has them. */
async function checkPhysician(tx: Queryable, chosenId: string | null | undefined, keptId?: string | null): Promise<void> {
  if (chosenId && chosenId !== keptId && !(await isActiveDoctor(tx, chosenId))) {
    throw new DomainError('BAD_REQUEST', 'Choose one of this clinic’s doctors.', 'patient.primary_care_physician_id');
  }
}

function duplicateWarning(candidates: DuplicateCandidate[]): string {
  const shown = candidates
    .slice(0, 3)
    .map((c) => `${c.first_name} ${c.last_name} (${c.patient_number}, born ${c.date_of_birth})`)
    .join('; ');
  const more = candidates.length > 3 ? ` and ${candidates.length - 3} more` : '';
  return `This may be a patient who is already registered: ${shown}${more}. Check the list, or confirm it is someone else.`;
}

/** The candidates, each with only the reasons `known` did not already give for them; those left with none are dropped. */
function newEvidence(found: DuplicateCandidate[], known: DuplicateCandidate[]): DuplicateCandidate[] {
  const knownReasons = new Map(known.map((candidate) => [candidate.id, candidate.reasons]));
  return found
    .map((candidate) => ({
      ...candidate,
      reasons: candidate.reasons.filter((reason) => !knownReasons.get(candidate.id)?.includes(reason)),
    }))
    .filter((candidate) => candidate.reasons.length > 0);
}

export const patientsRouter = router({
  search: permitted('patients.read')
    .input(searchPatientsInput)
    .query(async ({ ctx, input }): Promise<PatientSearchResult[]> => {
      const query = input.query.trim();
      if (query === '') return [];
      return searchPatientsAsTyped(ctx.tx, ctx.session.clinicId, query, input.limit);
    }),

  /** Opening a chart: the full record, and the opening is logged (re-reads within minutes are the same opening). */
  get: permitted('patients.read')
    .input(patientId)
    .query(async ({ ctx, input }) => {
      const { tx } = ctx;
      const patient = await existingPatient(tx, input.id);
      if (ctx.backend.sessions.opensChart(ctx.session, patient.id)) await logChartView(tx, patient, ctx.userAgent);
      return patient;
    }),

  /**
   * Who this might already be. When editing, only what the change brings: a family that already
   * shared a phone with the saved record is no news, so editing it does not warn every time.
   */
  findDuplicates: permitted('patients.read')
    .input(findDuplicatesInput)
    .query(async ({ ctx, input }) => {
      const { tx } = ctx;
      const found = await possibleDuplicates(tx, ctx.session.clinicId, input);
      const saved = input.exclude_id ? await findPatient(tx, input.exclude_id) : null;
      if (!saved || found.length === 0) return found;
      const known = await possibleDuplicates(tx, ctx.session.clinicId, { ...saved, exclude_id: saved.id });
      return newEvidence(found, known);
    }),

  /** Refuses a possible duplicate unless the receptionist confirmed it is someone else. */
  register: permitted('patients.write')
    .input(registerPatientInput)
    .mutation(async ({ ctx, input }) => {
      const { tx } = ctx;
      const { patient } = input;
      await checkPhysician(tx, patient.primary_care_physician_id);
      if (!input.duplicates_acknowledged) {
        const candidates = await possibleDuplicates(tx, ctx.session.clinicId, patient);
        if (candidates.length > 0) throw new DomainError('CONFLICT', duplicateWarning(candidates));
      }
      const { phoneCountry } = await clinicLocale(tx, ctx.session.clinicId);
      return existingPatient(tx, await insertPatient(tx, ctx.session.clinicId, patient, phoneKeys(patient, phoneCountry)));
    }),

  update: permitted('patients.write')
    .input(updatePatientInput)
    .mutation(async ({ ctx, input }) => {
      const { tx } = ctx;
      const current = await existingPatient(tx, input.id);
      await checkPhysician(tx, input.patient.primary_care_physician_id, current.primary_care_physician_id);
      // Archived by someone else between the read above and this write.
      const { phoneCountry } = await clinicLocale(tx, ctx.session.clinicId);
      if (!(await updatePatient(tx, input.id, input.patient, phoneKeys(input.patient, phoneCountry)))) {
        throw new DomainError('NOT_FOUND', NO_SUCH_PATIENT);
      }
      return existingPatient(tx, input.id);
    }),

  archive: permitted('patients.archive')
    .input(archivePatientInput)
    .mutation(async ({ ctx, input }) => {
      const { tx } = ctx;
      if (!(await archivePatient(tx, input.id, input.reason))) throw new DomainError('NOT_FOUND', NO_SUCH_PATIENT);
      return { archived: true as const };
    }),

  /** Two records of one person made one: audited, and checked by the database (patients.archive). */
  merge: permitted('patients.archive')
    .input(mergePatientsInput)
    .mutation(async ({ ctx, input }): Promise<MergeResult> => {
      if (input.survivor_id === input.duplicate_id) {
        throw new DomainError('BAD_REQUEST', 'Choose another record to merge: this is the one being kept.', 'duplicate_id');
      }
      const moved = await mergePatients(ctx.tx, input.survivor_id, input.duplicate_id, input.reason);
      if (!moved) throw new DomainError('NOT_FOUND', 'One of these records does not exist or was archived. Search again.', 'duplicate_id');
      return { survivor_id: input.survivor_id, moved };
    }),

  restore: permitted('patients.restore')
    .input(restorePatientInput)
    .mutation(async ({ ctx, input }) => {
      const { tx } = ctx;
      if (!(await restorePatient(tx, input.id, input.reason ?? null))) {
        throw new DomainError('NOT_FOUND', 'There is no archived patient record with this id to restore.');
      }
      return existingPatient(tx, input.id);
    }),

  /** The restore list: archived patients, latest first, with the reason given. */
  archived: permitted('patients.restore').query(({ ctx }) => archivedPatients(ctx.tx)),
});
