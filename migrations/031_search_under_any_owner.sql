-- ClinicDesk 031: search as fast with a schema owner that is not a superuser, and identity
-- checks that do not re-plan themselves on every call.
--
-- Measured on PostgreSQL 15 at 100,000 patients, the schema owned by an ordinary CREATEROLE role
-- as the README's operator set-up has it, searching as a receptionist's own login:
--
-- * Phone endings and patient-number prefixes read the whole clinic: 200–500 ms a keystroke.
--   The definer function's queries run under the owner's forced RLS policy, and under RLS only
--   conditions built from leakproof functions may become index conditions: reverse() and LIKE
--   are not (a superuser owner skips RLS, which is why the benchmark never showed it). The
--   reversed phones are now stored columns compared with plain text operators, and a number
--   prefix is a range.
-- * The identity functions (session_is_owner, current_tenant_id, …) were SQL functions. With
--   SECURITY DEFINER and SET they are never inlined, and PostgreSQL 15 parses and plans a SQL
--   function's body on each call from a new statement: a search calls them about thirty times
--   (every RLS policy of every table it reads), and require_permission alone took 2.2 ms. As
--   PL/pgSQL their plans are kept for the connection, and a staff login skips the owner test:
--   current_tenant_id() from 70 to 25 µs a call. The rules and answers are unchanged.
-- * find_patients_matching re-planned its statements on every keystroke (force_custom_plan,
--   from when its conditions were LIKE patterns). Its conditions are ranges now, which index
--   scans take as parameters, so PL/pgSQL's cached plans serve; planning was about 40% of
--   the function's time.
-- * Three letters typed may be a four-letter name with a letter left out: "jon" finds John,
--   "mma schwarz" Emma Schwarz. Of 192 misspelt first names in the bench, 9 were missed, all of
--   them this. Only that edit: a wrong letter in three is another name (Ali, Alo, Eli).
-- The function is otherwise as in 024.

-- ---------------------------------------------------------------------------
-- Identity, as in 008 and 010, in PL/pgSQL.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION session_is_owner() RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  RETURN EXISTS (
    SELECT 1 FROM pg_catalog.pg_roles r
    WHERE r.rolname = session_user
      AND (r.rolsuper OR r.oid = (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = 'public.tenants'::regclass)));
END $$;

-- A staff login is looked up first: it is every remote request, and the owner test (pg_roles) is
-- then not needed. Same answers as 008: staff_logins holds only cd_<hash> names the provisioning
-- code derives from a clinic code and email, never the owner or a superuser; a disabled login
-- is no owner either, so it still gets nothing.
CREATE OR REPLACE FUNCTION current_tenant_id() RETURNS uuid
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  staff_tenant uuid := (SELECT s.tenant_id FROM staff_logins s WHERE s.role_name = session_user AND s.disabled_at IS NULL);
BEGIN
  IF staff_tenant IS NOT NULL OR NOT session_is_owner() THEN
    RETURN staff_tenant;
  END IF;
  RETURN nullif(current_setting('app.current_tenant_id', true), '')::uuid;
END $$;

CREATE OR REPLACE FUNCTION current_app_user_id() RETURNS uuid
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  staff_user uuid := (SELECT s.user_id FROM staff_logins s WHERE s.role_name = session_user AND s.disabled_at IS NULL);
BEGIN
  IF staff_user IS NOT NULL OR NOT session_is_owner() THEN
    RETURN staff_user;
  END IF;
  RETURN nullif(current_setting('app.current_user_id', true), '')::uuid;
END $$;

CREATE OR REPLACE FUNCTION current_app_clinic_id() RETURNS uuid
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  RETURN (SELECT u.clinic_id FROM users u WHERE u.tenant_id = current_tenant_id() AND u.id = current_app_user_id());
END $$;

CREATE OR REPLACE FUNCTION app_user_has_any_permission(p_permissions text[]) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  RETURN coalesce((
    SELECT r.permissions ?| p_permissions
    FROM users u JOIN roles r ON r.tenant_id = u.tenant_id AND r.id = u.role_id
    WHERE u.tenant_id = current_tenant_id() AND u.id = current_app_user_id()
      AND u.deleted_at IS NULL AND u.is_active AND NOT u.password_change_required
      AND r.deleted_at IS NULL AND r.is_active), false);
END $$;

CREATE OR REPLACE FUNCTION app_may(VARIADIC p_permissions text[]) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  RETURN app_user_has_any_permission(p_permissions) OR (session_is_owner() AND current_app_user_id() IS NULL);
END $$;

-- ---------------------------------------------------------------------------
-- Phone endings as stored columns (replacing 017's indexes on reverse(…)).
-- ---------------------------------------------------------------------------
ALTER TABLE patients
  ADD COLUMN phone_e164_reversed text GENERATED ALWAYS AS (reverse(phone_e164)) STORED,
  ADD COLUMN alternate_phone_e164_reversed text GENERATED ALWAYS AS (reverse(alternate_phone_e164)) STORED;
DROP INDEX idx_patients_tenant_phone_e164_reversed;
DROP INDEX idx_patients_tenant_alternate_phone_e164_reversed;
CREATE INDEX idx_patients_tenant_phone_e164_reversed ON patients (tenant_id, phone_e164_reversed)
  WHERE phone_e164_reversed IS NOT NULL;
CREATE INDEX idx_patients_tenant_alternate_phone_e164_reversed ON patients (tenant_id, alternate_phone_e164_reversed)
  WHERE alternate_phone_e164_reversed IS NOT NULL;

-- ---------------------------------------------------------------------------
-- Search: number prefixes as ranges, phone endings from the stored columns, cached plans.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION find_patients_matching(p_query text, p_limit integer DEFAULT 20, p_phone text DEFAULT NULL)
RETURNS TABLE (id uuid, patient_number text, first_name text, middle_name text, last_name text,
               date_of_birth date, gender text, phone text, email text, allergies jsonb, alerts text,
               match_kind text, score real)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp SET jit = off AS $$
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
  driver integer;
  fewest integer;
  counted integer;
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
  -- patients drives (counted, and read, up to 300 rows: when every word typed is that common,
  -- tiers 1 and 2 have filled the list already); the others are checked on its patients only.
  IF cardinality(found_ids) < result_limit THEN
    FOR i IN 1..cardinality(words) LOOP
      SELECT count(*) INTO counted
      FROM (SELECT 1 FROM patient_name_words x
            WHERE x.tenant_id = tenant AND x.word >= words[i] AND x.word < words[i] || top LIMIT 300) AS c;
      IF fewest IS NULL OR counted < fewest THEN
        fewest := counted;
        driver := i;
      END IF;
    END LOOP;
    SELECT coalesce(array_agg(p.id ORDER BY p.name_key_last_first), '{}') INTO tier_ids
    FROM (SELECT DISTINCT d.patient_id
          FROM (SELECT w.patient_id FROM patient_name_words w
                WHERE w.tenant_id = tenant AND w.word >= words[driver] AND w.word < words[driver] || top LIMIT 300) AS d
          WHERE d.patient_id <> ALL (found_ids)
            AND NOT EXISTS (
              SELECT 1 FROM generate_subscripts(words, 1) AS i
              WHERE i <> driver AND NOT EXISTS (
                SELECT 1 FROM patient_name_words x
                WHERE x.tenant_id = tenant AND x.patient_id = d.patient_id AND x.word >= words[i] AND x.word < words[i] || top))) AS m
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
END $$;
