-- ClinicDesk schema after every migration, as the catalog describes it (generated: npm run schema).
-- Do not edit: write a migration, then regenerate. test/schema/schema-dump.test.ts keeps it current.

CREATE TABLE activity_logs (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid,
  activity_type text NOT NULL,
  description text NOT NULL,
  entity_type text,
  entity_id uuid,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  ip_address inet,
  user_agent text,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT activity_logs_activity_type_check CHECK ((activity_type ~ '^[a-z][a-z0-9_.]{1,60}$'::text)),
  CONSTRAINT activity_logs_metadata_check CHECK ((jsonb_typeof(metadata) = 'object'::text)),
  CONSTRAINT activity_logs_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT activity_logs_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id)
);
ALTER TABLE activity_logs ENABLE ROW LEVEL SECURITY;
ALTER TABLE activity_logs FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_tenant_access_activity_logs ON activity_logs AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
CREATE POLICY permitted_select_activity_logs ON activity_logs AS RESTRICTIVE FOR SELECT TO clinic_app USING (( SELECT app_may(VARIADIC '{admin.audit}'::text[]) AS app_may));
CREATE POLICY tenant_isolation_activity_logs ON activity_logs AS PERMISSIVE FOR ALL TO clinic_app USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
GRANT SELECT ON activity_logs TO clinic_app;

CREATE TABLE appointment_type_durations (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  clinic_id uuid NOT NULL,
  appointment_type text NOT NULL,
  duration_minutes integer NOT NULL,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  updated_at timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT appointment_type_durations_appointment_type_check CHECK ((appointment_type = ANY (ARRAY['consultation'::text, 'follow_up'::text, 'check_up'::text, 'procedure'::text, 'vaccination'::text, 'emergency'::text, 'telemedicine'::text]))),
  CONSTRAINT appointment_type_durations_duration_minutes_check CHECK ((((duration_minutes >= 5) AND (duration_minutes <= 480)) AND ((duration_minutes % 5) = 0))),
  CONSTRAINT appointment_type_durations_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT appointment_type_durations_tenant_id_clinic_id_appointment__key UNIQUE (tenant_id, clinic_id, appointment_type),
  CONSTRAINT appointment_type_durations_tenant_id_clinic_id_fkey FOREIGN KEY (tenant_id, clinic_id) REFERENCES clinics(tenant_id, id),
  CONSTRAINT appointment_type_durations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id)
);
ALTER TABLE appointment_type_durations ENABLE ROW LEVEL SECURITY;
ALTER TABLE appointment_type_durations FORCE ROW LEVEL SECURITY;
CREATE POLICY own_clinic_appointment_type_durations ON appointment_type_durations AS RESTRICTIVE FOR ALL TO clinic_app USING ((clinic_id = ( SELECT current_app_clinic_id() AS current_app_clinic_id))) WITH CHECK ((clinic_id = ( SELECT current_app_clinic_id() AS current_app_clinic_id)));
CREATE POLICY owner_tenant_access_appointment_type_durations ON appointment_type_durations AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
CREATE POLICY permitted_insert_appointment_type_durations ON appointment_type_durations AS RESTRICTIVE FOR INSERT TO clinic_app WITH CHECK (( SELECT app_may(VARIADIC '{admin.settings}'::text[]) AS app_may));
CREATE POLICY permitted_update_appointment_type_durations ON appointment_type_durations AS RESTRICTIVE FOR UPDATE TO clinic_app USING (true) WITH CHECK (( SELECT app_may(VARIADIC '{admin.settings}'::text[]) AS app_may));
CREATE POLICY tenant_isolation_appointment_type_durations ON appointment_type_durations AS PERMISSIVE FOR ALL TO clinic_app USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
GRANT INSERT (tenant_id, id, clinic_id, appointment_type, duration_minutes, created_at, updated_at) ON appointment_type_durations TO clinic_app;
GRANT SELECT ON appointment_type_durations TO clinic_app;
GRANT UPDATE (clinic_id, appointment_type, duration_minutes, updated_at) ON appointment_type_durations TO clinic_app;

CREATE TABLE appointments (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  clinic_id uuid NOT NULL,
  appointment_number text NOT NULL,
  patient_id uuid NOT NULL,
  doctor_id uuid NOT NULL,
  appointment_type text NOT NULL DEFAULT 'consultation'::text,
  starts_at timestamp with time zone NOT NULL,
  ends_at timestamp with time zone NOT NULL,
  duration_minutes integer GENERATED ALWAYS AS (((EXTRACT(epoch FROM (ends_at - starts_at)) / (60)::numeric))::integer) STORED,
  status text NOT NULL DEFAULT 'scheduled'::text,
  is_walk_in boolean NOT NULL DEFAULT false,
  reason text,
  notes text,
  symptoms text,
  diagnosis text,
  treatment_plan text,
  vital_signs jsonb,
  confirmed_at timestamp with time zone,
  checked_in_at timestamp with time zone,
  started_at timestamp with time zone,
  completed_at timestamp with time zone,
  cancelled_at timestamp with time zone,
  cancelled_by uuid,
  cancellation_reason text,
  no_show_at timestamp with time zone,
  follow_up_required boolean NOT NULL DEFAULT false,
  follow_up_date date,
  follow_up_notes text,
  created_by uuid,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  updated_at timestamp with time zone NOT NULL DEFAULT now(),
  deleted_at timestamp with time zone,
  CONSTRAINT appointments_appointment_type_check CHECK ((appointment_type = ANY (ARRAY['consultation'::text, 'follow_up'::text, 'check_up'::text, 'procedure'::text, 'vaccination'::text, 'emergency'::text, 'telemedicine'::text]))),
  CONSTRAINT appointments_check CHECK (((ends_at > starts_at) AND ((ends_at - starts_at) <= '12:00:00'::interval))),
  CONSTRAINT appointments_check1 CHECK (((status <> 'cancelled'::text) OR (cancellation_reason IS NOT NULL))),
  CONSTRAINT appointments_no_double_booking EXCLUDE USING gist (tenant_id WITH =, doctor_id WITH =, tstzrange(starts_at, ends_at, '[)'::text) WITH &&) WHERE (((status <> ALL (ARRAY['cancelled'::text, 'no_show'::text])) AND (deleted_at IS NULL) AND (NOT is_walk_in))),
  CONSTRAINT appointments_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT appointments_status_check CHECK ((status = ANY (ARRAY['scheduled'::text, 'confirmed'::text, 'checked_in'::text, 'in_progress'::text, 'completed'::text, 'cancelled'::text, 'no_show'::text]))),
  CONSTRAINT appointments_tenant_id_appointment_number_key UNIQUE (tenant_id, appointment_number),
  CONSTRAINT appointments_tenant_id_clinic_id_fkey FOREIGN KEY (tenant_id, clinic_id) REFERENCES clinics(tenant_id, id),
  CONSTRAINT appointments_tenant_id_doctor_id_fkey FOREIGN KEY (tenant_id, doctor_id) REFERENCES users(tenant_id, id),
  CONSTRAINT appointments_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id),
  CONSTRAINT appointments_tenant_id_patient_id_fkey FOREIGN KEY (tenant_id, patient_id) REFERENCES patients(tenant_id, id),
  CONSTRAINT appointments_vital_signs_check CHECK (((vital_signs IS NULL) OR (jsonb_typeof(vital_signs) = 'object'::text)))
);
ALTER TABLE appointments ENABLE ROW LEVEL SECURITY;
ALTER TABLE appointments FORCE ROW LEVEL SECURITY;
CREATE POLICY own_clinic_appointments ON appointments AS RESTRICTIVE FOR ALL TO clinic_app USING ((clinic_id = ( SELECT current_app_clinic_id() AS current_app_clinic_id))) WITH CHECK ((clinic_id = ( SELECT current_app_clinic_id() AS current_app_clinic_id)));
CREATE POLICY owner_tenant_access_appointments ON appointments AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
CREATE POLICY permitted_insert_appointments ON appointments AS RESTRICTIVE FOR INSERT TO clinic_app WITH CHECK (( SELECT app_may(VARIADIC '{appointments.write,appointments.checkin}'::text[]) AS app_may));
CREATE POLICY permitted_update_appointments ON appointments AS RESTRICTIVE FOR UPDATE TO clinic_app USING (true) WITH CHECK (( SELECT app_may(VARIADIC '{appointments.write,appointments.checkin,clinical.write}'::text[]) AS app_may));
CREATE POLICY tenant_isolation_appointments ON appointments AS PERMISSIVE FOR ALL TO clinic_app USING (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (deleted_at IS NULL))) WITH CHECK (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (deleted_at IS NULL)));
GRANT INSERT (tenant_id, id, clinic_id, appointment_number, patient_id, doctor_id, appointment_type, starts_at, ends_at, status, is_walk_in, reason, notes, symptoms, diagnosis, treatment_plan, vital_signs, confirmed_at, checked_in_at, started_at, completed_at, cancelled_at, cancelled_by, cancellation_reason, no_show_at, follow_up_required, follow_up_date, follow_up_notes, created_by, created_at, updated_at, deleted_at) ON appointments TO clinic_app;
GRANT SELECT ON appointments TO clinic_app;
GRANT UPDATE (clinic_id, appointment_number, patient_id, doctor_id, appointment_type, starts_at, ends_at, status, is_walk_in, reason, notes, symptoms, diagnosis, treatment_plan, vital_signs, confirmed_at, checked_in_at, started_at, completed_at, cancelled_at, cancelled_by, cancellation_reason, no_show_at, follow_up_required, follow_up_date, follow_up_notes, updated_at, deleted_at) ON appointments TO clinic_app;

CREATE TABLE audit_logs (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid,
  action text NOT NULL,
  table_name text NOT NULL,
  record_id uuid,
  old_values jsonb,
  new_values jsonb,
  changed_fields text[],
  reason text,
  ip_address inet,
  user_agent text,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  confidential_author_id uuid,
  CONSTRAINT audit_logs_action_check CHECK ((action = ANY (ARRAY['INSERT'::text, 'UPDATE'::text, 'DELETE'::text, 'SOFT_DELETE'::text, 'RESTORE'::text]))),
  CONSTRAINT audit_logs_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT audit_logs_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id)
);
ALTER TABLE audit_logs ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_logs FORCE ROW LEVEL SECURITY;
ALTER TABLE audit_logs ALTER COLUMN old_values SET STATISTICS 0;
ALTER TABLE audit_logs ALTER COLUMN new_values SET STATISTICS 0;
ALTER TABLE audit_logs ALTER COLUMN changed_fields SET STATISTICS 0;
ALTER TABLE audit_logs ALTER COLUMN reason SET STATISTICS 0;
ALTER TABLE audit_logs ALTER COLUMN ip_address SET STATISTICS 0;
ALTER TABLE audit_logs ALTER COLUMN user_agent SET STATISTICS 0;
CREATE POLICY owner_tenant_access_audit_logs ON audit_logs AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
CREATE POLICY permitted_select_audit_logs ON audit_logs AS RESTRICTIVE FOR SELECT TO clinic_app USING (( SELECT app_may(VARIADIC '{admin.audit}'::text[]) AS app_may));
CREATE POLICY tenant_isolation_audit_logs ON audit_logs AS PERMISSIVE FOR ALL TO clinic_app USING (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND ((confidential_author_id IS NULL) OR (confidential_author_id = ( SELECT current_app_user_id() AS current_app_user_id)) OR ( SELECT app_user_has_permission('records.confidential'::text) AS app_user_has_permission)))) WITH CHECK (false);
GRANT SELECT ON audit_logs TO clinic_app;

CREATE TABLE cash_ups (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  clinic_id uuid NOT NULL,
  business_day date NOT NULL,
  cashier_id uuid NOT NULL,
  payment_method text NOT NULL,
  expected numeric(12,2) NOT NULL DEFAULT 0,
  counted numeric(12,2) NOT NULL,
  difference numeric(12,2) GENERATED ALWAYS AS ((counted - expected)) STORED,
  note text,
  counted_by uuid,
  counted_at timestamp with time zone NOT NULL DEFAULT now(),
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  updated_at timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT cash_ups_counted_check CHECK ((counted >= (0)::numeric)),
  CONSTRAINT cash_ups_note_check CHECK (((length(btrim(note)) >= 1) AND (length(btrim(note)) <= 500))),
  CONSTRAINT cash_ups_payment_method_check CHECK ((payment_method = ANY (ARRAY['cash'::text, 'card'::text, 'bank_transfer'::text, 'insurance'::text, 'mobile_money'::text, 'cheque'::text, 'other'::text]))),
  CONSTRAINT cash_ups_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT cash_ups_tenant_id_cashier_id_fkey FOREIGN KEY (tenant_id, cashier_id) REFERENCES users(tenant_id, id),
  CONSTRAINT cash_ups_tenant_id_clinic_id_business_day_cashier_id_paymen_key UNIQUE (tenant_id, clinic_id, business_day, cashier_id, payment_method),
  CONSTRAINT cash_ups_tenant_id_clinic_id_fkey FOREIGN KEY (tenant_id, clinic_id) REFERENCES clinics(tenant_id, id),
  CONSTRAINT cash_ups_tenant_id_counted_by_fkey FOREIGN KEY (tenant_id, counted_by) REFERENCES users(tenant_id, id),
  CONSTRAINT cash_ups_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id)
);
ALTER TABLE cash_ups ENABLE ROW LEVEL SECURITY;
ALTER TABLE cash_ups FORCE ROW LEVEL SECURITY;
CREATE POLICY own_clinic_cash_ups ON cash_ups AS RESTRICTIVE FOR ALL TO clinic_app USING ((clinic_id = ( SELECT current_app_clinic_id() AS current_app_clinic_id))) WITH CHECK ((clinic_id = ( SELECT current_app_clinic_id() AS current_app_clinic_id)));
CREATE POLICY owner_tenant_access_cash_ups ON cash_ups AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
CREATE POLICY permitted_insert_cash_ups ON cash_ups AS RESTRICTIVE FOR INSERT TO clinic_app WITH CHECK (( SELECT app_may(VARIADIC '{payments.take}'::text[]) AS app_may));
CREATE POLICY permitted_select_cash_ups ON cash_ups AS RESTRICTIVE FOR SELECT TO clinic_app USING (( SELECT app_may(VARIADIC '{billing.read}'::text[]) AS app_may));
CREATE POLICY permitted_update_cash_ups ON cash_ups AS RESTRICTIVE FOR UPDATE TO clinic_app USING (true) WITH CHECK (( SELECT app_may(VARIADIC '{payments.take}'::text[]) AS app_may));
CREATE POLICY tenant_isolation_cash_ups ON cash_ups AS PERMISSIVE FOR ALL TO clinic_app USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
GRANT INSERT (tenant_id, id, clinic_id, business_day, cashier_id, payment_method, expected, counted, note, counted_by, counted_at, created_at, updated_at) ON cash_ups TO clinic_app;
GRANT SELECT ON cash_ups TO clinic_app;
GRANT UPDATE (clinic_id, business_day, cashier_id, payment_method, expected, counted, note, counted_by, counted_at, updated_at) ON cash_ups TO clinic_app;

CREATE TABLE clinic_logos (
  tenant_id uuid NOT NULL,
  clinic_id uuid NOT NULL,
  media_type text NOT NULL,
  content bytea NOT NULL,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT clinic_logos_content_check CHECK (((octet_length(content) >= 1) AND (octet_length(content) <= 524288))),
  CONSTRAINT clinic_logos_pkey PRIMARY KEY (tenant_id, clinic_id),
  CONSTRAINT clinic_logos_tenant_id_clinic_id_fkey FOREIGN KEY (tenant_id, clinic_id) REFERENCES clinics(tenant_id, id),
  CONSTRAINT clinic_logos_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id),
  CONSTRAINT clinic_logos_type_from_bytes CHECK ((((media_type = 'image/png'::text) AND (SUBSTRING(content FROM 1 FOR 8) = '\x89504e470d0a1a0a'::bytea)) OR ((media_type = 'image/jpeg'::text) AND (SUBSTRING(content FROM 1 FOR 3) = '\xffd8ff'::bytea))))
);
ALTER TABLE clinic_logos ENABLE ROW LEVEL SECURITY;
ALTER TABLE clinic_logos FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_tenant_access_clinic_logos ON clinic_logos AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));

CREATE TABLE clinics (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL,
  license_number text,
  tax_id text,
  email text,
  phone text,
  website text,
  address_line1 text,
  address_line2 text,
  city text,
  state text,
  postal_code text,
  country text,
  timezone text NOT NULL DEFAULT 'UTC'::text,
  currency character(3) NOT NULL DEFAULT 'USD'::bpchar,
  language text NOT NULL DEFAULT 'en'::text,
  opening_hours jsonb NOT NULL DEFAULT '{"fri": [["08:00", "18:00"]], "mon": [["08:00", "18:00"]], "sat": [["09:00", "13:00"]], "sun": [], "thu": [["08:00", "18:00"]], "tue": [["08:00", "18:00"]], "wed": [["08:00", "18:00"]]}'::jsonb,
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  updated_at timestamp with time zone NOT NULL DEFAULT now(),
  deleted_at timestamp with time zone,
  country_code text,
  CONSTRAINT clinics_country_code_check CHECK ((country_code ~ '^[A-Z]{2}$'::text)),
  CONSTRAINT clinics_currency_check CHECK ((currency ~ '^[A-Z]{3}$'::text)),
  CONSTRAINT clinics_email_check CHECK ((email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'::text)),
  CONSTRAINT clinics_language_check CHECK ((language ~ '^[a-z]{2}(-[A-Z]{2})?$'::text)),
  CONSTRAINT clinics_name_check CHECK (((length(btrim(name)) >= 1) AND (length(btrim(name)) <= 200))),
  CONSTRAINT clinics_opening_hours_check CHECK ((jsonb_typeof(opening_hours) = 'object'::text)),
  CONSTRAINT clinics_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT clinics_settings_check CHECK ((jsonb_typeof(settings) = 'object'::text)),
  CONSTRAINT clinics_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id)
);
ALTER TABLE clinics ENABLE ROW LEVEL SECURITY;
ALTER TABLE clinics FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_tenant_access_clinics ON clinics AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
CREATE POLICY permitted_insert_clinics ON clinics AS RESTRICTIVE FOR INSERT TO clinic_app WITH CHECK (( SELECT app_may(VARIADIC '{admin.settings}'::text[]) AS app_may));
CREATE POLICY permitted_update_clinics ON clinics AS RESTRICTIVE FOR UPDATE TO clinic_app USING (true) WITH CHECK (( SELECT app_may(VARIADIC '{admin.settings}'::text[]) AS app_may));
CREATE POLICY tenant_isolation_clinics ON clinics AS PERMISSIVE FOR ALL TO clinic_app USING (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (deleted_at IS NULL))) WITH CHECK (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (deleted_at IS NULL)));
GRANT INSERT (tenant_id, id, name, license_number, tax_id, email, phone, website, address_line1, address_line2, city, state, postal_code, country, timezone, currency, language, opening_hours, settings, is_active, created_at, updated_at, deleted_at) ON clinics TO clinic_app;
GRANT SELECT ON clinics TO clinic_app;
GRANT UPDATE (name, license_number, tax_id, email, phone, website, address_line1, address_line2, city, state, postal_code, country, timezone, currency, language, opening_hours, settings, is_active, updated_at, deleted_at) ON clinics TO clinic_app;

CREATE TABLE diagnostic_tests (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  clinic_id uuid NOT NULL,
  test_number text NOT NULL,
  patient_id uuid NOT NULL,
  doctor_id uuid NOT NULL,
  appointment_id uuid,
  test_name text NOT NULL,
  test_code text,
  test_category text NOT NULL DEFAULT 'laboratory'::text,
  specimen_type text,
  priority text NOT NULL DEFAULT 'routine'::text,
  status text NOT NULL DEFAULT 'ordered'::text,
  ordered_at timestamp with time zone NOT NULL DEFAULT now(),
  scheduled_at timestamp with time zone,
  sample_collected_at timestamp with time zone,
  completed_at timestamp with time zone,
  instructions text,
  clinical_notes text,
  performing_lab text,
  cost numeric(12,2) NOT NULL DEFAULT 0,
  insurance_covered boolean NOT NULL DEFAULT false,
  insurance_claim_number text,
  created_by uuid,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  updated_at timestamp with time zone NOT NULL DEFAULT now(),
  deleted_at timestamp with time zone,
  is_confidential boolean NOT NULL DEFAULT false,
  CONSTRAINT diagnostic_tests_cost_check CHECK ((cost >= (0)::numeric)),
  CONSTRAINT diagnostic_tests_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT diagnostic_tests_priority_check CHECK ((priority = ANY (ARRAY['routine'::text, 'urgent'::text, 'stat'::text]))),
  CONSTRAINT diagnostic_tests_status_check CHECK ((status = ANY (ARRAY['ordered'::text, 'sample_collected'::text, 'in_progress'::text, 'completed'::text, 'verified'::text, 'cancelled'::text]))),
  CONSTRAINT diagnostic_tests_tenant_id_appointment_id_fkey FOREIGN KEY (tenant_id, appointment_id) REFERENCES appointments(tenant_id, id),
  CONSTRAINT diagnostic_tests_tenant_id_clinic_id_fkey FOREIGN KEY (tenant_id, clinic_id) REFERENCES clinics(tenant_id, id),
  CONSTRAINT diagnostic_tests_tenant_id_doctor_id_fkey FOREIGN KEY (tenant_id, doctor_id) REFERENCES users(tenant_id, id),
  CONSTRAINT diagnostic_tests_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id),
  CONSTRAINT diagnostic_tests_tenant_id_patient_id_fkey FOREIGN KEY (tenant_id, patient_id) REFERENCES patients(tenant_id, id),
  CONSTRAINT diagnostic_tests_tenant_id_test_number_key UNIQUE (tenant_id, test_number),
  CONSTRAINT diagnostic_tests_test_category_check CHECK ((test_category = ANY (ARRAY['laboratory'::text, 'imaging'::text, 'cardiology'::text, 'pathology'::text, 'microbiology'::text, 'other'::text]))),
  CONSTRAINT diagnostic_tests_test_name_check CHECK (((length(btrim(test_name)) >= 1) AND (length(btrim(test_name)) <= 200)))
);
ALTER TABLE diagnostic_tests ENABLE ROW LEVEL SECURITY;
ALTER TABLE diagnostic_tests FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_tenant_access_diagnostic_tests ON diagnostic_tests AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
CREATE POLICY permitted_insert_diagnostic_tests ON diagnostic_tests AS RESTRICTIVE FOR INSERT TO clinic_app WITH CHECK (( SELECT app_may(VARIADIC '{tests.order}'::text[]) AS app_may));
CREATE POLICY permitted_select_diagnostic_tests ON diagnostic_tests AS RESTRICTIVE FOR SELECT TO clinic_app USING (( SELECT app_may(VARIADIC '{clinical.read,billing.write}'::text[]) AS app_may));
CREATE POLICY permitted_update_diagnostic_tests ON diagnostic_tests AS RESTRICTIVE FOR UPDATE TO clinic_app USING (true) WITH CHECK (( SELECT app_may(VARIADIC '{tests.order,tests.report,tests.verify}'::text[]) AS app_may));
CREATE POLICY tenant_isolation_diagnostic_tests ON diagnostic_tests AS PERMISSIVE FOR ALL TO clinic_app USING (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (deleted_at IS NULL) AND ((NOT is_confidential) OR (doctor_id = ( SELECT current_app_user_id() AS current_app_user_id)) OR ( SELECT app_user_has_permission('records.confidential'::text) AS app_user_has_permission)))) WITH CHECK (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (deleted_at IS NULL)));
GRANT INSERT (tenant_id, id, clinic_id, test_number, patient_id, doctor_id, appointment_id, test_name, test_code, test_category, specimen_type, priority, status, ordered_at, scheduled_at, sample_collected_at, completed_at, instructions, clinical_notes, performing_lab, cost, insurance_covered, insurance_claim_number, created_by, created_at, updated_at, deleted_at, is_confidential) ON diagnostic_tests TO clinic_app;
GRANT SELECT ON diagnostic_tests TO clinic_app;
GRANT UPDATE (clinic_id, test_number, patient_id, doctor_id, appointment_id, test_name, test_code, test_category, specimen_type, priority, status, ordered_at, scheduled_at, sample_collected_at, completed_at, instructions, clinical_notes, performing_lab, cost, insurance_covered, insurance_claim_number, updated_at, deleted_at) ON diagnostic_tests TO clinic_app;

CREATE TABLE document_files (
  tenant_id uuid NOT NULL,
  document_id uuid NOT NULL,
  content bytea NOT NULL,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CONSTRAINT document_files_content_check CHECK (((octet_length(content) >= 1) AND (octet_length(content) <= 5242880))),
  CONSTRAINT document_files_pkey PRIMARY KEY (tenant_id, document_id, version),
  CONSTRAINT document_files_tenant_id_document_id_fkey FOREIGN KEY (tenant_id, document_id) REFERENCES documents(tenant_id, id),
  CONSTRAINT document_files_tenant_id_document_id_version_fkey FOREIGN KEY (tenant_id, document_id, version) REFERENCES document_versions(tenant_id, document_id, version),
  CONSTRAINT document_files_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id)
);
ALTER TABLE document_files ENABLE ROW LEVEL SECURITY;
ALTER TABLE document_files FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_tenant_access_document_files ON document_files AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));

CREATE TABLE document_versions (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  document_id uuid NOT NULL,
  version integer NOT NULL,
  file_name text NOT NULL,
  mime_type text NOT NULL,
  file_size bigint NOT NULL,
  checksum_sha256 text,
  uploaded_by uuid NOT NULL,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT document_versions_checksum_sha256_check CHECK ((checksum_sha256 ~ '^[0-9a-f]{64}$'::text)),
  CONSTRAINT document_versions_file_size_check CHECK ((file_size >= 0)),
  CONSTRAINT document_versions_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT document_versions_tenant_id_document_id_fkey FOREIGN KEY (tenant_id, document_id) REFERENCES documents(tenant_id, id),
  CONSTRAINT document_versions_tenant_id_document_id_version_key UNIQUE (tenant_id, document_id, version),
  CONSTRAINT document_versions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id),
  CONSTRAINT document_versions_tenant_id_uploaded_by_fkey FOREIGN KEY (tenant_id, uploaded_by) REFERENCES users(tenant_id, id),
  CONSTRAINT document_versions_version_check CHECK ((version >= 1))
);
ALTER TABLE document_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE document_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_tenant_access_document_versions ON document_versions AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
CREATE POLICY permitted_select_document_versions ON document_versions AS RESTRICTIVE FOR SELECT TO clinic_app USING (( SELECT app_may(VARIADIC '{documents.read}'::text[]) AS app_may));
CREATE POLICY tenant_isolation_document_versions ON document_versions AS PERMISSIVE FOR ALL TO clinic_app USING (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (EXISTS ( SELECT 1
   FROM documents d
  WHERE ((d.tenant_id = document_versions.tenant_id) AND (d.id = document_versions.document_id)))))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
GRANT SELECT ON document_versions TO clinic_app;

CREATE TABLE documents (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  patient_id uuid,
  user_id uuid NOT NULL,
  appointment_id uuid,
  document_type text NOT NULL DEFAULT 'other'::text,
  title text NOT NULL,
  description text,
  file_name text NOT NULL,
  storage_key text NOT NULL,
  mime_type text NOT NULL,
  file_size bigint NOT NULL,
  checksum_sha256 text,
  version integer NOT NULL DEFAULT 1,
  previous_version_id uuid,
  is_confidential boolean NOT NULL DEFAULT false,
  access_level text NOT NULL DEFAULT 'clinical'::text,
  tags text[] NOT NULL DEFAULT '{}'::text[],
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  updated_at timestamp with time zone NOT NULL DEFAULT now(),
  deleted_at timestamp with time zone,
  document_date date,
  CONSTRAINT documents_access_level_check CHECK ((access_level = ANY (ARRAY['all_staff'::text, 'clinical'::text, 'restricted'::text]))),
  CONSTRAINT documents_checksum_sha256_check CHECK ((checksum_sha256 ~ '^[0-9a-f]{64}$'::text)),
  CONSTRAINT documents_document_type_check CHECK ((document_type = ANY (ARRAY['lab_report'::text, 'imaging'::text, 'prescription'::text, 'referral'::text, 'consent'::text, 'insurance'::text, 'identity'::text, 'discharge_summary'::text, 'invoice'::text, 'other'::text]))),
  CONSTRAINT documents_file_size_check CHECK ((file_size >= 0)),
  CONSTRAINT documents_metadata_check CHECK ((jsonb_typeof(metadata) = 'object'::text)),
  CONSTRAINT documents_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT documents_tenant_id_appointment_id_fkey FOREIGN KEY (tenant_id, appointment_id) REFERENCES appointments(tenant_id, id),
  CONSTRAINT documents_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id),
  CONSTRAINT documents_tenant_id_patient_id_fkey FOREIGN KEY (tenant_id, patient_id) REFERENCES patients(tenant_id, id),
  CONSTRAINT documents_tenant_id_previous_version_id_fkey FOREIGN KEY (tenant_id, previous_version_id) REFERENCES documents(tenant_id, id),
  CONSTRAINT documents_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id),
  CONSTRAINT documents_title_check CHECK (((length(btrim(title)) >= 1) AND (length(btrim(title)) <= 200))),
  CONSTRAINT documents_version_check CHECK ((version >= 1))
);
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE documents FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_tenant_access_documents ON documents AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
CREATE POLICY permitted_insert_documents ON documents AS RESTRICTIVE FOR INSERT TO clinic_app WITH CHECK (( SELECT app_may(VARIADIC '{documents.write}'::text[]) AS app_may));
CREATE POLICY permitted_select_documents ON documents AS RESTRICTIVE FOR SELECT TO clinic_app USING (( SELECT app_may(VARIADIC '{documents.read}'::text[]) AS app_may));
CREATE POLICY permitted_update_documents ON documents AS RESTRICTIVE FOR UPDATE TO clinic_app USING (true) WITH CHECK (( SELECT app_may(VARIADIC '{documents.write}'::text[]) AS app_may));
CREATE POLICY tenant_isolation_documents ON documents AS PERMISSIVE FOR ALL TO clinic_app USING (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (deleted_at IS NULL) AND ((NOT is_confidential) OR (user_id = ( SELECT current_app_user_id() AS current_app_user_id)) OR ( SELECT app_user_has_permission('records.confidential'::text) AS app_user_has_permission)))) WITH CHECK (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (deleted_at IS NULL)));
GRANT INSERT (tenant_id, id, patient_id, user_id, appointment_id, document_type, title, description, file_name, storage_key, mime_type, file_size, checksum_sha256, version, previous_version_id, is_confidential, access_level, tags, metadata, created_at, updated_at, deleted_at, document_date) ON documents TO clinic_app;
GRANT SELECT ON documents TO clinic_app;
GRANT UPDATE (patient_id, user_id, appointment_id, document_type, title, description, file_name, storage_key, mime_type, file_size, checksum_sha256, version, previous_version_id, is_confidential, access_level, tags, metadata, updated_at, deleted_at, document_date) ON documents TO clinic_app;

CREATE TABLE guard_passes (
  xact xid8 NOT NULL,
  guarded_table regclass NOT NULL,
  guard name NOT NULL,
  holders integer NOT NULL DEFAULT 1,
  CONSTRAINT guard_passes_pkey PRIMARY KEY (xact, guarded_table, guard)
);
ALTER TABLE guard_passes ENABLE ROW LEVEL SECURITY;
ALTER TABLE guard_passes FORCE ROW LEVEL SECURITY;
CREATE POLICY own_transaction ON guard_passes AS PERMISSIVE FOR ALL TO postgres USING ((xact = pg_current_xact_id_if_assigned())) WITH CHECK ((xact = pg_current_xact_id()));

CREATE TABLE invoices (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  clinic_id uuid NOT NULL,
  invoice_number text,
  patient_id uuid NOT NULL,
  appointment_id uuid,
  invoice_date date NOT NULL DEFAULT CURRENT_DATE,
  due_date date,
  line_items jsonb NOT NULL DEFAULT '[]'::jsonb,
  subtotal numeric(12,2) NOT NULL DEFAULT 0,
  discount_amount numeric(12,2) NOT NULL DEFAULT 0,
  tax_amount numeric(12,2) NOT NULL DEFAULT 0,
  total_amount numeric(12,2) NOT NULL DEFAULT 0,
  amount_paid numeric(12,2) NOT NULL DEFAULT 0,
  currency character(3) NOT NULL DEFAULT 'USD'::bpchar,
  status text NOT NULL DEFAULT 'draft'::text,
  payment_terms text,
  notes text,
  issued_at timestamp with time zone,
  paid_at timestamp with time zone,
  created_by uuid,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  updated_at timestamp with time zone NOT NULL DEFAULT now(),
  deleted_at timestamp with time zone,
  kind text NOT NULL DEFAULT 'invoice'::text,
  credited_invoice_id uuid,
  amount_credited numeric(12,2) NOT NULL DEFAULT 0,
  insurer_name text,
  insurer_percent numeric(5,2) NOT NULL DEFAULT 0,
  insurer_amount numeric(12,2) NOT NULL DEFAULT 0,
  void_reason text,
  voided_at timestamp with time zone,
  balance_due numeric(12,2) GENERATED ALWAYS AS (((total_amount - amount_paid) - amount_credited)) STORED,
  CONSTRAINT invoices_amount_credited_check CHECK ((amount_credited >= (0)::numeric)),
  CONSTRAINT invoices_amount_paid_check CHECK ((amount_paid >= (0)::numeric)),
  CONSTRAINT invoices_check CHECK ((total_amount = ((subtotal - discount_amount) + tax_amount))),
  CONSTRAINT invoices_check2 CHECK (((due_date IS NULL) OR (due_date >= invoice_date))),
  CONSTRAINT invoices_credit_note_credits_an_invoice CHECK (((kind = 'credit_note'::text) = (credited_invoice_id IS NOT NULL))),
  CONSTRAINT invoices_currency_check CHECK ((currency ~ '^[A-Z]{3}$'::text)),
  CONSTRAINT invoices_discount_amount_check CHECK ((discount_amount >= (0)::numeric)),
  CONSTRAINT invoices_insurer_amount_check CHECK ((insurer_amount >= (0)::numeric)),
  CONSTRAINT invoices_insurer_name_check CHECK (((length(btrim(insurer_name)) >= 1) AND (length(btrim(insurer_name)) <= 200))),
  CONSTRAINT invoices_insurer_named CHECK (((insurer_percent = (0)::numeric) OR (insurer_name IS NOT NULL))),
  CONSTRAINT invoices_insurer_percent_check CHECK (((insurer_percent >= (0)::numeric) AND (insurer_percent <= (100)::numeric))),
  CONSTRAINT invoices_insurer_within_total CHECK ((insurer_amount <= total_amount)),
  CONSTRAINT invoices_kind_check CHECK ((kind = ANY (ARRAY['invoice'::text, 'credit_note'::text]))),
  CONSTRAINT invoices_line_items_check CHECK ((jsonb_typeof(line_items) = 'array'::text)),
  CONSTRAINT invoices_not_overpaid CHECK (((amount_paid + amount_credited) <= total_amount)),
  CONSTRAINT invoices_numbered_when_issued CHECK (((status = 'draft'::text) OR (invoice_number IS NOT NULL))),
  CONSTRAINT invoices_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT invoices_status_check CHECK ((status = ANY (ARRAY['draft'::text, 'issued'::text, 'partially_paid'::text, 'paid'::text, 'overdue'::text, 'cancelled'::text, 'refunded'::text, 'credited'::text]))),
  CONSTRAINT invoices_subtotal_check CHECK ((subtotal >= (0)::numeric)),
  CONSTRAINT invoices_tax_amount_check CHECK ((tax_amount >= (0)::numeric)),
  CONSTRAINT invoices_tenant_id_appointment_id_fkey FOREIGN KEY (tenant_id, appointment_id) REFERENCES appointments(tenant_id, id),
  CONSTRAINT invoices_tenant_id_clinic_id_fkey FOREIGN KEY (tenant_id, clinic_id) REFERENCES clinics(tenant_id, id),
  CONSTRAINT invoices_tenant_id_credited_invoice_id_fkey FOREIGN KEY (tenant_id, credited_invoice_id) REFERENCES invoices(tenant_id, id),
  CONSTRAINT invoices_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id),
  CONSTRAINT invoices_tenant_id_patient_id_fkey FOREIGN KEY (tenant_id, patient_id) REFERENCES patients(tenant_id, id),
  CONSTRAINT invoices_total_amount_check CHECK ((total_amount >= (0)::numeric)),
  CONSTRAINT invoices_void_has_reason CHECK (((status = 'cancelled'::text) <= (void_reason IS NOT NULL))),
  CONSTRAINT invoices_void_reason_check CHECK (((length(btrim(void_reason)) >= 1) AND (length(btrim(void_reason)) <= 500)))
);
ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
CREATE POLICY own_clinic_invoices ON invoices AS RESTRICTIVE FOR ALL TO clinic_app USING ((clinic_id = ( SELECT current_app_clinic_id() AS current_app_clinic_id))) WITH CHECK ((clinic_id = ( SELECT current_app_clinic_id() AS current_app_clinic_id)));
CREATE POLICY owner_tenant_access_invoices ON invoices AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
CREATE POLICY permitted_insert_invoices ON invoices AS RESTRICTIVE FOR INSERT TO clinic_app WITH CHECK (( SELECT app_may(VARIADIC '{billing.write}'::text[]) AS app_may));
CREATE POLICY permitted_select_invoices ON invoices AS RESTRICTIVE FOR SELECT TO clinic_app USING (( SELECT app_may(VARIADIC '{billing.read}'::text[]) AS app_may));
CREATE POLICY permitted_update_invoices ON invoices AS RESTRICTIVE FOR UPDATE TO clinic_app USING (true) WITH CHECK (( SELECT app_may(VARIADIC '{billing.write}'::text[]) AS app_may));
CREATE POLICY tenant_isolation_invoices ON invoices AS PERMISSIVE FOR ALL TO clinic_app USING (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (deleted_at IS NULL))) WITH CHECK (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (deleted_at IS NULL)));
GRANT INSERT (tenant_id, id, clinic_id, invoice_number, patient_id, appointment_id, invoice_date, due_date, line_items, subtotal, discount_amount, tax_amount, total_amount, amount_paid, currency, status, payment_terms, notes, issued_at, paid_at, created_by, created_at, updated_at, deleted_at, kind, credited_invoice_id, insurer_name, insurer_percent, void_reason) ON invoices TO clinic_app;
GRANT SELECT ON invoices TO clinic_app;
GRANT UPDATE (clinic_id, invoice_number, patient_id, appointment_id, invoice_date, due_date, line_items, subtotal, discount_amount, tax_amount, total_amount, amount_paid, currency, status, payment_terms, notes, issued_at, paid_at, updated_at, deleted_at, insurer_name, insurer_percent, void_reason) ON invoices TO clinic_app;

CREATE TABLE medical_record_addenda (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  medical_record_id uuid NOT NULL,
  doctor_id uuid NOT NULL,
  is_confidential boolean NOT NULL DEFAULT false,
  written_by uuid NOT NULL,
  addendum text NOT NULL,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT medical_record_addenda_addendum_check CHECK (((length(btrim(addendum)) >= 1) AND (length(btrim(addendum)) <= 4000))),
  CONSTRAINT medical_record_addenda_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT medical_record_addenda_tenant_id_doctor_id_fkey FOREIGN KEY (tenant_id, doctor_id) REFERENCES users(tenant_id, id),
  CONSTRAINT medical_record_addenda_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id),
  CONSTRAINT medical_record_addenda_tenant_id_medical_record_id_fkey FOREIGN KEY (tenant_id, medical_record_id) REFERENCES medical_records(tenant_id, id),
  CONSTRAINT medical_record_addenda_tenant_id_written_by_fkey FOREIGN KEY (tenant_id, written_by) REFERENCES users(tenant_id, id)
);
ALTER TABLE medical_record_addenda ENABLE ROW LEVEL SECURITY;
ALTER TABLE medical_record_addenda FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_tenant_access_medical_record_addenda ON medical_record_addenda AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
CREATE POLICY permitted_insert_medical_record_addenda ON medical_record_addenda AS RESTRICTIVE FOR INSERT TO clinic_app WITH CHECK (( SELECT app_may(VARIADIC '{clinical.write}'::text[]) AS app_may));
CREATE POLICY permitted_select_medical_record_addenda ON medical_record_addenda AS RESTRICTIVE FOR SELECT TO clinic_app USING (( SELECT app_may(VARIADIC '{clinical.read}'::text[]) AS app_may));
CREATE POLICY permitted_update_medical_record_addenda ON medical_record_addenda AS RESTRICTIVE FOR UPDATE TO clinic_app USING (true) WITH CHECK (( SELECT app_may(VARIADIC '{}'::text[]) AS app_may));
CREATE POLICY tenant_isolation_medical_record_addenda ON medical_record_addenda AS PERMISSIVE FOR ALL TO clinic_app USING (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND ((NOT is_confidential) OR (doctor_id = ( SELECT current_app_user_id() AS current_app_user_id)) OR ( SELECT app_user_has_permission('records.confidential'::text) AS app_user_has_permission)))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
GRANT INSERT (tenant_id, id, medical_record_id, doctor_id, is_confidential, written_by, addendum, created_at) ON medical_record_addenda TO clinic_app;
GRANT SELECT ON medical_record_addenda TO clinic_app;

CREATE TABLE medical_records (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  patient_id uuid NOT NULL,
  doctor_id uuid NOT NULL,
  appointment_id uuid,
  record_type text NOT NULL DEFAULT 'consultation'::text,
  record_date timestamp with time zone NOT NULL DEFAULT now(),
  chief_complaint text,
  history_of_present_illness text,
  vital_signs jsonb NOT NULL DEFAULT '{}'::jsonb,
  physical_examination jsonb NOT NULL DEFAULT '{}'::jsonb,
  assessment text,
  diagnosis jsonb NOT NULL DEFAULT '[]'::jsonb,
  treatment_plan text,
  clinical_data jsonb NOT NULL DEFAULT '{}'::jsonb,
  is_confidential boolean NOT NULL DEFAULT false,
  signed_at timestamp with time zone,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  updated_at timestamp with time zone NOT NULL DEFAULT now(),
  deleted_at timestamp with time zone,
  CONSTRAINT medical_records_clinical_data_check CHECK ((jsonb_typeof(clinical_data) = 'object'::text)),
  CONSTRAINT medical_records_diagnosis_check CHECK ((jsonb_typeof(diagnosis) = 'array'::text)),
  CONSTRAINT medical_records_physical_examination_check CHECK ((jsonb_typeof(physical_examination) = 'object'::text)),
  CONSTRAINT medical_records_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT medical_records_record_type_check CHECK ((record_type = ANY (ARRAY['consultation'::text, 'progress_note'::text, 'procedure'::text, 'discharge_summary'::text, 'referral'::text, 'lab_review'::text, 'immunization'::text, 'other'::text]))),
  CONSTRAINT medical_records_tenant_id_appointment_id_fkey FOREIGN KEY (tenant_id, appointment_id) REFERENCES appointments(tenant_id, id),
  CONSTRAINT medical_records_tenant_id_doctor_id_fkey FOREIGN KEY (tenant_id, doctor_id) REFERENCES users(tenant_id, id),
  CONSTRAINT medical_records_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id),
  CONSTRAINT medical_records_tenant_id_patient_id_fkey FOREIGN KEY (tenant_id, patient_id) REFERENCES patients(tenant_id, id),
  CONSTRAINT medical_records_vital_signs_check CHECK ((jsonb_typeof(vital_signs) = 'object'::text))
);
ALTER TABLE medical_records ENABLE ROW LEVEL SECURITY;
ALTER TABLE medical_records FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_tenant_access_medical_records ON medical_records AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
CREATE POLICY permitted_insert_medical_records ON medical_records AS RESTRICTIVE FOR INSERT TO clinic_app WITH CHECK (( SELECT app_may(VARIADIC '{clinical.write}'::text[]) AS app_may));
CREATE POLICY permitted_select_medical_records ON medical_records AS RESTRICTIVE FOR SELECT TO clinic_app USING (( SELECT app_may(VARIADIC '{clinical.read}'::text[]) AS app_may));
CREATE POLICY permitted_update_medical_records ON medical_records AS RESTRICTIVE FOR UPDATE TO clinic_app USING (true) WITH CHECK (( SELECT app_may(VARIADIC '{clinical.write}'::text[]) AS app_may));
CREATE POLICY tenant_isolation_medical_records ON medical_records AS PERMISSIVE FOR ALL TO clinic_app USING (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (deleted_at IS NULL) AND ((NOT is_confidential) OR (doctor_id = ( SELECT current_app_user_id() AS current_app_user_id)) OR ( SELECT app_user_has_permission('records.confidential'::text) AS app_user_has_permission)))) WITH CHECK (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (deleted_at IS NULL)));
GRANT INSERT (tenant_id, id, patient_id, doctor_id, appointment_id, record_type, record_date, chief_complaint, history_of_present_illness, vital_signs, physical_examination, assessment, diagnosis, treatment_plan, clinical_data, is_confidential, signed_at, created_at, updated_at, deleted_at) ON medical_records TO clinic_app;
GRANT SELECT ON medical_records TO clinic_app;
GRANT UPDATE (patient_id, doctor_id, appointment_id, record_type, record_date, chief_complaint, history_of_present_illness, vital_signs, physical_examination, assessment, diagnosis, treatment_plan, clinical_data, is_confidential, signed_at, updated_at, deleted_at) ON medical_records TO clinic_app;

CREATE TABLE name_word_deletions (
  tenant_id uuid NOT NULL,
  deletion text NOT NULL,
  word text NOT NULL,
  removed integer NOT NULL,
  CONSTRAINT name_word_deletions_pkey PRIMARY KEY (tenant_id, deletion, word),
  CONSTRAINT name_word_deletions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id)
);
ALTER TABLE name_word_deletions ENABLE ROW LEVEL SECURITY;
ALTER TABLE name_word_deletions FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_tenant_access_name_word_deletions ON name_word_deletions AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));

CREATE TABLE note_templates (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL,
  chief_complaint text NOT NULL DEFAULT ''::text,
  history text NOT NULL DEFAULT ''::text,
  examination text NOT NULL DEFAULT ''::text,
  assessment text NOT NULL DEFAULT ''::text,
  plan text NOT NULL DEFAULT ''::text,
  is_active boolean NOT NULL DEFAULT true,
  created_by uuid,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  updated_at timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT note_templates_assessment_check CHECK ((length(assessment) <= 4000)),
  CONSTRAINT note_templates_chief_complaint_check CHECK ((length(chief_complaint) <= 500)),
  CONSTRAINT note_templates_examination_check CHECK ((length(examination) <= 8000)),
  CONSTRAINT note_templates_history_check CHECK ((length(history) <= 8000)),
  CONSTRAINT note_templates_name_check CHECK (((length(btrim(name)) >= 1) AND (length(btrim(name)) <= 100))),
  CONSTRAINT note_templates_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT note_templates_plan_check CHECK ((length(plan) <= 4000)),
  CONSTRAINT note_templates_tenant_id_created_by_fkey FOREIGN KEY (tenant_id, created_by) REFERENCES users(tenant_id, id),
  CONSTRAINT note_templates_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id)
);
ALTER TABLE note_templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE note_templates FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_tenant_access_note_templates ON note_templates AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
CREATE POLICY permitted_insert_note_templates ON note_templates AS RESTRICTIVE FOR INSERT TO clinic_app WITH CHECK (( SELECT app_may(VARIADIC '{clinical.write}'::text[]) AS app_may));
CREATE POLICY permitted_select_note_templates ON note_templates AS RESTRICTIVE FOR SELECT TO clinic_app USING (( SELECT app_may(VARIADIC '{clinical.read}'::text[]) AS app_may));
CREATE POLICY permitted_update_note_templates ON note_templates AS RESTRICTIVE FOR UPDATE TO clinic_app USING (true) WITH CHECK (( SELECT app_may(VARIADIC '{clinical.write}'::text[]) AS app_may));
CREATE POLICY tenant_isolation_note_templates ON note_templates AS PERMISSIVE FOR ALL TO clinic_app USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
GRANT INSERT (tenant_id, id, name, chief_complaint, history, examination, assessment, plan, is_active, created_by, created_at, updated_at) ON note_templates TO clinic_app;
GRANT SELECT ON note_templates TO clinic_app;
GRANT UPDATE (name, chief_complaint, history, examination, assessment, plan, is_active, updated_at) ON note_templates TO clinic_app;

CREATE TABLE notifications (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  user_id uuid,
  title text NOT NULL,
  message text NOT NULL,
  type text NOT NULL DEFAULT 'info'::text,
  priority text NOT NULL DEFAULT 'normal'::text,
  is_read boolean NOT NULL DEFAULT false,
  read_at timestamp with time zone,
  action_url text,
  related_entity_type text,
  related_entity_id uuid,
  scheduled_for timestamp with time zone,
  sent_at timestamp with time zone,
  expires_at timestamp with time zone,
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  updated_at timestamp with time zone NOT NULL DEFAULT now(),
  deleted_at timestamp with time zone,
  CONSTRAINT notifications_check CHECK (((NOT is_read) OR (read_at IS NOT NULL))),
  CONSTRAINT notifications_metadata_check CHECK ((jsonb_typeof(metadata) = 'object'::text)),
  CONSTRAINT notifications_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT notifications_priority_check CHECK ((priority = ANY (ARRAY['low'::text, 'normal'::text, 'high'::text, 'urgent'::text]))),
  CONSTRAINT notifications_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id),
  CONSTRAINT notifications_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id),
  CONSTRAINT notifications_title_check CHECK (((length(btrim(title)) >= 1) AND (length(btrim(title)) <= 200))),
  CONSTRAINT notifications_type_check CHECK ((type = ANY (ARRAY['info'::text, 'success'::text, 'warning'::text, 'error'::text, 'reminder'::text, 'appointment'::text, 'test_result'::text, 'billing'::text, 'system'::text])))
);
ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE notifications FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_tenant_access_notifications ON notifications AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
CREATE POLICY permitted_insert_notifications ON notifications AS RESTRICTIVE FOR INSERT TO clinic_app WITH CHECK (( SELECT app_may(VARIADIC '{appointments.write,appointments.checkin,notifications.read}'::text[]) AS app_may));
CREATE POLICY permitted_update_notifications ON notifications AS RESTRICTIVE FOR UPDATE TO clinic_app USING (true) WITH CHECK (( SELECT app_may(VARIADIC '{appointments.write,appointments.checkin,notifications.read}'::text[]) AS app_may));
CREATE POLICY tenant_isolation_notifications ON notifications AS PERMISSIVE FOR ALL TO clinic_app USING (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (deleted_at IS NULL))) WITH CHECK (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (deleted_at IS NULL)));
GRANT INSERT (tenant_id, id, user_id, title, message, type, priority, is_read, read_at, action_url, related_entity_type, related_entity_id, scheduled_for, sent_at, expires_at, metadata, created_at, updated_at, deleted_at) ON notifications TO clinic_app;
GRANT SELECT ON notifications TO clinic_app;
GRANT UPDATE (user_id, title, message, type, priority, is_read, read_at, action_url, related_entity_type, related_entity_id, scheduled_for, sent_at, expires_at, metadata, updated_at, deleted_at) ON notifications TO clinic_app;

CREATE TABLE number_sequences (
  tenant_id uuid NOT NULL,
  kind text NOT NULL,
  period integer NOT NULL,
  last_value bigint NOT NULL,
  CONSTRAINT number_sequences_pkey PRIMARY KEY (tenant_id, kind, period),
  CONSTRAINT number_sequences_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id)
);
ALTER TABLE number_sequences ENABLE ROW LEVEL SECURITY;
ALTER TABLE number_sequences FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_tenant_access_number_sequences ON number_sequences AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
CREATE POLICY tenant_isolation_number_sequences ON number_sequences AS PERMISSIVE FOR ALL TO clinic_app USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));

CREATE TABLE patient_name_words (
  tenant_id uuid NOT NULL,
  patient_id uuid NOT NULL,
  word text NOT NULL,
  all_words text NOT NULL,
  CONSTRAINT patient_name_words_pkey PRIMARY KEY (tenant_id, patient_id, word)
);
ALTER TABLE patient_name_words ENABLE ROW LEVEL SECURITY;
ALTER TABLE patient_name_words FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_tenant_access_patient_name_words ON patient_name_words AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));

CREATE TABLE patients (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  clinic_id uuid NOT NULL,
  patient_number text NOT NULL,
  first_name text NOT NULL,
  middle_name text,
  last_name text NOT NULL,
  date_of_birth date NOT NULL,
  gender text NOT NULL,
  blood_group text,
  marital_status text,
  occupation text,
  preferred_language text,
  national_id text,
  email text,
  phone text,
  alternate_phone text,
  address_line1 text,
  address_line2 text,
  city text,
  state text,
  postal_code text,
  country text,
  emergency_contact_name text,
  emergency_contact_phone text,
  emergency_contact_relationship text,
  allergies jsonb NOT NULL DEFAULT '[]'::jsonb,
  medical_history jsonb NOT NULL DEFAULT '[]'::jsonb,
  current_medications jsonb NOT NULL DEFAULT '[]'::jsonb,
  insurance_info jsonb NOT NULL DEFAULT '{}'::jsonb,
  alerts text,
  primary_care_physician_id uuid,
  notes text,
  is_active boolean NOT NULL DEFAULT true,
  created_by uuid,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  updated_at timestamp with time zone NOT NULL DEFAULT now(),
  deleted_at timestamp with time zone,
  phone_e164 text,
  alternate_phone_e164 text,
  name_key text GENERATED ALWAYS AS (fold_name(((first_name || ' '::text) || last_name))) STORED,
  name_key_last_first text GENERATED ALWAYS AS (fold_name((((last_name || ' '::text) || first_name) || COALESCE((' '::text || middle_name), ''::text)))) STORED,
  merged_into_id uuid,
  phone_e164_reversed text GENERATED ALWAYS AS (reverse(phone_e164)) STORED,
  alternate_phone_e164_reversed text GENERATED ALWAYS AS (reverse(alternate_phone_e164)) STORED,
  CONSTRAINT patients_allergies_check CHECK ((jsonb_typeof(allergies) = 'array'::text)),
  CONSTRAINT patients_blood_group_check CHECK ((blood_group = ANY (ARRAY['A+'::text, 'A-'::text, 'B+'::text, 'B-'::text, 'AB+'::text, 'AB-'::text, 'O+'::text, 'O-'::text]))),
  CONSTRAINT patients_current_medications_check CHECK ((jsonb_typeof(current_medications) = 'array'::text)),
  CONSTRAINT patients_date_of_birth_check CHECK ((date_of_birth >= '1890-01-01'::date)),
  CONSTRAINT patients_email_check CHECK ((email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'::text)),
  CONSTRAINT patients_first_name_check CHECK (((length(btrim(first_name)) >= 1) AND (length(btrim(first_name)) <= 100))),
  CONSTRAINT patients_gender_check CHECK ((gender = ANY (ARRAY['Male'::text, 'Female'::text, 'Other'::text, 'Unknown'::text]))),
  CONSTRAINT patients_insurance_info_check CHECK ((jsonb_typeof(insurance_info) = 'object'::text)),
  CONSTRAINT patients_last_name_check CHECK (((length(btrim(last_name)) >= 1) AND (length(btrim(last_name)) <= 100))),
  CONSTRAINT patients_marital_status_check CHECK ((marital_status = ANY (ARRAY['single'::text, 'married'::text, 'divorced'::text, 'widowed'::text, 'partnered'::text, 'other'::text]))),
  CONSTRAINT patients_medical_history_check CHECK ((jsonb_typeof(medical_history) = 'array'::text)),
  CONSTRAINT patients_merged_into_fkey FOREIGN KEY (tenant_id, merged_into_id) REFERENCES patients(tenant_id, id),
  CONSTRAINT patients_middle_name_check CHECK ((length(middle_name) <= 100)),
  CONSTRAINT patients_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT patients_tenant_id_clinic_id_fkey FOREIGN KEY (tenant_id, clinic_id) REFERENCES clinics(tenant_id, id),
  CONSTRAINT patients_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id),
  CONSTRAINT patients_tenant_id_patient_number_key UNIQUE (tenant_id, patient_number),
  CONSTRAINT patients_tenant_id_primary_care_physician_id_fkey FOREIGN KEY (tenant_id, primary_care_physician_id) REFERENCES users(tenant_id, id)
);
ALTER TABLE patients ENABLE ROW LEVEL SECURITY;
ALTER TABLE patients FORCE ROW LEVEL SECURITY;
ALTER TABLE patients ALTER COLUMN middle_name SET STATISTICS 0;
ALTER TABLE patients ALTER COLUMN blood_group SET STATISTICS 0;
ALTER TABLE patients ALTER COLUMN marital_status SET STATISTICS 0;
ALTER TABLE patients ALTER COLUMN occupation SET STATISTICS 0;
ALTER TABLE patients ALTER COLUMN preferred_language SET STATISTICS 0;
ALTER TABLE patients ALTER COLUMN email SET STATISTICS 0;
ALTER TABLE patients ALTER COLUMN address_line1 SET STATISTICS 0;
ALTER TABLE patients ALTER COLUMN address_line2 SET STATISTICS 0;
ALTER TABLE patients ALTER COLUMN city SET STATISTICS 0;
ALTER TABLE patients ALTER COLUMN state SET STATISTICS 0;
ALTER TABLE patients ALTER COLUMN postal_code SET STATISTICS 0;
ALTER TABLE patients ALTER COLUMN country SET STATISTICS 0;
ALTER TABLE patients ALTER COLUMN emergency_contact_name SET STATISTICS 0;
ALTER TABLE patients ALTER COLUMN emergency_contact_phone SET STATISTICS 0;
ALTER TABLE patients ALTER COLUMN emergency_contact_relationship SET STATISTICS 0;
ALTER TABLE patients ALTER COLUMN allergies SET STATISTICS 0;
ALTER TABLE patients ALTER COLUMN medical_history SET STATISTICS 0;
ALTER TABLE patients ALTER COLUMN current_medications SET STATISTICS 0;
ALTER TABLE patients ALTER COLUMN insurance_info SET STATISTICS 0;
ALTER TABLE patients ALTER COLUMN alerts SET STATISTICS 0;
ALTER TABLE patients ALTER COLUMN notes SET STATISTICS 0;
ALTER TABLE patients ALTER COLUMN is_active SET STATISTICS 0;
ALTER TABLE patients ALTER COLUMN updated_at SET STATISTICS 0;
CREATE POLICY owner_tenant_access_patients ON patients AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
CREATE POLICY permitted_insert_patients ON patients AS RESTRICTIVE FOR INSERT TO clinic_app WITH CHECK (( SELECT app_may(VARIADIC '{patients.write}'::text[]) AS app_may));
CREATE POLICY permitted_update_patients ON patients AS RESTRICTIVE FOR UPDATE TO clinic_app USING (true) WITH CHECK (( SELECT app_may(VARIADIC '{patients.write}'::text[]) AS app_may));
CREATE POLICY tenant_isolation_patients ON patients AS PERMISSIVE FOR ALL TO clinic_app USING (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (deleted_at IS NULL))) WITH CHECK (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (deleted_at IS NULL)));
GRANT INSERT (tenant_id, id, clinic_id, patient_number, first_name, middle_name, last_name, date_of_birth, gender, blood_group, marital_status, occupation, preferred_language, national_id, email, phone, alternate_phone, address_line1, address_line2, city, state, postal_code, country, emergency_contact_name, emergency_contact_phone, emergency_contact_relationship, allergies, medical_history, current_medications, insurance_info, alerts, primary_care_physician_id, notes, is_active, created_by, created_at, updated_at, deleted_at, phone_e164, alternate_phone_e164) ON patients TO clinic_app;
GRANT SELECT ON patients TO clinic_app;
GRANT UPDATE (clinic_id, patient_number, first_name, middle_name, last_name, date_of_birth, gender, blood_group, marital_status, occupation, preferred_language, national_id, email, phone, alternate_phone, address_line1, address_line2, city, state, postal_code, country, emergency_contact_name, emergency_contact_phone, emergency_contact_relationship, allergies, medical_history, current_medications, insurance_info, alerts, primary_care_physician_id, notes, is_active, updated_at, deleted_at, phone_e164, alternate_phone_e164) ON patients TO clinic_app;

CREATE TABLE payments (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  payment_number text NOT NULL,
  invoice_id uuid NOT NULL,
  patient_id uuid NOT NULL,
  amount numeric(12,2) NOT NULL,
  currency character(3) NOT NULL DEFAULT 'USD'::bpchar,
  payment_method text NOT NULL,
  payment_status text NOT NULL DEFAULT 'completed'::text,
  transaction_reference text,
  payment_gateway text,
  gateway_response jsonb,
  paid_at timestamp with time zone NOT NULL DEFAULT now(),
  refund_amount numeric(12,2) NOT NULL DEFAULT 0,
  refunded_at timestamp with time zone,
  refund_reason text,
  received_by uuid,
  notes text,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  updated_at timestamp with time zone NOT NULL DEFAULT now(),
  deleted_at timestamp with time zone,
  CONSTRAINT payments_amount_check CHECK ((amount > (0)::numeric)),
  CONSTRAINT payments_check CHECK ((refund_amount <= amount)),
  CONSTRAINT payments_currency_check CHECK ((currency ~ '^[A-Z]{3}$'::text)),
  CONSTRAINT payments_payment_method_check CHECK ((payment_method = ANY (ARRAY['cash'::text, 'card'::text, 'bank_transfer'::text, 'insurance'::text, 'mobile_money'::text, 'cheque'::text, 'other'::text]))),
  CONSTRAINT payments_payment_status_check CHECK ((payment_status = ANY (ARRAY['pending'::text, 'completed'::text, 'failed'::text, 'refunded'::text, 'partially_refunded'::text]))),
  CONSTRAINT payments_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT payments_refund_amount_check CHECK ((refund_amount >= (0)::numeric)),
  CONSTRAINT payments_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id),
  CONSTRAINT payments_tenant_id_invoice_id_fkey FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices(tenant_id, id),
  CONSTRAINT payments_tenant_id_patient_id_fkey FOREIGN KEY (tenant_id, patient_id) REFERENCES patients(tenant_id, id),
  CONSTRAINT payments_tenant_id_payment_number_key UNIQUE (tenant_id, payment_number),
  CONSTRAINT payments_tenant_id_received_by_fkey FOREIGN KEY (tenant_id, received_by) REFERENCES users(tenant_id, id)
);
ALTER TABLE payments ENABLE ROW LEVEL SECURITY;
ALTER TABLE payments FORCE ROW LEVEL SECURITY;
CREATE POLICY own_clinic_payments ON payments AS RESTRICTIVE FOR ALL TO clinic_app USING ((EXISTS ( SELECT 1
   FROM invoices i
  WHERE ((i.tenant_id = payments.tenant_id) AND (i.id = payments.invoice_id))))) WITH CHECK ((EXISTS ( SELECT 1
   FROM invoices i
  WHERE ((i.tenant_id = payments.tenant_id) AND (i.id = payments.invoice_id)))));
CREATE POLICY owner_tenant_access_payments ON payments AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
CREATE POLICY permitted_insert_payments ON payments AS RESTRICTIVE FOR INSERT TO clinic_app WITH CHECK (( SELECT app_may(VARIADIC '{payments.take}'::text[]) AS app_may));
CREATE POLICY permitted_select_payments ON payments AS RESTRICTIVE FOR SELECT TO clinic_app USING (( SELECT app_may(VARIADIC '{billing.read}'::text[]) AS app_may));
CREATE POLICY permitted_update_payments ON payments AS RESTRICTIVE FOR UPDATE TO clinic_app USING (true) WITH CHECK (( SELECT app_may(VARIADIC '{payments.refund}'::text[]) AS app_may));
CREATE POLICY tenant_isolation_payments ON payments AS PERMISSIVE FOR ALL TO clinic_app USING (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (deleted_at IS NULL))) WITH CHECK (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (deleted_at IS NULL)));
GRANT INSERT (tenant_id, id, payment_number, invoice_id, patient_id, amount, currency, payment_method, payment_status, transaction_reference, payment_gateway, gateway_response, paid_at, refund_amount, refunded_at, refund_reason, received_by, notes, created_at, updated_at, deleted_at) ON payments TO clinic_app;
GRANT SELECT ON payments TO clinic_app;
GRANT UPDATE (payment_number, invoice_id, patient_id, amount, currency, payment_method, payment_status, transaction_reference, payment_gateway, gateway_response, paid_at, refund_amount, refunded_at, refund_reason, received_by, notes, updated_at, deleted_at) ON payments TO clinic_app;

CREATE TABLE prescriptions (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  patient_id uuid NOT NULL,
  doctor_id uuid NOT NULL,
  appointment_id uuid,
  medical_record_id uuid,
  medication_name text NOT NULL,
  generic_name text,
  strength text,
  dosage_form text,
  dosage text NOT NULL,
  frequency text NOT NULL,
  route text NOT NULL DEFAULT 'oral'::text,
  duration_days integer,
  quantity numeric(10,2),
  refills_allowed integer NOT NULL DEFAULT 0,
  refills_used integer NOT NULL DEFAULT 0,
  instructions text,
  start_date date NOT NULL DEFAULT CURRENT_DATE,
  end_date date,
  status text NOT NULL DEFAULT 'active'::text,
  discontinued_reason text,
  prescribed_at timestamp with time zone NOT NULL DEFAULT now(),
  dispensed_at timestamp with time zone,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  updated_at timestamp with time zone NOT NULL DEFAULT now(),
  deleted_at timestamp with time zone,
  warnings_overridden jsonb,
  override_reason text,
  CONSTRAINT prescriptions_check CHECK ((refills_used <= refills_allowed)),
  CONSTRAINT prescriptions_check1 CHECK (((end_date IS NULL) OR (end_date >= start_date))),
  CONSTRAINT prescriptions_dosage_form_check CHECK ((dosage_form = ANY (ARRAY['tablet'::text, 'capsule'::text, 'syrup'::text, 'suspension'::text, 'injection'::text, 'cream'::text, 'ointment'::text, 'drops'::text, 'inhaler'::text, 'patch'::text, 'suppository'::text, 'other'::text]))),
  CONSTRAINT prescriptions_duration_days_check CHECK (((duration_days >= 1) AND (duration_days <= 3650))),
  CONSTRAINT prescriptions_medication_name_check CHECK (((length(btrim(medication_name)) >= 1) AND (length(btrim(medication_name)) <= 200))),
  CONSTRAINT prescriptions_override_has_reason CHECK (((override_reason IS NOT NULL) = (COALESCE(warnings_overridden, '[]'::jsonb) <> '[]'::jsonb))),
  CONSTRAINT prescriptions_override_reason_length CHECK (((length(btrim(override_reason)) >= 1) AND (length(btrim(override_reason)) <= 1000))),
  CONSTRAINT prescriptions_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT prescriptions_quantity_check CHECK ((quantity > (0)::numeric)),
  CONSTRAINT prescriptions_refills_allowed_check CHECK (((refills_allowed >= 0) AND (refills_allowed <= 12))),
  CONSTRAINT prescriptions_refills_used_check CHECK ((refills_used >= 0)),
  CONSTRAINT prescriptions_route_check CHECK ((route = ANY (ARRAY['oral'::text, 'topical'::text, 'intravenous'::text, 'intramuscular'::text, 'subcutaneous'::text, 'inhalation'::text, 'sublingual'::text, 'rectal'::text, 'ophthalmic'::text, 'otic'::text, 'nasal'::text, 'other'::text]))),
  CONSTRAINT prescriptions_status_check CHECK ((status = ANY (ARRAY['active'::text, 'completed'::text, 'discontinued'::text, 'cancelled'::text, 'on_hold'::text]))),
  CONSTRAINT prescriptions_tenant_id_appointment_id_fkey FOREIGN KEY (tenant_id, appointment_id) REFERENCES appointments(tenant_id, id),
  CONSTRAINT prescriptions_tenant_id_doctor_id_fkey FOREIGN KEY (tenant_id, doctor_id) REFERENCES users(tenant_id, id),
  CONSTRAINT prescriptions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id),
  CONSTRAINT prescriptions_tenant_id_medical_record_id_fkey FOREIGN KEY (tenant_id, medical_record_id) REFERENCES medical_records(tenant_id, id),
  CONSTRAINT prescriptions_tenant_id_patient_id_fkey FOREIGN KEY (tenant_id, patient_id) REFERENCES patients(tenant_id, id),
  CONSTRAINT prescriptions_warnings_overridden_array CHECK ((jsonb_typeof(warnings_overridden) = 'array'::text))
);
ALTER TABLE prescriptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE prescriptions FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_tenant_access_prescriptions ON prescriptions AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
CREATE POLICY permitted_insert_prescriptions ON prescriptions AS RESTRICTIVE FOR INSERT TO clinic_app WITH CHECK (( SELECT app_may(VARIADIC '{prescriptions.write}'::text[]) AS app_may));
CREATE POLICY permitted_select_prescriptions ON prescriptions AS RESTRICTIVE FOR SELECT TO clinic_app USING (( SELECT app_may(VARIADIC '{clinical.read}'::text[]) AS app_may));
CREATE POLICY permitted_update_prescriptions ON prescriptions AS RESTRICTIVE FOR UPDATE TO clinic_app USING (true) WITH CHECK (( SELECT app_may(VARIADIC '{prescriptions.write}'::text[]) AS app_may));
CREATE POLICY tenant_isolation_prescriptions ON prescriptions AS PERMISSIVE FOR ALL TO clinic_app USING (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (deleted_at IS NULL))) WITH CHECK (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (deleted_at IS NULL)));
GRANT INSERT (tenant_id, id, patient_id, doctor_id, appointment_id, medical_record_id, medication_name, generic_name, strength, dosage_form, dosage, frequency, route, duration_days, quantity, refills_allowed, refills_used, instructions, start_date, end_date, status, discontinued_reason, prescribed_at, dispensed_at, created_at, updated_at, deleted_at, warnings_overridden, override_reason) ON prescriptions TO clinic_app;
GRANT SELECT ON prescriptions TO clinic_app;
GRANT UPDATE (patient_id, doctor_id, appointment_id, medical_record_id, medication_name, generic_name, strength, dosage_form, dosage, frequency, route, duration_days, quantity, refills_allowed, refills_used, instructions, start_date, end_date, status, discontinued_reason, prescribed_at, dispensed_at, updated_at, deleted_at) ON prescriptions TO clinic_app;

CREATE TABLE price_list (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  clinic_id uuid NOT NULL,
  code text NOT NULL,
  description text NOT NULL,
  category text NOT NULL,
  appointment_type text,
  test_code text,
  unit_price numeric(12,2) NOT NULL,
  tax_rate numeric(5,2) NOT NULL DEFAULT 0,
  valid_from date NOT NULL,
  valid_until date,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  updated_at timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT price_list_category_check CHECK ((category = ANY (ARRAY['consultation'::text, 'procedure'::text, 'test'::text, 'other'::text]))),
  CONSTRAINT price_list_check CHECK ((valid_until > valid_from)),
  CONSTRAINT price_list_code_check CHECK ((code ~ '^[A-Z0-9][A-Z0-9-]{0,29}$'::text)),
  CONSTRAINT price_list_description_check CHECK (((length(btrim(description)) >= 1) AND (length(btrim(description)) <= 200))),
  CONSTRAINT price_list_one_price_a_day EXCLUDE USING gist (tenant_id WITH =, clinic_id WITH =, code WITH =, daterange(valid_from, valid_until) WITH &&),
  CONSTRAINT price_list_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT price_list_tax_rate_check CHECK (((tax_rate >= (0)::numeric) AND (tax_rate <= (100)::numeric))),
  CONSTRAINT price_list_tenant_id_clinic_id_fkey FOREIGN KEY (tenant_id, clinic_id) REFERENCES clinics(tenant_id, id),
  CONSTRAINT price_list_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id),
  CONSTRAINT price_list_unit_price_check CHECK ((unit_price >= (0)::numeric))
);
ALTER TABLE price_list ENABLE ROW LEVEL SECURITY;
ALTER TABLE price_list FORCE ROW LEVEL SECURITY;
CREATE POLICY own_clinic_price_list ON price_list AS RESTRICTIVE FOR ALL TO clinic_app USING ((clinic_id = ( SELECT current_app_clinic_id() AS current_app_clinic_id))) WITH CHECK ((clinic_id = ( SELECT current_app_clinic_id() AS current_app_clinic_id)));
CREATE POLICY owner_tenant_access_price_list ON price_list AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
CREATE POLICY permitted_insert_price_list ON price_list AS RESTRICTIVE FOR INSERT TO clinic_app WITH CHECK (( SELECT app_may(VARIADIC '{billing.write}'::text[]) AS app_may));
CREATE POLICY permitted_select_price_list ON price_list AS RESTRICTIVE FOR SELECT TO clinic_app USING (( SELECT app_may(VARIADIC '{billing.read}'::text[]) AS app_may));
CREATE POLICY permitted_update_price_list ON price_list AS RESTRICTIVE FOR UPDATE TO clinic_app USING (true) WITH CHECK (( SELECT app_may(VARIADIC '{billing.write}'::text[]) AS app_may));
CREATE POLICY tenant_isolation_price_list ON price_list AS PERMISSIVE FOR ALL TO clinic_app USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
GRANT INSERT (tenant_id, id, clinic_id, code, description, category, appointment_type, test_code, unit_price, tax_rate, valid_from, valid_until, created_at, updated_at) ON price_list TO clinic_app;
GRANT SELECT ON price_list TO clinic_app;
GRANT UPDATE (clinic_id, code, description, category, appointment_type, test_code, unit_price, tax_rate, valid_from, valid_until, updated_at) ON price_list TO clinic_app;

CREATE TABLE refunds (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  refund_number text NOT NULL,
  payment_id uuid NOT NULL,
  invoice_id uuid NOT NULL,
  amount numeric(12,2) NOT NULL,
  currency character(3) NOT NULL,
  payment_method text NOT NULL,
  reason text NOT NULL,
  refunded_by uuid,
  refunded_at timestamp with time zone NOT NULL DEFAULT now(),
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  updated_at timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT refunds_amount_check CHECK ((amount > (0)::numeric)),
  CONSTRAINT refunds_currency_check CHECK ((currency ~ '^[A-Z]{3}$'::text)),
  CONSTRAINT refunds_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT refunds_reason_check CHECK (((length(btrim(reason)) >= 1) AND (length(btrim(reason)) <= 500))),
  CONSTRAINT refunds_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id),
  CONSTRAINT refunds_tenant_id_invoice_id_fkey FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices(tenant_id, id),
  CONSTRAINT refunds_tenant_id_payment_id_fkey FOREIGN KEY (tenant_id, payment_id) REFERENCES payments(tenant_id, id),
  CONSTRAINT refunds_tenant_id_refund_number_key UNIQUE (tenant_id, refund_number),
  CONSTRAINT refunds_tenant_id_refunded_by_fkey FOREIGN KEY (tenant_id, refunded_by) REFERENCES users(tenant_id, id)
);
ALTER TABLE refunds ENABLE ROW LEVEL SECURITY;
ALTER TABLE refunds FORCE ROW LEVEL SECURITY;
CREATE POLICY own_clinic_refunds ON refunds AS RESTRICTIVE FOR ALL TO clinic_app USING ((EXISTS ( SELECT 1
   FROM payments p
  WHERE ((p.tenant_id = refunds.tenant_id) AND (p.id = refunds.payment_id))))) WITH CHECK ((EXISTS ( SELECT 1
   FROM payments p
  WHERE ((p.tenant_id = refunds.tenant_id) AND (p.id = refunds.payment_id)))));
CREATE POLICY owner_tenant_access_refunds ON refunds AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
CREATE POLICY permitted_insert_refunds ON refunds AS RESTRICTIVE FOR INSERT TO clinic_app WITH CHECK (( SELECT app_may(VARIADIC '{payments.refund}'::text[]) AS app_may));
CREATE POLICY permitted_select_refunds ON refunds AS RESTRICTIVE FOR SELECT TO clinic_app USING (( SELECT app_may(VARIADIC '{billing.read}'::text[]) AS app_may));
CREATE POLICY permitted_update_refunds ON refunds AS RESTRICTIVE FOR UPDATE TO clinic_app USING (true) WITH CHECK (( SELECT app_may(VARIADIC '{}'::text[]) AS app_may));
CREATE POLICY tenant_isolation_refunds ON refunds AS PERMISSIVE FOR ALL TO clinic_app USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
GRANT INSERT (tenant_id, id, refund_number, payment_id, invoice_id, amount, currency, payment_method, reason, refunded_by, refunded_at, created_at, updated_at) ON refunds TO clinic_app;
GRANT SELECT ON refunds TO clinic_app;

CREATE TABLE roles (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL,
  description text,
  permissions jsonb NOT NULL DEFAULT '[]'::jsonb,
  is_system_role boolean NOT NULL DEFAULT false,
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  updated_at timestamp with time zone NOT NULL DEFAULT now(),
  deleted_at timestamp with time zone,
  CONSTRAINT roles_name_check CHECK ((name ~ '^[a-z][a-z0-9_]{1,40}$'::text)),
  CONSTRAINT roles_permissions_check CHECK ((jsonb_typeof(permissions) = 'array'::text)),
  CONSTRAINT roles_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT roles_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id),
  CONSTRAINT roles_tenant_id_name_key UNIQUE (tenant_id, name)
);
ALTER TABLE roles ENABLE ROW LEVEL SECURITY;
ALTER TABLE roles FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_tenant_access_roles ON roles AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
CREATE POLICY permitted_insert_roles ON roles AS RESTRICTIVE FOR INSERT TO clinic_app WITH CHECK (( SELECT app_may(VARIADIC '{admin.users}'::text[]) AS app_may));
CREATE POLICY permitted_update_roles ON roles AS RESTRICTIVE FOR UPDATE TO clinic_app USING (true) WITH CHECK (( SELECT app_may(VARIADIC '{admin.users}'::text[]) AS app_may));
CREATE POLICY tenant_isolation_roles ON roles AS PERMISSIVE FOR ALL TO clinic_app USING (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (deleted_at IS NULL))) WITH CHECK (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (deleted_at IS NULL)));
GRANT INSERT (tenant_id, id, name, description, permissions, is_system_role, is_active, created_at, updated_at, deleted_at) ON roles TO clinic_app;
GRANT SELECT ON roles TO clinic_app;
GRANT UPDATE (name, description, permissions, is_system_role, is_active, updated_at, deleted_at) ON roles TO clinic_app;

CREATE TABLE schema_migrations (
  name text NOT NULL,
  checksum text NOT NULL,
  applied_at timestamp with time zone NOT NULL DEFAULT now(),
  CONSTRAINT schema_migrations_pkey PRIMARY KEY (name)
);

CREATE TABLE sign_in_strangers (
  tenant_id uuid NOT NULL,
  email text NOT NULL,
  failed_login_attempts integer NOT NULL DEFAULT 0,
  locked_until timestamp with time zone,
  CONSTRAINT sign_in_strangers_pkey PRIMARY KEY (tenant_id, email),
  CONSTRAINT sign_in_strangers_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id)
);
ALTER TABLE sign_in_strangers ENABLE ROW LEVEL SECURITY;
ALTER TABLE sign_in_strangers FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_tenant_access_sign_in_strangers ON sign_in_strangers AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
CREATE POLICY tenant_isolation_sign_in_strangers ON sign_in_strangers AS PERMISSIVE FOR ALL TO clinic_app USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));

CREATE TABLE staff_logins (
  role_name text NOT NULL,
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  disabled_at timestamp with time zone,
  CONSTRAINT staff_logins_pkey PRIMARY KEY (role_name),
  CONSTRAINT staff_logins_role_name_check CHECK ((role_name ~ '^cd_[0-9a-f]{28}$'::text)),
  CONSTRAINT staff_logins_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id),
  CONSTRAINT staff_logins_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id),
  CONSTRAINT staff_logins_tenant_id_user_id_key UNIQUE (tenant_id, user_id)
);
ALTER TABLE staff_logins ENABLE ROW LEVEL SECURITY;
ALTER TABLE staff_logins FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_access_staff_logins ON staff_logins AS PERMISSIVE FOR ALL TO postgres USING (true) WITH CHECK (true);

CREATE TABLE tenants (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  name text NOT NULL,
  slug text NOT NULL,
  email text,
  phone text,
  subscription_plan text NOT NULL DEFAULT 'basic'::text,
  subscription_status text NOT NULL DEFAULT 'active'::text,
  max_users integer NOT NULL DEFAULT 25,
  max_patients integer NOT NULL DEFAULT 200000,
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  is_active boolean NOT NULL DEFAULT true,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  updated_at timestamp with time zone NOT NULL DEFAULT now(),
  deleted_at timestamp with time zone,
  CONSTRAINT tenants_email_check CHECK ((email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'::text)),
  CONSTRAINT tenants_max_patients_check CHECK ((max_patients > 0)),
  CONSTRAINT tenants_max_users_check CHECK ((max_users > 0)),
  CONSTRAINT tenants_name_check CHECK (((length(btrim(name)) >= 1) AND (length(btrim(name)) <= 200))),
  CONSTRAINT tenants_pkey PRIMARY KEY (id),
  CONSTRAINT tenants_settings_check CHECK ((jsonb_typeof(settings) = 'object'::text)),
  CONSTRAINT tenants_slug_check CHECK ((slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'::text)),
  CONSTRAINT tenants_slug_key UNIQUE (slug),
  CONSTRAINT tenants_subscription_plan_check CHECK ((subscription_plan = ANY (ARRAY['offline'::text, 'basic'::text, 'professional'::text, 'enterprise'::text]))),
  CONSTRAINT tenants_subscription_status_check CHECK ((subscription_status = ANY (ARRAY['trial'::text, 'active'::text, 'past_due'::text, 'suspended'::text, 'cancelled'::text])))
);
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_access_tenants ON tenants AS PERMISSIVE FOR ALL TO postgres USING (true) WITH CHECK (true);
CREATE POLICY tenant_isolation_tenants ON tenants AS PERMISSIVE FOR SELECT TO clinic_app USING (((id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (deleted_at IS NULL)));
GRANT SELECT ON tenants TO clinic_app;

CREATE TABLE test_reports (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  report_number text NOT NULL,
  diagnostic_test_id uuid NOT NULL,
  patient_id uuid NOT NULL,
  findings text,
  interpretation text,
  recommendations text,
  result_values jsonb NOT NULL DEFAULT '[]'::jsonb,
  normal_ranges jsonb NOT NULL DEFAULT '{}'::jsonb,
  abnormal_findings jsonb NOT NULL DEFAULT '[]'::jsonb,
  is_abnormal boolean NOT NULL DEFAULT false,
  is_critical boolean NOT NULL DEFAULT false,
  report_status text NOT NULL DEFAULT 'draft'::text,
  reported_by uuid,
  reported_at timestamp with time zone,
  verified_by uuid,
  verified_at timestamp with time zone,
  quality_check_passed boolean,
  quality_notes text,
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  updated_at timestamp with time zone NOT NULL DEFAULT now(),
  deleted_at timestamp with time zone,
  CONSTRAINT test_reports_abnormal_findings_check CHECK ((jsonb_typeof(abnormal_findings) = 'array'::text)),
  CONSTRAINT test_reports_check CHECK (((verified_by IS NULL) = (verified_at IS NULL))),
  CONSTRAINT test_reports_normal_ranges_check CHECK ((jsonb_typeof(normal_ranges) = 'object'::text)),
  CONSTRAINT test_reports_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT test_reports_report_status_check CHECK ((report_status = ANY (ARRAY['draft'::text, 'preliminary'::text, 'final'::text, 'amended'::text]))),
  CONSTRAINT test_reports_result_values_check CHECK ((jsonb_typeof(result_values) = 'array'::text)),
  CONSTRAINT test_reports_tenant_id_diagnostic_test_id_fkey FOREIGN KEY (tenant_id, diagnostic_test_id) REFERENCES diagnostic_tests(tenant_id, id),
  CONSTRAINT test_reports_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id),
  CONSTRAINT test_reports_tenant_id_patient_id_fkey FOREIGN KEY (tenant_id, patient_id) REFERENCES patients(tenant_id, id),
  CONSTRAINT test_reports_tenant_id_report_number_key UNIQUE (tenant_id, report_number),
  CONSTRAINT test_reports_tenant_id_reported_by_fkey FOREIGN KEY (tenant_id, reported_by) REFERENCES users(tenant_id, id),
  CONSTRAINT test_reports_tenant_id_verified_by_fkey FOREIGN KEY (tenant_id, verified_by) REFERENCES users(tenant_id, id)
);
ALTER TABLE test_reports ENABLE ROW LEVEL SECURITY;
ALTER TABLE test_reports FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_tenant_access_test_reports ON test_reports AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
CREATE POLICY permitted_insert_test_reports ON test_reports AS RESTRICTIVE FOR INSERT TO clinic_app WITH CHECK (( SELECT app_may(VARIADIC '{tests.report}'::text[]) AS app_may));
CREATE POLICY permitted_select_test_reports ON test_reports AS RESTRICTIVE FOR SELECT TO clinic_app USING (( SELECT app_may(VARIADIC '{clinical.read}'::text[]) AS app_may));
CREATE POLICY permitted_update_test_reports ON test_reports AS RESTRICTIVE FOR UPDATE TO clinic_app USING (true) WITH CHECK (( SELECT app_may(VARIADIC '{tests.report,tests.verify}'::text[]) AS app_may));
CREATE POLICY tenant_isolation_test_reports ON test_reports AS PERMISSIVE FOR ALL TO clinic_app USING (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (deleted_at IS NULL) AND (EXISTS ( SELECT 1
   FROM diagnostic_tests t
  WHERE ((t.tenant_id = test_reports.tenant_id) AND (t.id = test_reports.diagnostic_test_id)))))) WITH CHECK (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (deleted_at IS NULL)));
GRANT INSERT (tenant_id, id, report_number, diagnostic_test_id, patient_id, findings, interpretation, recommendations, result_values, normal_ranges, abnormal_findings, is_abnormal, is_critical, report_status, reported_by, reported_at, verified_by, verified_at, quality_check_passed, quality_notes, created_at, updated_at, deleted_at) ON test_reports TO clinic_app;
GRANT SELECT ON test_reports TO clinic_app;
GRANT UPDATE (report_number, diagnostic_test_id, patient_id, findings, interpretation, recommendations, result_values, normal_ranges, abnormal_findings, is_abnormal, is_critical, report_status, reported_by, reported_at, verified_by, verified_at, quality_check_passed, quality_notes, updated_at, deleted_at) ON test_reports TO clinic_app;

CREATE TABLE users (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  clinic_id uuid NOT NULL,
  role_id uuid NOT NULL,
  email text NOT NULL,
  password_hash text NOT NULL,
  title text,
  first_name text NOT NULL,
  last_name text NOT NULL,
  phone text,
  date_of_birth date,
  gender text,
  specialization text,
  license_number text,
  qualification text,
  years_of_experience integer,
  consultation_fee numeric(12,2),
  default_slot_minutes integer NOT NULL DEFAULT 15,
  working_hours jsonb,
  calendar_color text,
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  is_active boolean NOT NULL DEFAULT true,
  last_login_at timestamp with time zone,
  failed_login_attempts integer NOT NULL DEFAULT 0,
  locked_until timestamp with time zone,
  password_changed_at timestamp with time zone NOT NULL DEFAULT now(),
  created_at timestamp with time zone NOT NULL DEFAULT now(),
  updated_at timestamp with time zone NOT NULL DEFAULT now(),
  deleted_at timestamp with time zone,
  password_change_required boolean NOT NULL DEFAULT false,
  CONSTRAINT users_calendar_color_check CHECK ((calendar_color ~ '^#[0-9a-fA-F]{6}$'::text)),
  CONSTRAINT users_consultation_fee_check CHECK ((consultation_fee >= (0)::numeric)),
  CONSTRAINT users_default_slot_minutes_check CHECK (((default_slot_minutes >= 5) AND (default_slot_minutes <= 240))),
  CONSTRAINT users_email_check CHECK ((email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'::text)),
  CONSTRAINT users_failed_login_attempts_check CHECK ((failed_login_attempts >= 0)),
  CONSTRAINT users_first_name_check CHECK (((length(btrim(first_name)) >= 1) AND (length(btrim(first_name)) <= 100))),
  CONSTRAINT users_gender_check CHECK ((gender = ANY (ARRAY['Male'::text, 'Female'::text, 'Other'::text, 'Unknown'::text]))),
  CONSTRAINT users_last_name_check CHECK (((length(btrim(last_name)) >= 1) AND (length(btrim(last_name)) <= 100))),
  CONSTRAINT users_password_hash_check CHECK ((password_hash ~~ 'scrypt$%'::text)),
  CONSTRAINT users_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT users_settings_check CHECK ((jsonb_typeof(settings) = 'object'::text)),
  CONSTRAINT users_tenant_id_clinic_id_fkey FOREIGN KEY (tenant_id, clinic_id) REFERENCES clinics(tenant_id, id),
  CONSTRAINT users_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id),
  CONSTRAINT users_tenant_id_role_id_fkey FOREIGN KEY (tenant_id, role_id) REFERENCES roles(tenant_id, id),
  CONSTRAINT users_working_hours_check CHECK (((working_hours IS NULL) OR (jsonb_typeof(working_hours) = 'object'::text))),
  CONSTRAINT users_years_of_experience_check CHECK (((years_of_experience >= 0) AND (years_of_experience <= 80)))
);
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_tenant_access_users ON users AS PERMISSIVE FOR ALL TO postgres USING ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id))) WITH CHECK ((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)));
CREATE POLICY permitted_insert_users ON users AS RESTRICTIVE FOR INSERT TO clinic_app WITH CHECK (( SELECT app_may(VARIADIC '{admin.users}'::text[]) AS app_may));
CREATE POLICY permitted_update_users ON users AS RESTRICTIVE FOR UPDATE TO clinic_app USING (true) WITH CHECK (( SELECT app_may(VARIADIC '{admin.users}'::text[]) AS app_may));
CREATE POLICY tenant_isolation_users ON users AS PERMISSIVE FOR ALL TO clinic_app USING (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (deleted_at IS NULL))) WITH CHECK (((tenant_id = ( SELECT current_tenant_id() AS current_tenant_id)) AND (deleted_at IS NULL)));
GRANT INSERT (tenant_id, id, clinic_id, role_id, email, password_hash, title, first_name, last_name, phone, date_of_birth, gender, specialization, license_number, qualification, years_of_experience, consultation_fee, default_slot_minutes, working_hours, calendar_color, settings, is_active) ON users TO clinic_app;
GRANT SELECT (tenant_id, id, clinic_id, role_id, email, title, first_name, last_name, phone, date_of_birth, gender, specialization, license_number, qualification, years_of_experience, consultation_fee, default_slot_minutes, working_hours, calendar_color, settings, is_active, last_login_at, locked_until, password_changed_at, created_at, updated_at, deleted_at, password_change_required) ON users TO clinic_app;
GRANT UPDATE (clinic_id, role_id, email, title, first_name, last_name, phone, date_of_birth, gender, specialization, license_number, qualification, years_of_experience, consultation_fee, default_slot_minutes, working_hours, calendar_color, settings, is_active) ON users TO clinic_app;

CREATE INDEX idx_activity_logs_entity ON public.activity_logs USING btree (tenant_id, entity_type, entity_id, created_at DESC);
CREATE INDEX idx_activity_logs_type_time ON public.activity_logs USING btree (tenant_id, activity_type, created_at DESC);
CREATE INDEX idx_activity_logs_user_time ON public.activity_logs USING btree (tenant_id, user_id, created_at DESC);
CREATE INDEX idx_appointments_clinic_day ON public.appointments USING btree (tenant_id, clinic_id, starts_at);
CREATE INDEX idx_appointments_doctor_day ON public.appointments USING btree (tenant_id, doctor_id, starts_at);
CREATE INDEX idx_appointments_patient_id ON public.appointments USING btree (tenant_id, patient_id, starts_at DESC);
CREATE INDEX idx_appointments_status ON public.appointments USING btree (tenant_id, status, starts_at) WHERE (deleted_at IS NULL);
CREATE INDEX idx_audit_logs_record ON public.audit_logs USING btree (tenant_id, record_id, created_at DESC);
CREATE INDEX idx_audit_logs_table_time ON public.audit_logs USING btree (tenant_id, table_name, created_at DESC);
CREATE INDEX idx_audit_logs_user ON public.audit_logs USING btree (tenant_id, user_id, created_at DESC);
CREATE INDEX idx_diagnostic_tests_appointment ON public.diagnostic_tests USING btree (tenant_id, appointment_id);
CREATE INDEX idx_diagnostic_tests_doctor ON public.diagnostic_tests USING btree (tenant_id, doctor_id, ordered_at DESC);
CREATE INDEX idx_diagnostic_tests_open ON public.diagnostic_tests USING btree (tenant_id, status) WHERE ((deleted_at IS NULL) AND (status <> ALL (ARRAY['completed'::text, 'verified'::text, 'cancelled'::text])));
CREATE INDEX idx_diagnostic_tests_patient ON public.diagnostic_tests USING btree (tenant_id, patient_id, ordered_at DESC);
CREATE INDEX idx_documents_appointment ON public.documents USING btree (tenant_id, appointment_id);
CREATE INDEX idx_documents_patient ON public.documents USING btree (tenant_id, patient_id, created_at DESC);
CREATE INDEX idx_documents_previous ON public.documents USING btree (tenant_id, previous_version_id);
CREATE INDEX idx_documents_user ON public.documents USING btree (tenant_id, user_id);
CREATE INDEX idx_invoices_appointment ON public.invoices USING btree (tenant_id, appointment_id);
CREATE INDEX idx_invoices_credited ON public.invoices USING btree (tenant_id, credited_invoice_id) WHERE (credited_invoice_id IS NOT NULL);
CREATE INDEX idx_invoices_date ON public.invoices USING btree (tenant_id, invoice_date);
CREATE INDEX idx_invoices_issued ON public.invoices USING btree (tenant_id, clinic_id, issued_at) WHERE ((status <> 'draft'::text) AND (deleted_at IS NULL));
CREATE INDEX idx_invoices_open ON public.invoices USING btree (tenant_id, due_date) WHERE ((deleted_at IS NULL) AND (status = ANY (ARRAY['issued'::text, 'partially_paid'::text, 'overdue'::text])));
CREATE INDEX idx_invoices_patient ON public.invoices USING btree (tenant_id, patient_id, invoice_date DESC);
CREATE UNIQUE INDEX invoices_number_per_clinic ON public.invoices USING btree (tenant_id, clinic_id, invoice_number);
CREATE UNIQUE INDEX invoices_one_per_visit ON public.invoices USING btree (tenant_id, appointment_id) WHERE ((kind = 'invoice'::text) AND (status <> 'cancelled'::text) AND (deleted_at IS NULL) AND (appointment_id IS NOT NULL));
CREATE INDEX idx_medical_record_addenda_doctor ON public.medical_record_addenda USING btree (tenant_id, doctor_id);
CREATE INDEX idx_medical_record_addenda_record ON public.medical_record_addenda USING btree (tenant_id, medical_record_id, created_at);
CREATE INDEX idx_medical_record_addenda_written_by ON public.medical_record_addenda USING btree (tenant_id, written_by);
CREATE INDEX idx_medical_records_appointment ON public.medical_records USING btree (tenant_id, appointment_id);
CREATE INDEX idx_medical_records_doctor ON public.medical_records USING btree (tenant_id, doctor_id, record_date DESC);
CREATE INDEX idx_medical_records_patient ON public.medical_records USING btree (tenant_id, patient_id, record_date DESC);
CREATE INDEX idx_note_templates_active ON public.note_templates USING btree (tenant_id, is_active);
CREATE INDEX idx_note_templates_created_by ON public.note_templates USING btree (tenant_id, created_by);
CREATE INDEX idx_notifications_due ON public.notifications USING btree (tenant_id, scheduled_for) WHERE ((sent_at IS NULL) AND (deleted_at IS NULL));
CREATE INDEX idx_notifications_related ON public.notifications USING btree (tenant_id, related_entity_type, related_entity_id);
CREATE INDEX idx_notifications_user_unread ON public.notifications USING btree (tenant_id, user_id, created_at DESC) WHERE ((NOT is_read) AND (deleted_at IS NULL));
CREATE INDEX idx_patient_name_words_word ON public.patient_name_words USING btree (tenant_id, word) INCLUDE (patient_id, all_words);
CREATE INDEX idx_patients_active ON public.patients USING btree (tenant_id) WHERE (deleted_at IS NULL);
CREATE INDEX idx_patients_missing_phone_keys ON public.patients USING btree (tenant_id) WHERE (((phone IS NOT NULL) AND (phone_e164 IS NULL)) OR ((alternate_phone IS NOT NULL) AND (alternate_phone_e164 IS NULL)));
CREATE INDEX idx_patients_tenant_alternate_phone_e164 ON public.patients USING btree (tenant_id, alternate_phone_e164) WHERE (alternate_phone_e164 IS NOT NULL);
CREATE INDEX idx_patients_tenant_alternate_phone_e164_reversed ON public.patients USING btree (tenant_id, alternate_phone_e164_reversed) WHERE (alternate_phone_e164_reversed IS NOT NULL);
CREATE INDEX idx_patients_tenant_clinic ON public.patients USING btree (tenant_id, clinic_id);
CREATE INDEX idx_patients_tenant_dob ON public.patients USING btree (tenant_id, date_of_birth);
CREATE INDEX idx_patients_tenant_name ON public.patients USING btree (tenant_id, first_name, last_name);
CREATE INDEX idx_patients_tenant_name_key ON public.patients USING btree (tenant_id, name_key);
CREATE INDEX idx_patients_tenant_name_key_last_first ON public.patients USING btree (tenant_id, name_key_last_first);
CREATE INDEX idx_patients_tenant_pcp ON public.patients USING btree (tenant_id, primary_care_physician_id) WHERE (primary_care_physician_id IS NOT NULL);
CREATE INDEX idx_patients_tenant_phone_e164 ON public.patients USING btree (tenant_id, phone_e164) WHERE (phone_e164 IS NOT NULL);
CREATE INDEX idx_patients_tenant_phone_e164_reversed ON public.patients USING btree (tenant_id, phone_e164_reversed) WHERE (phone_e164_reversed IS NOT NULL);
CREATE INDEX idx_payments_invoice ON public.payments USING btree (tenant_id, invoice_id);
CREATE INDEX idx_payments_paid_at ON public.payments USING btree (tenant_id, paid_at);
CREATE INDEX idx_payments_patient ON public.payments USING btree (tenant_id, patient_id, paid_at DESC);
CREATE INDEX idx_prescriptions_active ON public.prescriptions USING btree (tenant_id, patient_id) WHERE ((status = 'active'::text) AND (deleted_at IS NULL));
CREATE INDEX idx_prescriptions_appointment ON public.prescriptions USING btree (tenant_id, appointment_id);
CREATE INDEX idx_prescriptions_doctor ON public.prescriptions USING btree (tenant_id, doctor_id, prescribed_at DESC);
CREATE INDEX idx_prescriptions_patient ON public.prescriptions USING btree (tenant_id, patient_id, prescribed_at DESC);
CREATE INDEX idx_prescriptions_record ON public.prescriptions USING btree (tenant_id, medical_record_id);
CREATE INDEX idx_price_list_appointment_type ON public.price_list USING btree (tenant_id, clinic_id, appointment_type) WHERE (appointment_type IS NOT NULL);
CREATE INDEX idx_price_list_test_code ON public.price_list USING btree (tenant_id, clinic_id, test_code) WHERE (test_code IS NOT NULL);
CREATE INDEX idx_refunds_payment ON public.refunds USING btree (tenant_id, payment_id);
CREATE INDEX idx_refunds_refunded_at ON public.refunds USING btree (tenant_id, refunded_at);
CREATE INDEX idx_test_reports_abnormal ON public.test_reports USING btree (tenant_id, created_at DESC) WHERE (is_abnormal AND (deleted_at IS NULL));
CREATE INDEX idx_test_reports_patient ON public.test_reports USING btree (tenant_id, patient_id, created_at DESC);
CREATE INDEX idx_test_reports_reported_by ON public.test_reports USING btree (tenant_id, reported_by);
CREATE INDEX idx_test_reports_test ON public.test_reports USING btree (tenant_id, diagnostic_test_id);
CREATE INDEX idx_test_reports_verified_by ON public.test_reports USING btree (tenant_id, verified_by);
CREATE INDEX idx_users_tenant_clinic ON public.users USING btree (tenant_id, clinic_id);
CREATE INDEX idx_users_tenant_role ON public.users USING btree (tenant_id, role_id);
CREATE UNIQUE INDEX users_tenant_email_key ON public.users USING btree (tenant_id, lower(email)) WHERE (deleted_at IS NULL);

CREATE TRIGGER audit_appointment_type_durations AFTER INSERT OR DELETE OR UPDATE ON public.appointment_type_durations FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER default_clinic_id BEFORE INSERT ON public.appointment_type_durations FOR EACH ROW EXECUTE FUNCTION default_clinic_id();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.appointment_type_durations FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER assign_appointment_number BEFORE INSERT ON public.appointments FOR EACH ROW EXECUTE FUNCTION assign_record_number('appointment_number', 'APT', 'yearly');
CREATE TRIGGER audit_appointments AFTER INSERT OR DELETE OR UPDATE ON public.appointments FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER check_appointment_status_change BEFORE UPDATE OF status ON public.appointments FOR EACH ROW EXECUTE FUNCTION check_appointment_status_change();
CREATE TRIGGER default_clinic_id BEFORE INSERT ON public.appointments FOR EACH ROW EXECUTE FUNCTION default_clinic_id();
CREATE TRIGGER keep_assign_appointment_number BEFORE UPDATE OF appointment_number ON public.appointments FOR EACH ROW EXECUTE FUNCTION assign_record_number('appointment_number', 'APT', 'yearly');
CREATE TRIGGER protect_consultation BEFORE UPDATE ON public.appointments FOR EACH ROW EXECUTE FUNCTION protect_consultation();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.appointments FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER stamp_author BEFORE INSERT ON public.appointments FOR EACH ROW EXECUTE FUNCTION stamp_author('created_by');
CREATE TRIGGER audit_cash_ups AFTER INSERT OR DELETE OR UPDATE ON public.cash_ups FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER count_till BEFORE INSERT OR UPDATE ON public.cash_ups FOR EACH ROW EXECUTE FUNCTION count_till();
CREATE TRIGGER default_clinic_id BEFORE INSERT ON public.cash_ups FOR EACH ROW EXECUTE FUNCTION default_clinic_id();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.cash_ups FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER audit_clinics AFTER INSERT OR DELETE OR UPDATE ON public.clinics FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER check_clinic_timezone BEFORE INSERT OR UPDATE OF timezone ON public.clinics FOR EACH ROW EXECUTE FUNCTION check_clinic_timezone();
CREATE TRIGGER seed_appointment_type_durations AFTER INSERT ON public.clinics FOR EACH ROW EXECUTE FUNCTION seed_appointment_type_durations();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.clinics FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER assign_test_number BEFORE INSERT ON public.diagnostic_tests FOR EACH ROW EXECUTE FUNCTION assign_record_number('test_number', 'TST', 'yearly');
CREATE TRIGGER audit_diagnostic_tests AFTER INSERT OR DELETE OR UPDATE ON public.diagnostic_tests FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER check_test_status_change BEFORE INSERT OR UPDATE ON public.diagnostic_tests FOR EACH ROW EXECUTE FUNCTION check_test_status_change();
CREATE TRIGGER default_clinic_id BEFORE INSERT ON public.diagnostic_tests FOR EACH ROW EXECUTE FUNCTION default_clinic_id();
CREATE TRIGGER keep_assign_test_number BEFORE UPDATE OF test_number ON public.diagnostic_tests FOR EACH ROW EXECUTE FUNCTION assign_record_number('test_number', 'TST', 'yearly');
CREATE TRIGGER keep_test_confidentiality BEFORE UPDATE OF is_confidential ON public.diagnostic_tests FOR EACH ROW EXECUTE FUNCTION keep_test_confidentiality();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.diagnostic_tests FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER audit_documents AFTER INSERT OR DELETE OR UPDATE ON public.documents FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER record_first_document_version AFTER INSERT ON public.documents FOR EACH ROW EXECUTE FUNCTION record_first_document_version();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.documents FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER stamp_author BEFORE INSERT ON public.documents FOR EACH ROW EXECUTE FUNCTION stamp_author('user_id');
CREATE TRIGGER audit_invoices AFTER INSERT OR DELETE OR UPDATE ON public.invoices FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER default_clinic_id BEFORE INSERT ON public.invoices FOR EACH ROW EXECUTE FUNCTION default_clinic_id();
CREATE TRIGGER guard_invoice_edits BEFORE INSERT OR UPDATE ON public.invoices FOR EACH ROW EXECUTE FUNCTION guard_invoice_edits();
CREATE TRIGGER keep_assign_invoice_number BEFORE UPDATE OF invoice_number ON public.invoices FOR EACH ROW EXECUTE FUNCTION assign_record_number('invoice_number', 'INV', 'yearly');
CREATE TRIGGER number_invoice BEFORE INSERT OR UPDATE OF status ON public.invoices FOR EACH ROW EXECUTE FUNCTION number_invoice();
CREATE TRIGGER price_invoice_lines BEFORE INSERT OR UPDATE ON public.invoices FOR EACH ROW EXECUTE FUNCTION price_invoice_lines();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.invoices FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER settle_credited_invoice AFTER INSERT ON public.invoices FOR EACH ROW WHEN ((new.kind = 'credit_note'::text)) EXECUTE FUNCTION settle_credited_invoice();
CREATE TRIGGER stamp_author BEFORE INSERT ON public.invoices FOR EACH ROW EXECUTE FUNCTION stamp_author('created_by');
CREATE TRIGGER validate_credit_note BEFORE INSERT ON public.invoices FOR EACH ROW EXECUTE FUNCTION validate_credit_note();
CREATE TRIGGER attach_addendum BEFORE INSERT ON public.medical_record_addenda FOR EACH ROW EXECUTE FUNCTION attach_addendum();
CREATE TRIGGER audit_medical_record_addenda AFTER INSERT OR DELETE OR UPDATE ON public.medical_record_addenda FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER audit_medical_records AFTER INSERT OR DELETE OR UPDATE ON public.medical_records FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER lock_signed_note BEFORE INSERT OR UPDATE ON public.medical_records FOR EACH ROW EXECUTE FUNCTION lock_signed_note();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.medical_records FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER stamp_author BEFORE INSERT ON public.medical_records FOR EACH ROW EXECUTE FUNCTION stamp_author('doctor_id');
CREATE TRIGGER audit_note_templates AFTER INSERT OR DELETE OR UPDATE ON public.note_templates FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.note_templates FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER stamp_author BEFORE INSERT ON public.note_templates FOR EACH ROW EXECUTE FUNCTION stamp_author('created_by');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.notifications FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER assign_patient_number BEFORE INSERT ON public.patients FOR EACH ROW WHEN (((COALESCE(new.patient_number, ''::text) = ''::text) OR (NOT guard_passed('patients'::regclass, 'assign_patient_number'::name)))) EXECUTE FUNCTION assign_record_number('patient_number', 'P', 'running');
CREATE TRIGGER audit_new_patients AFTER INSERT ON public.patients REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT WHEN ((NOT guard_passed('patients'::regclass, 'audit_new_patients'::name))) EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER audit_patients AFTER DELETE OR UPDATE ON public.patients FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER default_clinic_id BEFORE INSERT ON public.patients FOR EACH ROW WHEN ((new.clinic_id IS NULL)) EXECUTE FUNCTION default_clinic_id();
CREATE TRIGGER forget_deleted_patient_names AFTER DELETE ON public.patients REFERENCING OLD TABLE AS gone_patients FOR EACH STATEMENT EXECUTE FUNCTION forget_deleted_patient_names();
CREATE TRIGGER forget_stale_phone_keys BEFORE UPDATE OF phone, alternate_phone ON public.patients FOR EACH ROW EXECUTE FUNCTION forget_stale_phone_keys();
CREATE TRIGGER forget_truncated_patient_names AFTER TRUNCATE ON public.patients FOR EACH STATEMENT EXECUTE FUNCTION forget_deleted_patient_names();
CREATE TRIGGER index_new_patient_names AFTER INSERT ON public.patients REFERENCING NEW TABLE AS new_patients FOR EACH STATEMENT EXECUTE FUNCTION index_new_patient_names();
ALTER TABLE patients ENABLE ALWAYS TRIGGER index_new_patient_names;
CREATE TRIGGER index_patient_name AFTER UPDATE OF first_name, middle_name, last_name ON public.patients FOR EACH ROW EXECUTE FUNCTION index_patient_name();
CREATE TRIGGER keep_assign_patient_number BEFORE UPDATE OF patient_number ON public.patients FOR EACH ROW EXECUTE FUNCTION assign_record_number('patient_number', 'P', 'running');
CREATE TRIGGER protect_clinical_background BEFORE UPDATE OF allergies, medical_history, current_medications, alerts ON public.patients FOR EACH ROW EXECUTE FUNCTION protect_clinical_background();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.patients FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER stamp_author BEFORE INSERT ON public.patients FOR EACH ROW WHEN (((new.created_by IS NULL) OR (NOT guard_passed('patients'::regclass, 'stamp_author'::name)))) EXECUTE FUNCTION stamp_author('created_by');
CREATE TRIGGER apply_payments_to_invoice AFTER INSERT OR UPDATE ON public.payments FOR EACH ROW EXECUTE FUNCTION apply_payments_to_invoice();
CREATE TRIGGER assign_payment_number BEFORE INSERT ON public.payments FOR EACH ROW EXECUTE FUNCTION assign_record_number('payment_number', 'PAY', 'yearly');
CREATE TRIGGER audit_payments AFTER INSERT OR DELETE OR UPDATE ON public.payments FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER check_payment BEFORE INSERT ON public.payments FOR EACH ROW EXECUTE FUNCTION check_payment();
CREATE TRIGGER guard_payment_edits BEFORE UPDATE ON public.payments FOR EACH ROW EXECUTE FUNCTION guard_payment_edits();
CREATE TRIGGER keep_assign_payment_number BEFORE UPDATE OF payment_number ON public.payments FOR EACH ROW EXECUTE FUNCTION assign_record_number('payment_number', 'PAY', 'yearly');
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.payments FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER stamp_author BEFORE INSERT ON public.payments FOR EACH ROW EXECUTE FUNCTION stamp_author('received_by');
CREATE TRIGGER audit_prescriptions AFTER INSERT OR DELETE OR UPDATE ON public.prescriptions FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER require_discontinued_reason BEFORE INSERT OR UPDATE OF status, discontinued_reason ON public.prescriptions FOR EACH ROW EXECUTE FUNCTION require_discontinued_reason();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.prescriptions FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER stamp_author BEFORE INSERT ON public.prescriptions FOR EACH ROW EXECUTE FUNCTION stamp_author('doctor_id');
CREATE TRIGGER audit_price_list AFTER INSERT OR DELETE OR UPDATE ON public.price_list FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER default_clinic_id BEFORE INSERT ON public.price_list FOR EACH ROW EXECUTE FUNCTION default_clinic_id();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.price_list FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER apply_refund AFTER INSERT ON public.refunds FOR EACH ROW EXECUTE FUNCTION apply_refund();
CREATE TRIGGER assign_refund_number BEFORE INSERT ON public.refunds FOR EACH ROW EXECUTE FUNCTION assign_record_number('refund_number', 'RFD', 'yearly');
CREATE TRIGGER audit_refunds AFTER INSERT OR DELETE OR UPDATE ON public.refunds FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER check_refund BEFORE INSERT ON public.refunds FOR EACH ROW EXECUTE FUNCTION check_refund();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.refunds FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER stamp_author BEFORE INSERT ON public.refunds FOR EACH ROW EXECUTE FUNCTION stamp_author('refunded_by');
CREATE TRIGGER audit_roles AFTER INSERT OR DELETE OR UPDATE ON public.roles FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER keep_an_administrator AFTER UPDATE OF permissions, is_active, deleted_at ON public.roles FOR EACH ROW EXECUTE FUNCTION keep_an_administrator();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.roles FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.tenants FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER assign_report_number BEFORE INSERT ON public.test_reports FOR EACH ROW EXECUTE FUNCTION assign_record_number('report_number', 'RPT', 'yearly');
CREATE TRIGGER audit_test_reports AFTER INSERT OR DELETE OR UPDATE ON public.test_reports FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER follow_report AFTER INSERT OR UPDATE ON public.test_reports FOR EACH ROW EXECUTE FUNCTION follow_report();
CREATE TRIGGER keep_assign_report_number BEFORE UPDATE OF report_number ON public.test_reports FOR EACH ROW EXECUTE FUNCTION assign_record_number('report_number', 'RPT', 'yearly');
CREATE TRIGGER protect_verification BEFORE UPDATE ON public.test_reports FOR EACH ROW EXECUTE FUNCTION protect_verification();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.test_reports FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER stamp_author BEFORE INSERT ON public.test_reports FOR EACH ROW EXECUTE FUNCTION stamp_author('reported_by');
CREATE TRIGGER verify_by_second_person BEFORE INSERT OR UPDATE ON public.test_reports FOR EACH ROW EXECUTE FUNCTION keep_report_honest();
CREATE TRIGGER audit_users AFTER INSERT OR DELETE OR UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER default_clinic_id BEFORE INSERT ON public.users FOR EACH ROW EXECUTE FUNCTION default_clinic_id();
CREATE TRIGGER end_staff_login AFTER UPDATE OF is_active, deleted_at ON public.users FOR EACH ROW EXECUTE FUNCTION end_staff_login();
CREATE TRIGGER keep_an_administrator AFTER UPDATE OF role_id, is_active, deleted_at ON public.users FOR EACH ROW EXECUTE FUNCTION keep_an_administrator();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE VIEW appointment_calendar WITH (security_invoker=true) AS
 SELECT a.id,
    a.clinic_id,
    a.appointment_number,
    a.patient_id,
    COALESCE(((p.first_name || ' '::text) || p.last_name), 'Archived patient'::text) AS patient_name,
    COALESCE(p.patient_number, ''::text) AS patient_number,
    a.doctor_id,
    doctor_display_name(u.title, u.first_name, u.last_name) AS doctor_name,
    a.starts_at,
    a.ends_at,
    to_char((a.starts_at AT TIME ZONE c.timezone), 'YYYY-MM-DD'::text) AS local_date,
    to_char((a.starts_at AT TIME ZONE c.timezone), 'HH24:MI'::text) AS local_start,
    to_char((a.ends_at AT TIME ZONE c.timezone), 'HH24:MI'::text) AS local_end,
    a.duration_minutes,
    a.status,
    a.appointment_type,
    a.is_walk_in,
    a.reason,
    COALESCE((jsonb_array_length(p.allergies) > 0), false) AS has_allergies,
    a.checked_in_at,
    c.timezone
   FROM (((appointments a
     JOIN clinics c ON (((c.tenant_id = a.tenant_id) AND (c.id = a.clinic_id))))
     JOIN users u ON (((u.tenant_id = a.tenant_id) AND (u.id = a.doctor_id))))
     LEFT JOIN patients p ON (((p.tenant_id = a.tenant_id) AND (p.id = a.patient_id))));
GRANT SELECT ON appointment_calendar TO clinic_app;

CREATE VIEW appointment_status_transitions AS
 SELECT column1 AS from_status,
    column2 AS to_status
   FROM (VALUES ('scheduled'::text,'confirmed'::text), ('scheduled'::text,'checked_in'::text), ('scheduled'::text,'cancelled'::text), ('scheduled'::text,'no_show'::text), ('confirmed'::text,'checked_in'::text), ('confirmed'::text,'cancelled'::text), ('confirmed'::text,'no_show'::text), ('checked_in'::text,'in_progress'::text), ('checked_in'::text,'cancelled'::text), ('in_progress'::text,'completed'::text)) "*VALUES*";
GRANT SELECT ON appointment_status_transitions TO clinic_app;

CREATE VIEW chart_timeline WITH (security_invoker=true) AS
 SELECT m.patient_id,
    'note'::text AS kind,
    m.id,
    m.record_date AS occurred_at,
    COALESCE(NULLIF(btrim(m.assessment), ''::text), NULLIF(btrim(m.chief_complaint), ''::text), 'Consultation note'::text) AS title,
    NULLIF(btrim(m.treatment_plan), ''::text) AS detail,
        CASE
            WHEN (m.signed_at IS NULL) THEN 'draft'::text
            ELSE 'signed'::text
        END AS status,
    m.is_confidential,
    m.doctor_id AS author_id
   FROM medical_records m
UNION ALL
 SELECT p.patient_id,
    'prescription'::text AS kind,
    p.id,
    p.prescribed_at AS occurred_at,
    (p.medication_name || COALESCE((' '::text || p.strength), ''::text)) AS title,
    ((p.dosage || ', '::text) || p.frequency) AS detail,
    p.status,
    false AS is_confidential,
    p.doctor_id AS author_id
   FROM prescriptions p
UNION ALL
 SELECT t.patient_id,
    'test'::text AS kind,
    t.id,
    t.ordered_at AS occurred_at,
    t.test_name AS title,
    ( SELECT
                CASE
                    WHEN r.is_critical THEN 'Critical result'::text
                    WHEN r.is_abnormal THEN 'Abnormal result'::text
                    ELSE NULL::text
                END AS "case"
           FROM test_reports r
          WHERE ((r.tenant_id = t.tenant_id) AND (r.diagnostic_test_id = t.id))
          ORDER BY r.created_at DESC
         LIMIT 1) AS detail,
    t.status,
    t.is_confidential,
    t.doctor_id AS author_id
   FROM diagnostic_tests t
UNION ALL
 SELECT d.patient_id,
    'document'::text AS kind,
    d.id,
    d.created_at AS occurred_at,
    d.title,
    d.document_type AS detail,
    'filed'::text AS status,
    d.is_confidential,
    d.user_id AS author_id
   FROM documents d
  WHERE (d.patient_id IS NOT NULL);
GRANT SELECT ON chart_timeline TO clinic_app;

CREATE VIEW clinic_doctors WITH (security_invoker=true) AS
 SELECT u.id,
    u.clinic_id,
    doctor_display_name(u.title, u.first_name, u.last_name) AS name,
    u.specialization,
    u.default_slot_minutes,
    u.calendar_color,
    u.working_hours,
    fold_text(((u.last_name || ' '::text) || u.first_name)) AS sort_key
   FROM (users u
     JOIN roles r ON (((r.tenant_id = u.tenant_id) AND (r.id = u.role_id) AND (r.name = 'doctor'::text) AND r.is_active)))
  WHERE u.is_active;
GRANT SELECT ON clinic_doctors TO clinic_app;

CREATE VIEW diagnostic_test_status_transitions AS
 SELECT column1 AS from_status,
    column2 AS to_status,
    column3 AS permission
   FROM (VALUES ('ordered'::text,'sample_collected'::text,'tests.report'::text), ('sample_collected'::text,'in_progress'::text,'tests.report'::text), ('in_progress'::text,'completed'::text,'tests.report'::text), ('completed'::text,'verified'::text,'tests.verify'::text), ('ordered'::text,'cancelled'::text,'tests.order'::text), ('sample_collected'::text,'cancelled'::text,'tests.order'::text), ('in_progress'::text,'cancelled'::text,'tests.order'::text)) "*VALUES*";
GRANT SELECT ON diagnostic_test_status_transitions TO clinic_app;

CREATE VIEW doctor_summary WITH (security_invoker=true) AS
 SELECT u.tenant_id,
    u.id AS doctor_id,
    ((u.first_name || ' '::text) || u.last_name) AS doctor_name,
    u.specialization,
    u.consultation_fee,
    COALESCE(a.total_appointments, (0)::bigint) AS total_appointments,
    COALESCE(a.completed_appointments, (0)::bigint) AS completed_appointments,
    COALESCE(a.cancelled_appointments, (0)::bigint) AS cancelled_appointments,
    COALESCE(a.no_show_appointments, (0)::bigint) AS no_show_appointments,
    COALESCE(a.appointments_today, (0)::bigint) AS appointments_today,
    COALESCE(a.unique_patients, (0)::bigint) AS unique_patients,
    COALESCE(t.tests_ordered, (0)::bigint) AS tests_ordered,
    COALESCE(rx.prescriptions_written, (0)::bigint) AS prescriptions_written,
    (COALESCE(b.revenue_invoiced, (0)::numeric))::numeric(12,2) AS revenue_invoiced,
    (COALESCE(b.revenue_collected, (0)::numeric))::numeric(12,2) AS revenue_collected
   FROM (((((users u
     JOIN roles r ON (((r.tenant_id = u.tenant_id) AND (r.id = u.role_id) AND (r.name = 'doctor'::text))))
     LEFT JOIN LATERAL ( SELECT count(*) AS total_appointments,
            count(*) FILTER (WHERE (appointments.status = 'completed'::text)) AS completed_appointments,
            count(*) FILTER (WHERE (appointments.status = 'cancelled'::text)) AS cancelled_appointments,
            count(*) FILTER (WHERE (appointments.status = 'no_show'::text)) AS no_show_appointments,
            count(*) FILTER (WHERE ((appointments.starts_at >= date_trunc('day'::text, now())) AND (appointments.starts_at < (date_trunc('day'::text, now()) + '1 day'::interval)))) AS appointments_today,
            count(DISTINCT appointments.patient_id) AS unique_patients
           FROM appointments
          WHERE ((appointments.tenant_id = u.tenant_id) AND (appointments.doctor_id = u.id))) a ON (true))
     LEFT JOIN LATERAL ( SELECT count(*) AS tests_ordered
           FROM diagnostic_tests
          WHERE ((diagnostic_tests.tenant_id = u.tenant_id) AND (diagnostic_tests.doctor_id = u.id))) t ON (true))
     LEFT JOIN LATERAL ( SELECT count(*) AS prescriptions_written
           FROM prescriptions
          WHERE ((prescriptions.tenant_id = u.tenant_id) AND (prescriptions.doctor_id = u.id))) rx ON (true))
     LEFT JOIN LATERAL ( SELECT sum(i.total_amount) AS revenue_invoiced,
            sum(i.amount_paid) AS revenue_collected
           FROM (invoices i
             JOIN appointments ap ON (((ap.tenant_id = i.tenant_id) AND (ap.id = i.appointment_id))))
          WHERE ((i.tenant_id = u.tenant_id) AND (ap.doctor_id = u.id) AND (i.status <> 'cancelled'::text))) b ON (true));
GRANT SELECT ON doctor_summary TO clinic_app;

CREATE VIEW monitoring_query_stats AS
 SELECT NULL::text AS query,
    NULL::bigint AS calls,
    NULL::numeric AS total_ms,
    NULL::numeric AS mean_ms,
    NULL::numeric AS max_ms,
    NULL::bigint AS rows,
    ('pg_stat_statements is not available on this server: add it to shared_preload_libraries and run '::text || 'CREATE EXTENSION pg_stat_statements (the embedded offline database cannot load it)'::text) AS note;


CREATE VIEW patient_summary WITH (security_invoker=true) AS
 SELECT p.tenant_id,
    p.id AS patient_id,
    p.patient_number,
    p.first_name,
    p.last_name,
    ((p.first_name || ' '::text) || p.last_name) AS full_name,
    p.date_of_birth,
    (EXTRACT(year FROM age((CURRENT_DATE)::timestamp with time zone, (p.date_of_birth)::timestamp with time zone)))::integer AS age,
    p.gender,
    p.phone,
    p.email,
    jsonb_array_length(p.allergies) AS allergy_count,
    COALESCE(a.total_appointments, (0)::bigint) AS total_appointments,
    COALESCE(a.completed_appointments, (0)::bigint) AS completed_appointments,
    COALESCE(a.missed_appointments, (0)::bigint) AS missed_appointments,
    a.last_visit_at,
    a.next_appointment_at,
    (COALESCE(b.total_invoiced, (0)::numeric))::numeric(12,2) AS total_invoiced,
    (COALESCE(b.total_paid, (0)::numeric))::numeric(12,2) AS total_paid,
    (COALESCE(b.outstanding_balance, (0)::numeric))::numeric(12,2) AS outstanding_balance,
    COALESCE(rx.active_prescriptions, (0)::bigint) AS active_prescriptions,
    COALESCE(t.pending_tests, (0)::bigint) AS pending_tests,
    p.created_at AS registered_at
   FROM ((((patients p
     LEFT JOIN LATERAL ( SELECT count(*) AS total_appointments,
            count(*) FILTER (WHERE (appointments.status = 'completed'::text)) AS completed_appointments,
            count(*) FILTER (WHERE (appointments.status = 'no_show'::text)) AS missed_appointments,
            max(appointments.starts_at) FILTER (WHERE (appointments.status = 'completed'::text)) AS last_visit_at,
            min(appointments.starts_at) FILTER (WHERE ((appointments.starts_at > now()) AND (appointments.status = ANY (ARRAY['scheduled'::text, 'confirmed'::text])))) AS next_appointment_at
           FROM appointments
          WHERE ((appointments.tenant_id = p.tenant_id) AND (appointments.patient_id = p.id))) a ON (true))
     LEFT JOIN LATERAL ( SELECT sum((invoices.total_amount - invoices.amount_credited)) AS total_invoiced,
            sum(invoices.amount_paid) AS total_paid,
            sum(invoices.balance_due) FILTER (WHERE (invoices.status <> 'draft'::text)) AS outstanding_balance
           FROM invoices
          WHERE ((invoices.tenant_id = p.tenant_id) AND (invoices.patient_id = p.id) AND (invoices.status <> 'cancelled'::text) AND (invoices.kind = 'invoice'::text))) b ON (true))
     LEFT JOIN LATERAL ( SELECT count(*) AS active_prescriptions
           FROM prescriptions
          WHERE ((prescriptions.tenant_id = p.tenant_id) AND (prescriptions.patient_id = p.id) AND (prescriptions.status = 'active'::text))) rx ON (true))
     LEFT JOIN LATERAL ( SELECT count(*) AS pending_tests
           FROM diagnostic_tests
          WHERE ((diagnostic_tests.tenant_id = p.tenant_id) AND (diagnostic_tests.patient_id = p.id) AND (diagnostic_tests.status <> ALL (ARRAY['completed'::text, 'cancelled'::text])))) t ON (true));
GRANT SELECT ON patient_summary TO clinic_app;

CREATE VIEW revenue_summary WITH (security_invoker=true) AS
 SELECT tenant_id,
    clinic_id,
    (date_trunc('month'::text, (invoice_date)::timestamp with time zone))::date AS month,
    currency,
    count(*) AS invoice_count,
    (sum(subtotal))::numeric(14,2) AS gross_amount,
    (sum(discount_amount))::numeric(14,2) AS discounts,
    (sum(tax_amount))::numeric(14,2) AS taxes,
    (sum(total_amount))::numeric(14,2) AS total_invoiced,
    (sum(amount_credited))::numeric(14,2) AS total_credited,
    (sum(amount_paid))::numeric(14,2) AS total_collected,
    (sum(balance_due))::numeric(14,2) AS outstanding,
    count(*) FILTER (WHERE (status = 'paid'::text)) AS paid_invoices,
    count(*) FILTER (WHERE (status = 'overdue'::text)) AS overdue_invoices
   FROM invoices i
  WHERE ((status <> ALL (ARRAY['draft'::text, 'cancelled'::text])) AND (kind = 'invoice'::text))
  GROUP BY tenant_id, clinic_id, (date_trunc('month'::text, (invoice_date)::timestamp with time zone)), currency;
GRANT SELECT ON revenue_summary TO clinic_app;

CREATE OR REPLACE FUNCTION public.add_document_version(p_document_id uuid, p_file_name text, p_content bytea)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  doc record;
  kind text := document_format(p_content);
  next_version integer;
  clean_name text := btrim(p_file_name);
BEGIN
  PERFORM require_permission('documents.write');
  -- Locked until commit: an upload at the same moment waits, then numbers after this one.
  SELECT d.id, d.version INTO doc
  FROM documents d
  WHERE d.tenant_id = current_tenant_id() AND d.id = p_document_id AND d.deleted_at IS NULL
    AND (NOT d.is_confidential OR d.user_id = current_app_user_id() OR app_may('records.confidential'))
  FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'This document does not exist, or you may not see it.' USING ERRCODE = 'no_data_found';
  END IF;
  IF octet_length(p_content) IS NULL OR octet_length(p_content) NOT BETWEEN 1 AND 5242880 THEN
    RAISE EXCEPTION 'A document can be at most 5 MB. Scan it at a lower resolution or split it.'
      USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  IF kind IS NULL THEN
    RAISE EXCEPTION 'This file is not one ClinicDesk keeps: attach a PDF, PNG image, JPEG image.'
      USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  IF coalesce(length(clean_name), 0) NOT BETWEEN 1 AND 255 THEN
    RAISE EXCEPTION 'The file needs a name of at most 255 characters.' USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  next_version := doc.version + 1;
  INSERT INTO document_versions (tenant_id, document_id, version, file_name, mime_type, file_size, checksum_sha256, uploaded_by)
  VALUES (current_tenant_id(), doc.id, next_version, clean_name, kind, octet_length(p_content), encode(sha256(p_content), 'hex'),
          current_app_user_id());
  INSERT INTO document_files (tenant_id, document_id, version, content) VALUES (current_tenant_id(), doc.id, next_version, p_content);
  UPDATE documents d
  SET version = next_version, file_name = clean_name, mime_type = kind, file_size = octet_length(p_content),
      checksum_sha256 = encode(sha256(p_content), 'hex')
  WHERE d.tenant_id = current_tenant_id() AND d.id = doc.id;
  RETURN next_version;
END $function$
GRANT EXECUTE ON FUNCTION add_document_version(uuid,text,bytea) TO clinic_app;

CREATE OR REPLACE FUNCTION public.add_usual_appointment_type_durations(p_tenant_id uuid, p_clinic_id uuid)
 RETURNS void
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
  INSERT INTO appointment_type_durations (tenant_id, clinic_id, appointment_type, duration_minutes)
  SELECT p_tenant_id, p_clinic_id, t.appointment_type, t.minutes
  FROM (VALUES ('consultation', 15), ('follow_up', 15), ('check_up', 20), ('procedure', 30), ('vaccination', 10),
               ('emergency', 15), ('telemedicine', 15)) AS t (appointment_type, minutes)
  ON CONFLICT (tenant_id, clinic_id, appointment_type) DO NOTHING
$function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.amount_payable(p_tenant_id uuid, p_invoice_id uuid, p_method text)
 RETURNS numeric
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
  SELECT CASE WHEN i.insurer_percent = 0 THEN i.balance_due
              WHEN p_method = 'insurance' THEN least(i.balance_due, greatest(i.insurer_amount - insurer.paid, 0))
              ELSE greatest(i.balance_due - greatest(i.insurer_amount - insurer.paid, 0), 0) END
  FROM invoices i
  CROSS JOIN LATERAL (
    SELECT coalesce(sum(p.amount - p.refund_amount), 0) AS paid FROM payments p
    WHERE p.tenant_id = i.tenant_id AND p.invoice_id = i.id AND p.payment_method = 'insurance' AND p.deleted_at IS NULL
  ) insurer
  WHERE i.tenant_id = p_tenant_id AND i.id = p_invoice_id AND i.kind = 'invoice'
    AND i.status IN ('issued', 'partially_paid', 'overdue', 'refunded')
$function$
GRANT EXECUTE ON FUNCTION amount_payable(uuid,uuid,text) TO clinic_app;

CREATE OR REPLACE FUNCTION public.app_may(VARIADIC p_permissions text[])
 RETURNS boolean
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  RETURN app_user_has_any_permission(p_permissions) OR (session_is_owner() AND current_app_user_id() IS NULL);
END $function$
GRANT EXECUTE ON FUNCTION app_may(text[]) TO clinic_app;

CREATE OR REPLACE FUNCTION public.app_user_has_any_permission(p_permissions text[])
 RETURNS boolean
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  RETURN coalesce((
    SELECT r.permissions ?| p_permissions
    FROM users u JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id
    WHERE u.tenant_id = current_tenant_id() AND u.id = current_app_user_id()
      AND u.deleted_at IS NULL AND u.is_active AND NOT u.password_change_required
      AND r.deleted_at IS NULL AND r.is_active), false);
END $function$
GRANT EXECUTE ON FUNCTION app_user_has_any_permission(text[]) TO clinic_app;

CREATE OR REPLACE FUNCTION public.app_user_has_permission(permission text)
 RETURNS boolean
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
RETURN app_user_has_any_permission(ARRAY[permission])
GRANT EXECUTE ON FUNCTION app_user_has_permission(text) TO clinic_app;

CREATE OR REPLACE FUNCTION public.apply_payments_to_invoice()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  PERFORM settle_invoice(NEW.tenant_id, NEW.invoice_id);
  RETURN NULL;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.apply_refund()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  PERFORM take_guard_passes('payments.guard_payment_edits');
  UPDATE payments p
  SET refund_amount = p.refund_amount + NEW.amount,
      refunded_at = NEW.refunded_at,
      refund_reason = NEW.reason,
      payment_status = CASE WHEN p.refund_amount + NEW.amount = p.amount THEN 'refunded' ELSE 'partially_refunded' END
  WHERE p.tenant_id = NEW.tenant_id AND p.id = NEW.payment_id;
  PERFORM end_guard_passes('payments.guard_payment_edits');
  RETURN NULL;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.apply_tenant_policies(target regclass)
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  table_name text := (SELECT relname FROM pg_class WHERE oid = target);
  tenant_row text := 'tenant_id = (SELECT current_tenant_id())';
  visible text := tenant_row || CASE WHEN EXISTS (
    SELECT 1 FROM pg_attribute WHERE attrelid = target AND attname = 'deleted_at' AND NOT attisdropped)
    THEN ' AND deleted_at IS NULL' ELSE '' END;
BEGIN
  EXECUTE format('DROP POLICY IF EXISTS %I ON %s', 'tenant_isolation_' || table_name, target);
  EXECUTE format('DROP POLICY IF EXISTS %I ON %s', 'owner_tenant_access_' || table_name, target);
  EXECUTE format('CREATE POLICY %I ON %s FOR ALL TO clinic_app USING (%s) WITH CHECK (%s)',
                 'tenant_isolation_' || table_name, target, visible, visible);
  EXECUTE format('CREATE POLICY %I ON %s FOR ALL TO %I USING (%s) WITH CHECK (%s)',
                 'owner_tenant_access_' || table_name, target, current_user, tenant_row, tenant_row);
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.archived_patients(p_limit integer DEFAULT 50)
 RETURNS TABLE(id uuid, patient_number text, first_name text, last_name text, date_of_birth date, deleted_at timestamp with time zone, reason text)
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  PERFORM require_permission('patients.restore');
  RETURN QUERY
  SELECT p.id, p.patient_number, p.first_name, p.last_name, p.date_of_birth, p.deleted_at,
         (SELECT a.reason FROM audit_logs a
          WHERE a.tenant_id = p.tenant_id AND a.record_id = p.id AND a.action = 'SOFT_DELETE'
          ORDER BY a.created_at DESC LIMIT 1)
  FROM patients p
  WHERE p.tenant_id = current_tenant_id() AND p.deleted_at IS NOT NULL
  ORDER BY p.deleted_at DESC
  LIMIT least(greatest(p_limit, 1), 200);
END $function$
GRANT EXECUTE ON FUNCTION archived_patients(integer) TO clinic_app;

CREATE OR REPLACE FUNCTION public.assign_record_number()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  number_column text := TG_ARGV[0];
  prefix text := TG_ARGV[1];
  yearly boolean := TG_ARGV[2] = 'yearly';
  number_period integer := CASE WHEN yearly THEN extract(year FROM now())::integer ELSE 0 END;
  next_value bigint;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF to_jsonb(NEW) ->> number_column IS DISTINCT FROM to_jsonb(OLD) ->> number_column THEN
      RAISE EXCEPTION 'Record numbers never change' USING ERRCODE = 'check_violation', CONSTRAINT = 'record_number_fixed';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.tenant_id IS DISTINCT FROM current_tenant_id() AND current_tenant_id() IS NOT NULL THEN
    RAISE EXCEPTION 'tenant mismatch' USING ERRCODE = 'insufficient_privilege';
  END IF;
  INSERT INTO number_sequences AS s (tenant_id, kind, period, last_value)
  VALUES (NEW.tenant_id, TG_TABLE_NAME, number_period, 1)
  ON CONFLICT (tenant_id, kind, period) DO UPDATE SET last_value = s.last_value + 1
  RETURNING s.last_value INTO next_value;
  NEW := jsonb_populate_record(NEW, jsonb_build_object(number_column,
    prefix || '-' || CASE WHEN yearly THEN number_period::text || '-' ELSE '' END || lpad(next_value::text, 6, '0')));
  RETURN NEW;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.attach_addendum()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  note record;
BEGIN
  IF NEW.tenant_id IS DISTINCT FROM current_tenant_id() AND current_tenant_id() IS NOT NULL THEN
    RAISE EXCEPTION 'tenant mismatch' USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- Said before looking for the note, which someone without clinical access cannot see.
  IF current_app_user_id() IS NOT NULL AND NOT app_may('clinical.write') THEN
    RAISE EXCEPTION 'Only clinical staff may add to a note.'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  SELECT m.doctor_id, m.is_confidential, m.signed_at INTO note
  FROM medical_records m WHERE m.tenant_id = NEW.tenant_id AND m.id = NEW.medical_record_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'This note does not exist or was archived.' USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF note.signed_at IS NULL THEN
    RAISE EXCEPTION 'A draft is edited, not added to: addenda are for signed notes.'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'addendum_to_signed_note';
  END IF;
  NEW.doctor_id := note.doctor_id;
  NEW.is_confidential := note.is_confidential;
  IF current_app_user_id() IS NOT NULL THEN
    NEW.written_by := current_app_user_id();
    NEW.created_at := now();
  END IF;
  RETURN NEW;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.audit_trigger_function()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  old_row jsonb;
  new_row jsonb;
  row_values jsonb;
  audit_action text := TG_OP;
  changed text[];
  author uuid;
  who uuid;
BEGIN
  IF TG_LEVEL = 'STATEMENT' THEN
    who := current_app_user_id();
    INSERT INTO audit_logs (tenant_id, user_id, action, table_name, record_id, old_values, new_values,
                            changed_fields, reason, confidential_author_id)
    SELECT (r ->> 'tenant_id')::uuid, who, 'INSERT', TG_TABLE_NAME, (r ->> 'id')::uuid, NULL, r, NULL, NULL,
           CASE WHEN coalesce((r ->> 'is_confidential')::boolean, false) THEN coalesce(r ->> 'doctor_id', r ->> 'user_id')::uuid END
    -- OFFSET 0: each row's jsonb is built once, not once per column that reads it.
    FROM (SELECT to_jsonb(n) - 'password_hash' AS r FROM new_rows n OFFSET 0) AS added;
    RETURN NULL;
  END IF;
  old_row := CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) - 'password_hash' END;
  new_row := CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) - 'password_hash' END;
  row_values := coalesce(new_row, old_row);
  IF TG_OP = 'UPDATE' THEN
    SELECT array_agg(key ORDER BY key) INTO changed
    FROM jsonb_each(new_row) AS n(key, value)
    WHERE n.value IS DISTINCT FROM old_row -> n.key AND n.key <> 'updated_at';
    IF changed IS NULL AND (to_jsonb(OLD) ->> 'password_hash') IS NOT DISTINCT FROM (to_jsonb(NEW) ->> 'password_hash') THEN
      RETURN NULL; -- nothing but updated_at moved
    END IF;
    IF old_row ->> 'deleted_at' IS NULL AND new_row ->> 'deleted_at' IS NOT NULL THEN
      audit_action := 'SOFT_DELETE';
    ELSIF old_row ->> 'deleted_at' IS NOT NULL AND new_row ->> 'deleted_at' IS NULL THEN
      audit_action := 'RESTORE';
    END IF;
  END IF;
  IF coalesce((old_row ->> 'is_confidential')::boolean, false) OR coalesce((new_row ->> 'is_confidential')::boolean, false) THEN
    author := coalesce(row_values ->> 'doctor_id', row_values ->> 'user_id')::uuid;
    -- Made confidential later: its earlier rows are fenced from now on too.
    UPDATE audit_logs a SET confidential_author_id = author
    WHERE a.tenant_id = (row_values ->> 'tenant_id')::uuid AND a.table_name = TG_TABLE_NAME
      AND a.record_id = (row_values ->> 'id')::uuid AND a.confidential_author_id IS NULL;
  END IF;
  INSERT INTO audit_logs (tenant_id, user_id, action, table_name, record_id, old_values, new_values,
                          changed_fields, reason, confidential_author_id)
  VALUES ((row_values ->> 'tenant_id')::uuid, current_app_user_id(), audit_action, TG_TABLE_NAME,
          (row_values ->> 'id')::uuid, old_row, new_row, changed,
          -- Only archiving and restoring (set_record_deleted, which sets it) carry a reason.
          CASE WHEN audit_action IN ('SOFT_DELETE', 'RESTORE') THEN nullif(current_setting('app.change_reason', true), '') END,
          author);
  RETURN NULL;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.begin_patient_import(p_rows integer)
 RETURNS boolean
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  large constant integer := 10000;
  tbl regclass;
  existing real;
  dropped record;
BEGIN
  PERFORM require_permission('patients.write');
  IF version() NOT LIKE '%PGlite%' OR p_rows < large THEN
    RETURN false;
  END IF;
  IF to_regclass('pg_temp.statements_at_commit') IS NOT NULL THEN
    RETURN true; -- begun already in this transaction
  END IF;
  CREATE TEMPORARY TABLE statements_at_commit (statement text NOT NULL) ON COMMIT DROP;
  CREATE CONSTRAINT TRIGGER run_at_commit AFTER INSERT ON statements_at_commit
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION run_at_commit();
  FOREACH tbl IN ARRAY ARRAY['patients', 'patient_name_words', 'audit_logs']::regclass[] LOOP
    -- Rows held now: the last vacuum's count, or counted when there has been none.
    existing := (SELECT c.reltuples FROM pg_class c WHERE c.oid = tbl AND c.reltuples >= 0);
    IF existing IS NULL THEN
      EXECUTE format('SELECT count(*) FROM %s', tbl) INTO existing;
    END IF;
    CONTINUE WHEN existing > p_rows;
    -- Keys first (at commit, a table's keys are back before the foreign keys that may use them).
    FOR dropped IN
      SELECT k.conname AS name, pg_get_constraintdef(k.oid) AS definition
      FROM pg_constraint k
      WHERE k.conrelid = tbl
        AND (k.contype = 'f'
             OR (k.contype IN ('p', 'u') AND NOT EXISTS (SELECT 1 FROM pg_constraint r WHERE r.confrelid = tbl)))
      ORDER BY k.contype = 'f', k.conname
    LOOP
      INSERT INTO statements_at_commit VALUES (format('ALTER TABLE %s ADD CONSTRAINT %I %s', tbl, dropped.name, dropped.definition));
      EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', tbl, dropped.name);
    END LOOP;
    FOR dropped IN
      SELECT i.indexrelid::regclass AS name, pg_get_indexdef(i.indexrelid) AS definition
      FROM pg_index i
      WHERE i.indrelid = tbl AND NOT i.indisunique AND NOT i.indisprimary AND NOT i.indisexclusion
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
      ORDER BY i.indexrelid
    LOOP
      INSERT INTO statements_at_commit VALUES (dropped.definition);
      EXECUTE format('DROP INDEX %s', dropped.name);
    END LOOP;
    INSERT INTO statements_at_commit VALUES (format('ANALYZE %s', tbl));
  END LOOP;
  RETURN true;
END $function$
GRANT EXECUTE ON FUNCTION begin_patient_import(integer) TO clinic_app;

CREATE OR REPLACE FUNCTION public.book_follow_up(p_visit_id uuid, p_starts_at timestamp with time zone, p_minutes integer, p_reason text)
 RETURNS uuid
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  visit record;
  local_start timestamp;
  new_id uuid;
BEGIN
  SELECT a.clinic_id, a.patient_id, a.doctor_id, a.status, c.timezone, c.opening_hours, u.working_hours,
         doctor_display_name(u.title, u.first_name, u.last_name) AS doctor_name
  INTO visit
  FROM appointments a
  JOIN clinics c ON c.tenant_id = a.tenant_id AND c.id = a.clinic_id
  JOIN users u ON u.tenant_id = a.tenant_id AND u.id = a.doctor_id
  WHERE a.tenant_id = current_tenant_id() AND a.id = p_visit_id AND a.deleted_at IS NULL
    AND (current_app_user_id() IS NULL OR a.clinic_id = current_app_clinic_id());
  IF NOT FOUND THEN
    RAISE EXCEPTION 'This visit was not found.' USING ERRCODE = 'no_data_found';
  END IF;
  IF NOT ((visit.doctor_id = current_app_user_id() AND app_may('clinical.write')) OR app_may('appointments.write')) THEN
    RAISE EXCEPTION 'Only the doctor who saw the patient, or the front desk, can book this follow-up.'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  IF visit.status NOT IN ('in_progress', 'completed') THEN
    RAISE EXCEPTION 'A follow-up is booked from a visit that has taken place.'
      USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  IF p_minutes IS NULL OR p_minutes NOT BETWEEN 5 AND 240 THEN
    RAISE EXCEPTION 'A follow-up lasts 5 to 240 minutes.' USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  IF p_starts_at <= now() OR p_starts_at > now() + interval '2 years' THEN
    RAISE EXCEPTION 'Choose a time from now to two years ahead.' USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  local_start := p_starts_at AT TIME ZONE visit.timezone;
  IF NOT within_hours(visit.opening_hours, local_start, p_minutes) THEN
    RAISE EXCEPTION 'The clinic is closed then.' USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  IF visit.working_hours IS NOT NULL AND NOT within_hours(visit.working_hours, local_start, p_minutes) THEN
    RAISE EXCEPTION '% does not work then.', visit.doctor_name USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  INSERT INTO appointments (tenant_id, clinic_id, patient_id, doctor_id, appointment_type, starts_at, ends_at, reason, created_by)
  VALUES (current_tenant_id(), visit.clinic_id, visit.patient_id, visit.doctor_id, 'follow_up', p_starts_at,
          p_starts_at + make_interval(mins => p_minutes), coalesce(nullif(btrim(p_reason), ''), 'Follow-up'), current_app_user_id())
  RETURNING id INTO new_id;
  PERFORM queue_appointment_reminder(new_id);
  RETURN new_id;
END $function$
GRANT EXECUTE ON FUNCTION book_follow_up(uuid,timestamp with time zone,integer,text) TO clinic_app;

CREATE OR REPLACE FUNCTION public.change_own_password(p_password_hash text, p_verifier text DEFAULT NULL::text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  me uuid := current_app_user_id();
  login text;
BEGIN
  IF me IS NULL OR current_tenant_id() IS NULL THEN
    RAISE EXCEPTION 'No signed-in staff member' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_password_hash NOT LIKE 'scrypt$%' THEN
    RAISE EXCEPTION 'A password is stored as its scrypt hash' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  UPDATE users SET password_hash = p_password_hash, password_changed_at = now(), password_change_required = false
  WHERE tenant_id = current_tenant_id() AND id = me;
  IF p_verifier IS NOT NULL THEN
    SELECT role_name INTO login FROM staff_logins
    WHERE tenant_id = current_tenant_id() AND user_id = me AND disabled_at IS NULL;
    IF login IS NOT NULL THEN
      PERFORM create_login_role(login, p_verifier, true);
    END IF;
  END IF;
END $function$
GRANT EXECUTE ON FUNCTION change_own_password(text,text) TO clinic_app;

CREATE OR REPLACE FUNCTION public.check_appointment_status_change()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  IF NEW.status = OLD.status THEN
    RETURN NEW;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM appointment_status_transitions t
                 WHERE t.from_status = OLD.status AND t.to_status = NEW.status) THEN
    RAISE EXCEPTION 'An appointment cannot change from % to %', OLD.status, NEW.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'appointment_status_transition';
  END IF;
  CASE NEW.status
    WHEN 'confirmed' THEN NEW.confirmed_at := coalesce(NEW.confirmed_at, now());
    WHEN 'checked_in' THEN NEW.checked_in_at := coalesce(NEW.checked_in_at, now());
    WHEN 'in_progress' THEN NEW.started_at := coalesce(NEW.started_at, now());
    WHEN 'completed' THEN NEW.completed_at := coalesce(NEW.completed_at, now());
    WHEN 'cancelled' THEN
      NEW.cancelled_at := coalesce(NEW.cancelled_at, now());
      NEW.cancelled_by := coalesce(NEW.cancelled_by, current_app_user_id());
    WHEN 'no_show' THEN NEW.no_show_at := coalesce(NEW.no_show_at, now());
    ELSE NULL;
  END CASE;
  RETURN NEW;
END $function$
GRANT EXECUTE ON FUNCTION check_appointment_status_change() TO PUBLIC;

CREATE OR REPLACE FUNCTION public.check_clinic_timezone()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = NEW.timezone) THEN
    RAISE EXCEPTION 'Unknown timezone "%"', NEW.timezone USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $function$
GRANT EXECUTE ON FUNCTION check_clinic_timezone() TO PUBLIC;

CREATE OR REPLACE FUNCTION public.check_payment()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  invoice invoices;
  payable numeric;
BEGIN
  IF NEW.tenant_id IS DISTINCT FROM current_tenant_id() AND current_tenant_id() IS NOT NULL THEN
    RAISE EXCEPTION 'tenant mismatch' USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- The lock: a second desk paying this invoice waits here until the first has committed.
  SELECT * INTO invoice FROM invoices i WHERE i.tenant_id = NEW.tenant_id AND i.id = NEW.invoice_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NEW; -- the foreign key refuses it
  END IF;
  NEW.patient_id := invoice.patient_id;
  NEW.currency := invoice.currency;
  IF current_app_user_id() IS NOT NULL THEN
    -- Taken now, whole; refunds are written as refunds.
    NEW.paid_at := now();
    NEW.payment_status := 'completed';
    NEW.refund_amount := 0;
    NEW.refunded_at := NULL;
    NEW.refund_reason := NULL;
  END IF;
  payable := amount_payable(NEW.tenant_id, NEW.invoice_id, NEW.payment_method);
  IF payable IS NULL THEN
    RAISE EXCEPTION 'Only an issued invoice takes payments'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_within_balance', HINT = 'clinicdesk:user-message';
  END IF;
  IF NEW.amount - NEW.refund_amount > payable THEN
    RAISE EXCEPTION 'Overpayment refused: % % is payable on % by this method', invoice.currency, payable, invoice.invoice_number
      USING ERRCODE = 'check_violation', CONSTRAINT = 'payment_within_balance', HINT = 'clinicdesk:user-message';
  END IF;
  RETURN NEW;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.check_refund()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  payment payments;
BEGIN
  IF NEW.tenant_id IS DISTINCT FROM current_tenant_id() AND current_tenant_id() IS NOT NULL THEN
    RAISE EXCEPTION 'tenant mismatch' USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- The lock: a second refund of this payment waits here until the first has committed.
  SELECT * INTO payment FROM payments p WHERE p.tenant_id = NEW.tenant_id AND p.id = NEW.payment_id AND p.deleted_at IS NULL FOR UPDATE;
  IF NOT FOUND THEN
    RETURN NEW; -- the foreign key refuses it
  END IF;
  NEW.invoice_id := payment.invoice_id;
  NEW.currency := payment.currency;
  NEW.payment_method := payment.payment_method;
  IF current_app_user_id() IS NOT NULL THEN
    NEW.refunded_at := now();
  END IF;
  IF NEW.amount > payment.amount - payment.refund_amount THEN
    RAISE EXCEPTION 'Refund refused: % % of payment % is left to refund', payment.currency,
      payment.amount - payment.refund_amount, payment.payment_number
      USING ERRCODE = 'check_violation', CONSTRAINT = 'refund_within_payment', HINT = 'clinicdesk:user-message';
  END IF;
  RETURN NEW;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.check_test_status_change()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  step record;
  staff boolean := current_app_user_id() IS NOT NULL;
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF staff AND NOT guard_passed(TG_RELID, TG_NAME) THEN
      -- A test starts as ordered, by whoever orders it, now: not as the caller says.
      NEW.status := 'ordered';
      NEW.sample_collected_at := NULL;
      NEW.completed_at := NULL;
      NEW.doctor_id := current_app_user_id();
      NEW.created_by := current_app_user_id();
      NEW.ordered_at := now();
    END IF;
    RETURN NEW;
  END IF;
  IF staff AND (NEW.patient_id, NEW.doctor_id) IS DISTINCT FROM (OLD.patient_id, OLD.doctor_id) THEN
    IF guard_passed(TG_RELID, TG_NAME) THEN
      RETURN NEW; -- a merge moving the test to the survivor's chart
    END IF;
    RAISE EXCEPTION 'The patient and the ordering doctor of a test cannot be changed.'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  IF NEW.status = OLD.status THEN
    RETURN NEW;
  END IF;
  SELECT * INTO step FROM diagnostic_test_status_transitions t WHERE t.from_status = OLD.status AND t.to_status = NEW.status;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'A test cannot go from % to %.', replace(OLD.status, '_', ' '), replace(NEW.status, '_', ' ')
      USING ERRCODE = 'check_violation', CONSTRAINT = 'test_status_transition';
  END IF;
  IF staff AND NOT app_may(step.permission) THEN
    RAISE EXCEPTION 'Your role does not allow this (needs %)', step.permission
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  -- Completed means results entered; verified means a second person verified them.
  IF NEW.status = 'completed' AND NOT EXISTS (
       SELECT 1 FROM test_reports r WHERE r.tenant_id = NEW.tenant_id AND r.diagnostic_test_id = NEW.id
         AND (r.result_values <> '[]' OR coalesce(btrim(r.findings), '') <> '')) THEN
    RAISE EXCEPTION 'A test is completed by entering its results.' USING ERRCODE = 'check_violation', CONSTRAINT = 'test_status_transition';
  END IF;
  IF NEW.status = 'verified' AND NOT EXISTS (
       SELECT 1 FROM test_reports r WHERE r.tenant_id = NEW.tenant_id AND r.diagnostic_test_id = NEW.id AND r.verified_at IS NOT NULL) THEN
    RAISE EXCEPTION 'A test is verified by verifying its results.' USING ERRCODE = 'check_violation', CONSTRAINT = 'test_status_transition';
  END IF;
  IF staff THEN
    CASE NEW.status
      WHEN 'sample_collected' THEN NEW.sample_collected_at := now();
      WHEN 'completed' THEN NEW.completed_at := now();
      ELSE NULL;
    END CASE;
  END IF;
  RETURN NEW;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.claim_sign_in_attempt(p_tenant_id uuid, p_email text)
 RETURNS TABLE(outcome text, password_hash text, locked_until timestamp with time zone)
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  counters record;
  failures integer;
  lock_end timestamptz;
BEGIN
  IF NOT session_is_owner() THEN
    RAISE EXCEPTION 'Only the trusted process signs staff in' USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM set_config('app.current_tenant_id', p_tenant_id::text, true);
  counters := sign_in_counters(p_tenant_id, p_email);
  failures := counters.failures;
  lock_end := counters.lock_end;
  IF lock_end IS NOT NULL THEN
    outcome := 'locked';
  ELSIF failures >= (sign_in_policy()).max_failures THEN
    -- Claims still in flight used up the allowance: lock now, check nothing.
    lock_end := now() + make_interval(mins => (sign_in_policy()).lock_minutes);
    outcome := 'locked';
  ELSE
    failures := failures + 1; -- a failure until the password proves right
    outcome := 'verify';
    password_hash := (counters.account).password_hash;
  END IF;
  PERFORM save_sign_in_counters(p_tenant_id, p_email, (counters.account).id, failures, lock_end);
  locked_until := lock_end;
  IF outcome = 'locked' THEN
    PERFORM log_sign_in(p_tenant_id, (counters.account).id, p_email, 'auth.locked_out',
                        'Sign-in refused: locked after repeated failed sign-ins', NULL);
  END IF;
  RETURN NEXT;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.clinic_days(p_clinic_id uuid, p_from date, p_days integer)
 RETURNS TABLE(from_at timestamp with time zone, until_at timestamp with time zone)
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
  SELECT clinic_instant(d.first_day, time '00:00', c.timezone), clinic_instant(d.first_day + p_days, time '00:00', c.timezone)
  FROM clinics c
  CROSS JOIN LATERAL (SELECT coalesce(p_from, (now() AT TIME ZONE c.timezone)::date) AS first_day) d
  WHERE c.id = p_clinic_id
$function$
GRANT EXECUTE ON FUNCTION clinic_days(uuid,date,integer) TO PUBLIC;
GRANT EXECUTE ON FUNCTION clinic_days(uuid,date,integer) TO clinic_app;

CREATE OR REPLACE FUNCTION public.clinic_instant(p_date date, p_time time without time zone, p_timezone text)
 RETURNS timestamp with time zone
 LANGUAGE sql
 STABLE PARALLEL SAFE
RETURN ((p_date + p_time) AT TIME ZONE p_timezone)
GRANT EXECUTE ON FUNCTION clinic_instant(date,time without time zone,text) TO PUBLIC;
GRANT EXECUTE ON FUNCTION clinic_instant(date,time without time zone,text) TO clinic_app;

CREATE OR REPLACE FUNCTION public.clinic_logo()
 RETURNS TABLE(media_type text, content bytea)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
  SELECT l.media_type, l.content FROM clinic_logos l
  WHERE l.tenant_id = current_tenant_id() AND l.clinic_id = current_app_clinic_id()
$function$
GRANT EXECUTE ON FUNCTION clinic_logo() TO clinic_app;

CREATE OR REPLACE FUNCTION public.count_till()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  IF NEW.tenant_id IS DISTINCT FROM current_tenant_id() AND current_tenant_id() IS NOT NULL THEN
    RAISE EXCEPTION 'tenant mismatch' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'UPDATE' AND (NEW.tenant_id, NEW.clinic_id, NEW.business_day, NEW.cashier_id, NEW.payment_method)
                          IS DISTINCT FROM (OLD.tenant_id, OLD.clinic_id, OLD.business_day, OLD.cashier_id, OLD.payment_method) THEN
    RAISE EXCEPTION 'A count stays with its day, person and method' USING ERRCODE = 'check_violation';
  END IF;
  NEW.expected := coalesce((SELECT t.expected FROM till_takings(NEW.tenant_id, NEW.clinic_id, NEW.business_day) t
                            WHERE t.cashier_id = NEW.cashier_id AND t.payment_method = NEW.payment_method), 0);
  IF current_app_user_id() IS NOT NULL THEN
    NEW.counted_by := current_app_user_id();
    NEW.counted_at := now();
  END IF;
  RETURN NEW;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.create_default_roles(p_tenant_id uuid)
 RETURNS void
 LANGUAGE sql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
  INSERT INTO roles (tenant_id, name, description, permissions, is_system_role)
  VALUES
    (p_tenant_id, 'admin', 'Clinic administrator: everything, including users, settings and audit',
     '["patients.read","patients.write","patients.archive","patients.restore","appointments.read",
       "appointments.write","appointments.checkin","queue.read","clinical.read","clinical.write",
       "records.confidential","prescriptions.write","tests.order","tests.report","tests.verify",
       "documents.read","documents.write","billing.read","billing.write","payments.take","payments.refund",
       "reports.financial","notifications.read","admin.users","admin.settings","admin.audit",
       "admin.maintenance"]', true),
    (p_tenant_id, 'doctor', 'Doctor: consultations, records, prescriptions, tests and reports',
     '["patients.read","patients.write","appointments.read","queue.read","clinical.read","clinical.write",
       "prescriptions.write","tests.order","tests.report","tests.verify","documents.read","documents.write",
       "billing.read","notifications.read"]', true),
    (p_tenant_id, 'nurse', 'Nurse: vitals, check-in, queue, test samples and reports',
     '["patients.read","patients.write","appointments.read","appointments.checkin","queue.read",
       "clinical.read","clinical.write","tests.report","documents.read","documents.write",
       "notifications.read"]', true),
    (p_tenant_id, 'receptionist', 'Front desk: patients, calendar, check-in, payments',
     '["patients.read","patients.write","patients.archive","appointments.read","appointments.write",
       "appointments.checkin","queue.read","documents.read","billing.read","payments.take",
       "notifications.read"]', true),
    (p_tenant_id, 'billing', 'Billing: invoices, payments, refunds and revenue reports',
     '["patients.read","appointments.read","billing.read","billing.write","payments.take",
       "payments.refund","reports.financial","notifications.read"]', true)
  ON CONFLICT (tenant_id, name) DO NOTHING
$function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.create_login_role(p_role_name text, p_verifier text, p_enabled boolean)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'pg_temp'
AS $function$
BEGIN
  IF p_role_name !~ '^cd_[0-9a-f]{28}$' THEN
    RAISE EXCEPTION 'Not a staff login name' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_verifier IS NOT NULL
     AND p_verifier !~ '^SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*:[A-Za-z0-9+/]+=*$' THEN
    RAISE EXCEPTION 'A staff login takes a SCRAM-SHA-256 verifier, never a password' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_role_name) THEN
    EXECUTE format('CREATE ROLE %I LOGIN INHERIT NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE IN ROLE clinic_app PASSWORD %L',
                   p_role_name, p_verifier);
  ELSIF p_enabled THEN
    EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', p_role_name, p_verifier);
  ELSE
    EXECUTE format('ALTER ROLE %I NOLOGIN', p_role_name);
  END IF;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.create_notification(p_user_id uuid, p_title text, p_message text, p_type text DEFAULT 'info'::text, p_priority text DEFAULT 'normal'::text, p_action_url text DEFAULT NULL::text, p_related_entity_type text DEFAULT NULL::text, p_related_entity_id uuid DEFAULT NULL::uuid, p_scheduled_for timestamp with time zone DEFAULT NULL::timestamp with time zone, p_metadata jsonb DEFAULT '{}'::jsonb)
 RETURNS uuid
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  notification_id uuid;
BEGIN
  IF current_tenant_id() IS NULL THEN
    RAISE EXCEPTION 'No tenant context' USING ERRCODE = 'insufficient_privilege';
  END IF;
  INSERT INTO notifications (tenant_id, user_id, title, message, type, priority, action_url,
                             related_entity_type, related_entity_id, scheduled_for, metadata)
  VALUES (current_tenant_id(), p_user_id, p_title, p_message, p_type, p_priority, p_action_url,
          p_related_entity_type, p_related_entity_id, p_scheduled_for, coalesce(p_metadata, '{}'))
  RETURNING id INTO notification_id;
  RETURN notification_id;
END $function$
GRANT EXECUTE ON FUNCTION create_notification(uuid,text,text,text,text,text,text,uuid,timestamp with time zone,jsonb) TO PUBLIC;
GRANT EXECUTE ON FUNCTION create_notification(uuid,text,text,text,text,text,text,uuid,timestamp with time zone,jsonb) TO clinic_app;

CREATE OR REPLACE FUNCTION public.current_app_clinic_id()
 RETURNS uuid
 LANGUAGE plpgsql
 STABLE PARALLEL SAFE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  RETURN (SELECT u.clinic_id FROM users u WHERE u.tenant_id = current_tenant_id() AND u.id = current_app_user_id());
END $function$
GRANT EXECUTE ON FUNCTION current_app_clinic_id() TO clinic_app;

CREATE OR REPLACE FUNCTION public.current_app_user_id()
 RETURNS uuid
 LANGUAGE plpgsql
 STABLE PARALLEL SAFE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  staff_user uuid := (SELECT s.user_id FROM staff_logins s WHERE s.role_name = session_user AND s.disabled_at IS NULL);
BEGIN
  IF staff_user IS NOT NULL OR NOT session_is_owner() THEN
    RETURN staff_user;
  END IF;
  RETURN nullif(current_setting('app.current_user_id', true), '')::uuid;
END $function$
GRANT EXECUTE ON FUNCTION current_app_user_id() TO clinic_app;

CREATE OR REPLACE FUNCTION public.current_tenant_id()
 RETURNS uuid
 LANGUAGE plpgsql
 STABLE PARALLEL SAFE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  staff_tenant uuid := (SELECT s.tenant_id FROM staff_logins s WHERE s.role_name = session_user AND s.disabled_at IS NULL);
BEGIN
  IF staff_tenant IS NOT NULL OR NOT session_is_owner() THEN
    RETURN staff_tenant;
  END IF;
  RETURN nullif(current_setting('app.current_tenant_id', true), '')::uuid;
END $function$
GRANT EXECUTE ON FUNCTION current_tenant_id() TO clinic_app;

CREATE OR REPLACE FUNCTION public.database_health_check()
 RETURNS TABLE(check_name text, status text, value text, details text)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  PERFORM require_permission('admin.maintenance');
  RETURN QUERY SELECT * FROM read_database_health();
END $function$
GRANT EXECUTE ON FUNCTION database_health_check() TO clinic_app;

CREATE OR REPLACE FUNCTION public.declare_tenant_table(target regclass, inserts text[] DEFAULT NULL::text[], updates text[] DEFAULT NULL::text[], reads text[] DEFAULT NULL::text[], audited boolean DEFAULT true)
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  table_name text := (SELECT relname FROM pg_class WHERE oid = target);
  has_column text[] := ARRAY(SELECT attname::text FROM pg_attribute
                             WHERE attrelid = target AND attnum > 0 AND NOT attisdropped);
  -- Generated columns cannot be written; a row's identity, when it was made and by whom never change.
  insertable text := (SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
                      WHERE attrelid = target AND attnum > 0 AND NOT attisdropped AND attgenerated = '');
  updatable text := (SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
                     WHERE attrelid = target AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
                       AND attname NOT IN ('tenant_id', 'id', 'created_at', 'created_by'));
BEGIN
  IF NOT 'tenant_id' = ANY (has_column) THEN
    RAISE EXCEPTION '% has no tenant_id column: only tenant tables are declared', target;
  END IF;
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
  PERFORM apply_tenant_policies(target);
  EXECUTE format('GRANT SELECT ON %s TO clinic_app', target);
  IF inserts IS NOT NULL THEN
    EXECUTE format('GRANT INSERT (%s) ON %s TO clinic_app', insertable, target);
  END IF;
  IF updates IS NOT NULL THEN
    EXECUTE format('GRANT UPDATE (%s) ON %s TO clinic_app', updatable, target);
  END IF;
  IF inserts IS NOT NULL OR updates IS NOT NULL THEN
    -- A missing side gets an empty list: refused by the policy as well as by the grant.
    PERFORM require_write_permission(target, coalesce(inserts, '{}'), coalesce(updates, '{}'));
  END IF;
  IF reads IS NOT NULL THEN
    PERFORM require_read_permission(target, reads);
  END IF;
  IF 'updated_at' = ANY (has_column) THEN
    EXECUTE format('CREATE OR REPLACE TRIGGER set_updated_at BEFORE UPDATE ON %s '
                   'FOR EACH ROW EXECUTE FUNCTION set_updated_at()', target);
  END IF;
  IF audited THEN
    EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %s '
                   'FOR EACH ROW EXECUTE FUNCTION audit_trigger_function()', 'audit_' || table_name, target);
  END IF;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.default_clinic_id()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  IF NEW.clinic_id IS NULL THEN
    NEW.clinic_id := coalesce(current_app_clinic_id(),
      (SELECT CASE WHEN count(*) = 1 THEN (array_agg(c.id))[1] END
       FROM clinics c WHERE c.tenant_id = NEW.tenant_id AND c.deleted_at IS NULL));
  END IF;
  RETURN NEW;
END $function$
GRANT EXECUTE ON FUNCTION default_clinic_id() TO PUBLIC;

CREATE OR REPLACE FUNCTION public.digits_only(input text)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
RETURN regexp_replace(COALESCE(input, ''::text), '[^0-9]'::text, ''::text, 'g'::text)
GRANT EXECUTE ON FUNCTION digits_only(text) TO PUBLIC;
GRANT EXECUTE ON FUNCTION digits_only(text) TO clinic_app;

CREATE OR REPLACE FUNCTION public.disable_staff_login(p_user_id uuid)
 RETURNS boolean
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  login text;
BEGIN
  PERFORM require_permission('admin.users');
  UPDATE staff_logins SET disabled_at = now()
  WHERE tenant_id = current_tenant_id() AND user_id = p_user_id AND disabled_at IS NULL
  RETURNING role_name INTO login;
  IF login IS NULL THEN
    RETURN false;
  END IF;
  PERFORM create_login_role(login, NULL, false);
  RETURN true;
END $function$
GRANT EXECUTE ON FUNCTION disable_staff_login(uuid) TO clinic_app;

CREATE OR REPLACE FUNCTION public.doctor_display_name(p_title text, p_first_name text, p_last_name text)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
RETURN ((((COALESCE(NULLIF(btrim(p_title), ''::text), 'Dr'::text) || ' '::text) || p_first_name) || ' '::text) || p_last_name)
GRANT EXECUTE ON FUNCTION doctor_display_name(text,text,text) TO PUBLIC;
GRANT EXECUTE ON FUNCTION doctor_display_name(text,text,text) TO clinic_app;

CREATE OR REPLACE FUNCTION public.document_format(p_content bytea)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
  SELECT CASE
    WHEN substring(p_content FROM 1 FOR 5) = '\x255044462d'::bytea THEN 'application/pdf'
    WHEN substring(p_content FROM 1 FOR 8) = '\x89504e470d0a1a0a'::bytea THEN 'image/png'
    WHEN substring(p_content FROM 1 FOR 3) = '\xffd8ff'::bytea THEN 'image/jpeg'
  END
$function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.edits_allowed(word text)
 RETURNS integer
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN (length(word) >= 6) THEN 2 WHEN (length(word) >= 4) THEN 1 ELSE 0 END
GRANT EXECUTE ON FUNCTION edits_allowed(text) TO PUBLIC;

CREATE OR REPLACE FUNCTION public.enable_tenant_isolation(target regclass, app_privileges text)
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  table_name text := (SELECT relname FROM pg_class WHERE oid = target);
  has_column_deleted_at boolean := EXISTS (
    SELECT 1 FROM pg_attribute WHERE attrelid = target AND attname = 'deleted_at' AND NOT attisdropped);
  has_column_updated_at boolean := EXISTS (
    SELECT 1 FROM pg_attribute WHERE attrelid = target AND attname = 'updated_at' AND NOT attisdropped);
  visible text := 'tenant_id = current_tenant_id()'
    || CASE WHEN has_column_deleted_at THEN ' AND deleted_at IS NULL' ELSE '' END;
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', target);
  EXECUTE format('CREATE POLICY %I ON %s FOR ALL TO clinic_app USING (%s) WITH CHECK (%s)',
                 'tenant_isolation_' || table_name, target, visible, visible);
  EXECUTE format('CREATE POLICY %I ON %s FOR ALL TO %I USING (tenant_id = current_tenant_id()) '
                 'WITH CHECK (tenant_id = current_tenant_id())',
                 'owner_tenant_access_' || table_name, target, current_user);
  IF app_privileges <> '' THEN
    EXECUTE format('GRANT %s ON %s TO clinic_app', app_privileges, target);
  END IF;
  IF has_column_updated_at THEN
    EXECUTE format('CREATE TRIGGER set_updated_at BEFORE UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION set_updated_at()',
                   target);
  END IF;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.end_guard_passes(VARIADIC p_guards text[])
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  UPDATE guard_passes p SET holders = p.holders - 1
  FROM unnest(p_guards) AS g(full_name)
  WHERE p.xact = pg_current_xact_id() AND p.guarded_table = to_regclass(split_part(g.full_name, '.', 1))
    AND p.guard = split_part(g.full_name, '.', 2);
  DELETE FROM guard_passes p WHERE p.xact = pg_current_xact_id() AND p.holders = 0;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.end_staff_login()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  login text;
BEGIN
  IF NEW.is_active AND NEW.deleted_at IS NULL THEN
    RETURN NULL;
  END IF;
  FOR login IN
    UPDATE staff_logins SET disabled_at = now()
    WHERE tenant_id = NEW.tenant_id AND user_id = NEW.id AND disabled_at IS NULL RETURNING role_name
  LOOP
    PERFORM create_login_role(login, NULL, false);
  END LOOP;
  RETURN NULL;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.find_duplicate_patients(p_first_name text, p_last_name text, p_date_of_birth date, p_phone text, p_exclude_id uuid DEFAULT NULL::uuid)
 RETURNS TABLE(id uuid, patient_number text, first_name text, last_name text, date_of_birth date, phone text, reasons text[])
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  PERFORM require_permission('patients.read');
  RETURN QUERY SELECT * FROM find_possible_duplicates(p_first_name, p_last_name, p_date_of_birth, p_phone, p_exclude_id);
END $function$
GRANT EXECUTE ON FUNCTION find_duplicate_patients(text,text,date,text,uuid) TO clinic_app;

CREATE OR REPLACE FUNCTION public.find_import_duplicates(p_rows jsonb)
 RETURNS TABLE(row_number integer, patient_id uuid, patient_number text, first_name text, last_name text, date_of_birth date, reason text)
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  tenant uuid := current_tenant_id();
BEGIN
  PERFORM require_permission('patients.write');
  IF tenant IS NULL THEN
    RETURN;
  END IF;
  RETURN QUERY
  WITH typed AS (
    SELECT r."row", r.first_name, r.last_name, r.date_of_birth, r.phones
    FROM jsonb_to_recordset(p_rows) AS r("row" integer, first_name text, last_name text, date_of_birth date, phones text[])
  ),
  typed_phones AS (
    SELECT t."row", typed_phone FROM typed t, unnest(t.phones) AS typed_phone
  ),
  born_that_day AS (
    SELECT t."row", f.first, f.last, t.date_of_birth
    FROM typed t, LATERAL (SELECT fold_name(btrim(t.first_name)) AS first, fold_name(btrim(t.last_name)) AS last) AS f
    WHERE EXISTS (SELECT 1 FROM patients p WHERE p.tenant_id = tenant AND p.date_of_birth = t.date_of_birth AND p.deleted_at IS NULL)
  ),
  matches AS (
    SELECT t."row", p.id, 'same_phone'::text AS reason
    FROM typed_phones t JOIN patients p ON p.tenant_id = tenant AND p.deleted_at IS NULL AND p.phone_e164 = t.typed_phone
    UNION
    SELECT t."row", p.id, 'same_phone'::text
    FROM typed_phones t JOIN patients p ON p.tenant_id = tenant AND p.deleted_at IS NULL AND p.alternate_phone_e164 = t.typed_phone
    UNION
    SELECT t."row", p.id, 'similar_name_same_birth_date'
    FROM born_that_day t
    JOIN patients p ON p.tenant_id = tenant AND p.deleted_at IS NULL AND p.date_of_birth = t.date_of_birth
    WHERE similarity(p.name_key, t.first || ' ' || t.last) >= 0.5
       OR (fold_name(p.last_name) = t.last
           AND (starts_with(fold_name(p.first_name), t.first) OR starts_with(t.first, fold_name(p.first_name))))
  )
  SELECT m."row", p.id, p.patient_number, p.first_name, p.last_name, p.date_of_birth, m.reason
  FROM matches m JOIN patients p ON p.tenant_id = tenant AND p.id = m.id
  ORDER BY m."row", m.reason DESC, p.patient_number;
END $function$
GRANT EXECUTE ON FUNCTION find_import_duplicates(jsonb) TO clinic_app;

CREATE OR REPLACE FUNCTION public.find_patients_matching(p_query text, p_limit integer DEFAULT 20, p_phone text DEFAULT NULL::text)
 RETURNS TABLE(id uuid, patient_number text, first_name text, middle_name text, last_name text, date_of_birth date, gender text, phone text, email text, allergies jsonb, alerts text, match_kind text, score real)
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
 SET jit TO 'off'
 SET plan_cache_mode TO 'force_generic_plan'
AS $function$
DECLARE
  tenant uuid := current_tenant_id();
  typed text := btrim(coalesce(p_query, ''));
  digits text := digits_only(p_query);
  result_limit integer := least(greatest(coalesce(p_limit, 20), 1), 100);
  -- Above every character: a prefix p covers [p, p || top).
  top constant text := U&'\+10FFFF';
  birth_date date;
  key text;
  ending text;
  folded text;
  words text[];
  typed_deletions text[];
  typed_removed integer[];
  option_words text[];
  option_edits integer[];
  spellings text[] := ARRAY[''];
  spelling_edits integer[] := ARRAY[0];
  found_ids uuid[] := '{}';
  found_scores real[] := '{}';
  found_kinds text[] := '{}';
  tier_ids uuid[];
  tier_scores real[];
  driver_word text;
BEGIN
  IF tenant IS NULL OR length(typed) = 0 THEN
    RETURN;
  END IF;

  -- Patient number: "P-000123", "p123", "P-0001".
  IF typed ~* '^p-?[0-9]+$' THEN
    RETURN QUERY
    SELECT p.id, p.patient_number, p.first_name, p.middle_name, p.last_name, p.date_of_birth, p.gender,
           p.phone, p.email, p.allergies, p.alerts, 'patient_number'::text,
           CASE WHEN p.patient_number = 'P-' || lpad(digits, 6, '0') THEN 1.0 ELSE 0.9 END::real
    FROM patients p
    WHERE p.tenant_id = tenant AND p.deleted_at IS NULL
      AND (p.patient_number = 'P-' || lpad(digits, 6, '0')
           OR (p.patient_number >= 'P-' || substr(digits, 1, 6) AND p.patient_number < 'P-' || substr(digits, 1, 6) || top))
    ORDER BY 13 DESC, p.patient_number
    LIMIT result_limit;
    RETURN;
  END IF;

  -- Date of birth, ISO form (the app turns the clinic's date format into ISO).
  IF typed ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
    BEGIN
      birth_date := typed::date;
    EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
      RETURN; -- "2026-02-31" is no date
    END;
    RETURN QUERY
    SELECT p.id, p.patient_number, p.first_name, p.middle_name, p.last_name, p.date_of_birth, p.gender,
           p.phone, p.email, p.allergies, p.alerts, 'date_of_birth'::text, 1.0::real
    FROM patients p
    WHERE p.tenant_id = tenant AND p.deleted_at IS NULL AND p.date_of_birth = birth_date
    ORDER BY p.name_key_last_first
    LIMIT result_limit;
    RETURN;
  END IF;

  -- Phone, main or other: from its start, else its last four digits or more. Without the app's
  -- reading, what was typed with its country code (+44…) is already E.164; digits alone match
  -- keys the app could not read.
  IF typed ~ '^[0-9 ()+./-]+$' THEN
    IF length(digits) < 3 THEN
      RETURN;
    END IF;
    key := coalesce(nullif(p_phone, ''), CASE WHEN typed LIKE '+%' THEN '+' || digits ELSE digits END);
    ending := CASE WHEN length(digits) >= 4 THEN reverse(digits) END;
    RETURN QUERY
    SELECT p.id, p.patient_number, p.first_name, p.middle_name, p.last_name, p.date_of_birth, p.gender,
           p.phone, p.email, p.allergies, p.alerts, 'phone'::text, max(m.score)
    FROM ((SELECT x.id, CASE WHEN x.phone_e164 = key THEN 1.0 ELSE 0.9 END::real AS score
           FROM patients x
           WHERE x.tenant_id = tenant AND x.deleted_at IS NULL AND x.phone_e164 >= key AND x.phone_e164 < key || top
           ORDER BY x.phone_e164 LIMIT result_limit)
          UNION ALL
          (SELECT x.id, CASE WHEN x.alternate_phone_e164 = key THEN 1.0 ELSE 0.9 END::real
           FROM patients x
           WHERE x.tenant_id = tenant AND x.deleted_at IS NULL
             AND x.alternate_phone_e164 >= key AND x.alternate_phone_e164 < key || top
           ORDER BY x.alternate_phone_e164 LIMIT result_limit)
          UNION ALL
          (SELECT x.id, 0.7::real
           FROM patients x
           WHERE x.tenant_id = tenant AND x.deleted_at IS NULL
             AND x.phone_e164_reversed >= ending AND x.phone_e164_reversed < ending || top
           LIMIT result_limit)
          UNION ALL
          (SELECT x.id, 0.7::real
           FROM patients x
           WHERE x.tenant_id = tenant AND x.deleted_at IS NULL
             AND x.alternate_phone_e164_reversed >= ending AND x.alternate_phone_e164_reversed < ending || top
           LIMIT result_limit)) AS m
    JOIN patients p ON p.tenant_id = tenant AND p.id = m.id
    GROUP BY p.tenant_id, p.id
    ORDER BY 13 DESC, p.name_key_last_first
    LIMIT result_limit;
    RETURN;
  END IF;

  folded := fold_name(typed);
  IF folded = '' THEN
    RETURN;
  END IF;
  words := string_to_array(folded, ' ');

  -- 1 and 2: the whole name, exactly or as its start, either order (index order, so "j" stops at the limit).
  -- Surname first comes first: reception looks people up by surname, so "Thomas" lists the
  -- Thomases by surname before everyone whose first name is Thomas.
  SELECT coalesce(array_agg(m.id ORDER BY m.exact DESC, m.by_surname DESC, m.sort_key), '{}'),
         coalesce(array_agg(CASE WHEN m.exact THEN 1.0 ELSE 0.9 END::real ORDER BY m.exact DESC, m.by_surname DESC, m.sort_key), '{}')
  INTO tier_ids, tier_scores
  FROM (SELECT DISTINCT ON (u.id) u.id, u.exact, u.by_surname, u.sort_key
        FROM ((SELECT x.id, x.name_key = folded AS exact, false AS by_surname, x.name_key_last_first AS sort_key
               FROM patients x
               WHERE x.tenant_id = tenant AND x.deleted_at IS NULL AND x.name_key >= folded AND x.name_key < folded || top
               ORDER BY x.name_key LIMIT result_limit)
              UNION ALL
              (SELECT x.id, x.name_key_last_first = folded, true, x.name_key_last_first
               FROM patients x
               WHERE x.tenant_id = tenant AND x.deleted_at IS NULL
                 AND x.name_key_last_first >= folded AND x.name_key_last_first < folded || top
               ORDER BY x.name_key_last_first LIMIT result_limit)) AS u
        ORDER BY u.id, u.exact DESC, u.by_surname DESC) AS m;
  found_ids := tier_ids[1:result_limit];
  found_scores := tier_scores[1:result_limit];
  found_kinds := array_fill('name'::text, ARRAY[cardinality(found_ids)]);

  -- 3: every typed word starts a word of the name, in any order. The word with the fewest
  -- patients drives (counted, and read, up to 300 entries: when every word typed is that common,
  -- tiers 1 and 2 have filled the list already). Each entry carries all its patient's words, so
  -- the other words are checked in the index entry itself rather than looked up patient by patient.
  IF cardinality(found_ids) < result_limit THEN
    SELECT t.word INTO driver_word
    FROM unnest(words) AS t(word)
    ORDER BY (SELECT count(*) FROM (SELECT 1 FROM patient_name_words x
                                    WHERE x.tenant_id = tenant AND x.word >= t.word AND x.word < t.word || top LIMIT 300) AS c),
             length(t.word) DESC
    LIMIT 1;
    SELECT coalesce(array_agg(p.id ORDER BY p.name_key_last_first), '{}') INTO tier_ids
    FROM (SELECT DISTINCT d.patient_id
          FROM (SELECT w.patient_id, w.all_words FROM patient_name_words w
                WHERE w.tenant_id = tenant AND w.word >= driver_word AND w.word < driver_word || top LIMIT 300) AS d
          WHERE d.patient_id <> ALL (found_ids)
            AND NOT EXISTS (SELECT 1 FROM unnest(words) AS t(word) WHERE strpos(d.all_words, ' ' || t.word) = 0)) AS m
    JOIN patients p ON p.tenant_id = tenant AND p.id = m.patient_id AND p.deleted_at IS NULL;
    tier_ids := tier_ids[1:result_limit - cardinality(found_ids)];
    found_ids := found_ids || tier_ids;
    found_scores := found_scores || array_fill(0.8::real, ARRAY[cardinality(tier_ids)]);
    found_kinds := found_kinds || array_fill('name'::text, ARRAY[cardinality(tier_ids)]);
  END IF;

  -- 4: misspellings. Each typed word of four letters or more may be one of the clinic's name
  -- words close to it, and one of three a four-letter word missing a letter (eight at most,
  -- closest first); the whole name is then looked up as in
  -- tiers 1 and 2 for each spelling (64 at most, fewest edits first): a few short index range
  -- scans, however common the names.
  IF cardinality(found_ids) < result_limit THEN
    FOR i IN 1..cardinality(words) LOOP
      -- The deletions as arrays: an index lookup by = ANY (joined as a set, the planner guesses
      -- a thousand rows and reads the whole dictionary).
      SELECT array_agg(q.deletion), array_agg(q.removed) INTO typed_deletions, typed_removed FROM word_deletions(words[i]) AS q;
      SELECT array_agg(o.word ORDER BY o.edits), array_agg(o.edits ORDER BY o.edits) INTO option_words, option_edits
      FROM ((SELECT words[i] AS word, 0 AS edits)
            UNION ALL
            (SELECT e.word, min(e.edits)
             FROM (SELECT d.word, d.removed AS stored, typed_removed[array_position(typed_deletions, d.deletion)] AS typed,
                          d.removed + typed_removed[array_position(typed_deletions, d.deletion)] AS edits
                   FROM name_word_deletions d
                   WHERE d.tenant_id = tenant AND d.deletion = ANY (typed_deletions) AND d.word <> words[i]) AS e
             WHERE (greatest(e.stored, e.typed) <= edits_allowed(words[i]) AND e.edits <= edits_allowed(words[i]) + 1)
                -- Three letters typed: a four-letter name with one letter left out ("jon", "mma").
                OR (length(words[i]) = 3 AND e.stored = 1 AND e.typed = 0)
             GROUP BY e.word
             ORDER BY 2, abs(length(e.word) - length(words[i])), e.word
             LIMIT 8)) AS o;
      SELECT array_agg(c.spelling ORDER BY c.edits, c.spelling), array_agg(c.edits ORDER BY c.edits, c.spelling)
      INTO spellings, spelling_edits
      FROM (SELECT ltrim(s.spelling || ' ' || o.word) AS spelling, s.edits + o.edits AS edits
            FROM unnest(spellings, spelling_edits) AS s(spelling, edits), unnest(option_words, option_edits) AS o(word, edits)
            ORDER BY 2 LIMIT 64) AS c;
    END LOOP;
    -- Taken in turns, one patient of each spelling at a time: "smiht" shows Smit and Smith.
    SELECT coalesce(array_agg(r.id ORDER BY r.turn, r.score DESC, r.sort_key), '{}'),
           coalesce(array_agg(r.score ORDER BY r.turn, r.score DESC, r.sort_key), '{}')
    INTO tier_ids, tier_scores
    FROM (SELECT DISTINCT ON (p.id) p.id, p.name_key_last_first AS sort_key,
                 row_number() OVER (PARTITION BY s.spelling ORDER BY m.by_surname DESC, p.name_key_last_first) AS turn,
                 (0.4 + 0.3 * greatest(similarity(folded, p.name_key), similarity(folded, p.name_key_last_first)))::real AS score
          FROM unnest(spellings, spelling_edits) AS s(spelling, edits)
          CROSS JOIN LATERAL ((SELECT x.id, false AS by_surname FROM patients x
                               WHERE x.tenant_id = tenant AND x.deleted_at IS NULL
                                 AND x.name_key >= s.spelling AND x.name_key < s.spelling || top
                               ORDER BY x.name_key LIMIT result_limit)
                              UNION ALL
                              (SELECT x.id, true FROM patients x
                               WHERE x.tenant_id = tenant AND x.deleted_at IS NULL
                                 AND x.name_key_last_first >= s.spelling AND x.name_key_last_first < s.spelling || top
                               ORDER BY x.name_key_last_first LIMIT result_limit)) AS m
          JOIN patients p ON p.tenant_id = tenant AND p.id = m.id
          WHERE s.edits > 0 AND p.id <> ALL (found_ids)
          ORDER BY p.id, turn) AS r;
    tier_ids := tier_ids[1:result_limit - cardinality(found_ids)];
    found_ids := found_ids || tier_ids;
    found_scores := found_scores || tier_scores[1:cardinality(tier_ids)];
    found_kinds := found_kinds || array_fill('similar_name'::text, ARRAY[cardinality(tier_ids)]);
  END IF;

  RETURN QUERY
  SELECT p.id, p.patient_number, p.first_name, p.middle_name, p.last_name, p.date_of_birth, p.gender,
         p.phone, p.email, p.allergies, p.alerts, r.kind, r.score
  FROM unnest(found_ids, found_scores, found_kinds) WITH ORDINALITY AS r(id, score, kind, n)
  JOIN patients p ON p.tenant_id = tenant AND p.id = r.id
  ORDER BY r.n;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.find_possible_duplicates(p_first_name text, p_last_name text, p_date_of_birth date, p_phone text, p_exclude_id uuid DEFAULT NULL::uuid)
 RETURNS TABLE(id uuid, patient_number text, first_name text, last_name text, date_of_birth date, phone text, reasons text[])
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
 SET jit TO 'off'
AS $function$
DECLARE
  tenant uuid := current_tenant_id();
  typed_phone text := CASE WHEN length(digits_only(p_phone)) >= 6 THEN p_phone END;
  typed_first text := fold_name(btrim(coalesce(p_first_name, '')));
  typed_last text := fold_name(btrim(coalesce(p_last_name, '')));
  typed_name text := btrim(typed_first || ' ' || typed_last);
BEGIN
  IF tenant IS NULL THEN
    RETURN;
  END IF;
  RETURN QUERY
  WITH matches AS (
    SELECT p.id, 'same_phone' AS reason, 0::real AS name_similarity
    FROM patients p
    WHERE p.tenant_id = tenant AND p.deleted_at IS NULL AND p.phone_e164 = typed_phone
    UNION ALL
    SELECT p.id, 'same_phone', 0
    FROM patients p
    WHERE p.tenant_id = tenant AND p.deleted_at IS NULL AND p.alternate_phone_e164 = typed_phone
    UNION ALL
    SELECT p.id, 'similar_name_same_birth_date', similarity(fold_name(p.first_name || ' ' || p.last_name), typed_name)
    FROM patients p
    WHERE p.tenant_id = tenant AND p.deleted_at IS NULL AND p.date_of_birth = p_date_of_birth
      AND typed_name <> ''
      AND (similarity(fold_name(p.first_name || ' ' || p.last_name), typed_name) >= 0.5
           -- "Jon Smith" for Jonathan Smith, "J Smith" for John Smith
           OR (fold_name(p.last_name) = typed_last
               AND (starts_with(fold_name(p.first_name), typed_first) OR starts_with(typed_first, fold_name(p.first_name)))))
  )
  SELECT p.id, p.patient_number, p.first_name, p.last_name, p.date_of_birth, p.phone,
         array_agg(DISTINCT m.reason ORDER BY m.reason)
  FROM matches m
  JOIN patients p ON p.tenant_id = tenant AND p.id = m.id
  WHERE p.id IS DISTINCT FROM p_exclude_id
  GROUP BY p.tenant_id, p.id
  -- Name and birth date outweigh a shared phone (families share one).
  ORDER BY bool_or(m.reason = 'similar_name_same_birth_date') DESC, count(DISTINCT m.reason) DESC,
           max(m.name_similarity) DESC, p.patient_number
  LIMIT 10;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.finish_sign_in_attempt(p_tenant_id uuid, p_email text, p_password_matched boolean, p_user_agent text DEFAULT NULL::text)
 RETURNS TABLE(outcome text, user_id uuid, locked_until timestamp with time zone)
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  counters record;
  account users;
  failures integer;
  lock_end timestamptz;
BEGIN
  IF NOT session_is_owner() THEN
    RAISE EXCEPTION 'Only the trusted process signs staff in' USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM set_config('app.current_tenant_id', p_tenant_id::text, true);
  counters := sign_in_counters(p_tenant_id, p_email);
  account := counters.account;
  failures := counters.failures;
  lock_end := counters.lock_end;
  IF account.id IS NOT NULL AND p_password_matched THEN
    failures := 0;
    lock_end := NULL;
    outcome := CASE WHEN account.is_active THEN 'signed_in' ELSE 'disabled' END;
    IF account.is_active THEN
      UPDATE users u SET last_login_at = now() WHERE u.tenant_id = p_tenant_id AND u.id = account.id;
    END IF;
  ELSIF failures >= (sign_in_policy()).max_failures THEN
    lock_end := coalesce(lock_end, now() + make_interval(mins => (sign_in_policy()).lock_minutes));
    outcome := 'locked';
  ELSE
    outcome := 'wrong_password';
  END IF;
  PERFORM save_sign_in_counters(p_tenant_id, p_email, account.id, failures, lock_end);
  PERFORM log_sign_in(p_tenant_id, account.id, p_email,
    CASE outcome WHEN 'signed_in' THEN 'auth.sign_in' WHEN 'locked' THEN 'auth.locked_out' ELSE 'auth.sign_in_failed' END,
    CASE WHEN outcome = 'signed_in' THEN 'Signed in'
         WHEN account.id IS NULL AND outcome = 'locked' THEN 'Sign-ins for an unknown email locked after repeated failures'
         WHEN account.id IS NULL THEN 'Failed sign-in for an unknown email'
         WHEN outcome = 'locked' THEN 'Account locked after repeated failed sign-ins'
         WHEN outcome = 'disabled' THEN 'Sign-in refused: the account is disabled'
         ELSE 'Failed sign-in' END,
    p_user_agent);
  user_id := CASE WHEN outcome IN ('signed_in', 'disabled') THEN account.id END;
  locked_until := CASE WHEN outcome = 'locked' THEN lock_end END;
  RETURN NEXT;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.fold_name(input text, alternate boolean DEFAULT false)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN (octet_length(input) = length(input)) THEN btrim(regexp_replace(lower(translate(input, '''`'::text, ''::text)), '[[:space:][:punct:]]+'::text, ' '::text, 'g'::text)) ELSE btrim(regexp_replace(lower(translate(replace(replace(replace(replace(replace(replace(replace(replace(regexp_replace(CASE WHEN alternate THEN regexp_replace(regexp_replace(replace(replace(NORMALIZE(COALESCE(input, ''::text), NFD), 'ø'::text, 'oe'::text), 'Ø'::text, 'Oe'::text), '([AOUaou])\u0308'::text, '\1e'::text, 'g'::text), '([Aa])\u030A'::text, '\1a'::text, 'g'::text) ELSE NORMALIZE(COALESCE(input, ''::text), NFD) END, '[\u0300-\u036F''’ʼ‘`´]'::text, ''::text, 'g'::text), 'ß'::text, 'ss'::text), 'ẞ'::text, 'ss'::text), 'æ'::text, 'ae'::text), 'Æ'::text, 'ae'::text), 'œ'::text, 'oe'::text), 'Œ'::text, 'oe'::text), 'þ'::text, 'th'::text), 'Þ'::text, 'th'::text), 'ØøŁłĐđıĦħŦŧ'::text, 'OoLlDdiHhTt'::text)), '[[:space:][:punct:]‐‑–—“”„«»]+'::text, ' '::text, 'g'::text)) END
GRANT EXECUTE ON FUNCTION fold_name(text,boolean) TO PUBLIC;

CREATE OR REPLACE FUNCTION public.fold_text(input text)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
RETURN lower(translate(input, 'ÀÁÂÃÄÅĀĂĄàáâãäåāăąÇĆČçćčĎďÈÉÊËĒĖĘĚèéêëēėęěĞğÌÍÎÏĪĮİìíîïīįıŁłÑŃŇñńňÒÓÔÕÖØŌŐòóôõöøōőŘřŚŠŞśšşŤťÙÚÛÜŪŮŰŲùúûüūůűųÝŸýÿŹŻŽźżž'::text, 'AAAAAAAAAaaaaaaaaaCCCcccDdEEEEEEEEeeeeeeeeGgIIIIIIIiiiiiiiLlNNNnnnOOOOOOOOooooooooRrSSSsssTtUUUUUUUUuuuuuuuuYYyyZZZzzz'::text))
GRANT EXECUTE ON FUNCTION fold_text(text) TO PUBLIC;
GRANT EXECUTE ON FUNCTION fold_text(text) TO clinic_app;

CREATE OR REPLACE FUNCTION public.follow_report()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  test record;
BEGIN
  IF current_app_user_id() IS NULL OR NEW.tenant_id IS DISTINCT FROM current_tenant_id() OR guard_passed(TG_RELID, TG_NAME) THEN
    RETURN NULL; -- (an imported report's test keeps the status it had)
  END IF;
  SELECT t.id, t.status, t.doctor_id, t.test_name, p.first_name || ' ' || p.last_name AS patient_name
    INTO test
  FROM diagnostic_tests t JOIN patients p ON p.tenant_id = t.tenant_id AND p.id = t.patient_id
  WHERE t.tenant_id = NEW.tenant_id AND t.id = NEW.diagnostic_test_id;
  IF test.status = 'in_progress' THEN
    UPDATE diagnostic_tests SET status = 'completed' WHERE tenant_id = NEW.tenant_id AND id = test.id;
  ELSIF test.status = 'completed' AND NEW.verified_at IS NOT NULL THEN
    UPDATE diagnostic_tests SET status = 'verified' WHERE tenant_id = NEW.tenant_id AND id = test.id;
  END IF;
  IF NEW.is_critical AND (TG_OP = 'INSERT' OR NOT OLD.is_critical OR NEW.result_values IS DISTINCT FROM OLD.result_values) THEN
    INSERT INTO notifications (tenant_id, user_id, title, message, type, priority, related_entity_type, related_entity_id)
    VALUES (NEW.tenant_id, test.doctor_id, 'Critical result: ' || test.patient_name,
            test.test_name || ': ' || (SELECT string_agg(f, '; ') FROM jsonb_array_elements_text(NEW.abnormal_findings) f),
            'test_result', 'urgent', 'diagnostic_test', test.id);
  END IF;
  RETURN NULL;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.follow_up_slots(p_visit_id uuid, p_from date, p_days integer, p_minutes integer)
 RETURNS TABLE(starts_at timestamp with time zone, local_date text, local_time text)
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
  WITH candidate AS (
    SELECT a.doctor_id, c.timezone, s.starts_at
    FROM appointments a
    JOIN clinics c ON c.tenant_id = a.tenant_id AND c.id = a.clinic_id
    JOIN users u ON u.tenant_id = a.tenant_id AND u.id = a.doctor_id
    CROSS JOIN LATERAL generate_series(0, least(greatest(p_days, 1), 31) - 1) AS d(day)
    CROSS JOIN LATERAL generate_series(clinic_instant(p_from + d.day, time '00:00', c.timezone),
                                       clinic_instant(p_from + d.day + 1, time '00:00', c.timezone) - interval '1 minute',
                                       make_interval(mins => p_minutes)) AS s(starts_at)
    WHERE a.id = p_visit_id AND p_minutes BETWEEN 5 AND 240
      AND s.starts_at > now()
      AND within_hours(c.opening_hours, s.starts_at AT TIME ZONE c.timezone, p_minutes)
      AND (u.working_hours IS NULL OR within_hours(u.working_hours, s.starts_at AT TIME ZONE c.timezone, p_minutes))
      AND NOT EXISTS (
        SELECT 1 FROM appointments b
        WHERE b.doctor_id = a.doctor_id AND NOT b.is_walk_in AND b.status NOT IN ('cancelled', 'no_show')
          AND tstzrange(b.starts_at, b.ends_at, '[)') && tstzrange(s.starts_at, s.starts_at + make_interval(mins => p_minutes), '[)'))
  ), dated AS (
    SELECT starts_at, to_char(starts_at AT TIME ZONE timezone, 'YYYY-MM-DD') AS local_date,
           to_char(starts_at AT TIME ZONE timezone, 'HH24:MI') AS local_time
    FROM candidate
  )
  SELECT starts_at, local_date, local_time FROM dated
  WHERE local_date = (SELECT min(local_date) FROM dated)
  ORDER BY starts_at
$function$
GRANT EXECUTE ON FUNCTION follow_up_slots(uuid,date,integer,integer) TO clinic_app;

CREATE OR REPLACE FUNCTION public.forget_deleted_patient_names()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    TRUNCATE patient_name_words;
  ELSE
    -- Under the deleting session's clinic, as the delete's own audit rows are: a patient is
    -- deleted only by a session set to its clinic (the audit trigger refuses any other).
    DELETE FROM patient_name_words w USING gone_patients g WHERE w.tenant_id = g.tenant_id AND w.patient_id = g.id;
  END IF;
  RETURN NULL;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.forget_stale_phone_keys()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  IF NEW.phone IS DISTINCT FROM OLD.phone AND NEW.phone_e164 IS NOT DISTINCT FROM OLD.phone_e164 THEN
    NEW.phone_e164 := NULL;
  END IF;
  IF NEW.alternate_phone IS DISTINCT FROM OLD.alternate_phone
     AND NEW.alternate_phone_e164 IS NOT DISTINCT FROM OLD.alternate_phone_e164 THEN
    NEW.alternate_phone_e164 := NULL;
  END IF;
  RETURN NEW;
END $function$
GRANT EXECUTE ON FUNCTION forget_stale_phone_keys() TO PUBLIC;

CREATE OR REPLACE FUNCTION public.get_patient_dashboard(p_patient_id uuid)
 RETURNS jsonb
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
  SELECT jsonb_build_object(
    'patient', to_jsonb(p) - 'search_name' - 'phone_digits',
    'summary', (SELECT to_jsonb(s) FROM patient_summary s WHERE s.patient_id = p.id),
    'upcoming_appointments', coalesce((
      SELECT jsonb_agg(to_jsonb(a) ORDER BY a.starts_at) FROM (
        SELECT id, appointment_number, starts_at, ends_at, status, appointment_type, doctor_id, reason
        FROM appointments WHERE patient_id = p.id AND starts_at >= now()
          AND status IN ('scheduled', 'confirmed', 'checked_in') ORDER BY starts_at LIMIT 10) a), '[]'),
    'recent_appointments', coalesce((
      SELECT jsonb_agg(to_jsonb(a) ORDER BY a.starts_at DESC) FROM (
        SELECT id, appointment_number, starts_at, status, appointment_type, doctor_id, diagnosis
        FROM appointments WHERE patient_id = p.id AND starts_at < now()
        ORDER BY starts_at DESC LIMIT 10) a), '[]'),
    'active_prescriptions', coalesce((
      SELECT jsonb_agg(to_jsonb(rx) ORDER BY rx.prescribed_at DESC) FROM (
        SELECT id, medication_name, strength, dosage, frequency, route, prescribed_at, end_date
        FROM prescriptions WHERE patient_id = p.id AND status = 'active') rx), '[]'),
    'recent_tests', coalesce((
      SELECT jsonb_agg(to_jsonb(t) ORDER BY t.ordered_at DESC) FROM (
        SELECT dt.id, dt.test_number, dt.test_name, dt.status, dt.ordered_at,
               tr.report_number, tr.is_abnormal, tr.is_critical, tr.report_status
        FROM diagnostic_tests dt
        LEFT JOIN test_reports tr ON tr.tenant_id = dt.tenant_id AND tr.diagnostic_test_id = dt.id
        WHERE dt.patient_id = p.id ORDER BY dt.ordered_at DESC LIMIT 10) t), '[]'),
    'open_invoices', coalesce((
      SELECT jsonb_agg(to_jsonb(i) ORDER BY i.invoice_date) FROM (
        SELECT id, invoice_number, invoice_date, due_date, total_amount, amount_paid, balance_due, status
        FROM invoices WHERE patient_id = p.id AND status IN ('issued', 'partially_paid', 'overdue')) i), '[]')
  )
  FROM patients p
  WHERE p.id = p_patient_id AND p.tenant_id = current_tenant_id()
$function$
GRANT EXECUTE ON FUNCTION get_patient_dashboard(uuid) TO PUBLIC;
GRANT EXECUTE ON FUNCTION get_patient_dashboard(uuid) TO clinic_app;

CREATE OR REPLACE FUNCTION public.guard_invoice_edits()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  -- What the database itself derives (balance_due is not computed yet in a BEFORE trigger).
  derived CONSTANT text[] := ARRAY['amount_paid', 'amount_credited', 'paid_at', 'updated_at', 'balance_due'];
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NOT (current_app_user_id() IS NULL AND session_is_owner()) THEN
      IF NEW.status NOT IN ('draft', 'issued') THEN
        RAISE EXCEPTION 'An invoice is written as a draft, or issued at once'
          USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
      END IF;
      NEW.amount_paid := 0;
      NEW.amount_credited := 0;
      NEW.paid_at := NULL;
      NEW.voided_at := NULL;
    END IF;
    RETURN NEW;
  END IF;
  IF OLD.status <> 'draft' AND NEW.deleted_at IS DISTINCT FROM OLD.deleted_at THEN
    RAISE EXCEPTION 'An issued invoice is never archived: void it or correct it with a credit note'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  IF (current_app_user_id() IS NULL AND session_is_owner()) OR guard_passed(TG_RELID, TG_NAME) THEN
    RETURN NEW; -- the owner's own work, or the database settling it (settle_invoice, maintenance, a merge)
  END IF;
  IF OLD.status = 'draft' THEN
    IF NEW.status NOT IN ('draft', 'issued')
       OR (NEW.kind, NEW.credited_invoice_id, NEW.invoice_number, NEW.amount_paid, NEW.amount_credited, NEW.paid_at)
          IS DISTINCT FROM (OLD.kind, OLD.credited_invoice_id, OLD.invoice_number, OLD.amount_paid, OLD.amount_credited, OLD.paid_at) THEN
      RAISE EXCEPTION 'A draft is edited and issued; its number, payments and credits come from the database'
        USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.status = 'cancelled' AND OLD.status IN ('issued', 'overdue') AND OLD.kind = 'invoice'
     AND OLD.amount_paid = 0 AND OLD.amount_credited = 0
     AND to_jsonb(NEW) - derived - ARRAY['status', 'void_reason', 'voided_at'] = to_jsonb(OLD) - derived - ARRAY['status', 'void_reason', 'voided_at'] THEN
    NEW.voided_at := now();
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'An issued invoice is never edited: void it while nothing is paid, or correct it with a credit note'
    USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.guard_passed(p_table regclass, p_guard name)
 RETURNS boolean
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  RETURN EXISTS (SELECT 1 FROM guard_passes g
                 WHERE g.xact = pg_current_xact_id_if_assigned() AND g.guarded_table = p_table AND g.guard = p_guard);
END $function$
GRANT EXECUTE ON FUNCTION guard_passed(regclass,name) TO clinic_app;

CREATE OR REPLACE FUNCTION public.guard_payment_edits()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  IF NEW.deleted_at IS DISTINCT FROM OLD.deleted_at
     OR ((to_jsonb(NEW) - 'notes' - 'updated_at') <> (to_jsonb(OLD) - 'notes' - 'updated_at')
         AND NOT (current_app_user_id() IS NULL AND session_is_owner()) AND NOT guard_passed(TG_RELID, TG_NAME)) THEN
    RAISE EXCEPTION 'A payment is never changed or archived: refund it instead'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  RETURN NEW;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.import_clinic_records(p_records jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  tenant uuid := current_tenant_id();
  clinic uuid := current_app_clinic_id();
  missing_role text;
  counts jsonb;
  -- History keeps its authors, times and statuses: the guards that would stamp the administrator
  -- and now() on it are passed, by this transaction only, until the rows are written.
  passes CONSTANT text[] := ARRAY['patients.stamp_author', 'appointments.stamp_author', 'medical_records.stamp_author',
                                  'medical_records.lock_signed_note', 'prescriptions.stamp_author',
                                  'diagnostic_tests.check_test_status_change', 'test_reports.stamp_author',
                                  'test_reports.verify_by_second_person', 'test_reports.follow_report', 'documents.stamp_author'];
BEGIN
  PERFORM require_permission('admin.maintenance');
  PERFORM 1 FROM clinics c WHERE c.tenant_id = tenant AND c.id = clinic FOR UPDATE;
  IF EXISTS (SELECT 1 FROM patients p WHERE p.tenant_id = tenant) THEN
    RAISE EXCEPTION 'This clinic already has patients: a FHIR Bundle is imported into an empty clinic only.'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'import_into_empty_clinic', HINT = 'clinicdesk:user-message';
  END IF;
  SELECT u ->> 'role' INTO missing_role FROM jsonb_array_elements(p_records -> 'users') u
  WHERE NOT EXISTS (SELECT 1 FROM roles r WHERE r.tenant_id = tenant AND r.name = u ->> 'role') LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'The Bundle names a staff role this clinic does not have: %.', missing_role
      USING ERRCODE = 'check_violation', CONSTRAINT = 'import_staff_role', HINT = 'clinicdesk:user-message';
  END IF;

  PERFORM take_guard_passes(VARIADIC passes);

  INSERT INTO users (tenant_id, id, clinic_id, role_id, email, password_hash, title, first_name, last_name, phone, gender,
                     date_of_birth, specialization, license_number, qualification, is_active, password_change_required)
  SELECT tenant, r.id, clinic, (SELECT o.id FROM roles o WHERE o.tenant_id = tenant AND o.name = e.value ->> 'role'),
         r.email, 'scrypt$imported', r.title, r.first_name, r.last_name, r.phone, r.gender, r.date_of_birth,
         r.specialization, r.license_number, r.qualification, false, true
  FROM jsonb_array_elements(p_records -> 'users') WITH ORDINALITY e, jsonb_populate_record(NULL::users, e.value) r
  ORDER BY e.ordinality;

  INSERT INTO patients (tenant_id, id, clinic_id, patient_number, first_name, middle_name, last_name, date_of_birth, gender,
                        blood_group, marital_status, occupation, preferred_language, national_id, email, phone, alternate_phone,
                        address_line1, address_line2, city, state, postal_code, country, emergency_contact_name,
                        emergency_contact_phone, emergency_contact_relationship, allergies, medical_history,
                        current_medications, alerts, primary_care_physician_id, notes, is_active, created_by)
  SELECT tenant, r.id, clinic, '', r.first_name, r.middle_name, r.last_name, r.date_of_birth, r.gender,
         r.blood_group, r.marital_status, r.occupation, r.preferred_language, r.national_id, r.email, r.phone, r.alternate_phone,
         r.address_line1, r.address_line2, r.city, r.state, r.postal_code, r.country, r.emergency_contact_name,
         r.emergency_contact_phone, r.emergency_contact_relationship, r.allergies, r.medical_history,
         r.current_medications, r.alerts, r.primary_care_physician_id, r.notes, r.is_active, NULL
  FROM jsonb_array_elements(p_records -> 'patients') WITH ORDINALITY e, jsonb_populate_record(NULL::patients, e.value) r
  ORDER BY e.ordinality;

  INSERT INTO appointments (tenant_id, id, clinic_id, appointment_number, patient_id, doctor_id, appointment_type, starts_at,
                            ends_at, status, is_walk_in, reason, notes, cancellation_reason, created_at, created_by)
  SELECT tenant, r.id, clinic, '', r.patient_id, r.doctor_id, r.appointment_type, r.starts_at,
         r.ends_at, r.status, r.is_walk_in, r.reason, r.notes, r.cancellation_reason, r.created_at, NULL
  FROM jsonb_array_elements(p_records -> 'appointments') WITH ORDINALITY e, jsonb_populate_record(NULL::appointments, e.value) r
  ORDER BY e.ordinality;

  INSERT INTO medical_records (tenant_id, id, patient_id, doctor_id, appointment_id, record_type, record_date, chief_complaint,
                               history_of_present_illness, vital_signs, physical_examination, assessment, diagnosis,
                               treatment_plan, clinical_data, is_confidential, signed_at)
  SELECT tenant, r.id, r.patient_id, r.doctor_id, r.appointment_id, r.record_type, r.record_date, r.chief_complaint,
         r.history_of_present_illness, r.vital_signs, r.physical_examination, r.assessment, r.diagnosis,
         r.treatment_plan, r.clinical_data, r.is_confidential, r.signed_at
  FROM jsonb_array_elements(p_records -> 'medical_records') WITH ORDINALITY e, jsonb_populate_record(NULL::medical_records, e.value) r
  ORDER BY e.ordinality;

  INSERT INTO prescriptions (tenant_id, id, patient_id, doctor_id, appointment_id, medical_record_id, medication_name,
                             generic_name, strength, dosage_form, dosage, frequency, route, duration_days, quantity,
                             refills_allowed, refills_used, instructions, start_date, end_date, status, discontinued_reason,
                             prescribed_at, warnings_overridden, override_reason)
  SELECT tenant, r.id, r.patient_id, r.doctor_id, r.appointment_id, r.medical_record_id, r.medication_name,
         r.generic_name, r.strength, r.dosage_form, r.dosage, r.frequency, r.route, r.duration_days, r.quantity,
         r.refills_allowed, r.refills_used, r.instructions, r.start_date, r.end_date, r.status, r.discontinued_reason,
         r.prescribed_at, r.warnings_overridden, r.override_reason
  FROM jsonb_array_elements(p_records -> 'prescriptions') WITH ORDINALITY e, jsonb_populate_record(NULL::prescriptions, e.value) r
  ORDER BY e.ordinality;

  INSERT INTO diagnostic_tests (tenant_id, id, clinic_id, test_number, patient_id, doctor_id, appointment_id, test_name,
                                test_code, test_category, specimen_type, priority, status, ordered_at, scheduled_at,
                                sample_collected_at, completed_at, instructions, clinical_notes, performing_lab, created_by)
  SELECT tenant, r.id, clinic, '', r.patient_id, r.doctor_id, r.appointment_id, r.test_name,
         r.test_code, r.test_category, r.specimen_type, r.priority, r.status, r.ordered_at, r.scheduled_at,
         r.sample_collected_at, r.completed_at, r.instructions, r.clinical_notes, r.performing_lab, r.doctor_id
  FROM jsonb_array_elements(p_records -> 'diagnostic_tests') WITH ORDINALITY e, jsonb_populate_record(NULL::diagnostic_tests, e.value) r
  ORDER BY e.ordinality;

  INSERT INTO test_reports (tenant_id, id, report_number, diagnostic_test_id, patient_id, findings, interpretation,
                            recommendations, result_values, abnormal_findings, is_abnormal, is_critical, report_status,
                            reported_by, reported_at, verified_by, verified_at)
  SELECT tenant, r.id, '', r.diagnostic_test_id, r.patient_id, r.findings, r.interpretation,
         r.recommendations, r.result_values, r.abnormal_findings, r.is_abnormal, r.is_critical, r.report_status,
         r.reported_by, r.reported_at, r.verified_by, r.verified_at
  FROM jsonb_array_elements(p_records -> 'test_reports') WITH ORDINALITY e, jsonb_populate_record(NULL::test_reports, e.value) r
  ORDER BY e.ordinality;

  INSERT INTO documents (tenant_id, id, patient_id, user_id, appointment_id, document_type, title, description, file_name,
                         storage_key, mime_type, file_size, checksum_sha256, version, is_confidential, access_level, tags,
                         created_at)
  SELECT tenant, r.id, r.patient_id, r.user_id, r.appointment_id, r.document_type, r.title, r.description, r.file_name,
         r.storage_key, r.mime_type, r.file_size, r.checksum_sha256, r.version, r.is_confidential, r.access_level, r.tags,
         r.created_at
  FROM jsonb_array_elements(p_records -> 'documents') WITH ORDINALITY e, jsonb_populate_record(NULL::documents, e.value) r
  ORDER BY e.ordinality;

  PERFORM end_guard_passes(VARIADIC passes);

  SELECT jsonb_object_agg(k, jsonb_array_length(coalesce(p_records -> k, '[]')))
    INTO counts
  FROM unnest(ARRAY['users', 'patients', 'appointments', 'medical_records', 'prescriptions', 'diagnostic_tests',
                    'test_reports', 'documents']) k;
  RETURN counts;
END $function$
GRANT EXECUTE ON FUNCTION import_clinic_records(jsonb) TO clinic_app;

CREATE OR REPLACE FUNCTION public.import_patients(p_rows jsonb, p_import uuid DEFAULT gen_random_uuid(), OUT imported integer, OUT first_number text, OUT last_number text)
 RETURNS record
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  tenant uuid := current_tenant_id();
  clinic uuid := current_app_clinic_id();
  author uuid := current_app_user_id();
  last_taken bigint;
  first_taken bigint;
  offline constant boolean := version() LIKE '%PGlite%';
  replication_role text := current_setting('session_replication_role');
BEGIN
  PERFORM require_permission('patients.write');
  IF author IS NULL OR clinic IS NULL THEN
    RAISE EXCEPTION 'Patients are imported by a signed-in staff member' USING ERRCODE = 'insufficient_privilege';
  END IF;
  imported := jsonb_array_length(p_rows);
  IF imported = 0 THEN
    RETURN;
  END IF;
  -- The whole batch's numbers at once, under the counter's row lock as a registration takes one.
  INSERT INTO number_sequences AS s (tenant_id, kind, period, last_value)
  VALUES (tenant, 'patients', 0, imported)
  ON CONFLICT (tenant_id, kind, period) DO UPDATE SET last_value = s.last_value + imported
  RETURNING s.last_value INTO last_taken;
  first_taken := last_taken - imported + 1;

  -- The numbers and author given here are kept, and the audit rows are written here.
  IF offline THEN
    -- Every row's keys point at this clinic and this author: checked once here rather than per row.
    IF NOT EXISTS (SELECT 1 FROM clinics c WHERE c.tenant_id = tenant AND c.id = clinic)
       OR NOT EXISTS (SELECT 1 FROM users u WHERE u.tenant_id = tenant AND u.id = author) THEN
      RAISE EXCEPTION 'Patients are imported into an existing clinic by an existing staff member'
        USING ERRCODE = 'foreign_key_violation';
    END IF;
    PERFORM set_config('session_replication_role', 'replica', true);
  ELSE
    PERFORM take_guard_passes('patients.assign_patient_number', 'patients.stamp_author', 'patients.audit_new_patients');
  END IF;
  WITH added AS (
    INSERT INTO patients (tenant_id, clinic_id, patient_number, created_by, first_name, middle_name, last_name, date_of_birth,
                          gender, phone, alternate_phone, email, address_line1, address_line2, city, postal_code, country,
                          national_id, insurance_info, notes, phone_e164, alternate_phone_e164)
    SELECT tenant, clinic, 'P-' || lpad((first_taken - 1 + r.n)::text, 6, '0'), author, r.first_name, r.middle_name,
           r.last_name, r.date_of_birth, r.gender, r.phone, r.alternate_phone, r.email, r.address_line1, r.address_line2,
           r.city, r.postal_code, r.country, r.national_id, coalesce(r.insurance_info, '{}'), r.notes, r.phone_e164,
           r.alternate_phone_e164
    FROM ROWS FROM (jsonb_to_recordset(p_rows) AS (first_name text, middle_name text, last_name text, date_of_birth date,
                    gender text, phone text, alternate_phone text, email text, address_line1 text, address_line2 text,
                    city text, postal_code text, country text, national_id text, insurance_info jsonb, notes text,
                    phone_e164 text, alternate_phone_e164 text))
         WITH ORDINALITY AS r(first_name, middle_name, last_name, date_of_birth, gender, phone, alternate_phone, email,
                              address_line1, address_line2, city, postal_code, country, national_id, insurance_info, notes,
                              phone_e164, alternate_phone_e164, n)
    ORDER BY r.n
    RETURNING id, patient_number, first_name, middle_name, last_name, date_of_birth, gender, phone, alternate_phone, email,
              address_line1, address_line2, city, postal_code, country, national_id, insurance_info, notes, phone_e164,
              alternate_phone_e164
  )
  INSERT INTO audit_logs (tenant_id, user_id, action, table_name, record_id, new_values)
  SELECT tenant, author, 'INSERT', 'patients', a.id,
         -- A row's values by their column names (to_jsonb of a subquery's row builds the object in
         -- half the time jsonb_build_object takes with 23 pairs); blanks left out.
         (SELECT jsonb_strip_nulls(to_jsonb(entered))
          FROM (SELECT a.patient_number, a.first_name, a.middle_name, a.last_name, a.date_of_birth, a.gender, a.phone,
                       a.alternate_phone, a.email, a.address_line1, a.address_line2, a.city, a.postal_code, a.country,
                       a.national_id, nullif(a.insurance_info, '{}') AS insurance_info, a.notes,
                       -- The phones' search keys come from the caller (as a registration's do): audited as stored.
                       a.phone_e164, a.alternate_phone_e164,
                       (SELECT source FROM (SELECT p_import AS import,
                                                   -- The patient's place in the batch is its number's place in the batch's numbers.
                                                   p_rows -> (substr(a.patient_number, 3)::bigint - first_taken)::integer -> 'file_row'
                                                     AS file_row) AS source) AS imported) AS entered)
  FROM added a;
  IF offline THEN
    PERFORM set_config('session_replication_role', replication_role, true);
  ELSE
    PERFORM end_guard_passes('patients.assign_patient_number', 'patients.stamp_author', 'patients.audit_new_patients');
  END IF;
  first_number := 'P-' || lpad(first_taken::text, 6, '0');
  last_number := 'P-' || lpad(last_taken::text, 6, '0');
END $function$
GRANT EXECUTE ON FUNCTION import_patients(jsonb,uuid) TO clinic_app;

CREATE OR REPLACE FUNCTION public.index_new_patient_names()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  remembered integer;
BEGIN
  -- Each distinct first, middle or last name of the statement folded once, for the patients'
  -- entries and for the clinic's dictionary alike.
  WITH parts AS (
    SELECT n.tenant_id, n.id, part FROM new_patients n, unnest(ARRAY[n.first_name, n.middle_name, n.last_name]) AS part
    WHERE part IS NOT NULL
  ),
  folded AS MATERIALIZED (
    SELECT d.tenant_id, d.part, w FROM (SELECT DISTINCT tenant_id, part FROM parts) d, unnest(name_words(d.part)) AS w
  ),
  indexed AS (
    INSERT INTO patient_name_words (tenant_id, patient_id, word, all_words)
    SELECT e.tenant_id, e.id, e.w, ' ' || string_agg(e.w, ' ') OVER (PARTITION BY e.tenant_id, e.id) || ' '
    FROM (SELECT DISTINCT p.tenant_id, p.id, f.w FROM parts p JOIN folded f ON f.tenant_id = p.tenant_id AND f.part = p.part) AS e
  )
  SELECT count(remember_name_words(clinic.tenant_id, clinic.words)) INTO remembered
  FROM (SELECT tenant_id, array_agg(DISTINCT w) AS words FROM folded GROUP BY tenant_id) AS clinic;
  RETURN NULL;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.index_patient_name()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  words text[] := name_words(concat_ws(' ', NEW.first_name, NEW.middle_name, NEW.last_name));
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM patient_name_words WHERE tenant_id = OLD.tenant_id AND patient_id = OLD.id;
  END IF;
  INSERT INTO patient_name_words (tenant_id, patient_id, word, all_words)
  SELECT NEW.tenant_id, NEW.id, w, ' ' || array_to_string(words, ' ') || ' ' FROM unnest(words) AS w;
  PERFORM remember_name_words(NEW.tenant_id, words);
  RETURN NULL;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.keep_an_administrator()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  -- Only a change that took an administrator away counts (a clinic being set up has none yet).
  IF NOT EXISTS (
    SELECT 1 FROM roles r
    WHERE r.tenant_id = OLD.tenant_id AND r.id = CASE TG_TABLE_NAME WHEN 'users' THEN (to_jsonb(OLD) ->> 'role_id')::uuid
                                                                   ELSE (to_jsonb(OLD) ->> 'id')::uuid END
      AND r.permissions ? 'admin.users' OR (TG_TABLE_NAME = 'roles' AND (to_jsonb(OLD) -> 'permissions') ? 'admin.users'))
  THEN
    RETURN NULL;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('clinicdesk.administrators:' || OLD.tenant_id::text, 0));
  -- A new statement, so a new snapshot: what a concurrent demotion committed while we waited is seen.
  IF NOT EXISTS (
    SELECT 1 FROM users u JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id
    WHERE u.tenant_id = NEW.tenant_id AND u.deleted_at IS NULL AND u.is_active
      AND r.deleted_at IS NULL AND r.is_active AND r.permissions ? 'admin.users')
  THEN
    RAISE EXCEPTION 'The clinic must keep at least one active administrator'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'last_administrator';
  END IF;
  RETURN NULL;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.keep_report_honest()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  me uuid := current_app_user_id();
  test_status text;
BEGIN
  IF me IS NULL OR guard_passed(TG_RELID, TG_NAME) THEN
    RETURN NEW; -- the owner's own work (demo data, the operator), or history imported: as it happened
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.verified_at IS NOT NULL THEN
    RAISE EXCEPTION 'These results are verified and can no longer be changed.'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  IF TG_OP = 'INSERT' AND (NEW.verified_at IS NOT NULL OR NEW.verified_by IS NOT NULL) THEN
    RAISE EXCEPTION 'Results are verified by a second person, after they are entered.'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  IF TG_OP = 'INSERT' OR (NEW.result_values, NEW.findings, NEW.interpretation, NEW.recommendations)
                         IS DISTINCT FROM (OLD.result_values, OLD.findings, OLD.interpretation, OLD.recommendations) THEN
    IF TG_OP = 'UPDATE' AND NEW.verified_at IS NOT NULL THEN
      RAISE EXCEPTION 'Results are verified as they were entered, not changed and verified at once.'
        USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
    END IF;
    IF NOT app_may('tests.report') THEN
      RAISE EXCEPTION 'Your role does not allow this (needs tests.report)'
        USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
    END IF;
    SELECT t.status INTO test_status FROM diagnostic_tests t WHERE t.tenant_id = NEW.tenant_id AND t.id = NEW.diagnostic_test_id;
    IF test_status IS NULL OR test_status NOT IN ('in_progress', 'completed') THEN
      RAISE EXCEPTION 'Results are entered once the sample is at the laboratory (this test is: %).', coalesce(replace(test_status, '_', ' '), 'not found')
        USING ERRCODE = 'check_violation', CONSTRAINT = 'test_report_status';
    END IF;
    SELECT coalesce(jsonb_agg(e.entry || jsonb_build_object('flag', result_flag(e.entry)) ORDER BY e.n), '[]')
      INTO NEW.result_values
    FROM jsonb_array_elements(NEW.result_values) WITH ORDINALITY AS e (entry, n);
    NEW.abnormal_findings := coalesce((
      SELECT jsonb_agg(concat_ws(' ', e ->> 'parameter', e ->> 'value', e ->> 'unit', '(' || replace(e ->> 'flag', '_', ' ') || ')'))
      FROM jsonb_array_elements(NEW.result_values) e WHERE e ->> 'flag' NOT IN ('normal')), '[]');
    NEW.is_abnormal := NEW.abnormal_findings <> '[]';
    NEW.is_critical := EXISTS (SELECT 1 FROM jsonb_array_elements(NEW.result_values) e WHERE e ->> 'flag' LIKE 'critical%');
    NEW.reported_by := me;
    NEW.reported_at := now();
    NEW.report_status := 'preliminary';
    RETURN NEW;
  END IF;
  IF (NEW.is_abnormal, NEW.is_critical, NEW.abnormal_findings, NEW.reported_by, NEW.reported_at)
     IS DISTINCT FROM (OLD.is_abnormal, OLD.is_critical, OLD.abnormal_findings, OLD.reported_by, OLD.reported_at) THEN
    RAISE EXCEPTION 'Flags and the person who entered results follow from the values.'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  IF NEW.verified_at IS NOT NULL THEN
    IF OLD.reported_by = me THEN
      RAISE EXCEPTION 'Results are verified by a second person: you entered these.'
        USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
    END IF;
    SELECT t.status INTO test_status FROM diagnostic_tests t WHERE t.tenant_id = NEW.tenant_id AND t.id = NEW.diagnostic_test_id;
    IF test_status IS DISTINCT FROM 'completed' THEN
      RAISE EXCEPTION 'Only completed results can be verified.' USING ERRCODE = 'check_violation', CONSTRAINT = 'test_report_status';
    END IF;
    NEW.verified_at := now();
    NEW.report_status := 'final';
  END IF;
  RETURN NEW;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.keep_test_confidentiality()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  IF NEW.is_confidential IS DISTINCT FROM OLD.is_confidential THEN
    RAISE EXCEPTION 'Whether a test is confidential is decided when it is ordered.'
      USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  RETURN NEW;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.lock_signed_note()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  signer uuid := current_app_user_id();
BEGIN
  IF TG_OP = 'INSERT' THEN
    -- Written and signed at once: the signature's time is the database's, not the caller's
    -- (an imported note keeps the time it was signed).
    IF NEW.signed_at IS NOT NULL AND signer IS NOT NULL AND NOT guard_passed(TG_RELID, TG_NAME) THEN
      NEW.signed_at := now();
    END IF;
    RETURN NEW;
  END IF;
  IF OLD.signed_at IS NOT NULL THEN
    IF guard_passed(TG_RELID, TG_NAME) THEN
      RETURN NEW; -- a merge moving the note to the survivor's chart
    END IF;
    RAISE EXCEPTION 'This note is signed and can no longer be changed. Add an addendum instead.'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  IF signer IS NULL THEN
    RETURN NEW; -- the owner's own work (demo data, the operator)
  END IF;
  IF NEW.doctor_id IS DISTINCT FROM OLD.doctor_id THEN
    RAISE EXCEPTION 'The author of a note cannot be changed.'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  IF NEW.signed_at IS NOT NULL THEN
    IF OLD.doctor_id IS DISTINCT FROM signer THEN
      RAISE EXCEPTION 'Only the author of a note can sign it.'
        USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
    END IF;
    NEW.signed_at := now();
  END IF;
  RETURN NEW;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.log_activity(p_activity_type text, p_description text, p_entity_type text DEFAULT NULL::text, p_entity_id uuid DEFAULT NULL::uuid, p_metadata jsonb DEFAULT '{}'::jsonb, p_user_agent text DEFAULT NULL::text)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  IF current_tenant_id() IS NULL OR current_app_user_id() IS NULL THEN
    RAISE EXCEPTION 'No signed-in staff member' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_activity_type LIKE 'auth.%' AND p_activity_type <> 'auth.sign_in' THEN
    RAISE EXCEPTION 'Sign-in failures are recorded by the database only' USING ERRCODE = 'insufficient_privilege';
  END IF;
  INSERT INTO activity_logs (tenant_id, user_id, activity_type, description, entity_type, entity_id, metadata, user_agent)
  VALUES (current_tenant_id(), current_app_user_id(), p_activity_type, p_description, p_entity_type, p_entity_id,
          coalesce(p_metadata, '{}'), left(p_user_agent, 500));
END $function$
GRANT EXECUTE ON FUNCTION log_activity(text,text,text,uuid,jsonb,text) TO clinic_app;

CREATE OR REPLACE FUNCTION public.log_sign_in(p_tenant_id uuid, p_user_id uuid, p_email text, p_activity_type text, p_description text, p_user_agent text)
 RETURNS void
 LANGUAGE sql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
  INSERT INTO activity_logs (tenant_id, user_id, activity_type, description, entity_type, entity_id, metadata, user_agent)
  VALUES (p_tenant_id, p_user_id, p_activity_type, p_description, 'user', p_user_id,
          jsonb_build_object('email', lower(p_email)), left(p_user_agent, 500))
$function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.merge_patients(p_survivor_id uuid, p_duplicate_id uuid, p_reason text)
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  tenant uuid := current_tenant_id();
  survivor patients;
  duplicate patients;
  link record;
  affected integer;
  moved jsonb := '{}';
  -- A signed note, a test's patient and verified results never change, nor do an issued invoice and
  -- a payment, except for the one thing a merge must change: whose chart they are in. This
  -- transaction passes those guards for the moves only (verified results could not be moved before
  -- 033), and a report moved is not a report entered: its test's status stays as it is.
  passes CONSTANT text[] := ARRAY['medical_records.lock_signed_note', 'diagnostic_tests.check_test_status_change',
                                  'test_reports.verify_by_second_person', 'test_reports.follow_report',
                                  'invoices.guard_invoice_edits', 'payments.guard_payment_edits'];
BEGIN
  PERFORM require_permission('patients.archive');
  IF p_survivor_id = p_duplicate_id THEN
    RAISE EXCEPTION 'Choose two different records to merge.' USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  IF length(btrim(coalesce(p_reason, ''))) < 3 THEN
    RAISE EXCEPTION 'Say why these records are merged.' USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  -- Both locked, in one order: two desks merging the same pair (either way round) are taken in turn.
  PERFORM 1 FROM patients p WHERE p.tenant_id = tenant AND p.id IN (p_survivor_id, p_duplicate_id) ORDER BY p.id FOR UPDATE;
  SELECT * INTO survivor FROM patients p WHERE p.tenant_id = tenant AND p.id = p_survivor_id AND p.deleted_at IS NULL;
  SELECT * INTO duplicate FROM patients p WHERE p.tenant_id = tenant AND p.id = p_duplicate_id AND p.deleted_at IS NULL;
  IF survivor.id IS NULL OR duplicate.id IS NULL THEN
    RETURN NULL;
  END IF;

  PERFORM set_config('app.change_reason', format('Merged into %s: %s', survivor.patient_number, btrim(p_reason)), true);
  -- First the duplicate goes (nothing new can be attached to it), then what referred to it follows.
  UPDATE patients SET merged_into_id = survivor.id, deleted_at = now() WHERE tenant_id = tenant AND id = duplicate.id;
  UPDATE patients s SET
    allergies = s.allergies || coalesce((SELECT jsonb_agg(e) FROM jsonb_array_elements(duplicate.allergies) e
                                         WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(s.allergies) k
                                                           WHERE lower(k ->> 'substance') = lower(e ->> 'substance'))), '[]'),
    medical_history = s.medical_history || coalesce((SELECT jsonb_agg(e) FROM jsonb_array_elements(duplicate.medical_history) e
                                                     WHERE NOT s.medical_history @> jsonb_build_array(e)), '[]'),
    current_medications = s.current_medications || coalesce((SELECT jsonb_agg(e) FROM jsonb_array_elements(duplicate.current_medications) e
                                                             WHERE NOT s.current_medications @> jsonb_build_array(e)), '[]'),
    alerts = CASE WHEN coalesce(btrim(duplicate.alerts), '') = '' OR strpos(coalesce(s.alerts, ''), duplicate.alerts) > 0 THEN s.alerts
                  WHEN coalesce(btrim(s.alerts), '') = '' THEN duplicate.alerts
                  ELSE s.alerts || E'\n' || duplicate.alerts END
  WHERE s.tenant_id = tenant AND s.id = survivor.id;

  PERFORM take_guard_passes(VARIADIC passes);
  FOR link IN
    SELECT c.conrelid::regclass AS target, a.attname AS column_name
    FROM pg_constraint c
    CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(own, referenced)
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.own
    JOIN pg_attribute r ON r.attrelid = c.confrelid AND r.attnum = k.referenced
    WHERE c.contype = 'f' AND c.confrelid = 'public.patients'::regclass AND r.attname = 'id'
      -- The search index of names (017) is derived from each patient's own name, not a record to move.
      AND c.conrelid <> 'public.patient_name_words'::regclass
    ORDER BY c.conrelid::regclass::text, a.attname
  LOOP
    EXECUTE format('UPDATE %s SET %I = $1 WHERE tenant_id = $2 AND %I = $3', link.target, link.column_name, link.column_name)
      USING survivor.id, tenant, duplicate.id;
    GET DIAGNOSTICS affected = ROW_COUNT;
    IF affected > 0 THEN
      moved := jsonb_set(moved, ARRAY[link.target::text], to_jsonb(coalesce((moved ->> link.target::text)::integer, 0) + affected));
    END IF;
  END LOOP;
  PERFORM end_guard_passes(VARIADIC passes);
  PERFORM set_config('app.change_reason', '', true);
  RETURN moved;
END $function$
GRANT EXECUTE ON FUNCTION merge_patients(uuid,uuid,text) TO clinic_app;

CREATE OR REPLACE FUNCTION public.name_words(full_name text)
 RETURNS text[]
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
RETURN ARRAY(SELECT DISTINCT w.w FROM unnest(ARRAY[name_words.full_name, regexp_replace(name_words.full_name, '[''’ʼ‘`´]'::text, ' '::text, 'g'::text)]) s(s), unnest(ARRAY[false, true]) alternate(alternate), LATERAL regexp_split_to_table(fold_name(s.s, alternate.alternate), ' '::text) w(w) WHERE (w.w <> ''::text) ORDER BY w.w)
GRANT EXECUTE ON FUNCTION name_words(text) TO PUBLIC;

CREATE OR REPLACE FUNCTION public.number_invoice()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  prefix text := CASE NEW.kind WHEN 'credit_note' THEN 'CN' ELSE 'INV' END;
  today date;
  next_value bigint;
BEGIN
  IF NEW.status = 'draft' OR NEW.invoice_number IS NOT NULL THEN
    RETURN NEW;
  END IF;
  IF NEW.tenant_id IS DISTINCT FROM current_tenant_id() AND current_tenant_id() IS NOT NULL THEN
    RAISE EXCEPTION 'tenant mismatch' USING ERRCODE = 'insufficient_privilege';
  END IF;
  SELECT (now() AT TIME ZONE c.timezone)::date INTO today FROM clinics c WHERE c.tenant_id = NEW.tenant_id AND c.id = NEW.clinic_id;
  INSERT INTO number_sequences AS s (tenant_id, kind, period, last_value)
  VALUES (NEW.tenant_id, lower(prefix) || ':' || NEW.clinic_id, extract(year FROM today)::integer, 1)
  ON CONFLICT (tenant_id, kind, period) DO UPDATE SET last_value = s.last_value + 1
  RETURNING s.last_value INTO next_value;
  NEW.invoice_number := prefix || '-' || extract(year FROM today)::integer || '-' || lpad(next_value::text, 6, '0');
  IF current_app_user_id() IS NOT NULL THEN
    -- A request issues today; only the operator's own work (demo data, imports) keeps its dates.
    NEW.issued_at := now();
    NEW.invoice_date := today;
    IF NEW.due_date IS NULL OR NEW.due_date < today THEN
      NEW.due_date := today + 30;
    END IF;
  END IF;
  NEW.issued_at := coalesce(NEW.issued_at, now());
  RETURN NEW;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.perform_maintenance()
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  PERFORM require_permission('admin.maintenance');
  RETURN run_tenant_maintenance();
END $function$
GRANT EXECUTE ON FUNCTION perform_maintenance() TO clinic_app;

CREATE OR REPLACE FUNCTION public.phone_match_key(phone text)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
RETURN NULLIF("right"(digits_only(phone), 9), ''::text)
GRANT EXECUTE ON FUNCTION phone_match_key(text) TO PUBLIC;

CREATE OR REPLACE FUNCTION public.price_invoice_lines()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  line jsonb;
  n integer := 0;
  priced jsonb := '[]';
  quantity numeric;
  unit_price numeric;
  discount numeric;
  tax_rate numeric;
  gross numeric;
  tax numeric;
  subtotal numeric := 0;
  discounts numeric := 0;
  taxes numeric := 0;
BEGIN
  IF NEW.status <> 'draft' AND jsonb_array_length(NEW.line_items) = 0 THEN
    RAISE EXCEPTION 'An invoice needs at least one line before it is issued'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invoice_lines', HINT = 'clinicdesk:user-message';
  END IF;
  IF TG_OP = 'UPDATE' AND (NEW.line_items, NEW.insurer_percent) IS NOT DISTINCT FROM (OLD.line_items, OLD.insurer_percent) THEN
    RETURN NEW;
  END IF;
  FOR line IN SELECT value FROM jsonb_array_elements(NEW.line_items) LOOP
    n := n + 1;
    IF jsonb_typeof(line) <> 'object' OR length(btrim(coalesce(line ->> 'description', ''))) NOT BETWEEN 1 AND 200
       OR coalesce(line ->> 'quantity', '') !~ '^\d{1,6}(\.\d{1,2})?$'
       OR coalesce(line ->> 'unit_price', '') !~ '^\d{1,9}(\.\d{1,2})?$'
       OR coalesce(line ->> 'discount', '0') !~ '^\d{1,9}(\.\d{1,2})?$'
       OR coalesce(line ->> 'tax_rate', '0') !~ '^\d{1,3}(\.\d{1,2})?$' THEN
      RAISE EXCEPTION 'Line %: a description, and quantity, unit price, discount and tax rate as numbers', n
        USING ERRCODE = 'check_violation', CONSTRAINT = 'invoice_lines', HINT = 'clinicdesk:user-message';
    END IF;
    quantity := (line ->> 'quantity')::numeric;
    unit_price := (line ->> 'unit_price')::numeric;
    discount := coalesce(line ->> 'discount', '0')::numeric;
    tax_rate := coalesce(line ->> 'tax_rate', '0')::numeric;
    gross := round(quantity * unit_price, 2);
    IF quantity = 0 OR tax_rate > 100 OR discount > gross THEN
      RAISE EXCEPTION 'Line %: the quantity must be more than 0, the tax rate at most 100%% and the discount at most the line''s amount', n
        USING ERRCODE = 'check_violation', CONSTRAINT = 'invoice_lines', HINT = 'clinicdesk:user-message';
    END IF;
    tax := round((gross - discount) * tax_rate / 100, 2);
    subtotal := subtotal + gross;
    discounts := discounts + discount;
    taxes := taxes + tax;
    priced := priced || jsonb_build_array(line || jsonb_build_object(
      'quantity', quantity::text, 'unit_price', unit_price::numeric(12, 2)::text, 'discount', discount::numeric(12, 2)::text,
      'tax_rate', tax_rate::numeric(5, 2)::text, 'amount', (gross - discount)::numeric(12, 2)::text, 'tax', tax::numeric(12, 2)::text));
  END LOOP;
  NEW.line_items := priced;
  NEW.subtotal := subtotal;
  NEW.discount_amount := discounts;
  NEW.tax_amount := taxes;
  NEW.total_amount := subtotal - discounts + taxes;
  NEW.insurer_amount := round(NEW.total_amount * NEW.insurer_percent / 100, 2);
  RETURN NEW;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.protect_clinical_background()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  IF app_may('clinical.write') THEN
    RETURN NEW;
  END IF;
  IF NOT (NEW.allergies @> OLD.allergies AND NEW.medical_history @> OLD.medical_history
          AND NEW.current_medications @> OLD.current_medications
          AND (coalesce(btrim(OLD.alerts), '') = '' OR starts_with(coalesce(NEW.alerts, ''), OLD.alerts))) THEN
    RAISE EXCEPTION 'Only clinical staff may change or remove allergies, medications, history or alerts'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  RETURN NEW;
END $function$
GRANT EXECUTE ON FUNCTION protect_clinical_background() TO PUBLIC;

CREATE OR REPLACE FUNCTION public.protect_consultation()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  IF NOT app_may('clinical.write')
     AND ((NEW.status IS DISTINCT FROM OLD.status AND NEW.status IN ('in_progress', 'completed'))
          OR (NEW.diagnosis, NEW.treatment_plan, NEW.symptoms, NEW.vital_signs, NEW.follow_up_notes)
             IS DISTINCT FROM (OLD.diagnosis, OLD.treatment_plan, OLD.symptoms, OLD.vital_signs, OLD.follow_up_notes)) THEN
    RAISE EXCEPTION 'Only clinical staff may start or complete a consultation or write its clinical notes'
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
  RETURN NEW;
END $function$
GRANT EXECUTE ON FUNCTION protect_consultation() TO PUBLIC;

CREATE OR REPLACE FUNCTION public.protect_verification()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  IF (NEW.verified_by, NEW.verified_at) IS DISTINCT FROM (OLD.verified_by, OLD.verified_at) THEN
    IF NOT app_may('tests.verify') THEN
      RAISE EXCEPTION 'Only those who may verify results can verify a report' USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
    END IF;
    IF current_app_user_id() IS NOT NULL THEN
      NEW.verified_by := CASE WHEN NEW.verified_at IS NULL THEN NULL ELSE current_app_user_id() END;
    END IF;
  END IF;
  RETURN NEW;
END $function$
GRANT EXECUTE ON FUNCTION protect_verification() TO PUBLIC;

CREATE OR REPLACE FUNCTION public.provision_staff_login(p_user_id uuid, p_verifier text)
 RETURNS text
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  tenant uuid := current_tenant_id();
  login text;
  mapped staff_logins;
BEGIN
  PERFORM require_permission('admin.users');
  SELECT staff_login_name(t.slug, u.email) INTO login
  FROM users u JOIN tenants t ON t.id = u.tenant_id
  WHERE u.tenant_id = tenant AND u.id = p_user_id AND u.deleted_at IS NULL AND u.is_active;
  IF login IS NULL THEN
    RAISE EXCEPTION 'No active staff member with this id in this clinic' USING ERRCODE = 'no_data_found';
  END IF;
  SELECT * INTO mapped FROM staff_logins WHERE role_name = login;
  IF FOUND AND (mapped.tenant_id, mapped.user_id) IS DISTINCT FROM (tenant, p_user_id) THEN
    RAISE EXCEPTION 'This login belongs to someone else' USING ERRCODE = 'unique_violation';
  END IF;
  IF NOT FOUND AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
    RAISE EXCEPTION 'A login of this name is used by another database on this server' USING ERRCODE = 'duplicate_object';
  END IF;
  -- A staff member has one login: an old one (email changed) is switched off.
  PERFORM create_login_role(s.role_name, NULL, false)
  FROM staff_logins s WHERE s.tenant_id = tenant AND s.user_id = p_user_id AND s.role_name <> login;
  DELETE FROM staff_logins s WHERE s.tenant_id = tenant AND s.user_id = p_user_id AND s.role_name <> login;
  PERFORM create_login_role(login, p_verifier, true);
  INSERT INTO staff_logins (role_name, tenant_id, user_id) VALUES (login, tenant, p_user_id)
  ON CONFLICT (role_name) DO UPDATE SET disabled_at = NULL;
  RETURN login;
END $function$
GRANT EXECUTE ON FUNCTION provision_staff_login(uuid,text) TO clinic_app;

CREATE OR REPLACE FUNCTION public.query_statistics_available()
 RETURNS boolean
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  IF to_regclass('public.pg_stat_statements') IS NULL THEN
    RETURN false;
  END IF;
  PERFORM 1 FROM public.pg_stat_statements LIMIT 1;
  RETURN true;
EXCEPTION WHEN OTHERS THEN
  RETURN false; -- installed but not loaded
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.queue_appointment_reminder(p_appointment_id uuid)
 RETURNS uuid
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  visit record;
BEGIN
  PERFORM withdraw_appointment_reminders(p_appointment_id, 'Replaced by a new reminder');
  SELECT v.patient_name, v.doctor_name, v.starts_at, v.starts_at AT TIME ZONE v.timezone AS local_start
  INTO visit
  FROM appointment_calendar v WHERE v.id = p_appointment_id;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  RETURN create_notification(
    NULL, 'Appointment reminder',
    visit.patient_name || ' with ' || visit.doctor_name || ' on '
      || to_char(visit.local_start, 'FMDay FMDD FMMonth YYYY "at" HH24:MI'),
    'reminder', 'normal', NULL, 'appointment', p_appointment_id,
    greatest(visit.starts_at - interval '24 hours', now()));
END $function$
GRANT EXECUTE ON FUNCTION queue_appointment_reminder(uuid) TO PUBLIC;
GRANT EXECUTE ON FUNCTION queue_appointment_reminder(uuid) TO clinic_app;

CREATE OR REPLACE FUNCTION public.read_database_health()
 RETURNS TABLE(check_name text, status text, value text, details text)
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  unprotected text;
  dead_ratio numeric;
  dead_rows bigint;
  cache_ratio numeric;
BEGIN
  check_name := 'server_version'; status := 'ok';
  value := current_setting('server_version'); details := 'PostgreSQL server version';
  RETURN NEXT;

  check_name := 'database_size'; status := 'ok';
  value := pg_size_pretty(pg_database_size(current_database())); details := 'Size of this database on disk';
  RETURN NEXT;

  SELECT string_agg(c.relname, ', ' ORDER BY c.relname) INTO unprotected
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind = 'r'
    AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
    AND NOT (c.relrowsecurity AND c.relforcerowsecurity);
  check_name := 'tenant_isolation';
  status := CASE WHEN unprotected IS NULL THEN 'ok' ELSE 'critical' END;
  value := coalesce(unprotected, 'all tenant tables');
  details := CASE WHEN unprotected IS NULL THEN 'Row-level security is enabled and forced on every tenant table'
                  ELSE 'Tables without forced row-level security' END;
  RETURN NEXT;

  SELECT round(100.0 * sum(n_dead_tup) / nullif(sum(n_live_tup) + sum(n_dead_tup), 0), 1), coalesce(sum(n_dead_tup), 0)
  INTO dead_ratio, dead_rows
  FROM pg_stat_user_tables;
  check_name := 'dead_rows'; value := coalesce(dead_ratio, 0) || '%';
  status := CASE WHEN coalesce(dead_ratio, 0) > 20 AND dead_rows >= 10000 THEN 'warning' ELSE 'ok' END;
  details := 'Share of dead row versions awaiting VACUUM';
  RETURN NEXT;

  SELECT round(100.0 * sum(blks_hit) / nullif(sum(blks_hit) + sum(blks_read), 0), 1) INTO cache_ratio
  FROM pg_stat_database WHERE datname = current_database();
  check_name := 'cache_hit_ratio'; value := coalesce(cache_ratio, 100) || '%';
  status := CASE WHEN coalesce(cache_ratio, 100) < 90 THEN 'warning' ELSE 'ok' END;
  details := 'Share of block reads served from shared buffers';
  RETURN NEXT;

  check_name := 'connections'; status := 'ok';
  value := (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database())::text
           || ' / ' || current_setting('max_connections');
  details := 'Open connections to this database / server limit';
  RETURN NEXT;

  check_name := 'query_statistics';
  IF query_statistics_available() THEN
    status := 'ok'; value := 'available'; details := 'SELECT * FROM monitoring_query_stats lists the slowest queries';
  ELSE
    status := 'ok'; value := 'unavailable';
    details := 'pg_stat_statements is not loaded on this server (never on the embedded database); monitoring_query_stats says so';
  END IF;
  RETURN NEXT;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.read_document_file(p_document_id uuid, p_version integer DEFAULT NULL::integer, p_user_agent text DEFAULT NULL::text)
 RETURNS TABLE(file_name text, mime_type text, version integer, content bytea)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  doc record;
BEGIN
  PERFORM require_permission('documents.read');
  SELECT d.id, d.patient_id, d.title, v.file_name, v.mime_type, v.version, f.content INTO doc
  FROM documents d
  JOIN document_versions v ON v.tenant_id = d.tenant_id AND v.document_id = d.id AND v.version = coalesce(p_version, d.version)
  JOIN document_files f ON f.tenant_id = v.tenant_id AND f.document_id = v.document_id AND f.version = v.version
  WHERE d.tenant_id = current_tenant_id() AND d.id = p_document_id AND d.deleted_at IS NULL
    AND (NOT d.is_confidential OR d.user_id = current_app_user_id() OR app_may('records.confidential'));
  IF NOT FOUND THEN
    RETURN; -- as if it did not exist: the caller may not see it
  END IF;
  PERFORM log_activity('document.view', format('Opened the document %s (version %s)', doc.title, doc.version), 'document', doc.id,
                       jsonb_build_object('patient_id', doc.patient_id, 'version', doc.version), p_user_agent);
  RETURN QUERY SELECT doc.file_name, doc.mime_type, doc.version, doc.content;
END $function$
GRANT EXECUTE ON FUNCTION read_document_file(uuid,integer,text) TO clinic_app;

CREATE OR REPLACE FUNCTION public.record_first_document_version()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  INSERT INTO document_versions (tenant_id, document_id, version, file_name, mime_type, file_size, checksum_sha256, uploaded_by, created_at)
  VALUES (NEW.tenant_id, NEW.id, NEW.version, NEW.file_name, NEW.mime_type, NEW.file_size, NEW.checksum_sha256, NEW.user_id, NEW.created_at);
  RETURN NULL;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.reindex_patient_names(p_tenant_id uuid)
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  DELETE FROM patient_name_words WHERE tenant_id = p_tenant_id;
  INSERT INTO patient_name_words (tenant_id, patient_id, word, all_words)
  SELECT p.tenant_id, p.id, w, ' ' || array_to_string(n.words, ' ') || ' '
  FROM patients p, LATERAL (SELECT name_words(concat_ws(' ', p.first_name, p.middle_name, p.last_name)) AS words) AS n, unnest(n.words) AS w
  WHERE p.tenant_id = p_tenant_id;
  PERFORM remember_name_words(p_tenant_id, ARRAY(SELECT DISTINCT word FROM patient_name_words WHERE tenant_id = p_tenant_id));
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.remember_name_words(p_tenant_id uuid, p_words text[])
 RETURNS void
 LANGUAGE sql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
  INSERT INTO name_word_deletions (tenant_id, deletion, word, removed)
  SELECT p_tenant_id, d.deletion, w, d.removed
  FROM unnest(p_words) AS w, word_deletions(w) AS d
  -- A known word has all its deletions already: one probe instead of one per deletion.
  WHERE NOT EXISTS (SELECT 1 FROM name_word_deletions k WHERE k.tenant_id = p_tenant_id AND k.deletion = w AND k.word = w)
  ON CONFLICT DO NOTHING
$function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.remove_clinic_logo()
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  PERFORM require_permission('admin.settings');
  DELETE FROM clinic_logos WHERE tenant_id = current_tenant_id() AND clinic_id = current_app_clinic_id();
  UPDATE clinics SET settings = settings - 'logo' WHERE tenant_id = current_tenant_id() AND id = current_app_clinic_id();
END $function$
GRANT EXECUTE ON FUNCTION remove_clinic_logo() TO clinic_app;

CREATE OR REPLACE FUNCTION public.require_discontinued_reason()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  IF NEW.status = 'discontinued' AND coalesce(btrim(NEW.discontinued_reason), '') = ''
     AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'discontinued'
          OR OLD.discontinued_reason IS DISTINCT FROM NEW.discontinued_reason) THEN
    RAISE EXCEPTION 'A prescription is discontinued with a reason'
      USING ERRCODE = 'check_violation', TABLE = 'prescriptions', COLUMN = 'discontinued_reason';
  END IF;
  RETURN NEW;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.require_permission(VARIADIC p_permissions text[])
 RETURNS void
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  IF current_tenant_id() IS NULL OR NOT app_may(VARIADIC p_permissions) THEN
    RAISE EXCEPTION 'Your role does not allow this (needs %)', array_to_string(p_permissions, ' or ')
      USING ERRCODE = 'insufficient_privilege', HINT = 'clinicdesk:user-message';
  END IF;
END $function$
GRANT EXECUTE ON FUNCTION require_permission(text[]) TO clinic_app;

CREATE OR REPLACE FUNCTION public.require_read_permission(target regclass, permissions text[])
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  EXECUTE format('DROP POLICY IF EXISTS %I ON %s', 'permitted_select_' || (SELECT relname FROM pg_class WHERE oid = target), target);
  EXECUTE format('CREATE POLICY %I ON %s AS RESTRICTIVE FOR SELECT TO clinic_app USING ((SELECT app_may(VARIADIC %L::text[])))',
                 'permitted_select_' || (SELECT relname FROM pg_class WHERE oid = target), target, permissions);
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.require_write_permission(target regclass, for_insert text[], for_update text[])
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  table_name text := (SELECT relname FROM pg_class WHERE oid = target);
BEGIN
  EXECUTE format('DROP POLICY IF EXISTS %I ON %s', 'permitted_insert_' || table_name, target);
  EXECUTE format('DROP POLICY IF EXISTS %I ON %s', 'permitted_update_' || table_name, target);
  EXECUTE format('CREATE POLICY %I ON %s AS RESTRICTIVE FOR INSERT TO clinic_app WITH CHECK ((SELECT app_may(VARIADIC %L::text[])))',
                 'permitted_insert_' || table_name, target, for_insert);
  EXECUTE format('CREATE POLICY %I ON %s AS RESTRICTIVE FOR UPDATE TO clinic_app USING (true) WITH CHECK ((SELECT app_may(VARIADIC %L::text[])))',
                 'permitted_update_' || table_name, target, for_update);
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.reset_staff_password(p_user_id uuid, p_password_hash text, p_verifier text DEFAULT NULL::text)
 RETURNS boolean
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  PERFORM require_permission('admin.users');
  IF p_password_hash NOT LIKE 'scrypt$%' THEN
    RAISE EXCEPTION 'A password is stored as its scrypt hash' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  UPDATE users SET password_hash = p_password_hash, password_changed_at = now(), password_change_required = true,
                   failed_login_attempts = 0, locked_until = NULL
  WHERE tenant_id = current_tenant_id() AND id = p_user_id AND deleted_at IS NULL AND is_active;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  IF p_verifier IS NOT NULL THEN
    PERFORM provision_staff_login(p_user_id, p_verifier);
  END IF;
  RETURN true;
END $function$
GRANT EXECUTE ON FUNCTION reset_staff_password(uuid,text,text) TO clinic_app;

CREATE OR REPLACE FUNCTION public.restore_deleted(target regclass, record_id uuid, reason text DEFAULT NULL::text)
 RETURNS boolean
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
RETURN set_record_deleted(target, record_id, false, reason)
GRANT EXECUTE ON FUNCTION restore_deleted(regclass,uuid,text) TO clinic_app;

CREATE OR REPLACE FUNCTION public.result_flag(entry jsonb)
 RETURNS text
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  value numeric;
BEGIN
  IF entry ? 'expected' THEN
    RETURN CASE WHEN lower(btrim(entry ->> 'value')) = lower(btrim(entry ->> 'expected')) THEN 'normal' ELSE 'abnormal' END;
  END IF;
  IF NOT (entry ->> 'value') ~ '^-?[0-9]+(\.[0-9]+)?$' THEN
    RAISE EXCEPTION '% must be a number.', coalesce(entry ->> 'parameter', 'A result')
      USING ERRCODE = 'check_violation', CONSTRAINT = 'result_value_number';
  END IF;
  value := (entry ->> 'value')::numeric;
  RETURN CASE
    WHEN value < (entry ->> 'critical_low')::numeric THEN 'critical_low'
    WHEN value > (entry ->> 'critical_high')::numeric THEN 'critical_high'
    WHEN value < (entry ->> 'low')::numeric THEN 'low'
    WHEN value > (entry ->> 'high')::numeric THEN 'high'
    WHEN entry ? 'low' OR entry ? 'high' THEN 'normal'
  END;
END $function$
GRANT EXECUTE ON FUNCTION result_flag(jsonb) TO PUBLIC;
GRANT EXECUTE ON FUNCTION result_flag(jsonb) TO clinic_app;

CREATE OR REPLACE FUNCTION public.run_at_commit()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  EXECUTE NEW.statement;
  RETURN NULL;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.run_tenant_maintenance()
 RETURNS jsonb
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  tenant uuid := current_tenant_id();
  overdue_count integer := 0;
  expired_count integer := 0;
  analyzed text[] := ARRAY[]::text[];
  relation record;
BEGIN
  PERFORM take_guard_passes('invoices.guard_invoice_edits');
  UPDATE invoices SET status = 'overdue'
  WHERE tenant_id = tenant AND status IN ('issued', 'partially_paid') AND due_date < current_date
    AND deleted_at IS NULL;
  GET DIAGNOSTICS overdue_count = ROW_COUNT;
  PERFORM end_guard_passes('invoices.guard_invoice_edits');
  UPDATE notifications SET deleted_at = now()
  WHERE tenant_id = tenant AND deleted_at IS NULL AND expires_at < now();
  GET DIAGNOSTICS expired_count = ROW_COUNT;
  FOR relation IN
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY c.relname
  LOOP
    EXECUTE format('ANALYZE public.%I', relation.relname);
    analyzed := analyzed || relation.relname::text;
  END LOOP;
  RETURN jsonb_build_object('overdue_invoices_marked', overdue_count,
                            'expired_notifications_removed', expired_count,
                            'tables_analyzed', to_jsonb(analyzed),
                            'ran_at', now());
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.save_sign_in_counters(p_tenant_id uuid, p_email text, p_account_id uuid, p_failures integer, p_lock_end timestamp with time zone)
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  IF p_account_id IS NULL THEN
    UPDATE sign_in_strangers SET failed_login_attempts = p_failures, locked_until = p_lock_end
    WHERE tenant_id = p_tenant_id AND email = lower(p_email);
  ELSE
    UPDATE users SET failed_login_attempts = p_failures, locked_until = p_lock_end
    WHERE tenant_id = p_tenant_id AND id = p_account_id
      AND (failed_login_attempts, locked_until) IS DISTINCT FROM (p_failures, p_lock_end);
  END IF;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.search_patients(p_query text, p_limit integer DEFAULT 20, p_phone text DEFAULT NULL::text)
 RETURNS TABLE(id uuid, patient_number text, first_name text, middle_name text, last_name text, date_of_birth date, gender text, phone text, email text, allergies jsonb, alerts text, match_kind text, score real)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  found_count integer;
BEGIN
  PERFORM require_permission('patients.read');
  RETURN QUERY SELECT * FROM find_patients_matching(p_query, p_limit, p_phone);
  GET DIAGNOSTICS found_count = ROW_COUNT;
  IF current_app_user_id() IS NOT NULL AND length(btrim(coalesce(p_query, ''))) > 0 THEN
    INSERT INTO activity_logs (tenant_id, user_id, activity_type, description, metadata)
    VALUES (current_tenant_id(), current_app_user_id(), 'patient.search',
            'Searched patients: ' || found_count || ' found',
            jsonb_build_object('patients_returned', found_count, 'query_length', length(btrim(p_query))));
  END IF;
END $function$
GRANT EXECUTE ON FUNCTION search_patients(text,integer,text) TO clinic_app;

CREATE OR REPLACE FUNCTION public.seed_appointment_type_durations()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  PERFORM add_usual_appointment_type_durations(NEW.tenant_id, NEW.id);
  RETURN NULL;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.session_is_owner()
 RETURNS boolean
 LANGUAGE plpgsql
 STABLE PARALLEL SAFE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  RETURN EXISTS (
    SELECT 1 FROM pg_catalog.pg_roles r
    WHERE r.rolname = session_user
      AND (r.rolsuper OR r.oid = (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = 'public.tenants'::regclass)));
END $function$
GRANT EXECUTE ON FUNCTION session_is_owner() TO clinic_app;

CREATE OR REPLACE FUNCTION public.set_record_deleted(target regclass, record_id uuid, deleted boolean, reason text)
 RETURNS boolean
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  table_name text;
  needed text[];
  affected integer;
  allowed boolean;
BEGIN
  SELECT c.relname INTO table_name FROM pg_class c
  WHERE c.oid = target AND c.relnamespace = 'public'::regnamespace;
  needed := CASE table_name
    WHEN 'patients' THEN CASE WHEN deleted THEN ARRAY['patients.archive'] ELSE ARRAY['patients.restore'] END
    WHEN 'appointments' THEN ARRAY['appointments.write']
    WHEN 'notifications' THEN ARRAY['appointments.write', 'appointments.checkin', 'notifications.read']
    WHEN 'diagnostic_tests' THEN ARRAY['tests.order']
    WHEN 'test_reports' THEN ARRAY['tests.report']
    WHEN 'invoices' THEN ARRAY['billing.write']
    WHEN 'payments' THEN ARRAY['payments.refund']
    WHEN 'documents' THEN ARRAY['documents.write']
    WHEN 'medical_records' THEN ARRAY['clinical.write']
    WHEN 'prescriptions' THEN ARRAY['prescriptions.write']
    WHEN 'users' THEN ARRAY['admin.users']
    WHEN 'roles' THEN ARRAY['admin.users']
    WHEN 'clinics' THEN ARRAY['admin.settings']
  END;
  IF needed IS NULL THEN
    RAISE EXCEPTION 'Records in % cannot be archived', target USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM require_permission(VARIADIC needed);
  -- A clinic's calendar and till are its own (the owner's direct work acts for no clinic).
  IF table_name IN ('appointments', 'invoices', 'payments') AND current_app_user_id() IS NOT NULL THEN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM public.%I r WHERE r.tenant_id = $1 AND r.id = $2 AND %s)', table_name,
                   CASE table_name WHEN 'payments'
                     THEN 'EXISTS (SELECT 1 FROM public.invoices i WHERE i.tenant_id = r.tenant_id AND i.id = r.invoice_id AND i.clinic_id = $3)'
                     ELSE 'r.clinic_id = $3' END)
      INTO STRICT allowed USING current_tenant_id(), record_id, current_app_clinic_id();
    IF NOT allowed THEN
      RETURN false;
    END IF;
  END IF;
  IF table_name IN ('medical_records', 'documents') AND NOT app_may('records.confidential') THEN
    EXECUTE format('SELECT NOT EXISTS (SELECT 1 FROM public.%I WHERE tenant_id = $1 AND id = $2 AND is_confidential '
                   'AND %I IS DISTINCT FROM $3)', table_name,
                   CASE table_name WHEN 'medical_records' THEN 'doctor_id' ELSE 'user_id' END)
      INTO STRICT allowed USING current_tenant_id(), record_id, current_app_user_id();
    IF NOT allowed THEN
      RETURN false; -- as if it did not exist: the caller may not see it
    END IF;
  END IF;
  PERFORM set_config('app.change_reason', coalesce(reason, ''), true);
  EXECUTE format('UPDATE public.%I SET deleted_at = CASE WHEN $3 THEN now() END '
                 'WHERE tenant_id = $1 AND id = $2 AND (deleted_at IS NULL) = $3', table_name)
    USING current_tenant_id(), record_id, deleted;
  GET DIAGNOSTICS affected = ROW_COUNT;
  PERFORM set_config('app.change_reason', '', true);
  RETURN affected = 1;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.set_updated_at()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END $function$
GRANT EXECUTE ON FUNCTION set_updated_at() TO PUBLIC;

CREATE OR REPLACE FUNCTION public.set_user_password(p_user_id uuid, p_password_hash text)
 RETURNS boolean
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  IF current_tenant_id() IS NULL THEN
    RAISE EXCEPTION 'No tenant context' USING ERRCODE = 'insufficient_privilege';
  END IF;
  UPDATE users SET password_hash = p_password_hash, password_changed_at = now(),
                   failed_login_attempts = 0, locked_until = NULL
  WHERE tenant_id = current_tenant_id() AND id = p_user_id AND deleted_at IS NULL;
  RETURN FOUND;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.settle_credited_invoice()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  PERFORM settle_invoice(NEW.tenant_id, NEW.id);
  PERFORM settle_invoice(NEW.tenant_id, NEW.credited_invoice_id);
  RETURN NULL;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.settle_invoice(p_tenant_id uuid, p_invoice_id uuid)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  paid numeric(12, 2);
  credited numeric(12, 2);
BEGIN
  SELECT coalesce(sum(p.amount - p.refund_amount), 0) INTO paid FROM payments p
  WHERE p.tenant_id = p_tenant_id AND p.invoice_id = p_invoice_id AND p.deleted_at IS NULL
    AND p.payment_status IN ('completed', 'partially_refunded', 'refunded');
  SELECT coalesce(sum(c.total_amount), 0) INTO credited FROM invoices c
  WHERE c.tenant_id = p_tenant_id AND c.credited_invoice_id = p_invoice_id AND c.status <> 'draft' AND c.deleted_at IS NULL;
  PERFORM take_guard_passes('invoices.guard_invoice_edits');
  UPDATE invoices i
  SET amount_paid = CASE WHEN i.kind = 'credit_note' THEN 0 ELSE paid END,
      amount_credited = CASE WHEN i.kind = 'credit_note' THEN i.total_amount ELSE credited END,
      status = CASE
        WHEN i.status IN ('draft', 'cancelled') OR i.kind = 'credit_note' THEN i.status
        WHEN credited >= i.total_amount AND i.total_amount > 0 THEN 'credited'
        WHEN paid + credited >= i.total_amount THEN 'paid'
        WHEN paid + credited > 0 THEN 'partially_paid'
        WHEN i.status IN ('overdue', 'refunded') OR i.due_date < current_date THEN 'overdue'
        ELSE 'issued' END,
      paid_at = CASE WHEN i.kind = 'invoice' AND paid > 0 AND paid + credited >= i.total_amount THEN coalesce(i.paid_at, now()) END
  WHERE i.tenant_id = p_tenant_id AND i.id = p_invoice_id;
  PERFORM end_guard_passes('invoices.guard_invoice_edits');
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.sign_in_counters(p_tenant_id uuid, p_email text, OUT account users, OUT failures integer, OUT lock_end timestamp with time zone)
 RETURNS record
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
BEGIN
  SELECT * INTO account FROM users u
  WHERE u.tenant_id = p_tenant_id AND lower(u.email) = lower(p_email) AND u.deleted_at IS NULL
  FOR UPDATE;
  IF account.id IS NULL THEN
    INSERT INTO sign_in_strangers AS s (tenant_id, email) VALUES (p_tenant_id, lower(p_email))
    ON CONFLICT (tenant_id, email) DO UPDATE SET email = s.email
    RETURNING s.failed_login_attempts, s.locked_until INTO failures, lock_end;
  ELSE
    failures := account.failed_login_attempts;
    lock_end := account.locked_until;
  END IF;
  -- A lock that has run out starts the count afresh.
  IF lock_end IS NOT NULL AND lock_end <= now() THEN
    failures := 0;
    lock_end := NULL;
  END IF;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.sign_in_policy(OUT max_failures integer, OUT lock_minutes integer)
 RETURNS record
 LANGUAGE sql
 IMMUTABLE
AS $function$ SELECT 5, 15 $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.sign_in_tenant(p_slug text)
 RETURNS uuid
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
  SELECT t.id FROM tenants t
  WHERE t.deleted_at IS NULL AND t.is_active AND t.subscription_status NOT IN ('suspended', 'cancelled')
    AND (t.slug = p_slug
         OR (p_slug IS NULL AND (SELECT count(*) FROM tenants WHERE deleted_at IS NULL) = 1))
$function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.soft_delete(target regclass, record_id uuid, reason text DEFAULT NULL::text)
 RETURNS boolean
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
RETURN set_record_deleted(target, record_id, true, reason)
GRANT EXECUTE ON FUNCTION soft_delete(regclass,uuid,text) TO clinic_app;

CREATE OR REPLACE FUNCTION public.staff_login_name(p_clinic_code text, p_email text)
 RETURNS text
 LANGUAGE sql
 STABLE PARALLEL SAFE
RETURN ('cd_'::text || "left"(encode(sha256(convert_to((((((current_database())::text || '/'::text) || lower(btrim(p_clinic_code))) || '/'::text) || lower(btrim(p_email))), 'UTF8'::name)), 'hex'::text), 28))
GRANT EXECUTE ON FUNCTION staff_login_name(text,text) TO PUBLIC;
GRANT EXECUTE ON FUNCTION staff_login_name(text,text) TO clinic_app;

CREATE OR REPLACE FUNCTION public.stamp_author()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  author uuid := current_app_user_id();
BEGIN
  IF author IS NULL OR guard_passed(TG_RELID, TG_NAME) THEN
    RETURN NEW; -- the owner's own work (demo data, the operator), or history imported as it was written
  END IF;
  RETURN jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[0], author));
END $function$
GRANT EXECUTE ON FUNCTION stamp_author() TO PUBLIC;

CREATE OR REPLACE FUNCTION public.store_clinic_logo(p_content bytea)
 RETURNS text
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  clinic uuid := current_app_clinic_id();
  media_type text := CASE
    WHEN substring(p_content FROM 1 FOR 8) = '\x89504e470d0a1a0a'::bytea THEN 'image/png'
    WHEN substring(p_content FROM 1 FOR 3) = '\xffd8ff'::bytea THEN 'image/jpeg' END;
BEGIN
  PERFORM require_permission('admin.settings');
  IF clinic IS NULL THEN
    RAISE EXCEPTION 'Only a staff member of the clinic may change its logo.' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF media_type IS NULL THEN
    RAISE EXCEPTION 'The logo must be a PNG or JPEG image.' USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  IF octet_length(p_content) > 524288 THEN
    RAISE EXCEPTION 'The logo is too large: 512 KB at most.' USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  INSERT INTO clinic_logos AS l (tenant_id, clinic_id, media_type, content)
  VALUES (current_tenant_id(), clinic, media_type, p_content)
  ON CONFLICT (tenant_id, clinic_id) DO UPDATE SET media_type = EXCLUDED.media_type, content = EXCLUDED.content, created_at = now();
  UPDATE clinics SET settings = settings || jsonb_build_object('logo', jsonb_build_object(
    'media_type', media_type, 'bytes', octet_length(p_content), 'sha256', encode(sha256(p_content), 'hex')))
  WHERE tenant_id = current_tenant_id() AND id = clinic;
  RETURN media_type;
END $function$
GRANT EXECUTE ON FUNCTION store_clinic_logo(bytea) TO clinic_app;

CREATE OR REPLACE FUNCTION public.store_document_file(p_document_id uuid, p_content bytea)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  doc record;
BEGIN
  PERFORM require_permission('documents.write');
  SELECT d.user_id, d.version, d.file_size, d.checksum_sha256 INTO doc
  FROM documents d WHERE d.tenant_id = current_tenant_id() AND d.id = p_document_id AND d.deleted_at IS NULL;
  IF NOT FOUND OR (current_app_user_id() IS NOT NULL AND doc.user_id IS DISTINCT FROM current_app_user_id()) THEN
    RAISE EXCEPTION 'This document was not found.' USING ERRCODE = 'no_data_found';
  END IF;
  IF octet_length(p_content) <> doc.file_size OR encode(sha256(p_content), 'hex') IS DISTINCT FROM doc.checksum_sha256 THEN
    RAISE EXCEPTION 'The file does not match its document (size or checksum).'
      USING ERRCODE = 'check_violation', HINT = 'clinicdesk:user-message';
  END IF;
  INSERT INTO document_files (tenant_id, document_id, version, content) VALUES (current_tenant_id(), p_document_id, doc.version, p_content);
END $function$
GRANT EXECUTE ON FUNCTION store_document_file(uuid,bytea) TO clinic_app;

CREATE OR REPLACE FUNCTION public.take_guard_passes(VARIADIC p_guards text[])
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  taken integer;
BEGIN
  INSERT INTO guard_passes AS p (xact, guarded_table, guard)
  SELECT pg_current_xact_id(), t.tgrelid, t.tgname
  FROM unnest(p_guards) AS g(full_name)
  JOIN pg_trigger t ON t.tgrelid = to_regclass(split_part(g.full_name, '.', 1)) AND t.tgname = split_part(g.full_name, '.', 2)
  ON CONFLICT (xact, guarded_table, guard) DO UPDATE SET holders = p.holders + 1;
  GET DIAGNOSTICS taken = ROW_COUNT;
  IF taken <> cardinality(p_guards) THEN
    RAISE EXCEPTION 'Not a guard: %', p_guards;
  END IF;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.till_takings(p_tenant_id uuid, p_clinic_id uuid, p_day date)
 RETURNS TABLE(cashier_id uuid, payment_method text, taken numeric, refunded numeric, expected numeric)
 LANGUAGE sql
 STABLE
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
  WITH clinic AS (
    SELECT c.timezone FROM clinics c WHERE c.tenant_id = p_tenant_id AND c.id = p_clinic_id
  ),
  movements AS (
    SELECT p.received_by AS cashier_id, p.payment_method, p.amount AS taken, 0::numeric AS refunded
    FROM payments p CROSS JOIN clinic
    JOIN invoices i ON i.tenant_id = p.tenant_id AND i.id = p.invoice_id AND i.clinic_id = p_clinic_id
    WHERE p.tenant_id = p_tenant_id AND p.deleted_at IS NULL AND p.received_by IS NOT NULL
      AND p.paid_at >= (p_day::timestamp AT TIME ZONE clinic.timezone)
      AND p.paid_at < ((p_day + 1)::timestamp AT TIME ZONE clinic.timezone)
    UNION ALL
    SELECT r.refunded_by, r.payment_method, 0, r.amount
    FROM refunds r CROSS JOIN clinic
    JOIN invoices i ON i.tenant_id = r.tenant_id AND i.id = r.invoice_id AND i.clinic_id = p_clinic_id
    WHERE r.tenant_id = p_tenant_id AND r.refunded_by IS NOT NULL
      AND r.refunded_at >= (p_day::timestamp AT TIME ZONE clinic.timezone)
      AND r.refunded_at < ((p_day + 1)::timestamp AT TIME ZONE clinic.timezone)
  )
  SELECT m.cashier_id, m.payment_method, sum(m.taken), sum(m.refunded), sum(m.taken) - sum(m.refunded)
  FROM movements m GROUP BY m.cashier_id, m.payment_method
$function$
GRANT EXECUTE ON FUNCTION till_takings(uuid,uuid,date) TO clinic_app;

CREATE OR REPLACE FUNCTION public.validate_credit_note()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  credited invoices;
BEGIN
  IF NEW.kind <> 'credit_note' THEN
    RETURN NEW;
  END IF;
  SELECT * INTO credited FROM invoices i
  WHERE i.tenant_id = NEW.tenant_id AND i.id = NEW.credited_invoice_id AND i.deleted_at IS NULL FOR UPDATE;
  IF NOT FOUND OR credited.kind <> 'invoice' OR credited.status NOT IN ('issued', 'partially_paid', 'overdue') THEN
    RAISE EXCEPTION 'Only an issued invoice with something still owed can be credited'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'credit_within_balance', HINT = 'clinicdesk:user-message';
  END IF;
  IF NEW.status <> 'issued' THEN
    RAISE EXCEPTION 'A credit note is issued when it is written' USING ERRCODE = 'check_violation';
  END IF;
  NEW.patient_id := credited.patient_id;
  NEW.clinic_id := credited.clinic_id;
  NEW.appointment_id := NULL;
  NEW.currency := credited.currency;
  NEW.insurer_percent := 0;
  NEW.insurer_amount := 0;
  IF NEW.total_amount > credited.total_amount - credited.amount_paid - credited.amount_credited THEN
    RAISE EXCEPTION 'A credit note credits at most the % % still owed on %; refund a payment first to give money back',
      credited.currency, credited.total_amount - credited.amount_paid - credited.amount_credited, credited.invoice_number
      USING ERRCODE = 'check_violation', CONSTRAINT = 'credit_within_balance', HINT = 'clinicdesk:user-message';
  END IF;
  RETURN NEW;
END $function$
-- EXECUTE: owner only

CREATE OR REPLACE FUNCTION public.withdraw_appointment_reminders(p_appointment_id uuid, p_reason text)
 RETURNS integer
 LANGUAGE sql
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
  SELECT count(*) FILTER (WHERE soft_delete('notifications', n.id, p_reason))::integer
  FROM notifications n
  WHERE n.type = 'reminder' AND n.related_entity_type = 'appointment' AND n.related_entity_id = p_appointment_id
    AND n.sent_at IS NULL
$function$
GRANT EXECUTE ON FUNCTION withdraw_appointment_reminders(uuid,text) TO PUBLIC;
GRANT EXECUTE ON FUNCTION withdraw_appointment_reminders(uuid,text) TO clinic_app;

CREATE OR REPLACE FUNCTION public.within_hours(p_hours jsonb, p_local_start timestamp without time zone, p_minutes integer)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
  SELECT EXISTS (
    SELECT 1
    FROM jsonb_array_elements(coalesce(
      p_hours -> (ARRAY['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'])[extract(dow FROM p_local_start)::integer + 1],
      '[]')) AS period
    WHERE (period ->> 0)::time <= p_local_start::time
      -- In minutes, not times: 17:30 + 45 minutes must not wrap round to 18:15 of no day.
      AND extract(epoch FROM p_local_start::time) / 60 + p_minutes <= extract(epoch FROM (period ->> 1)::time) / 60)
$function$
GRANT EXECUTE ON FUNCTION within_hours(jsonb,timestamp without time zone,integer) TO PUBLIC;
GRANT EXECUTE ON FUNCTION within_hours(jsonb,timestamp without time zone,integer) TO clinic_app;

CREATE OR REPLACE FUNCTION public.word_deletions(word text)
 RETURNS TABLE(deletion text, removed integer)
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
AS $function$
  SELECT word, 0
  UNION ALL
  SELECT d, min(r)
  FROM (SELECT overlay(word PLACING '' FROM i FOR 1) AS d, 1 AS r
        FROM generate_series(1, length(word)) AS i WHERE length(word) >= 4
        UNION ALL
        SELECT overlay(overlay(word PLACING '' FROM j FOR 1) PLACING '' FROM i FOR 1), 2
        FROM generate_series(1, length(word)) AS i, generate_series(i + 1, length(word)) AS j WHERE length(word) >= 6) AS x
  GROUP BY d
$function$
GRANT EXECUTE ON FUNCTION word_deletions(text) TO PUBLIC;
