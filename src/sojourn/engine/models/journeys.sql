-- One row per exit: the next entry of the same person, and the approved trip that covers the exit
-- (or that it left early for, up to the deviation window before departure).
-- "Next entry" is a running minimum over the later crossings (a descending frame that ends one row
-- before the current one), never a forward self-join, so a very frequent traveller stays linear.
WITH nxt AS (
    SELECT event_id, official_pk, direction, crossed_at, local_date, country, port,
           MIN(CASE WHEN direction = 'entry' THEN crossed_at END) OVER (
               PARTITION BY official_pk ORDER BY crossed_at DESC, event_id DESC
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
           ) AS next_entry_at
    FROM matched
),
entries AS (
    SELECT official_pk, crossed_at, event_id, local_date, country,
           ROW_NUMBER() OVER (PARTITION BY official_pk, crossed_at ORDER BY event_id) AS rn
    FROM matched
    WHERE direction = 'entry'
),
paired AS (
    SELECT x.event_id AS exit_event_id, x.official_pk, x.local_date AS exit_date, x.country AS exit_country,
           x.port AS exit_port, e.event_id AS entry_event_id, e.local_date AS entry_date,
           e.country AS entry_country
    FROM nxt x
    LEFT JOIN entries e ON e.official_pk = x.official_pk AND e.crossed_at = x.next_entry_at AND e.rn = 1
    WHERE x.direction = 'exit'
),
candidates AS (
    SELECT p.exit_event_id, t.trip_pk, t.trip_id, t.depart_date,
           CASE WHEN p.exit_date >= t.depart_date THEN 0 ELSE 1 END AS coverage_rank
    FROM paired p
    JOIN trips t ON t.official_pk = p.official_pk
    WHERE p.exit_date <= t.return_date AND DATE_DIFF('day', p.exit_date, t.depart_date) <= $deviation_days
),
best AS (
    SELECT exit_event_id, trip_pk, coverage_rank,
           ROW_NUMBER() OVER (PARTITION BY exit_event_id ORDER BY coverage_rank, depart_date, trip_id) AS rn
    FROM candidates
)
SELECT p.exit_event_id, p.official_pk, p.exit_date, p.exit_country, p.exit_port,
       p.entry_event_id, p.entry_date, p.entry_country,
       t.trip_pk, t.trip_id, t.purpose, t.depart_date, t.return_date, t.destinations,
       CASE WHEN b.trip_pk IS NULL THEN 'none' WHEN b.coverage_rank = 0 THEN 'covered' ELSE 'early' END
           AS coverage
FROM paired p
LEFT JOIN best b ON b.exit_event_id = p.exit_event_id AND b.rn = 1
LEFT JOIN trips t ON t.trip_pk = b.trip_pk
