"""The persons identity resolution links, as one Arrow table (``sojourn.engine.linkage.PERSONS``).

Officials with their documents, relatives, watch-list entries valid today, and the travellers of the
crossing store: one record per distinct (issuer, document number) that the registry does not know,
read from the Parquet store with DuckDB. Bulk ``values_list`` reads and Arrow throughout; no ORM
objects per person.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import pyarrow as pa

from sojourn.crossings.store import store_files
from sojourn.custody.models import DocStatus, TravelDocument
from sojourn.engine.linkage import PERSONS
from sojourn.engine.schema import number_key
from sojourn.registry.models import Official, Relative
from sojourn.screening.models import WatchlistEntry

CHUNK = 20000
# A watch-list document number carries no issuer; the entry's nationality stands in for it.
DEFAULT_ISSUER = "CHN"


@dataclass(frozen=True)
class Owners:
    """What the findings need besides PERSONS: whose records are whose, and which documents are valid."""

    officials: dict[str, tuple[int, int]]  # official_id -> (official pk, unit pk)
    relatives: dict[str, str]  # relative_id -> official_id
    invalid_documents: frozenset[str]  # ISSUER:NUMBER of registry documents not valid (or expired) today


def _columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {name: [row[name] for row in rows] for name in PERSONS.names}


def _official_rows() -> list[dict[str, Any]]:
    documents: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for holder, doc_type, issuer, number in TravelDocument.objects.values_list(
        "holder_id", "doc_type", "issuer", "number"
    ).order_by("holder_id", "doc_type", "number").iterator(chunk_size=CHUNK):
        documents[holder].append((f"{issuer}:{number_key(number)}", doc_type))
    rows = []
    for pk, official_id, name_zh, surname, given, birth, sex, id_number in Official.objects.values_list(
        "pk", "official_id", "name_zh", "surname", "given_name", "birth_date", "sex", "id_number"
    ).order_by("official_id").iterator(chunk_size=CHUNK):
        docs = documents.get(pk, [])
        rows.append({
            "unique_id": f"official:{official_id}", "source": "official", "name_zh": name_zh or None,
            "surname": surname, "given_name": given, "birth_date": birth, "sex": sex or None,
            "nationality": "CHN", "id_number": id_number or None, "documents": [d for d, _t in docs],
            "document_types": [t for _d, t in docs], "events": [],
        })  # fmt: skip
    return rows


def _relative_rows() -> list[dict[str, Any]]:
    return [
        {"unique_id": f"relative:{rid}", "source": "relative", "name_zh": name_zh or None, "surname": surname,
         "given_name": given, "birth_date": birth, "sex": sex or None, "nationality": nationality or None,
         "id_number": None, "documents": [], "document_types": [], "events": []}
        for rid, name_zh, surname, given, birth, sex, nationality in Relative.objects.values_list(
            "relative_id", "name_zh", "surname", "given_name", "birth_date", "sex", "nationality"
        ).order_by("relative_id").iterator(chunk_size=CHUNK)
    ]


def _watchlist_rows(today: date) -> list[dict[str, Any]]:
    rows = []
    for list_name, entry_id, name_zh, surname, given, aliases, birth, sex, nationality, id_number, numbers, \
            valid_from, valid_to in WatchlistEntry.objects.values_list(
                "watchlist__name", "entry_id", "name_zh", "surname", "given_name", "aliases", "birth_date", "sex",
                "nationality", "id_number", "doc_numbers", "valid_from", "valid_to",
            ).order_by("watchlist__name", "entry_id").iterator(chunk_size=CHUNK):
        if (valid_from and valid_from > today) or (valid_to and valid_to < today):
            continue
        if not (name_zh or surname or given):  # an entry known only by an alias: the first alias is its name
            surname = next((a.strip() for a in aliases.split(";") if a.strip()), "")
        issuer = nationality or DEFAULT_ISSUER
        docs = sorted({f"{issuer}:{number_key(n)}" for n in numbers.split(";") if n.strip()})
        rows.append({
            "unique_id": f"watchlist:{list_name}:{entry_id}", "source": "watchlist", "name_zh": name_zh or None,
            "surname": surname, "given_name": given, "birth_date": birth, "sex": sex or None,
            "nationality": nationality or None, "id_number": id_number or None, "documents": docs,
            "document_types": [""] * len(docs), "events": [],
        })  # fmt: skip
    return rows


TRAVELLERS_SQL = """
    WITH c AS (
        SELECT * FROM read_parquet($files, hive_partitioning = true, union_by_name = true) s
        WHERE NOT EXISTS (SELECT 1 FROM known k WHERE k.issuer = s.doc_issuer AND k.number_key = s.number_key)
    ), t AS (
        SELECT doc_issuer, number_key,
               arg_min({'surname': surname, 'given_name': given_name, 'birth_date': birth_date, 'sex': sex,
                        'nationality': nationality, 'doc_type': doc_type}, (crossed_at, event_id)) AS first,
               list(event_id ORDER BY crossed_at, event_id) AS events
        FROM c GROUP BY doc_issuer, number_key
    )
    SELECT 'traveller:' || doc_issuer || ':' || number_key AS unique_id, 'traveller' AS source,
           NULL::VARCHAR AS name_zh, first.surname AS surname, first.given_name AS given_name,
           first.birth_date::DATE AS birth_date, NULLIF(first.sex, '') AS sex,
           NULLIF(first.nationality, '') AS nationality, NULL::VARCHAR AS id_number,
           [doc_issuer || ':' || number_key] AS documents, [first.doc_type] AS document_types, events
    FROM t ORDER BY unique_id
"""


def _travellers(files: list[str]) -> pa.Table:
    """One record per (issuer, number) in the crossing store that no registry document has."""
    if not files:
        return PERSONS.empty_table()
    known = pa.Table.from_pylist(
        [{"issuer": i, "number_key": number_key(n)} for i, n in
         TravelDocument.objects.values_list("issuer", "number").distinct().iterator(chunk_size=CHUNK)],
        schema=pa.schema([("issuer", pa.string()), ("number_key", pa.string())]),
    )
    con = duckdb.connect(":memory:")
    try:
        con.register("known", known)
        table: pa.Table = con.sql(TRAVELLERS_SQL, params={"files": files}).to_arrow_table()
    finally:
        con.close()
    return table.cast(PERSONS)


def gather_persons(*, today: date, files: list[str] | None = None) -> pa.Table:
    """Every record identity resolution links (``PERSONS``), sorted by source then unique_id."""
    registry = pa.Table.from_pydict(
        _columns(_official_rows() + _relative_rows() + _watchlist_rows(today)), schema=PERSONS)
    travellers = _travellers(store_files() if files is None else files)
    return pa.concat_tables([registry, travellers])


def owners(*, today: date) -> Owners:
    """Whose records are whose, and the registry documents that are not valid today."""
    officials = {oid: (pk, unit) for oid, pk, unit in
                 Official.objects.values_list("official_id", "pk", "unit_id").iterator(chunk_size=CHUNK)}
    relatives = dict(Relative.objects.values_list("relative_id", "official__official_id").iterator(chunk_size=CHUNK))
    invalid = set()
    for issuer, number, status, expiry in TravelDocument.objects.values_list(
        "issuer", "number", "status", "expiry_date"
    ).iterator(chunk_size=CHUNK):
        if status != DocStatus.VALID or (expiry is not None and expiry < today):
            invalid.add(f"{issuer}:{number_key(number)}")
    return Owners(officials=officials, relatives=relatives, invalid_documents=frozenset(invalid))
