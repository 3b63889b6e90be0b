-- The feed's rows that can belong to a covered official, in one pass over the store: a hash of each
-- matching key is checked against the hashes of the registry's keys (document issuer + number; name
-- key + birth date + sex; identity number on an identity card). A hash collision only lets an extra
-- row through to the exact joins of matched_raw, which decide; nothing that matches can be missed.
SELECT c.event_id, c.crossed_at, c.local_date, c.direction, c.port, c.country, c.doc_type, c.doc_issuer,
       c.doc_number, c.number_key, c.name_key, c.birth_date, c.sex
FROM crossings c
WHERE HASH(c.doc_issuer, c.number_key) IN (SELECT HASH(issuer, number_key) FROM documents)
   OR HASH(c.name_key, c.birth_date, c.sex) IN (SELECT HASH(name_key, birth_date, sex) FROM officials)
   OR (c.doc_type = 'id_card' AND c.number_key IN (SELECT id_number FROM officials))
