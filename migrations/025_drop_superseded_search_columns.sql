-- The search columns of 004 (search_name, search_name_last_first, phone_digits) and their five
-- indexes, two of them trigram GIN, are read by nothing since 017 searches by name words, name
-- keys and E.164 phone keys. Each new patient still paid for computing and indexing them: a
-- 5,000-row import spent a good part of its time there.
ALTER TABLE patients
  DROP COLUMN search_name,
  DROP COLUMN search_name_last_first,
  DROP COLUMN phone_digits;
