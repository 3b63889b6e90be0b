"""The custody import file: the history of documents at the desk (DESIGN.md §6).

Columns ``official_id, doc_type, issuer, number, event, on, due_back, trip_id, note``; one row
per custody event of a document the registry already holds for that official. ``event`` is
one of ``intake, checkout, return, lost, cancelled, renewed``. The natural key is the
document + event + date + trip: the same event imported twice is one event. Reconciliation
reads this history to know whether a document was in custody on a given date; importing it
does not change any document's current custody state (that is the documents file's).

``check_custody_file`` checks a table against the schema and the registry (the official must
exist and be in scope, the document must be one of the official's) but never writes; writing
is ``sojourn.custody.importing``' job.
"""

from __future__ import annotations

from sojourn.accounts.scope import Scope
from sojourn.custody.models import DocType, EventKind, TravelDocument
from sojourn.feeds.base import (
    Column,
    RowError,
    Schema,
    Table,
    check_table,
    code,
    country,
    iso_date,
    one_of,
    text,
)
from sojourn.feeds.documents import document_number
from sojourn.feeds.registry import CheckedFile, check_official_refs, chunks

MAX_NOTE = 2000

CUSTODY_EVENTS = Schema(
    "custody",
    (
        Column("official_id", code(32), required=True),
        Column("doc_type", one_of(DocType.values), required=True),
        Column("issuer", country, required=True),
        Column("number", document_number, required=True),
        Column("event", one_of(EventKind.values), required=True),
        Column("on", iso_date, required=True),
        Column("due_back", iso_date, default=None),
        Column("trip_id", code(32)),
        Column("note", text(MAX_NOTE)),
    ),
    key=("official_id", "doc_type", "issuer", "number", "event", "on", "trip_id"),
)

DocumentKey = tuple[int, str, str, str]  # holder id, doc_type, issuer, number


def check_custody_file(table: Table, *, scope: Scope | None = None) -> tuple[CheckedFile, dict[DocumentKey, int]]:
    """Check a custody history file completely; ``scope`` limits the officials whose documents it may touch.

    Returns the checked file (``refs``: official ID → database id) and the documents its rows
    name, by ``(holder id, doc_type, issuer, number)``. Every problem is in ``errors``, by row.
    """
    parsed = check_table(CUSTODY_EVENTS, table)
    checked = CheckedFile(parsed)
    if scope is not None and scope.everything:
        scope = None
    documents: dict[DocumentKey, int] = {}
    if parsed.rows:  # empty when a required column is missing: nothing to check against
        check_official_refs(checked, scope, None)
        documents = _documents(sorted(set(checked.refs.values())))
        for row in parsed.rows:
            v = row.values
            holder = checked.refs.get(v["official_id"])
            if holder is None:
                continue  # already reported
            if (holder, v["doc_type"], v["issuer"], v["number"]) not in documents:
                parsed.errors.append(RowError(
                    parsed.file, row.row, "number", v["number"],
                    f"no {v['doc_type']} {v['issuer']} {v['number']} of official {v['official_id']} in the "
                    "registry (import documents first)"))
            if v["due_back"] is not None and v["due_back"] < v["on"]:
                parsed.errors.append(RowError(parsed.file, row.row, "due_back", str(v["due_back"]),
                                              f"before the event's date {v['on']:%Y-%m-%d}"))
    parsed.errors.sort(key=lambda e: e.row or 0)
    return checked, documents


def _documents(holders: list[int]) -> dict[DocumentKey, int]:
    found: dict[DocumentKey, int] = {}
    for batch in chunks(holders):
        rows = TravelDocument.objects.filter(holder_id__in=batch).values_list(
            "holder_id", "doc_type", "issuer", "number", "pk")
        found.update(((h, t, i, n), pk) for h, t, i, n, pk in rows)
    return found
