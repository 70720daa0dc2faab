-- ClinicDesk 006: duplicate check for patient registration.

-- The same number is written +44 7700 900123 on one form and 07700 900123 on the next:
-- numbers compare by their last nine digits (the national number without trunk 0 or
-- country code in most numbering plans), shorter local numbers as a whole.
CREATE OR REPLACE FUNCTION phone_match_key(phone text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN nullif(right(digits_only(phone), 9), '');

CREATE INDEX IF NOT EXISTS idx_patients_tenant_phone_key
  ON patients (tenant_id, phone_match_key(phone)) WHERE phone IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_patients_tenant_alternate_phone_key
  ON patients (tenant_id, phone_match_key(alternate_phone)) WHERE alternate_phone IS NOT NULL;

-- Live patients who may be the person being registered: the same phone (main or alternate;
-- 6 digits typed at least), or a similar name with the same date of birth. Each branch starts
-- from an equality index (phone key, date of birth); trigram similarity only compares the few
-- rows born that day. Runs as the owner so the phone-key expression indexes stay usable
-- (under forced RLS a non-leakproof qual cannot be an index condition), hence it filters the
-- tenant and deleted rows itself. Best match first, ten at most.
CREATE OR REPLACE FUNCTION find_duplicate_patients(
  p_first_name text, p_last_name text, p_date_of_birth date, p_phone text, p_exclude_id uuid DEFAULT NULL
)
RETURNS TABLE (id uuid, patient_number text, first_name text, last_name text, date_of_birth date, phone text,
               reasons text[])
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  tenant uuid := current_tenant_id();
  typed_phone text := CASE WHEN length(digits_only(p_phone)) >= 6 THEN phone_match_key(p_phone) END;
  typed_first text := fold_text(btrim(coalesce(p_first_name, '')));
  typed_last text := fold_text(btrim(coalesce(p_last_name, '')));
  typed_name text := btrim(typed_first || ' ' || typed_last);
BEGIN
  IF tenant IS NULL THEN
    RETURN;
  END IF;
  RETURN QUERY
  WITH matches AS (
    SELECT p.id, 'same_phone' AS reason, 0::real AS name_similarity
    FROM patients p
    WHERE p.tenant_id = tenant AND p.deleted_at IS NULL AND p.phone IS NOT NULL
      AND phone_match_key(p.phone) = typed_phone
    UNION ALL
    SELECT p.id, 'same_phone', 0
    FROM patients p
    WHERE p.tenant_id = tenant AND p.deleted_at IS NULL AND p.alternate_phone IS NOT NULL
      AND phone_match_key(p.alternate_phone) = typed_phone
    UNION ALL
    SELECT p.id, 'similar_name_same_birth_date', similarity(fold_text(p.first_name || ' ' || p.last_name), typed_name)
    FROM patients p
    WHERE p.tenant_id = tenant AND p.deleted_at IS NULL AND p.date_of_birth = p_date_of_birth
      AND typed_name <> ''
      AND (similarity(fold_text(p.first_name || ' ' || p.last_name), typed_name) >= 0.5
           -- "Jon Smith" for Jonathan Smith, "J Smith" for John Smith
           OR (fold_text(p.last_name) = typed_last
               AND (starts_with(fold_text(p.first_name), typed_first) OR starts_with(typed_first, fold_text(p.first_name)))))
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
END $$;
REVOKE ALL ON FUNCTION find_duplicate_patients(text, text, date, text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION find_duplicate_patients(text, text, date, text, uuid) TO clinic_app;
