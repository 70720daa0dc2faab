-- ClinicDesk 001: core schema (tenants, clinics, roles, users, patients, appointments,
-- diagnostic tests, test reports, invoices, payments), tenant isolation, generated numbers.
-- Runs unchanged on PGlite (PostgreSQL 18 in WASM) and PostgreSQL 15+.

CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- The role every request runs as (SET LOCAL ROLE clinic_app inside its transaction).
-- NOLOGIN, no superuser, no BYPASSRLS, owns nothing: RLS always applies to it.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_app') THEN
    CREATE ROLE clinic_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
END $$;

REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO clinic_app;

-- ---------------------------------------------------------------------------
-- Request context. Set per transaction with set_config(…, true); after the transaction
-- current_setting(…, true) reads '' (not NULL), hence nullif. SQL functions are inlined,
-- so `tenant_id = current_tenant_id()` stays an index condition under RLS.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION current_tenant_id() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE
RETURN nullif(current_setting('app.current_tenant_id', true), '')::uuid;

CREATE OR REPLACE FUNCTION current_app_user_id() RETURNS uuid
LANGUAGE sql STABLE PARALLEL SAFE
RETURN nullif(current_setting('app.current_user_id', true), '')::uuid;

-- Accent- and case-folding for search keys and name sorting. The database collation
-- differs between engines (PGlite is C), so names compare through this key instead.
CREATE OR REPLACE FUNCTION fold_text(input text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN lower(translate(input,
  'ÀÁÂÃÄÅĀĂĄàáâãäåāăąÇĆČçćčĎďÈÉÊËĒĖĘĚèéêëēėęěĞğÌÍÎÏĪĮİìíîïīįıŁłÑŃŇñńňÒÓÔÕÖØŌŐòóôõöøōőŘřŚŠŞśšşŤťÙÚÛÜŪŮŰŲùúûüūůűųÝŸýÿŹŻŽźżž',
  'AAAAAAAAAaaaaaaaaaCCCcccDdEEEEEEEEeeeeeeeeGgIIIIIIIiiiiiiiLlNNNnnnOOOOOOOOooooooooRrSSSsssTtUUUUUUUUuuuuuuuuYYyyZZZzzz'));

CREATE OR REPLACE FUNCTION digits_only(input text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN regexp_replace(coalesce(input, ''), '[^0-9]', '', 'g');

CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END $$;

-- ---------------------------------------------------------------------------
-- Tables. Every tenant table has tenant_id first in its primary key and in every
-- unique key, and references other tenant tables through (tenant_id, id), so a row can
-- never point at another tenant's row and the tables can be distributed by tenant_id.
-- ---------------------------------------------------------------------------
CREATE TABLE tenants (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name                text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  slug                text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  email               text CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  phone               text,
  subscription_plan   text NOT NULL DEFAULT 'basic'
                      CHECK (subscription_plan IN ('offline', 'basic', 'professional', 'enterprise')),
  subscription_status text NOT NULL DEFAULT 'active'
                      CHECK (subscription_status IN ('trial', 'active', 'past_due', 'suspended', 'cancelled')),
  max_users           integer NOT NULL DEFAULT 25 CHECK (max_users > 0),
  max_patients        integer NOT NULL DEFAULT 200000 CHECK (max_patients > 0),
  settings            jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(settings) = 'object'),
  is_active           boolean NOT NULL DEFAULT true,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  deleted_at          timestamptz
);

CREATE TABLE clinics (
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  name           text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  license_number text,
  tax_id         text,
  email          text CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  phone          text,
  website        text,
  address_line1  text,
  address_line2  text,
  city           text,
  state          text,
  postal_code    text,
  country        text,
  timezone       text NOT NULL DEFAULT 'UTC',
  currency       char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
  language       text NOT NULL DEFAULT 'en' CHECK (language ~ '^[a-z]{2}(-[A-Z]{2})?$'),
  -- Weekly opening hours in the clinic's timezone: {"mon": [["09:00","17:00"]], …}.
  opening_hours  jsonb NOT NULL DEFAULT '{"mon":[["08:00","18:00"]],"tue":[["08:00","18:00"]],"wed":[["08:00","18:00"]],"thu":[["08:00","18:00"]],"fri":[["08:00","18:00"]],"sat":[["09:00","13:00"]],"sun":[]}'
                 CHECK (jsonb_typeof(opening_hours) = 'object'),
  settings       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(settings) = 'object'),
  is_active      boolean NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  deleted_at     timestamptz,
  PRIMARY KEY (tenant_id, id)
);

-- A clinic's timezone must be one the server knows, or every calendar would be wrong.
CREATE OR REPLACE FUNCTION check_clinic_timezone() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = NEW.timezone) THEN
    RAISE EXCEPTION 'Unknown timezone "%"', NEW.timezone USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TABLE roles (
  tenant_id      uuid NOT NULL REFERENCES tenants (id),
  id             uuid NOT NULL DEFAULT gen_random_uuid(),
  name           text NOT NULL CHECK (name ~ '^[a-z][a-z0-9_]{1,40}$'),
  description    text,
  -- Array of permission names (see shared/permissions.ts).
  permissions    jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(permissions) = 'array'),
  is_system_role boolean NOT NULL DEFAULT false,
  is_active      boolean NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  deleted_at     timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, name)
);

CREATE TABLE users (
  tenant_id             uuid NOT NULL REFERENCES tenants (id),
  id                    uuid NOT NULL DEFAULT gen_random_uuid(),
  clinic_id             uuid NOT NULL,
  role_id               uuid NOT NULL,
  email                 text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  -- scrypt$N$r$p$salt$hash — never readable by clinic_app (column grants below).
  password_hash         text NOT NULL CHECK (password_hash LIKE 'scrypt$%'),
  title                 text,
  first_name            text NOT NULL CHECK (length(btrim(first_name)) BETWEEN 1 AND 100),
  last_name             text NOT NULL CHECK (length(btrim(last_name)) BETWEEN 1 AND 100),
  phone                 text,
  date_of_birth         date,
  gender                text CHECK (gender IN ('Male', 'Female', 'Other', 'Unknown')),
  specialization        text,
  license_number        text,
  qualification         text,
  years_of_experience   integer CHECK (years_of_experience BETWEEN 0 AND 80),
  consultation_fee      numeric(12, 2) CHECK (consultation_fee >= 0),
  -- Default appointment length and availability for doctors.
  default_slot_minutes  integer NOT NULL DEFAULT 15 CHECK (default_slot_minutes BETWEEN 5 AND 240),
  working_hours         jsonb CHECK (working_hours IS NULL OR jsonb_typeof(working_hours) = 'object'),
  calendar_color        text CHECK (calendar_color ~ '^#[0-9a-fA-F]{6}$'),
  settings              jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(settings) = 'object'),
  is_active             boolean NOT NULL DEFAULT true,
  last_login_at         timestamptz,
  failed_login_attempts integer NOT NULL DEFAULT 0 CHECK (failed_login_attempts >= 0),
  locked_until          timestamptz,
  password_changed_at   timestamptz NOT NULL DEFAULT now(),
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  deleted_at            timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, clinic_id) REFERENCES clinics (tenant_id, id),
  FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id)
);
CREATE UNIQUE INDEX users_tenant_email_key ON users (tenant_id, lower(email)) WHERE deleted_at IS NULL;
CREATE INDEX idx_users_tenant_role ON users (tenant_id, role_id);
CREATE INDEX idx_users_tenant_clinic ON users (tenant_id, clinic_id);

CREATE TABLE patients (
  tenant_id                      uuid NOT NULL REFERENCES tenants (id),
  id                             uuid NOT NULL DEFAULT gen_random_uuid(),
  clinic_id                      uuid NOT NULL,
  -- The seed's human-readable patient id (P-000123), generated per tenant.
  patient_number                 text NOT NULL,
  first_name                     text NOT NULL CHECK (length(btrim(first_name)) BETWEEN 1 AND 100),
  middle_name                    text CHECK (length(middle_name) <= 100),
  last_name                      text NOT NULL CHECK (length(btrim(last_name)) BETWEEN 1 AND 100),
  date_of_birth                  date NOT NULL CHECK (date_of_birth >= DATE '1890-01-01'),
  gender                         text NOT NULL CHECK (gender IN ('Male', 'Female', 'Other', 'Unknown')),
  blood_group                    text CHECK (blood_group IN ('A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-')),
  marital_status                 text CHECK (marital_status IN ('single', 'married', 'divorced', 'widowed', 'partnered', 'other')),
  occupation                     text,
  preferred_language             text,
  national_id                    text,
  email                          text CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  phone                          text,
  alternate_phone                text,
  address_line1                  text,
  address_line2                  text,
  city                           text,
  state                          text,
  postal_code                    text,
  country                        text,
  emergency_contact_name         text,
  emergency_contact_phone        text,
  emergency_contact_relationship text,
  -- Structured clinical background: arrays of objects, validated by the app's zod schemas.
  allergies                      jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(allergies) = 'array'),
  medical_history                jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(medical_history) = 'array'),
  current_medications            jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(current_medications) = 'array'),
  insurance_info                 jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(insurance_info) = 'object'),
  alerts                         text,
  primary_care_physician_id      uuid,
  notes                          text,
  is_active                      boolean NOT NULL DEFAULT true,
  created_by                     uuid,
  created_at                     timestamptz NOT NULL DEFAULT now(),
  updated_at                     timestamptz NOT NULL DEFAULT now(),
  deleted_at                     timestamptz,
  -- Search keys, stored so indexes can serve as-you-type search.
  search_name                    text GENERATED ALWAYS AS
                                 (fold_text(first_name || ' ' || coalesce(middle_name || ' ', '') || last_name)) STORED,
  -- The same name surname-first, so "smith jo" is a prefix too.
  search_name_last_first         text GENERATED ALWAYS AS
                                 (fold_text(last_name || ' ' || first_name || coalesce(' ' || middle_name, ''))) STORED,
  phone_digits                   text GENERATED ALWAYS AS (digits_only(phone)) STORED,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, patient_number),
  FOREIGN KEY (tenant_id, clinic_id) REFERENCES clinics (tenant_id, id),
  FOREIGN KEY (tenant_id, primary_care_physician_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX idx_patients_tenant_name ON patients (tenant_id, first_name, last_name);
CREATE INDEX idx_patients_active ON patients (tenant_id) WHERE deleted_at IS NULL;
CREATE INDEX idx_patients_search_name_trgm ON patients USING gin (search_name gin_trgm_ops);
CREATE INDEX idx_patients_tenant_search_name ON patients (tenant_id, search_name text_pattern_ops);
CREATE INDEX idx_patients_tenant_search_name_last_first ON patients (tenant_id, search_name_last_first text_pattern_ops);
CREATE INDEX idx_patients_tenant_phone_digits ON patients (tenant_id, phone_digits text_pattern_ops);
CREATE INDEX idx_patients_tenant_dob ON patients (tenant_id, date_of_birth);
CREATE INDEX idx_patients_tenant_clinic ON patients (tenant_id, clinic_id);
CREATE INDEX idx_patients_tenant_pcp ON patients (tenant_id, primary_care_physician_id);

CREATE TABLE appointments (
  tenant_id           uuid NOT NULL REFERENCES tenants (id),
  id                  uuid NOT NULL DEFAULT gen_random_uuid(),
  clinic_id           uuid NOT NULL,
  appointment_number  text NOT NULL,
  patient_id          uuid NOT NULL,
  doctor_id           uuid NOT NULL,
  appointment_type    text NOT NULL DEFAULT 'consultation'
                      CHECK (appointment_type IN ('consultation', 'follow_up', 'check_up', 'procedure',
                                                  'vaccination', 'emergency', 'telemedicine')),
  starts_at           timestamptz NOT NULL,
  ends_at             timestamptz NOT NULL,
  duration_minutes    integer GENERATED ALWAYS AS ((extract(epoch FROM (ends_at - starts_at)) / 60)::integer) STORED,
  status              text NOT NULL DEFAULT 'scheduled'
                      CHECK (status IN ('scheduled', 'confirmed', 'checked_in', 'in_progress', 'completed',
                                        'cancelled', 'no_show')),
  is_walk_in          boolean NOT NULL DEFAULT false,
  reason              text,
  notes               text,
  symptoms            text,
  diagnosis           text,
  treatment_plan      text,
  vital_signs         jsonb CHECK (vital_signs IS NULL OR jsonb_typeof(vital_signs) = 'object'),
  confirmed_at        timestamptz,
  checked_in_at       timestamptz,
  started_at          timestamptz,
  completed_at        timestamptz,
  cancelled_at        timestamptz,
  cancelled_by        uuid,
  cancellation_reason text,
  no_show_at          timestamptz,
  follow_up_required  boolean NOT NULL DEFAULT false,
  follow_up_date      date,
  follow_up_notes     text,
  created_by          uuid,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  deleted_at          timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, appointment_number),
  FOREIGN KEY (tenant_id, clinic_id) REFERENCES clinics (tenant_id, id),
  FOREIGN KEY (tenant_id, patient_id) REFERENCES patients (tenant_id, id),
  FOREIGN KEY (tenant_id, doctor_id) REFERENCES users (tenant_id, id),
  CHECK (ends_at > starts_at AND ends_at - starts_at <= interval '12 hours'),
  CHECK (status <> 'cancelled' OR cancellation_reason IS NOT NULL),
  -- No double booking: a doctor's booked (not walk-in) appointments that still hold their
  -- slot can never overlap, whoever books them and however concurrently.
  CONSTRAINT appointments_no_double_booking EXCLUDE USING gist (
    tenant_id WITH =, doctor_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&
  ) WHERE (status NOT IN ('cancelled', 'no_show') AND deleted_at IS NULL AND NOT is_walk_in)
);
CREATE INDEX idx_appointments_patient_id ON appointments (tenant_id, patient_id, starts_at DESC);
CREATE INDEX idx_appointments_doctor_day ON appointments (tenant_id, doctor_id, starts_at);
CREATE INDEX idx_appointments_clinic_day ON appointments (tenant_id, clinic_id, starts_at);
CREATE INDEX idx_appointments_status ON appointments (tenant_id, status, starts_at) WHERE deleted_at IS NULL;

CREATE TABLE diagnostic_tests (
  tenant_id              uuid NOT NULL REFERENCES tenants (id),
  id                     uuid NOT NULL DEFAULT gen_random_uuid(),
  clinic_id              uuid NOT NULL,
  test_number            text NOT NULL,
  patient_id             uuid NOT NULL,
  doctor_id              uuid NOT NULL,
  appointment_id         uuid,
  test_name              text NOT NULL CHECK (length(btrim(test_name)) BETWEEN 1 AND 200),
  test_code              text,
  test_category          text NOT NULL DEFAULT 'laboratory'
                         CHECK (test_category IN ('laboratory', 'imaging', 'cardiology', 'pathology',
                                                  'microbiology', 'other')),
  specimen_type          text,
  priority               text NOT NULL DEFAULT 'routine' CHECK (priority IN ('routine', 'urgent', 'stat')),
  status                 text NOT NULL DEFAULT 'ordered'
                         CHECK (status IN ('ordered', 'sample_collected', 'in_progress', 'completed', 'cancelled')),
  ordered_at             timestamptz NOT NULL DEFAULT now(),
  scheduled_at           timestamptz,
  sample_collected_at    timestamptz,
  completed_at           timestamptz,
  instructions           text,
  clinical_notes         text,
  performing_lab         text,
  cost                   numeric(12, 2) NOT NULL DEFAULT 0 CHECK (cost >= 0),
  insurance_covered      boolean NOT NULL DEFAULT false,
  insurance_claim_number text,
  created_by             uuid,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  deleted_at             timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, test_number),
  FOREIGN KEY (tenant_id, clinic_id) REFERENCES clinics (tenant_id, id),
  FOREIGN KEY (tenant_id, patient_id) REFERENCES patients (tenant_id, id),
  FOREIGN KEY (tenant_id, doctor_id) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, appointment_id) REFERENCES appointments (tenant_id, id)
);
CREATE INDEX idx_diagnostic_tests_patient ON diagnostic_tests (tenant_id, patient_id, ordered_at DESC);
CREATE INDEX idx_diagnostic_tests_doctor ON diagnostic_tests (tenant_id, doctor_id, ordered_at DESC);
CREATE INDEX idx_diagnostic_tests_appointment ON diagnostic_tests (tenant_id, appointment_id);
CREATE INDEX idx_diagnostic_tests_open ON diagnostic_tests (tenant_id, status)
  WHERE deleted_at IS NULL AND status NOT IN ('completed', 'cancelled');

CREATE TABLE test_reports (
  tenant_id            uuid NOT NULL REFERENCES tenants (id),
  id                   uuid NOT NULL DEFAULT gen_random_uuid(),
  report_number        text NOT NULL,
  diagnostic_test_id   uuid NOT NULL,
  patient_id           uuid NOT NULL,
  findings             text,
  interpretation       text,
  recommendations      text,
  -- [{parameter, value, unit, reference_range, flag}] with flag in normal/low/high/critical.
  result_values        jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(result_values) = 'array'),
  normal_ranges        jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(normal_ranges) = 'object'),
  abnormal_findings    jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(abnormal_findings) = 'array'),
  is_abnormal          boolean NOT NULL DEFAULT false,
  is_critical          boolean NOT NULL DEFAULT false,
  report_status        text NOT NULL DEFAULT 'draft'
                       CHECK (report_status IN ('draft', 'preliminary', 'final', 'amended')),
  reported_by          uuid,
  reported_at          timestamptz,
  verified_by          uuid,
  verified_at          timestamptz,
  quality_check_passed boolean,
  quality_notes        text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  deleted_at           timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, report_number),
  FOREIGN KEY (tenant_id, diagnostic_test_id) REFERENCES diagnostic_tests (tenant_id, id),
  FOREIGN KEY (tenant_id, patient_id) REFERENCES patients (tenant_id, id),
  FOREIGN KEY (tenant_id, reported_by) REFERENCES users (tenant_id, id),
  FOREIGN KEY (tenant_id, verified_by) REFERENCES users (tenant_id, id),
  CHECK ((verified_by IS NULL) = (verified_at IS NULL))
);
CREATE INDEX idx_test_reports_test ON test_reports (tenant_id, diagnostic_test_id);
CREATE INDEX idx_test_reports_patient ON test_reports (tenant_id, patient_id, created_at DESC);
CREATE INDEX idx_test_reports_abnormal ON test_reports (tenant_id, created_at DESC) WHERE is_abnormal AND deleted_at IS NULL;

CREATE TABLE invoices (
  tenant_id       uuid NOT NULL REFERENCES tenants (id),
  id              uuid NOT NULL DEFAULT gen_random_uuid(),
  clinic_id       uuid NOT NULL,
  invoice_number  text NOT NULL,
  patient_id      uuid NOT NULL,
  appointment_id  uuid,
  invoice_date    date NOT NULL DEFAULT current_date,
  due_date        date,
  -- [{description, code, quantity, unit_price, discount, tax_rate, amount}] (amounts as strings).
  line_items      jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(line_items) = 'array'),
  subtotal        numeric(12, 2) NOT NULL DEFAULT 0 CHECK (subtotal >= 0),
  discount_amount numeric(12, 2) NOT NULL DEFAULT 0 CHECK (discount_amount >= 0),
  tax_amount      numeric(12, 2) NOT NULL DEFAULT 0 CHECK (tax_amount >= 0),
  total_amount    numeric(12, 2) NOT NULL DEFAULT 0 CHECK (total_amount >= 0),
  amount_paid     numeric(12, 2) NOT NULL DEFAULT 0 CHECK (amount_paid >= 0),
  balance_due     numeric(12, 2) GENERATED ALWAYS AS (total_amount - amount_paid) STORED,
  currency        char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
  status          text NOT NULL DEFAULT 'draft'
                  CHECK (status IN ('draft', 'issued', 'partially_paid', 'paid', 'overdue', 'cancelled', 'refunded')),
  payment_terms   text,
  notes           text,
  issued_at       timestamptz,
  paid_at         timestamptz,
  created_by      uuid,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  deleted_at      timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, invoice_number),
  FOREIGN KEY (tenant_id, clinic_id) REFERENCES clinics (tenant_id, id),
  FOREIGN KEY (tenant_id, patient_id) REFERENCES patients (tenant_id, id),
  FOREIGN KEY (tenant_id, appointment_id) REFERENCES appointments (tenant_id, id),
  CHECK (total_amount = subtotal - discount_amount + tax_amount),
  CHECK (amount_paid <= total_amount),
  CHECK (due_date IS NULL OR due_date >= invoice_date)
);
CREATE INDEX idx_invoices_patient ON invoices (tenant_id, patient_id, invoice_date DESC);
CREATE INDEX idx_invoices_appointment ON invoices (tenant_id, appointment_id);
CREATE INDEX idx_invoices_open ON invoices (tenant_id, due_date)
  WHERE deleted_at IS NULL AND status IN ('issued', 'partially_paid', 'overdue');
CREATE INDEX idx_invoices_date ON invoices (tenant_id, invoice_date);

CREATE TABLE payments (
  tenant_id             uuid NOT NULL REFERENCES tenants (id),
  id                    uuid NOT NULL DEFAULT gen_random_uuid(),
  payment_number        text NOT NULL,
  invoice_id            uuid NOT NULL,
  patient_id            uuid NOT NULL,
  amount                numeric(12, 2) NOT NULL CHECK (amount > 0),
  currency              char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
  payment_method        text NOT NULL
                        CHECK (payment_method IN ('cash', 'card', 'bank_transfer', 'insurance', 'mobile_money',
                                                  'cheque', 'other')),
  payment_status        text NOT NULL DEFAULT 'completed'
                        CHECK (payment_status IN ('pending', 'completed', 'failed', 'refunded', 'partially_refunded')),
  transaction_reference text,
  payment_gateway       text,
  gateway_response      jsonb,
  paid_at               timestamptz NOT NULL DEFAULT now(),
  refund_amount         numeric(12, 2) NOT NULL DEFAULT 0 CHECK (refund_amount >= 0),
  refunded_at           timestamptz,
  refund_reason         text,
  received_by           uuid,
  notes                 text,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  deleted_at            timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, payment_number),
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id),
  FOREIGN KEY (tenant_id, patient_id) REFERENCES patients (tenant_id, id),
  FOREIGN KEY (tenant_id, received_by) REFERENCES users (tenant_id, id),
  CHECK (refund_amount <= amount)
);
CREATE INDEX idx_payments_invoice ON payments (tenant_id, invoice_id);
CREATE INDEX idx_payments_patient ON payments (tenant_id, patient_id, paid_at DESC);
CREATE INDEX idx_payments_paid_at ON payments (tenant_id, paid_at);

-- ---------------------------------------------------------------------------
-- Human-readable numbers (P-000001, APT-2026-000001, …): one counter row per tenant,
-- kind and year. The upsert's row lock serializes concurrent inserts, so numbers never
-- repeat. clinic_app has no grant on the counters; the trigger runs as the owner.
-- ---------------------------------------------------------------------------
CREATE TABLE number_sequences (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  kind       text NOT NULL,
  period     integer NOT NULL,
  last_value bigint NOT NULL,
  PRIMARY KEY (tenant_id, kind, period)
);

-- Trigger arguments: column to fill, prefix, 'yearly' or 'running'.
CREATE OR REPLACE FUNCTION assign_record_number() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  number_column text := TG_ARGV[0];
  prefix text := TG_ARGV[1];
  yearly boolean := TG_ARGV[2] = 'yearly';
  number_period integer := CASE WHEN yearly THEN extract(year FROM now())::integer ELSE 0 END;
  next_value bigint;
BEGIN
  IF NEW.tenant_id IS DISTINCT FROM current_tenant_id() AND current_tenant_id() IS NOT NULL THEN
    RAISE EXCEPTION 'tenant mismatch' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF to_jsonb(NEW) ->> number_column IS NOT NULL THEN
    RETURN NEW;
  END IF;
  INSERT INTO number_sequences AS s (tenant_id, kind, period, last_value)
  VALUES (NEW.tenant_id, TG_TABLE_NAME, number_period, 1)
  ON CONFLICT (tenant_id, kind, period) DO UPDATE SET last_value = s.last_value + 1
  RETURNING s.last_value INTO next_value;
  NEW := jsonb_populate_record(NEW, jsonb_build_object(number_column,
    prefix || '-' || CASE WHEN yearly THEN number_period::text || '-' ELSE '' END || lpad(next_value::text, 6, '0')));
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION assign_record_number() FROM PUBLIC;

CREATE TRIGGER assign_patient_number BEFORE INSERT ON patients
  FOR EACH ROW EXECUTE FUNCTION assign_record_number('patient_number', 'P', 'running');
CREATE TRIGGER assign_appointment_number BEFORE INSERT ON appointments
  FOR EACH ROW EXECUTE FUNCTION assign_record_number('appointment_number', 'APT', 'yearly');
CREATE TRIGGER assign_test_number BEFORE INSERT ON diagnostic_tests
  FOR EACH ROW EXECUTE FUNCTION assign_record_number('test_number', 'TST', 'yearly');
CREATE TRIGGER assign_report_number BEFORE INSERT ON test_reports
  FOR EACH ROW EXECUTE FUNCTION assign_record_number('report_number', 'RPT', 'yearly');
CREATE TRIGGER assign_invoice_number BEFORE INSERT ON invoices
  FOR EACH ROW EXECUTE FUNCTION assign_record_number('invoice_number', 'INV', 'yearly');
CREATE TRIGGER assign_payment_number BEFORE INSERT ON payments
  FOR EACH ROW EXECUTE FUNCTION assign_record_number('payment_number', 'PAY', 'yearly');

CREATE TRIGGER check_clinic_timezone BEFORE INSERT OR UPDATE OF timezone ON clinics
  FOR EACH ROW EXECUTE FUNCTION check_clinic_timezone();

-- An invoice's paid amount and status follow its payments (net of refunds).
CREATE OR REPLACE FUNCTION apply_payments_to_invoice() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
  paid numeric(12, 2);
BEGIN
  SELECT coalesce(sum(amount - refund_amount), 0) INTO paid
  FROM payments
  WHERE tenant_id = NEW.tenant_id AND invoice_id = NEW.invoice_id
    AND deleted_at IS NULL AND payment_status IN ('completed', 'partially_refunded', 'refunded');
  UPDATE invoices
  SET amount_paid = paid,
      status = CASE
        WHEN status IN ('draft', 'cancelled') THEN status
        WHEN paid >= total_amount AND total_amount > 0 THEN 'paid'
        WHEN paid > 0 THEN 'partially_paid'
        WHEN paid = 0 AND status IN ('paid', 'partially_paid') THEN 'refunded'
        ELSE status END,
      paid_at = CASE WHEN paid >= total_amount AND total_amount > 0 THEN coalesce(paid_at, now()) ELSE NULL END
  WHERE tenant_id = NEW.tenant_id AND id = NEW.invoice_id;
  RETURN NULL;
END $$;
CREATE TRIGGER apply_payments_to_invoice AFTER INSERT OR UPDATE ON payments
  FOR EACH ROW EXECUTE FUNCTION apply_payments_to_invoice();

-- ---------------------------------------------------------------------------
-- Row-level security. Two policies per tenant table:
--  * clinic_app sees and writes only its tenant's live rows (deleted rows vanish);
--  * the owning role (which runs the SECURITY DEFINER functions: numbering, audit,
--    soft delete) is also held to the current tenant, but sees deleted rows so it can
--    restore them. RLS is forced, so the owner is bound too unless it is a superuser.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION enable_tenant_isolation(target regclass, app_privileges text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
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
END $$;
REVOKE ALL ON FUNCTION enable_tenant_isolation(regclass, text) FROM PUBLIC;

-- Tenants: a request sees only its own tenant; the owner (operator CLI) sees all.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation_tenants ON tenants FOR SELECT TO clinic_app
  USING (id = current_tenant_id() AND deleted_at IS NULL);
DO $$ BEGIN
  EXECUTE format('CREATE POLICY owner_access_tenants ON tenants FOR ALL TO %I USING (true) WITH CHECK (true)', current_user);
END $$;
GRANT SELECT ON tenants TO clinic_app;
CREATE TRIGGER set_updated_at BEFORE UPDATE ON tenants FOR EACH ROW EXECUTE FUNCTION set_updated_at();

SELECT enable_tenant_isolation('clinics', 'SELECT, INSERT, UPDATE');
SELECT enable_tenant_isolation('roles', 'SELECT, INSERT, UPDATE');
SELECT enable_tenant_isolation('users', '');
SELECT enable_tenant_isolation('patients', 'SELECT, INSERT, UPDATE');
SELECT enable_tenant_isolation('appointments', 'SELECT, INSERT, UPDATE');
SELECT enable_tenant_isolation('diagnostic_tests', 'SELECT, INSERT, UPDATE');
SELECT enable_tenant_isolation('test_reports', 'SELECT, INSERT, UPDATE');
SELECT enable_tenant_isolation('invoices', 'SELECT, INSERT, UPDATE');
SELECT enable_tenant_isolation('payments', 'SELECT, INSERT, UPDATE');
SELECT enable_tenant_isolation('number_sequences', '');

-- Password hashes and lockout counters are never readable or writable by the app role;
-- sign-in and password changes go through SECURITY DEFINER functions.
GRANT SELECT (tenant_id, id, clinic_id, role_id, email, title, first_name, last_name, phone, date_of_birth,
              gender, specialization, license_number, qualification, years_of_experience, consultation_fee,
              default_slot_minutes, working_hours, calendar_color, settings, is_active, last_login_at,
              locked_until, password_changed_at, created_at, updated_at, deleted_at)
  ON users TO clinic_app;
GRANT INSERT (tenant_id, id, clinic_id, role_id, email, password_hash, title, first_name, last_name, phone,
              date_of_birth, gender, specialization, license_number, qualification, years_of_experience,
              consultation_fee, default_slot_minutes, working_hours, calendar_color, settings, is_active)
  ON users TO clinic_app;
GRANT UPDATE (clinic_id, role_id, email, title, first_name, last_name, phone, date_of_birth, gender,
              specialization, license_number, qualification, years_of_experience, consultation_fee,
              default_slot_minutes, working_hours, calendar_color, settings, is_active)
  ON users TO clinic_app;

GRANT EXECUTE ON FUNCTION current_tenant_id(), current_app_user_id(), fold_text(text), digits_only(text) TO clinic_app;

-- ---------------------------------------------------------------------------
-- The five roles every clinic starts with. Permission names match shared/permissions.ts
-- (a test checks it). Used by the demo seed (002) and the operator CLI's tenant creation.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION create_default_roles(p_tenant_id uuid) RETURNS void
LANGUAGE sql SET search_path = pg_catalog, public AS $$
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
$$;
REVOKE ALL ON FUNCTION create_default_roles(uuid) FROM PUBLIC;
