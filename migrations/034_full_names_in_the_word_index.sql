-- ClinicDesk 034: a full name found without looking its patients up one by one.
--
-- Measured on PostgreSQL 15 at 100,000 patients (schema owner not a superuser, a receptionist's
-- own login): of a full name's ~4 ms in the server, the tier "every typed word starts a word of
-- the name" took 2 ms. It counted each typed word's patients in a statement of its own, then took
-- up to 300 patients of the rarest word and looked each one's other words up in the index.
--
-- * Each name-word entry now carries all the words of its patient (`all_words`, ' a b c '), and
--   the word index includes it, so the other typed words are checked in the entry the scan is
--   already reading.
-- * The rarest word is chosen in one statement instead of one per word.
-- * Generic plans, always. Left to choose (031), PL/pgSQL planned most of the function's
--   statements again on every keystroke: a range with unknown bounds is estimated at 0.5% of the
--   clinic, so a generic plan looked dearer than the custom ones, which planning then cost about
--   1 ms a search. The plans are the same index range scans either way. Measured server-side per
--   search, generic against custom: full names 0.9–1.2 ms against 1.5–2.8, phones 0.2 against 0.7.
-- * New patients' name parts are folded once per statement, for their entries and the clinic's
--   dictionary alike (measured with the patient import, 032).
-- * Number prefixes are ranges and phone endings come from the stored reversed columns (031): under
--   a schema owner that is not a superuser only such leakproof conditions may use an index.
-- * Three letters typed may be a four-letter name with a letter left out: "jon" finds John,
--   "mma schwarz" Emma Schwarz. Of 192 misspelt first names in the bench, 9 were missed, all of
--   them this. Only that edit: a wrong letter in three is another name (Ali, Alo, Eli).
-- find_patients_matching is otherwise as in 024.

ALTER TABLE patient_name_words ADD COLUMN all_words text;

CREATE OR REPLACE FUNCTION index_new_patient_names()
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
END $function$;

CREATE OR REPLACE FUNCTION index_patient_name()
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
END $function$;

CREATE OR REPLACE FUNCTION reindex_patient_names(p_tenant_id uuid)
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
END $function$;

-- The clinics there already, one at a time (a schema owner that is not a superuser sees one at a time).
DO $$
DECLARE
  tenant uuid;
BEGIN
  FOR tenant IN SELECT id FROM tenants LOOP
    PERFORM set_config('app.current_tenant_id', tenant::text, true);
    PERFORM reindex_patient_names(tenant);
  END LOOP;
  PERFORM set_config('app.current_tenant_id', '', true);
END $$;

ALTER TABLE patient_name_words ALTER COLUMN all_words SET NOT NULL;
DROP INDEX idx_patient_name_words_word;
CREATE INDEX idx_patient_name_words_word ON patient_name_words (tenant_id, word) INCLUDE (patient_id, all_words);

CREATE OR REPLACE FUNCTION find_patients_matching(p_query text, p_limit integer DEFAULT 20, p_phone text DEFAULT NULL::text)
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
END $function$;
