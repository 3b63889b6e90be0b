"""The registry snapshot the engine joins with, read from the operational store as Arrow tables.

On PostgreSQL each query's result arrives as an Arrow table through the ADBC driver, with no row
passing through Python objects. On SQLite the snapshot is read through Django's own connection
and turned into Arrow columns: the ADBC SQLite driver carries its own copy of the SQLite library,
and two copies of SQLite in one process release each other's POSIX locks on the same database
file (SQLite's "How To Corrupt An SQLite Database File", §2.2.1) — the embedded store is one
machine's registry, small enough for that. Either way the tables are shaped with Arrow compute into
the schemas of ``sojourn.engine.schema``. The queries are plain SQL both databases accept; dates
come out as ISO text and are parsed here, so SQLite's text dates and PostgreSQL's dates end up the
same.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from django.db import connection

from sojourn.engine import schema

OFFICIALS_SQL = """
SELECT o.id AS official_pk, o.official_id, o.unit_id AS unit_pk, o.surname, o.given_name,
       CAST(o.birth_date AS TEXT) AS birth_date, o.sex, o.id_number
FROM registry_official o
"""
DOCUMENTS_SQL = """
SELECT d.id AS document_pk, d.holder_id AS official_pk, d.doc_type, d.issuer, d.number, d.status
FROM custody_traveldocument d
"""
EVENTS_SQL = """
SELECT e.id AS event_pk, e.document_id AS document_pk, e.kind, CAST(e."on" AS TEXT) AS day
FROM custody_custodyevent e
"""
TRIPS_SQL = """
SELECT t.id AS trip_pk, t.trip_id, t.official_id AS official_pk, t.purpose,
       CAST(t.depart_date AS TEXT) AS depart_date, CAST(t.return_date AS TEXT) AS return_date, t.destinations
FROM travel_trip t
WHERE t.status = 'approved'
"""


@contextmanager
def adbc_connection() -> Iterator[Any]:
    """An ADBC connection to the PostgreSQL database Django uses."""
    import adbc_driver_postgresql.dbapi as pg_adbc

    conn = pg_adbc.connect(_postgres_uri(connection.settings_dict))
    try:
        yield conn
    finally:
        conn.close()


class _DjangoReader:
    """The SQLite path: the same queries through Django's connection, fetched in chunks into Arrow columns."""

    CHUNK = 50_000

    def cursor(self) -> Any:
        return self

    def execute(self, sql: str) -> None:
        self._cursor = connection.cursor()
        self._cursor.execute(sql)

    def fetch_arrow_table(self) -> pa.Table:
        names = [d[0] for d in self._cursor.description]
        batches = []
        while rows := self._cursor.fetchmany(self.CHUNK):
            batches.append(pa.table({n: pa.array(list(col)) for n, col in zip(names, zip(*rows, strict=True),
                                                                              strict=True)}))
        if not batches:
            return pa.table({n: pa.array([], pa.null()) for n in names})
        return pa.concat_tables(batches, promote_options="permissive")

    def close(self) -> None:
        self._cursor.close()


@contextmanager
def _reader() -> Iterator[Any]:
    if connection.vendor == "postgresql":
        with adbc_connection() as conn:
            yield conn
    else:
        yield _DjangoReader()


def _postgres_uri(settings: dict[str, Any]) -> str:
    from urllib.parse import quote

    user = quote(str(settings.get("USER") or ""), safe="")
    password = quote(str(settings.get("PASSWORD") or ""), safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = str(settings.get("HOST") or "")
    port = str(settings.get("PORT") or "")
    name = quote(str(settings["NAME"]), safe="")
    if host.startswith("/"):  # a socket folder
        return f"postgresql://{auth}/{name}?host={quote(host, safe='')}" + (f"&port={port}" if port else "")
    return f"postgresql://{auth}{host}{':' + port if port else ''}/{name}"


def _query(conn: Any, sql: str) -> pa.Table:
    cursor = conn.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetch_arrow_table()
    finally:
        cursor.close()


def _dates(column: pa.ChunkedArray | pa.Array) -> pa.Array | pa.ChunkedArray:
    return pc.cast(pc.cast(column, pa.string()), pa.date32())


def _key(column: pa.ChunkedArray | pa.Array, pattern: str) -> pa.Array | pa.ChunkedArray:
    return pc.replace_substring_regex(pc.utf8_upper(pc.cast(column, pa.string())), pattern, "")


def _conform(table: pa.Table, target: pa.Schema) -> pa.Table:
    if table.num_rows == 0:
        return target.empty_table()
    return pa.table([pc.cast(table.column(f.name), f.type) for f in target], schema=target)


def officials(raw: pa.Table) -> pa.Table:
    names = pc.binary_join_element_wise(pc.fill_null(pc.cast(raw.column("surname"), pa.string()), ""),
                                        pc.fill_null(pc.cast(raw.column("given_name"), pa.string()), ""), "")
    shaped = pa.table({
        "official_pk": raw.column("official_pk"), "official_id": raw.column("official_id"),
        "unit_pk": raw.column("unit_pk"), "name_key": _key(names, "[^A-Z]"),
        "birth_date": _dates(raw.column("birth_date")), "sex": raw.column("sex"),
        "id_number": raw.column("id_number"),
    })
    return _conform(shaped, schema.OFFICIALS)


def documents_and_spans(docs: pa.Table, events: pa.Table) -> tuple[pa.Table, pa.Table]:
    """Documents with their loss date, and the spans in which each was in custody, from the event history."""
    con = duckdb.connect(":memory:")
    try:
        day = _dates(events.column("day")) if events.num_rows else pa.array([], pa.date32())
        con.register("events", pa.table({
            "event_pk": pc.cast(events.column("event_pk"), pa.int64()) if events.num_rows else pa.array([], pa.int64()),
            "document_pk": (pc.cast(events.column("document_pk"), pa.int64()) if events.num_rows
                            else pa.array([], pa.int64())),
            "kind": pc.cast(events.column("kind"), pa.string()) if events.num_rows else pa.array([], pa.string()),
            "day": day,
        }))
        docs_shaped = pa.table({
            "document_pk": docs.column("document_pk"), "official_pk": docs.column("official_pk"),
            "doc_type": docs.column("doc_type"), "issuer": docs.column("issuer"),
            "number_key": _key(docs.column("number"), r"[\s\-]"), "status": docs.column("status"),
        }) if docs.num_rows else pa.table({"document_pk": pa.array([], pa.int64()),
                                           "official_pk": pa.array([], pa.int64()),
                                           "doc_type": pa.array([], pa.string()), "issuer": pa.array([], pa.string()),
                                           "number_key": pa.array([], pa.string()),
                                           "status": pa.array([], pa.string())})
        con.register("docs", docs_shaped)
        documents = con.sql("""
            SELECT d.document_pk, d.official_pk, d.doc_type, d.issuer, d.number_key, d.status, l.lost_on
            FROM docs d
            LEFT JOIN (SELECT document_pk, MIN(day) AS lost_on FROM events
                       WHERE kind IN ('lost', 'cancelled') GROUP BY document_pk) l USING (document_pk)
            ORDER BY d.document_pk
        """).to_arrow_table()
        spans = con.sql("""
            SELECT document_pk, day AS held_from, next_day AS held_to FROM (
                SELECT document_pk, kind, day,
                       LEAD(day) OVER (PARTITION BY document_pk ORDER BY day, event_pk) AS next_day
                FROM events
            ) WHERE kind IN ('intake', 'return')
            ORDER BY document_pk, held_from
        """).to_arrow_table()
    finally:
        con.close()
    return _conform(documents, schema.DOCUMENTS), _conform(spans, schema.CUSTODY_SPANS)


def trips(raw: pa.Table) -> pa.Table:
    if raw.num_rows == 0:
        return schema.TRIPS.empty_table()
    shaped = pa.table({
        "trip_pk": raw.column("trip_pk"), "trip_id": raw.column("trip_id"), "official_pk": raw.column("official_pk"),
        "purpose": raw.column("purpose"), "depart_date": _dates(raw.column("depart_date")),
        "return_date": _dates(raw.column("return_date")), "destinations": raw.column("destinations"),
    })
    return _conform(shaped, schema.TRIPS)


def registry_snapshot() -> dict[str, pa.Table]:
    """officials, documents, custody_spans and trips, in the engine's schemas."""
    with _reader() as conn:
        raw_officials = _query(conn, OFFICIALS_SQL)
        raw_docs = _query(conn, DOCUMENTS_SQL)
        raw_events = _query(conn, EVENTS_SQL)
        raw_trips = _query(conn, TRIPS_SQL)
    docs, spans = documents_and_spans(raw_docs, raw_events)
    return {"officials": officials(raw_officials), "documents": docs, "custody_spans": spans,
            "trips": trips(raw_trips)}
