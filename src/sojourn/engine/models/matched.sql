-- Facts about the document each matched crossing used: in custody that day (per the custody
-- history), or lost / cancelled by then.
WITH held AS (
    SELECT DISTINCT m.event_id
    FROM matched_raw m
    JOIN custody_spans s ON s.document_pk = m.document_pk
    WHERE s.held_from < m.local_date AND (s.held_to IS NULL OR m.local_date < s.held_to)
)
SELECT m.event_id, m.crossed_at, m.local_date, m.direction, m.port, m.country,
       m.doc_type, m.doc_issuer, m.doc_number, m.official_pk, m.document_pk, m.matched_by,
       CASE WHEN h.event_id IS NULL THEN FALSE ELSE TRUE END AS in_custody,
       CASE WHEN m.doc_status IN ('lost', 'cancelled') AND (m.lost_on IS NULL OR m.lost_on <= m.local_date)
            THEN TRUE ELSE FALSE END AS lost_used
FROM matched_raw m
LEFT JOIN held h ON h.event_id = m.event_id
