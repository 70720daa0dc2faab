-- ClinicDesk 017: reception search that finds everyone, instantly, at 100,000 patients.
--
-- Phones are compared in international form (E.164), computed by the app with libphonenumber
-- and the clinic's country, for the main and the other phone. Names are compared through
-- folded words: accents and special letters transliterated (ü = u or ue, ø = o or oe, ß = ss,
-- ł = l), punctuation ignored (O'Brien = obrien = o brien). Misspellings are found through the
-- deletions of every word of the clinic's names (a symmetric deletion index: letters wrong,
-- missing, extra or swapped, anywhere in the word; one edit from four letters, two from six).
--
-- Every index condition below is an equality or a range on C-collated text, which PostgreSQL
-- may use under forced RLS (the operators are leakproof): search stays fast when the schema
-- owner is not a superuser, whose definer functions are themselves held to the current tenant.

-- ---------------------------------------------------------------------------
-- The clinic's country: how a phone number typed without its country code is read.
-- Empty: the region of the clinic's language (en-GB → GB), else only international numbers.
-- ---------------------------------------------------------------------------
ALTER TABLE clinics ADD COLUMN country_code text CHECK (country_code ~ '^[A-Z]{2}$');

-- ---------------------------------------------------------------------------
-- Phones in E.164 (+447700900123), written by the app beside what was typed. A phone changed
-- without its key (SQL typed by hand) loses the key; the app fills missing keys at start-up.
-- ---------------------------------------------------------------------------
ALTER TABLE patients ADD COLUMN phone_e164 text COLLATE "C", ADD COLUMN alternate_phone_e164 text COLLATE "C";
GRANT INSERT (phone_e164, alternate_phone_e164), UPDATE (phone_e164, alternate_phone_e164) ON patients TO clinic_app;
CREATE INDEX idx_patients_tenant_phone_e164 ON patients (tenant_id, phone_e164) WHERE phone_e164 IS NOT NULL;
CREATE INDEX idx_patients_tenant_alternate_phone_e164 ON patients (tenant_id, alternate_phone_e164)
  WHERE alternate_phone_e164 IS NOT NULL;
-- The last digits of a number ("…900 123"): its key read backwards starts with them.
CREATE INDEX idx_patients_tenant_phone_e164_reversed ON patients (tenant_id, reverse(phone_e164))
  WHERE phone_e164 IS NOT NULL;
CREATE INDEX idx_patients_tenant_alternate_phone_e164_reversed ON patients (tenant_id, reverse(alternate_phone_e164))
  WHERE alternate_phone_e164 IS NOT NULL;
-- The rows whose keys the app still has to compute: normally none, so start-up finds them at once.
CREATE INDEX idx_patients_missing_phone_keys ON patients (tenant_id)
  WHERE (phone IS NOT NULL AND phone_e164 IS NULL) OR (alternate_phone IS NOT NULL AND alternate_phone_e164 IS NULL);
-- The duplicate check compares E.164 keys now (below); these served its old nine-digit key.
DROP INDEX idx_patients_tenant_phone_key;
DROP INDEX idx_patients_tenant_alternate_phone_key;

CREATE OR REPLACE FUNCTION forget_stale_phone_keys() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF NEW.phone IS DISTINCT FROM OLD.phone AND NEW.phone_e164 IS NOT DISTINCT FROM OLD.phone_e164 THEN
    NEW.phone_e164 := NULL;
  END IF;
  IF NEW.alternate_phone IS DISTINCT FROM OLD.alternate_phone
     AND NEW.alternate_phone_e164 IS NOT DISTINCT FROM OLD.alternate_phone_e164 THEN
    NEW.alternate_phone_e164 := NULL;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER forget_stale_phone_keys BEFORE UPDATE OF phone, alternate_phone ON patients
  FOR EACH ROW EXECUTE FUNCTION forget_stale_phone_keys();

-- ---------------------------------------------------------------------------
-- Name folding. NFD splits é into e + accent, the accents go; letters that do not decompose
-- are spelled out. The alternate spelling writes umlauts and ø/å the German and Nordic way
-- (ü → ue, ø → oe, å → aa). Apostrophes join (O'Brien → obrien), other punctuation separates.
-- lower() after folding: under the C collation it lowers ASCII only.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION fold_name(input text, alternate boolean DEFAULT false) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN btrim(regexp_replace(lower(translate(
  replace(replace(replace(replace(replace(replace(replace(replace(
    regexp_replace(
      CASE WHEN alternate
        THEN regexp_replace(regexp_replace(replace(replace(normalize(coalesce(input, ''), NFD), 'ø', 'oe'), 'Ø', 'Oe'),
                                           '([AOUaou])\u0308', '\1e', 'g'), '([Aa])\u030A', '\1a', 'g')
        ELSE normalize(coalesce(input, ''), NFD) END,
      '[\u0300-\u036F''’ʼ‘`´]', '', 'g'),
    'ß', 'ss'), 'ẞ', 'ss'), 'æ', 'ae'), 'Æ', 'ae'), 'œ', 'oe'), 'Œ', 'oe'), 'þ', 'th'), 'Þ', 'th'),
  'ØøŁłĐđıĦħŦŧ', 'OoLlDdiHhTt')), '[[:space:][:punct:]‐‑–—“”„«»]+', ' ', 'g'));

-- Every word a name may be searched by: both spellings, and an apostrophe's parts as well as the
-- joined word (o, brien, obrien). A double surname's parts are words of their own.
CREATE OR REPLACE FUNCTION name_words(full_name text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY(
  SELECT DISTINCT w
  FROM unnest(ARRAY[full_name, regexp_replace(full_name, '[''’ʼ‘`´]', ' ', 'g')]) AS s,
       unnest(ARRAY[false, true]) AS alternate,
       regexp_split_to_table(fold_name(s, alternate), ' ') AS w
  WHERE w <> ''
  ORDER BY w);

-- A word, the word with one letter left out (four letters or more) and with two left out (six
-- or more), each once with the fewest letters removed. A letter missing or extra: the longer
-- word with one removed is the shorter; a letter wrong or two neighbours swapped: both with one
-- removed are the same.
CREATE OR REPLACE FUNCTION word_deletions(word text) RETURNS TABLE (deletion text, removed integer)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT word, 0
  UNION ALL
  SELECT d, min(r)
  FROM (SELECT overlay(word PLACING '' FROM i FOR 1) AS d, 1 AS r
        FROM generate_series(1, length(word)) AS i WHERE length(word) >= 4
        UNION ALL
        SELECT overlay(overlay(word PLACING '' FROM j FOR 1) PLACING '' FROM i FOR 1), 2
        FROM generate_series(1, length(word)) AS i, generate_series(i + 1, length(word)) AS j WHERE length(word) >= 6) AS x
  GROUP BY d
$$;

-- How many edits a typed word may be from a name word: none below four letters, one below six.
-- Letters removed on each side stay within it, and in all within one more (two wrong letters in
-- a short word are another name).
CREATE OR REPLACE FUNCTION edits_allowed(word text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN length(word) >= 6 THEN 2 WHEN length(word) >= 4 THEN 1 ELSE 0 END;

-- The whole name folded, first name first and surname first: exact and as-you-type prefixes.
-- First name first leaves the middle name out, as reception types it ("Margaret Thompson").
ALTER TABLE patients
  ADD COLUMN name_key text COLLATE "C" GENERATED ALWAYS AS (fold_name(first_name || ' ' || last_name)) STORED,
  ADD COLUMN name_key_last_first text COLLATE "C" GENERATED ALWAYS AS
    (fold_name(last_name || ' ' || first_name || coalesce(' ' || middle_name, ''))) STORED;
CREATE INDEX idx_patients_tenant_name_key ON patients (tenant_id, name_key);
CREATE INDEX idx_patients_tenant_name_key_last_first ON patients (tenant_id, name_key_last_first);

-- ---------------------------------------------------------------------------
-- The words of each patient's name, and the clinic's dictionary of name words by deletion.
-- Derived from patients by a trigger, read only by the search function: owner-only.
-- ---------------------------------------------------------------------------
CREATE TABLE patient_name_words (
  tenant_id  uuid NOT NULL REFERENCES tenants (id),
  patient_id uuid NOT NULL,
  word       text COLLATE "C" NOT NULL,
  PRIMARY KEY (tenant_id, patient_id, word),
  FOREIGN KEY (tenant_id, patient_id) REFERENCES patients (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX idx_patient_name_words_word ON patient_name_words (tenant_id, word);

-- Words are never removed: a word nobody carries any more only leads to no patient.
CREATE TABLE name_word_deletions (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  deletion  text COLLATE "C" NOT NULL,
  word      text COLLATE "C" NOT NULL,
  removed   integer NOT NULL,
  PRIMARY KEY (tenant_id, deletion, word)
);

DO $$
DECLARE
  target text;
BEGIN
  FOREACH target IN ARRAY ARRAY['patient_name_words', 'name_word_deletions'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', target);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', target);
    EXECUTE format('CREATE POLICY %I ON %I FOR ALL TO %I USING (tenant_id = (SELECT current_tenant_id())) '
                   'WITH CHECK (tenant_id = (SELECT current_tenant_id()))', 'owner_tenant_access_' || target, target, current_user);
  END LOOP;
END $$;

CREATE OR REPLACE FUNCTION remember_name_words(p_tenant_id uuid, p_words text[]) RETURNS void
LANGUAGE sql SET search_path = pg_catalog, public, pg_temp AS $$
  INSERT INTO name_word_deletions (tenant_id, deletion, word, removed)
  SELECT p_tenant_id, d.deletion, w, d.removed
  FROM unnest(p_words) AS w, word_deletions(w) AS d
  -- A known word has all its deletions already: one probe instead of one per deletion.
  WHERE NOT EXISTS (SELECT 1 FROM name_word_deletions k WHERE k.tenant_id = p_tenant_id AND k.deletion = w AND k.word = w)
  ON CONFLICT DO NOTHING
$$;
REVOKE ALL ON FUNCTION remember_name_words(uuid, text[]) FROM PUBLIC;

CREATE OR REPLACE FUNCTION index_patient_name() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  words text[] := name_words(concat_ws(' ', NEW.first_name, NEW.middle_name, NEW.last_name));
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM patient_name_words WHERE tenant_id = OLD.tenant_id AND patient_id = OLD.id;
  END IF;
  INSERT INTO patient_name_words (tenant_id, patient_id, word) SELECT NEW.tenant_id, NEW.id, w FROM unnest(words) AS w;
  PERFORM remember_name_words(NEW.tenant_id, words);
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION index_patient_name() FROM PUBLIC;
CREATE TRIGGER index_patient_name AFTER INSERT OR UPDATE OF first_name, middle_name, last_name ON patients
  FOR EACH ROW EXECUTE FUNCTION index_patient_name();

-- Rebuilds one clinic's name words: this migration, and bulk loads that bypass triggers.
CREATE OR REPLACE FUNCTION reindex_patient_names(p_tenant_id uuid) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  DELETE FROM patient_name_words WHERE tenant_id = p_tenant_id;
  INSERT INTO patient_name_words (tenant_id, patient_id, word)
  SELECT p.tenant_id, p.id, w
  FROM patients p, unnest(name_words(concat_ws(' ', p.first_name, p.middle_name, p.last_name))) AS w
  WHERE p.tenant_id = p_tenant_id;
  PERFORM remember_name_words(p_tenant_id, ARRAY(SELECT DISTINCT word FROM patient_name_words WHERE tenant_id = p_tenant_id));
END $$;
REVOKE ALL ON FUNCTION reindex_patient_names(uuid) FROM PUBLIC;

-- As the owner, one clinic at a time (a schema owner that is not a superuser sees one at a time).
DO $$
DECLARE
  clinic uuid;
BEGIN
  FOR clinic IN SELECT id FROM tenants LOOP
    PERFORM set_config('app.current_tenant_id', clinic::text, true);
    PERFORM reindex_patient_names(clinic);
  END LOOP;
  PERFORM set_config('app.current_tenant_id', '', true);
END $$;

-- ---------------------------------------------------------------------------
-- The duplicate check compares phones as search does: E.164 keys (the app passes the typed
-- phone's key), main or other phone.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION find_possible_duplicates(
  p_first_name text, p_last_name text, p_date_of_birth date, p_phone text, p_exclude_id uuid DEFAULT NULL
)
RETURNS TABLE (id uuid, patient_number text, first_name text, last_name text, date_of_birth date, phone text,
               reasons text[])
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
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
END $$;

-- ---------------------------------------------------------------------------
-- Reception search. What was typed decides the kind: patient number, ISO date of birth, phone
-- (from its start, national or international: p_phone is the app's E.164 reading of it; or its
-- last digits) or a name. Names, best first, each tier only while the list is short:
--   1. the whole name exactly, first name or surname first;
--   2. the whole name starting with what was typed (as-you-type);
--   3. every typed word starting a word of the name, in any order (middle names, second
--      surnames, "o brien"), from the typed word with the fewest patients, so "Mohammed"
--      shared by a tenth of the clinic costs nothing beside a rare surname;
--   4. the whole name with a word misspelt (one edit from four letters, two from six).
-- ---------------------------------------------------------------------------
DROP FUNCTION search_patients(text, integer);
DROP FUNCTION find_patients_matching(text, integer);

CREATE FUNCTION find_patients_matching(p_query text, p_limit integer DEFAULT 20, p_phone text DEFAULT NULL)
RETURNS TABLE (id uuid, patient_number text, first_name text, middle_name text, last_name text,
               date_of_birth date, gender text, phone text, email text, allergies jsonb, alerts text,
               match_kind text, score real)
LANGUAGE plpgsql STABLE SECURITY DEFINER
-- Custom plans see the typed text as constants, which index range scans need.
SET search_path = pg_catalog, public, pg_temp SET plan_cache_mode = force_custom_plan AS $$
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
           OR p.patient_number LIKE 'P-' || substr(digits, 1, 6) || '%')
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
             AND reverse(x.phone_e164) >= ending AND reverse(x.phone_e164) < ending || top
           LIMIT result_limit)
          UNION ALL
          (SELECT x.id, 0.7::real
           FROM patients x
           WHERE x.tenant_id = tenant AND x.deleted_at IS NULL
             AND reverse(x.alternate_phone_e164) >= ending AND reverse(x.alternate_phone_e164) < ending || top
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
  SELECT coalesce(array_agg(m.id ORDER BY m.exact DESC, m.sort_key), '{}'),
         coalesce(array_agg(CASE WHEN m.exact THEN 1.0 ELSE 0.9 END::real ORDER BY m.exact DESC, m.sort_key), '{}')
  INTO tier_ids, tier_scores
  FROM (SELECT DISTINCT ON (u.id) u.id, u.exact, u.sort_key
        FROM ((SELECT x.id, x.name_key = folded AS exact, x.name_key_last_first AS sort_key
               FROM patients x
               WHERE x.tenant_id = tenant AND x.deleted_at IS NULL AND x.name_key >= folded AND x.name_key < folded || top
               ORDER BY x.name_key LIMIT result_limit)
              UNION ALL
              (SELECT x.id, x.name_key_last_first = folded, x.name_key_last_first
               FROM patients x
               WHERE x.tenant_id = tenant AND x.deleted_at IS NULL
                 AND x.name_key_last_first >= folded AND x.name_key_last_first < folded || top
               ORDER BY x.name_key_last_first LIMIT result_limit)) AS u
        ORDER BY u.id, u.exact DESC) AS m;
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
  -- words close to it (eight at most, closest first); the whole name is then looked up as in
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
             WHERE greatest(e.stored, e.typed) <= edits_allowed(words[i]) AND e.edits <= edits_allowed(words[i]) + 1
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
                 row_number() OVER (PARTITION BY s.spelling ORDER BY p.name_key_last_first) AS turn,
                 (0.4 + 0.3 * greatest(similarity(folded, p.name_key), similarity(folded, p.name_key_last_first)))::real AS score
          FROM unnest(spellings, spelling_edits) AS s(spelling, edits)
          CROSS JOIN LATERAL ((SELECT x.id FROM patients x
                               WHERE x.tenant_id = tenant AND x.deleted_at IS NULL
                                 AND x.name_key >= s.spelling AND x.name_key < s.spelling || top
                               ORDER BY x.name_key LIMIT result_limit)
                              UNION ALL
                              (SELECT x.id FROM patients x
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
REVOKE ALL ON FUNCTION find_patients_matching(text, integer, text) FROM PUBLIC;

-- Search, logged with who searched and how many patients it returned.
CREATE FUNCTION search_patients(p_query text, p_limit integer DEFAULT 20, p_phone text DEFAULT NULL)
RETURNS TABLE (id uuid, patient_number text, first_name text, middle_name text, last_name text,
               date_of_birth date, gender text, phone text, email text, allergies jsonb, alerts text,
               match_kind text, score real)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
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
END $$;
REVOKE ALL ON FUNCTION search_patients(text, integer, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION search_patients(text, integer, text) TO clinic_app;
