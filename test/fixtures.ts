import type { Db, Queryable } from '../electron/server/db/types';

/** A throwaway scrypt-shaped hash: fixtures never sign in, they only satisfy the CHECK. */
const FIXTURE_PASSWORD_HASH = 'scrypt$16384$8$1$c2FsdA==$aGFzaA==';

export interface TenantFixture {
  tenantId: string;
  clinicId: string;
  roleIds: Record<'admin' | 'doctor' | 'nurse' | 'receptionist' | 'billing', string>;
  adminId: string;
  doctorId: string;
  receptionistId: string;
  /** One live row id of each table with an id; the fixture fills every tenant table with rows. */
  rows: Record<FixtureTable, string>;
}

/** Tables the fixture keeps one row id of, for tests that aim at a particular record. */
type FixtureTable =
  | 'clinics'
  | 'roles'
  | 'users'
  | 'patients'
  | 'appointments'
  | 'diagnostic_tests'
  | 'test_reports'
  | 'invoices'
  | 'payments'
  | 'price_list'
  | 'refunds'
  | 'cash_ups'
  | 'audit_logs'
  | 'activity_logs'
  | 'notifications'
  | 'documents'
  | 'medical_records'
  | 'medical_record_addenda'
  | 'prescriptions'
  | 'note_templates';

async function insertOne(tx: Queryable, sql: string, params: unknown[]): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(sql, params as never[]);
  return rows[0]!.id;
}

/**
 * Creates a tenant with a clinic, the default roles, three staff and rows in every tenant
 * table the app reaches (the isolation test checks that against the catalog), as the owning role (the way the operator CLI provisions a tenant).
 */
export async function createTenantFixture(db: Db, slug: string): Promise<TenantFixture> {
  return db.transaction(async (tx) => {
    const tenantId = await insertOne(tx, `INSERT INTO tenants (name, slug) VALUES ($1, $2) RETURNING id`, [`Clinic ${slug}`, slug]);
    await tx.query(`SELECT set_config('app.current_tenant_id', $1, true)`, [tenantId]);
    const clinicId = await insertOne(tx, `INSERT INTO clinics (tenant_id, name, timezone) VALUES ($1, $2, 'Europe/London') RETURNING id`, [
      tenantId,
      `Clinic ${slug}`,
    ]);
    await tx.query(`SELECT create_default_roles($1)`, [tenantId]);
    const { rows: roleRows } = await tx.query<{ id: string; name: keyof TenantFixture['roleIds'] }>(
      `SELECT id, name FROM roles WHERE tenant_id = $1`,
      [tenantId],
    );
    const roleIds = Object.fromEntries(roleRows.map((r) => [r.name, r.id])) as TenantFixture['roleIds'];
    const staff = async (role: keyof TenantFixture['roleIds'], first: string) =>
      insertOne(
        tx,
        `INSERT INTO users (tenant_id, clinic_id, role_id, email, password_hash, first_name, last_name)
         VALUES ($1, $2, $3, $4, $5, $6, 'Fixture') RETURNING id`,
        [tenantId, clinicId, roleIds[role], `${role}@${slug}.test`, FIXTURE_PASSWORD_HASH, first],
      );
    const adminId = await staff('admin', 'Ada');
    const doctorId = await staff('doctor', 'Dana');
    const receptionistId = await staff('receptionist', 'Remy');

    const patientId = await insertOne(
      tx,
      `INSERT INTO patients (tenant_id, clinic_id, first_name, last_name, date_of_birth, gender, phone)
       VALUES ($1, $2, 'Pat', $3, '1980-05-17', 'Female', '+44 7700 900001') RETURNING id`,
      [tenantId, clinicId, `Fixture-${slug}`],
    );
    const appointmentId = await insertOne(
      tx,
      `INSERT INTO appointments (tenant_id, clinic_id, patient_id, doctor_id, starts_at, ends_at, created_by)
       VALUES ($1, $2, $3, $4, now() + interval '1 day', now() + interval '1 day 15 minutes', $5) RETURNING id`,
      [tenantId, clinicId, patientId, doctorId, receptionistId],
    );
    const testId = await insertOne(
      tx,
      `INSERT INTO diagnostic_tests (tenant_id, clinic_id, patient_id, doctor_id, appointment_id, test_name, cost, status)
       VALUES ($1, $2, $3, $4, $5, 'Full blood count', 25.50, 'completed') RETURNING id`,
      [tenantId, clinicId, patientId, doctorId, appointmentId],
    );
    const reportId = await insertOne(
      tx,
      `INSERT INTO test_reports (tenant_id, diagnostic_test_id, patient_id, findings, is_abnormal, reported_by)
       VALUES ($1, $2, $3, 'Haemoglobin low', true, $4) RETURNING id`,
      [tenantId, testId, patientId, doctorId],
    );
    const invoiceId = await insertOne(
      tx,
      `INSERT INTO invoices (tenant_id, clinic_id, patient_id, appointment_id, line_items, status, due_date)
       VALUES ($1, $2, $3, $4, '[{"description": "Consultation", "quantity": "1", "unit_price": "60.00"}]', 'issued', current_date + 30)
       RETURNING id`,
      [tenantId, clinicId, patientId, appointmentId],
    );
    const paymentId = await insertOne(
      tx,
      `INSERT INTO payments (tenant_id, invoice_id, patient_id, amount, payment_method, received_by)
       VALUES ($1, $2, $3, 20.00, 'cash', $4) RETURNING id`,
      [tenantId, invoiceId, patientId, receptionistId],
    );
    const priceId = await insertOne(
      tx,
      `INSERT INTO price_list (tenant_id, clinic_id, code, description, category, appointment_type, unit_price, valid_from)
       VALUES ($1, $2, 'CONS', 'Consultation', 'consultation', 'consultation', 60.00, '2020-01-01') RETURNING id`,
      [tenantId, clinicId],
    );
    const refundId = await insertOne(
      tx,
      `INSERT INTO refunds (tenant_id, payment_id, amount, reason, refunded_by) VALUES ($1, $2, 5.00, 'Fixture refund', $3) RETURNING id`,
      [tenantId, paymentId, receptionistId],
    );
    const cashUpId = await insertOne(
      tx,
      `INSERT INTO cash_ups (tenant_id, clinic_id, business_day, cashier_id, payment_method, counted)
       VALUES ($1, $2, current_date, $3, 'cash', 15.00) RETURNING id`,
      [tenantId, clinicId, receptionistId],
    );
    const activityId = await insertOne(
      tx,
      `INSERT INTO activity_logs (tenant_id, user_id, activity_type, description, entity_type, entity_id)
       VALUES ($1, $2, 'chart.view', 'Opened chart', 'patient', $3) RETURNING id`,
      [tenantId, doctorId, patientId],
    );
    const notificationId = await insertOne(
      tx,
      `INSERT INTO notifications (tenant_id, user_id, title, message) VALUES ($1, $2, 'Hello', 'Fixture') RETURNING id`,
      [tenantId, doctorId],
    );
    const documentId = await insertOne(
      tx,
      `INSERT INTO documents (tenant_id, patient_id, user_id, title, file_name, storage_key, mime_type, file_size)
       VALUES ($1, $2, $3, 'Referral', 'referral.pdf', 'fixture/referral.pdf', 'application/pdf', 1024) RETURNING id`,
      [tenantId, patientId, doctorId],
    );
    const recordId = await insertOne(
      tx,
      `INSERT INTO medical_records (tenant_id, patient_id, doctor_id, appointment_id, chief_complaint)
       VALUES ($1, $2, $3, $4, 'Tired all the time') RETURNING id`,
      [tenantId, patientId, doctorId, appointmentId],
    );
    const signedRecordId = await insertOne(
      tx,
      `INSERT INTO medical_records (tenant_id, patient_id, doctor_id, chief_complaint, assessment, signed_at)
       VALUES ($1, $2, $3, 'Follow-up of fatigue', 'Iron deficiency anaemia', now()) RETURNING id`,
      [tenantId, patientId, doctorId],
    );
    const addendumId = await insertOne(
      tx,
      `INSERT INTO medical_record_addenda (tenant_id, medical_record_id, doctor_id, written_by, addendum)
       VALUES ($1, $2, $3, $3, 'Ferritin 9 µg/L confirms it') RETURNING id`,
      [tenantId, signedRecordId, doctorId],
    );
    const prescriptionId = await insertOne(
      tx,
      `INSERT INTO prescriptions (tenant_id, patient_id, doctor_id, medical_record_id, medication_name, dosage, frequency)
       VALUES ($1, $2, $3, $4, 'Ferrous sulfate', '200 mg', 'twice daily') RETURNING id`,
      [tenantId, patientId, doctorId, recordId],
    );
    const templateId = await insertOne(
      tx,
      `INSERT INTO note_templates (tenant_id, name, assessment, created_by)
       VALUES ($1, 'Iron deficiency review', 'Iron deficiency anaemia, on treatment.', $2) RETURNING id`,
      [tenantId, doctorId],
    );
    await tx.query(`INSERT INTO sign_in_strangers (tenant_id, email, failed_login_attempts) VALUES ($1, $2, 2)`, [
      tenantId,
      `stranger@${slug}.test`,
    ]);
    const { rows: auditRows } = await tx.query<{ id: string }>(
      `SELECT id FROM audit_logs WHERE tenant_id = $1 AND table_name = 'patients' LIMIT 1`,
      [tenantId],
    );
    return {
      tenantId,
      clinicId,
      roleIds,
      adminId,
      doctorId,
      receptionistId,
      rows: {
        clinics: clinicId,
        roles: roleIds.nurse,
        users: doctorId,
        patients: patientId,
        appointments: appointmentId,
        diagnostic_tests: testId,
        test_reports: reportId,
        invoices: invoiceId,
        payments: paymentId,
        price_list: priceId,
        refunds: refundId,
        cash_ups: cashUpId,
        audit_logs: auditRows[0]!.id,
        activity_logs: activityId,
        notifications: notificationId,
        documents: documentId,
        medical_records: recordId,
        medical_record_addenda: addendumId,
        prescriptions: prescriptionId,
        note_templates: templateId,
      },
    };
  });
}
