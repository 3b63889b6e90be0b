"""The trips import file: trip requests and their outcome as history (DESIGN.md §6).

Columns ``trip_id, official_id, purpose, destinations, depart_date, return_date, status,
document_numbers``; the natural key is ``trip_id``. ``destinations`` are ISO 3166-1 alpha-3
codes separated by ``;`` (stored in that form, trimmed); ``document_numbers`` are the numbers
of documents the registry already holds for that official, separated by ``;``. ``status`` is
one of ``pending, approved, rejected, withdrawn`` (a hold is the system's own act, never imported).

``check_trips_file`` checks a table against the schema and the registry (the official must
exist and be in scope; each document number must be one of that official's documents; a
stored trip keeps its official) but never writes; writing is ``sojourn.travel.importing``' job.
"""

from __future__ import annotations

from sojourn.accounts.scope import Scope
from sojourn.core.documents.codes import ISO_ALPHA3
from sojourn.custody.models import TravelDocument
from sojourn.feeds.base import Column, RowError, Schema, Table, check_table, code, country, iso_date, one_of
from sojourn.feeds.documents import document_number
from sojourn.feeds.registry import CheckedFile, check_official_refs, chunks
from sojourn.travel.models import Trip, TripPurpose

MAX_DESTINATIONS = 200  # Trip.destinations' max_length
IMPORTED_STATUSES = ("pending", "approved", "rejected", "withdrawn")


def destinations(raw: str) -> str:
    """Country codes separated by ``;``: each an ISO 3166-1 alpha-3 code; returned trimmed, ``HKG;MAC``."""
    codes = [part.strip() for part in raw.split(";") if part.strip()]
    if not codes:
        raise ValueError("no country code")
    for c in codes:
        country(c)
        if c not in ISO_ALPHA3:
            raise ValueError(f"{c} is not an ISO 3166-1 alpha-3 country code")
    value = ";".join(dict.fromkeys(codes))
    if len(value) > MAX_DESTINATIONS:
        raise ValueError(f"longer than {MAX_DESTINATIONS} characters")
    return value


def document_numbers(raw: str) -> tuple[str, ...]:
    """Document numbers separated by ``;``, each normalized like the documents file's numbers."""
    numbers: list[str] = []
    for part in raw.split(";"):
        if part.strip():
            try:
                numbers.append(document_number(part))
            except ValueError as exc:
                raise ValueError(f"{part.strip()}: {exc}") from None
    return tuple(dict.fromkeys(numbers))


TRIPS = Schema(
    "trips",
    (
        Column("trip_id", code(32), required=True),
        Column("official_id", code(32), required=True),
        Column("purpose", one_of(TripPurpose.values), required=True),
        Column("destinations", destinations, required=True),
        Column("depart_date", iso_date, required=True),
        Column("return_date", iso_date, required=True),
        Column("status", one_of(IMPORTED_STATUSES), required=True),
        Column("document_numbers", document_numbers, default=()),
    ),
    key=("trip_id",),
)


def check_trips_file(table: Table, *, scope: Scope | None = None) -> tuple[CheckedFile, dict[tuple[int, str], int]]:
    """Check a trips file completely; ``scope`` limits the officials whose trips it may touch.

    Returns the checked file (``refs``: official ID → database id) and the documents the rows
    name, ``(holder id, number)`` → document id. Every problem is in the file's ``errors``, by row.
    """
    parsed = check_table(TRIPS, table)
    checked = CheckedFile(parsed)
    if scope is not None and scope.everything:
        scope = None
    documents: dict[tuple[int, str], int] = {}
    if parsed.rows:  # empty when a required column is missing: nothing to check against
        check_official_refs(checked, scope, None)
        documents = _documents(sorted(set(checked.refs.values())))
        owners = _stored_owners([r.values["trip_id"] for r in parsed.rows])
        for row in parsed.rows:
            v = row.values
            if v["return_date"] < v["depart_date"]:
                _error(checked, row.row, "return_date", str(v["return_date"]),
                       f"before the departure {v['depart_date']:%Y-%m-%d}")
            holder = checked.refs.get(v["official_id"])
            if holder is None:
                continue  # already reported
            owner = owners.get(v["trip_id"])
            if owner is not None and owner != v["official_id"]:
                _error(checked, row.row, "trip_id", v["trip_id"], f"the trip is recorded for official {owner}")
            for number in v["document_numbers"]:
                if (holder, number) not in documents:
                    _error(checked, row.row, "document_numbers", number,
                           f"no document {number} of official {v['official_id']} in the registry "
                           "(import documents first)")
    parsed.errors.sort(key=lambda e: e.row or 0)
    return checked, documents


def _error(checked: CheckedFile, row: int, column: str, value: str, reason: str) -> None:
    checked.parsed.errors.append(RowError(checked.parsed.file, row, column, value, reason))


def _documents(holders: list[int]) -> dict[tuple[int, str], int]:
    """``(holder id, number)`` → document id for these holders (one number under two types: the first)."""
    found: dict[tuple[int, str], int] = {}
    for batch in chunks(holders):
        rows = TravelDocument.objects.filter(holder_id__in=batch).order_by("pk").values_list("holder_id", "number", "pk")
        for holder, number, pk in rows:
            found.setdefault((holder, number), pk)
    return found


def _stored_owners(trip_ids: list[str]) -> dict[str, str]:
    owners: dict[str, str] = {}
    for batch in chunks(sorted(set(trip_ids))):
        owners.update(Trip.objects.filter(trip_id__in=batch).values_list("trip_id", "official__official_id"))
    return owners
