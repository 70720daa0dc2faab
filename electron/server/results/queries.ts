import type { LabTest, PatientSex, ResultEntry, TestPriority, TestStatus } from '../../../shared/results';
import { maybeOne, one } from '../db/rows';
import type { Queryable } from '../db/types';

const TEST_COLUMNS = `
  t.id, t.test_number, t.patient_id, p.first_name || ' ' || p.last_name AS patient_name, p.patient_number,
  p.gender AS patient_sex, extract(year FROM age(coalesce(t.sample_collected_at, now()), p.date_of_birth))::integer AS patient_age,
  t.test_name, t.test_code, t.status, t.priority, t.clinical_notes, t.instructions, t.doctor_id, t.is_confidential,
  nullif(concat_ws(' ', doctor.title, doctor.first_name, doctor.last_name), '') AS doctor_name,
  t.ordered_at, t.sample_collected_at AS collected_at, t.completed_at,
  CASE WHEN r.id IS NOT NULL THEN jsonb_build_object(
    'id', r.id, 'report_number', r.report_number, 'result_values', r.result_values,
    'findings', r.findings, 'interpretation', r.interpretation,
    'is_abnormal', r.is_abnormal, 'is_critical', r.is_critical, 'reported_by', r.reported_by,
    'reported_by_name', nullif(concat_ws(' ', reporter.title, reporter.first_name, reporter.last_name), ''),
    'reported_at', to_char(r.reported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'verified_by_name', nullif(concat_ws(' ', verifier.title, verifier.first_name, verifier.last_name), ''),
    'verified_at', to_char(r.verified_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) END AS report`;

const FROM_TESTS = `
  FROM diagnostic_tests t
  JOIN patients p ON p.tenant_id = t.tenant_id AND p.id = t.patient_id
  LEFT JOIN users doctor ON doctor.tenant_id = t.tenant_id AND doctor.id = t.doctor_id
  LEFT JOIN test_reports r ON r.tenant_id = t.tenant_id AND r.diagnostic_test_id = t.id
  LEFT JOIN users reporter ON reporter.tenant_id = r.tenant_id AND reporter.id = r.reported_by
  LEFT JOIN users verifier ON verifier.tenant_id = r.tenant_id AND verifier.id = r.verified_by`;

/** Results needing attention first: critical, then abnormal, then the rest. */
const WORST_FIRST = `coalesce(r.is_critical, false) DESC, coalesce(r.is_abnormal, false) DESC`;

export async function findTest(tx: Queryable, id: string): Promise<LabTest | undefined> {
  return maybeOne<LabTest>(tx, `SELECT ${TEST_COLUMNS} ${FROM_TESTS} WHERE t.id = $1`, [id]);
}

/** A patient's tests, the latest first. */
export async function testsForPatient(tx: Queryable, patientId: string): Promise<LabTest[]> {
  const { rows } = await tx.query<LabTest>(
    `SELECT ${TEST_COLUMNS} ${FROM_TESTS} WHERE t.patient_id = $1 ORDER BY t.ordered_at DESC, t.id`,
    [patientId],
  );
  return rows;
}

/**
 * The ordering doctor's results: those still to verify first, worst first within them, then the
 * verified ones of the last 30 days.
 */
export async function resultsInbox(tx: Queryable, doctorId: string): Promise<LabTest[]> {
  const { rows } = await tx.query<LabTest>(
    `SELECT ${TEST_COLUMNS} ${FROM_TESTS}
     WHERE t.doctor_id = $1 AND (t.status = 'completed' OR (t.status = 'verified' AND r.verified_at > now() - interval '30 days'))
     ORDER BY t.status = 'verified', ${WORST_FIRST}, coalesce(r.reported_at, t.completed_at) DESC, t.id
     LIMIT 200`,
    [doctorId],
  );
  return rows;
}

/** The clinic's tests still in hand: the most urgent and the oldest first. */
export async function openTests(tx: Queryable): Promise<LabTest[]> {
  const { rows } = await tx.query<LabTest>(
    `SELECT ${TEST_COLUMNS} ${FROM_TESTS}
     WHERE t.status IN ('ordered', 'sample_collected', 'in_progress', 'completed')
     ORDER BY array_position(ARRAY['stat', 'urgent', 'routine'], t.priority), ${WORST_FIRST}, t.ordered_at, t.id
     LIMIT 200`,
  );
  return rows;
}

/** The patient's sex and age in whole years when the test's sample was taken (or now). */
export async function patientAtCollection(
  tx: Queryable,
  testId: string,
): Promise<{ status: TestStatus; sex: PatientSex; age: number; test_code: string | null } | undefined> {
  return maybeOne(
    tx,
    `SELECT t.status, p.gender AS sex, t.test_code,
            extract(year FROM age(coalesce(t.sample_collected_at, now()), p.date_of_birth))::integer AS age
     FROM diagnostic_tests t JOIN patients p ON p.tenant_id = t.tenant_id AND p.id = t.patient_id
     WHERE t.id = $1 FOR UPDATE OF t`,
    [testId],
  );
}

export async function insertTest(
  tx: Queryable,
  order: {
    patientId: string;
    appointmentId: string | null;
    name: string;
    code: string | null;
    specimen: string | null;
    instructions: string | null;
    priority: TestPriority;
    clinicalNotes: string | null;
    isConfidential: boolean;
  },
): Promise<string> {
  const { id } = await one<{ id: string }>(
    tx,
    `INSERT INTO diagnostic_tests (tenant_id, patient_id, doctor_id, appointment_id, test_name, test_code, specimen_type,
       instructions, priority, clinical_notes, is_confidential)
     VALUES (current_tenant_id(), $1, current_app_user_id(), $2, $3, $4, $5, $6, $7, $8, $9)
     RETURNING id`,
    [
      order.patientId,
      order.appointmentId,
      order.name,
      order.code,
      order.specimen,
      order.instructions,
      order.priority,
      order.clinicalNotes,
      order.isConfidential,
    ],
  );
  return id;
}

export async function setTestStatus(tx: Queryable, testId: string, status: TestStatus): Promise<void> {
  await tx.query(`UPDATE diagnostic_tests SET status = $2 WHERE id = $1`, [testId, status]);
}

/** Writes (or corrects, until verified) the test's one report; the database flags it and completes the test. */
export async function saveReport(
  tx: Queryable,
  testId: string,
  values: Omit<ResultEntry, 'flag'>[],
  findings: string | null,
  interpretation: string | null,
): Promise<void> {
  const { rowCount } = await tx.query(
    `UPDATE test_reports SET result_values = $2::jsonb, findings = $3, interpretation = $4 WHERE diagnostic_test_id = $1`,
    [testId, JSON.stringify(values), findings, interpretation],
  );
  if (rowCount === 0) {
    await tx.query(
      `INSERT INTO test_reports (tenant_id, diagnostic_test_id, patient_id, result_values, findings, interpretation)
       SELECT t.tenant_id, t.id, t.patient_id, $2::jsonb, $3, $4 FROM diagnostic_tests t WHERE t.id = $1`,
      [testId, JSON.stringify(values), findings, interpretation],
    );
  }
}

/** Verifies the report as the signed-in person; the database refuses the one who entered it. */
export async function verifyReport(tx: Queryable, testId: string): Promise<void> {
  await tx.query(`UPDATE test_reports SET verified_at = now(), verified_by = current_app_user_id() WHERE diagnostic_test_id = $1`, [
    testId,
  ]);
}

/** The ordering doctor has seen the result: its critical-result notices are read. */
export async function markResultNoticesRead(tx: Queryable, testId: string, userId: string): Promise<void> {
  await tx.query(
    `UPDATE notifications SET is_read = true, read_at = now()
     WHERE related_entity_type = 'diagnostic_test' AND related_entity_id = $1 AND user_id = $2 AND NOT is_read`,
    [testId, userId],
  );
}
