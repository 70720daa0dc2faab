-- ClinicDesk 041: ANALYZE gathers statistics only for columns that queries filter, join or sort by.
--
-- PGlite has no autovacuum, so the app analyzes (maintenance, and a large import at commit).
-- Statistics of a column no query selects by are never used by the planner, yet ANALYZE sorts
-- and counts each sampled value of it. Measured on PGlite after importing 100,000 patients:
-- ANALYZE patients took 0.7 s, 0.37 s without the columns below. (The planner keeps its
-- defaults for them, which no query asks for; search's columns, birth dates, numbers, clinics
-- and the deleted-at mark keep theirs.)

ALTER TABLE patients
  ALTER COLUMN middle_name SET STATISTICS 0,
  ALTER COLUMN blood_group SET STATISTICS 0,
  ALTER COLUMN marital_status SET STATISTICS 0,
  ALTER COLUMN occupation SET STATISTICS 0,
  ALTER COLUMN preferred_language SET STATISTICS 0,
  ALTER COLUMN email SET STATISTICS 0,
  ALTER COLUMN address_line1 SET STATISTICS 0,
  ALTER COLUMN address_line2 SET STATISTICS 0,
  ALTER COLUMN city SET STATISTICS 0,
  ALTER COLUMN state SET STATISTICS 0,
  ALTER COLUMN postal_code SET STATISTICS 0,
  ALTER COLUMN country SET STATISTICS 0,
  ALTER COLUMN emergency_contact_name SET STATISTICS 0,
  ALTER COLUMN emergency_contact_phone SET STATISTICS 0,
  ALTER COLUMN emergency_contact_relationship SET STATISTICS 0,
  ALTER COLUMN allergies SET STATISTICS 0,
  ALTER COLUMN medical_history SET STATISTICS 0,
  ALTER COLUMN current_medications SET STATISTICS 0,
  ALTER COLUMN insurance_info SET STATISTICS 0,
  ALTER COLUMN alerts SET STATISTICS 0,
  ALTER COLUMN notes SET STATISTICS 0,
  ALTER COLUMN is_active SET STATISTICS 0,
  ALTER COLUMN updated_at SET STATISTICS 0;

-- The audit trail is looked up by table, record, user and time; its values are shown, never searched.
ALTER TABLE audit_logs
  ALTER COLUMN old_values SET STATISTICS 0,
  ALTER COLUMN new_values SET STATISTICS 0,
  ALTER COLUMN changed_fields SET STATISTICS 0,
  ALTER COLUMN reason SET STATISTICS 0,
  ALTER COLUMN ip_address SET STATISTICS 0,
  ALTER COLUMN user_agent SET STATISTICS 0;
