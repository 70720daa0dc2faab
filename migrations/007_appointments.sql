-- ClinicDesk 007: the calendar, booking, check-in and the waiting queue, appointment reminders.
-- Everything here runs as the caller (SECURITY INVOKER): RLS decides what each request sees.
-- Runs unchanged on PGlite (PostgreSQL 18) and PostgreSQL 15+.

-- ---------------------------------------------------------------------------
-- Status changes. The legal ones, as data; STATUS_TRANSITIONS in shared/appointments.ts is
-- the same list (a test compares the two and tries every pair through the trigger).
-- ---------------------------------------------------------------------------
CREATE VIEW appointment_status_transitions (from_status, to_status) AS
VALUES ('scheduled', 'confirmed'), ('scheduled', 'checked_in'), ('scheduled', 'cancelled'), ('scheduled', 'no_show'),
       ('confirmed', 'checked_in'), ('confirmed', 'cancelled'), ('confirmed', 'no_show'),
       ('checked_in', 'in_progress'), ('checked_in', 'cancelled'),
       ('in_progress', 'completed');
GRANT SELECT ON appointment_status_transitions TO clinic_app;

-- Refuses any other change, and stamps when it happened unless the caller says so.
CREATE OR REPLACE FUNCTION check_appointment_status_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
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
END $$;

CREATE TRIGGER check_appointment_status_change BEFORE UPDATE OF status ON appointments
  FOR EACH ROW EXECUTE FUNCTION check_appointment_status_change();

-- ---------------------------------------------------------------------------
-- Clinic time. A wall-clock date and time read in the clinic's timezone, with the offset in
-- force on that date: 09:00 in London is 08:00Z in summer and 09:00Z in winter, and a
-- week that contains a clock change is 167 or 169 hours long.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION clinic_instant(p_date date, p_time time, p_timezone text) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE
RETURN (p_date + p_time) AT TIME ZONE p_timezone;

-- The instants bounding p_days clinic days from midnight of p_from (today when NULL).
CREATE OR REPLACE FUNCTION clinic_days(p_clinic_id uuid, p_from date, p_days integer)
RETURNS TABLE (from_at timestamptz, until_at timestamptz)
LANGUAGE sql STABLE SET search_path = pg_catalog, public AS $$
  SELECT clinic_instant(d.first_day, time '00:00', c.timezone), clinic_instant(d.first_day + p_days, time '00:00', c.timezone)
  FROM clinics c
  CROSS JOIN LATERAL (SELECT coalesce(p_from, (now() AT TIME ZONE c.timezone)::date) AS first_day) d
  WHERE c.id = p_clinic_id
$$;

-- How a doctor is named on the calendar and in reminders: "Dr Priya Patel".
CREATE OR REPLACE FUNCTION doctor_display_name(p_title text, p_first_name text, p_last_name text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN coalesce(nullif(btrim(p_title), ''), 'Dr') || ' ' || p_first_name || ' ' || p_last_name;

GRANT EXECUTE ON FUNCTION clinic_instant(date, time, text), clinic_days(uuid, date, integer),
  doctor_display_name(text, text, text) TO clinic_app;

-- ---------------------------------------------------------------------------
-- Who can be booked, and the calendar as the screens show it. security_invoker: the
-- reader's RLS applies, so neither view can show another tenant's or a deleted row.
-- ---------------------------------------------------------------------------
CREATE VIEW clinic_doctors WITH (security_invoker = true) AS
SELECT u.id, u.clinic_id, doctor_display_name(u.title, u.first_name, u.last_name) AS name, u.specialization,
       u.default_slot_minutes, u.calendar_color, u.working_hours, fold_text(u.last_name || ' ' || u.first_name) AS sort_key
FROM users u
JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id AND r.name = 'doctor' AND r.is_active
WHERE u.is_active;

-- Times both as instants and as the clinic's wall clock. An archived patient's visits stay
-- on the calendar (the patient row is hidden from the app role, hence the LEFT JOIN).
CREATE VIEW appointment_calendar WITH (security_invoker = true) AS
SELECT a.id, a.clinic_id, a.appointment_number, a.patient_id,
       coalesce(p.first_name || ' ' || p.last_name, 'Archived patient') AS patient_name,
       coalesce(p.patient_number, '') AS patient_number,
       a.doctor_id, doctor_display_name(u.title, u.first_name, u.last_name) AS doctor_name,
       a.starts_at, a.ends_at,
       to_char(a.starts_at AT TIME ZONE c.timezone, 'YYYY-MM-DD') AS local_date,
       to_char(a.starts_at AT TIME ZONE c.timezone, 'HH24:MI') AS local_start,
       to_char(a.ends_at AT TIME ZONE c.timezone, 'HH24:MI') AS local_end,
       a.duration_minutes, a.status, a.appointment_type, a.is_walk_in, a.reason,
       coalesce(jsonb_array_length(p.allergies) > 0, false) AS has_allergies,
       a.checked_in_at, c.timezone
FROM appointments a
JOIN clinics c ON c.tenant_id = a.tenant_id AND c.id = a.clinic_id
JOIN users u ON u.tenant_id = a.tenant_id AND u.id = a.doctor_id
LEFT JOIN patients p ON p.tenant_id = a.tenant_id AND p.id = a.patient_id;

GRANT SELECT ON clinic_doctors, appointment_calendar TO clinic_app;

-- ---------------------------------------------------------------------------
-- Reminders. One pending reminder per appointment, due 24 hours before it (or at once
-- when it is sooner). Sent reminders stay as a record; pending ones are withdrawn when the
-- visit is moved, cancelled or missed.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION withdraw_appointment_reminders(p_appointment_id uuid, p_reason text) RETURNS integer
LANGUAGE sql SET search_path = pg_catalog, public AS $$
  SELECT count(*) FILTER (WHERE soft_delete('notifications', n.id, p_reason))::integer
  FROM notifications n
  WHERE n.type = 'reminder' AND n.related_entity_type = 'appointment' AND n.related_entity_id = p_appointment_id
    AND n.sent_at IS NULL
$$;

CREATE OR REPLACE FUNCTION queue_appointment_reminder(p_appointment_id uuid) RETURNS uuid
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
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
END $$;

GRANT EXECUTE ON FUNCTION withdraw_appointment_reminders(uuid, text), queue_appointment_reminder(uuid) TO clinic_app;
