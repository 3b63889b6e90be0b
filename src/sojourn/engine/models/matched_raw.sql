-- Crossings of covered officials: by document (issuer + number), else by identity number on an
-- identity card, else by exact name key + birth date + sex where exactly one official has them.
-- When one number is registered to two holders, the lowest official key takes the crossing
-- (the conflict itself is document.identity_conflict's business).
-- Runs over the candidates model (the feed's rows that can match at all), not the whole feed: three
-- inner joins, each emitting its hits, then the best hit per event; ranking the hits afterwards spares
-- any aggregation over the whole registry.
WITH hits AS (
    SELECT c.event_id, c.crossed_at, c.local_date, c.direction, c.port, c.country, c.doc_type, c.doc_issuer,
           c.doc_number, d.official_pk, d.document_pk, d.status AS doc_status, d.lost_on,
           'document' AS matched_by, 1 AS priority
    FROM candidates c
    JOIN documents d ON c.doc_issuer = d.issuer AND c.number_key = d.number_key
    UNION ALL
    SELECT c.event_id, c.crossed_at, c.local_date, c.direction, c.port, c.country, c.doc_type, c.doc_issuer,
           c.doc_number, o.official_pk, CAST(NULL AS BIGINT), CAST(NULL AS VARCHAR), CAST(NULL AS DATE),
           'id_number', 2
    FROM candidates c
    JOIN officials o ON c.number_key = o.id_number
    WHERE c.doc_type = 'id_card'
    UNION ALL
    SELECT c.event_id, c.crossed_at, c.local_date, c.direction, c.port, c.country, c.doc_type, c.doc_issuer,
           c.doc_number, o.official_pk, CAST(NULL AS BIGINT), CAST(NULL AS VARCHAR), CAST(NULL AS DATE),
           'name', 3
    FROM candidates c
    JOIN officials o ON c.name_key = o.name_key AND c.birth_date = o.birth_date AND c.sex = o.sex
    WHERE c.name_key <> ''
),
ranked AS (
    SELECT hits.*,
           ROW_NUMBER() OVER (PARTITION BY event_id ORDER BY priority, official_pk, document_pk) AS rn,
           COUNT(*) OVER (PARTITION BY event_id, priority) AS same_rank
    FROM hits
)
SELECT event_id, crossed_at, local_date, direction, port, country, doc_type, doc_issuer, doc_number,
       official_pk, document_pk, doc_status, lost_on, matched_by
FROM ranked
WHERE rn = 1 AND (priority = 1 OR same_rank = 1)
