"""Importing the documents file: every document with the validator's verdict, all or nothing.

The same shape as the registry imports (``sojourn.registry.services``): the file is checked
completely first and compared with what is stored; with any problem nothing is written;
otherwise new and changed documents are written in one transaction, in bulk, unchanged ones
not at all (so a re-import is a no-op), with one audit row for the whole import.

Each new or changed document gets the validator's verdict in ``check_result``
(``check_for_holder``: the zone or number, and its agreement with the holder's registry
record), the verdict the rules read. A custody state in the file is the state at import
time: no custody events are made up for it (DESIGN.md §6), so an imported ``checked_out``
document has no trip behind it and ``custody.breach`` flags it.

Custody history (``sojourn import custody``, ``import_custody_file``) comes the other way: one
``CustodyEvent`` per row, keyed by document, kind, date and trip, so that reconciliation knows
whether a document was in custody on a given date; it never changes a document's current state.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.utils import timezone

from sojourn.accounts.scope import Scope
from sojourn.audit.services import Actor
from sojourn.custody.models import CustodyEvent, TravelDocument
from sojourn.custody.services import check_for_holder
from sojourn.feeds.base import RowError, Table, read_table
from sojourn.feeds.custody_events import CUSTODY_EVENTS, check_custody_file
from sojourn.feeds.documents import DOCUMENTS, check_documents_file
from sojourn.feeds.registry import CheckedFile, chunks
from sojourn.registry.models import Official
from sojourn.registry.services import (
    BATCH,
    Advance,
    ImportPlan,
    ImportReport,
    Prepared,
    commit_import,
    progress_steps,
    run_import,
    sha256_of,
    write_records,
)

KEY = ("holder_id", "doc_type", "issuer", "number")
# The fields the validator's verdict depends on, besides the key and the holder's record.
CHECKED = ("issue_date", "expiry_date", "mrz")
STATE = ("status", "custody")


def import_documents_file(
    *,
    path: Path,
    actor: Actor,
    dry_run: bool = False,
    fmt: str | None = None,
    scope: Scope | None = None,
    source_name: str | None = None,
    progress: bool = False,
) -> ImportReport:
    """Import a documents file, all or nothing, keeping each document's validator verdict.

    ``scope`` limits the rows to the officials of a registrar's units (None: no limit);
    ``source_name`` is the file's name in the report and the audit trail (default: the
    path's name). Raises ``FeedError`` when the file cannot be read at all; every other
    problem is in the report. A dry run checks and compares but neither validates the
    documents nor writes. A successful import writes one audit event with the file's SHA-256.
    """
    name = source_name or path.name
    table = read_table(path, fmt=fmt, name=name)
    report = ImportReport(kind=DOCUMENTS.kind, file=name, dry_run=dry_run, sha256=sha256_of(path))
    with progress_steps(progress) as step:
        step(f"checking {name}", None)
        checked = check_documents_file(table, scope=scope)
        report.rows, report.errors = checked.parsed.total, checked.errors
        if not report.ok:
            return report
        plan = plan_documents(checked)
        report.count(plan)
        if dry_run:
            return report
        to_check = [*plan.creates, *(u for u in plan.updates if "check_result" in u["_changed"])]
        attach_checks(to_check, step(f"validating {name}", len(to_check)))
        advance = step(f"writing {name}", len(plan.creates) + len(plan.updates))
        commit_import(report, actor, lambda: write_records(plan, advance), changed="documents")
    return report


def plan_documents(checked: CheckedFile) -> ImportPlan:
    """Compare every row with the stored document of the same natural key: create, update or leave.

    A row whose dates or zone changed is marked for a new verdict (``check_result`` among its
    changed fields); one whose status or custody alone changed keeps its verdict.
    """
    parsed = checked.parsed
    defaults = {c.name: c.default for c in DOCUMENTS.columns if not c.required}
    compare = [f for f in (*CHECKED, *STATE) if f in parsed.present]
    rows = []
    for row in parsed.rows:
        values = dict(row.values)
        values["holder_id"] = checked.refs[values.pop("official_id")]
        rows.append(values)
    existing = _stored(rows, compare)
    plan = ImportPlan(TravelDocument, compare)
    for values in rows:
        old = existing.get(tuple(values[k] for k in KEY))
        if old is None:
            plan.creates.append({**defaults, **values, "check_result": {}})
            continue
        changed = tuple(f for f in compare if values[f] != old[f])
        if not changed:
            plan.unchanged += 1
            continue
        recheck = ("check_result",) if any(f in CHECKED for f in changed) else ()
        plan.updates.append({**old, **values, "_changed": changed + recheck})
    return plan


def _stored(rows: list[dict[str, Any]], compare: list[str]) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Stored documents of the rows' holders, by natural key (looked up by holder, in batches).

    The fields a verdict needs are read too, so that a changed row can be validated whole.
    """
    wanted = {tuple(r[k] for k in KEY) for r in rows}
    read = sorted({*KEY, *compare, *CHECKED})
    found: dict[tuple[Any, ...], dict[str, Any]] = {}
    for batch in chunks(sorted({r["holder_id"] for r in rows})):
        for values in TravelDocument.objects.filter(holder_id__in=batch).values("pk", *read):
            key = tuple(values[k] for k in KEY)
            if key in wanted:
                found[key] = values
    return found


def attach_checks(documents: list[dict[str, Any]], advance: Advance, *, today: date | None = None) -> None:
    """Set ``check_result`` on each document (a dict of TravelDocument fields) from ``check_for_holder``.

    The holders' registry records are read in batches. ``today`` defaults to the local date.
    """
    today = today or timezone.localdate()
    holders = _holders(sorted({d["holder_id"] for d in documents}))
    for batch in chunks(documents, BATCH):
        for doc in batch:
            doc["check_result"] = check_for_holder(
                holder=holders[doc["holder_id"]], doc_type=doc["doc_type"], issuer=doc["issuer"],
                number=doc["number"], issue_date=doc["issue_date"], expiry_date=doc["expiry_date"],
                mrz=doc["mrz"], today=today,
            )  # fmt: skip
        advance(len(batch))


def _holders(pks: list[int]) -> dict[int, Official]:
    """The officials with these database ids, with only what a verdict compares."""
    found: dict[int, Official] = {}
    for batch in chunks(pks):
        query = Official.objects.filter(pk__in=batch).only("birth_date", "surname", "given_name", "sex")
        found.update((o.pk, o) for o in query)
    return found


# --- custody history ------------------------------------------------------------------------------

EVENT_KEY = ("document_id", "kind", "on", "trip_ref")
EVENT_FIELDS = ("due_back", "note")


def import_custody_file(
    *,
    path: Path,
    actor: Actor,
    dry_run: bool = False,
    fmt: str | None = None,
    scope: Scope | None = None,
    source_name: str | None = None,
    progress: bool = False,
) -> ImportReport:
    """Import a custody history file (``sojourn import custody``), all or nothing; idempotent.

    Each row becomes one ``CustodyEvent`` of a document the registry holds; an event already
    recorded with the same document, kind, date and trip is left alone, and one that differs in
    its due date or note is an error (events are never edited). The documents' current custody
    state is not changed: history tells what was, the documents file what is. One audit row.
    """

    def prepare(table: Table, report: ImportReport) -> Prepared | None:
        checked, documents = check_custody_file(table, scope=scope)
        report.rows, report.errors = checked.parsed.total, checked.errors
        if not report.ok:
            return None
        plan = plan_custody_events(checked, documents)  # adds a row error for an edited event
        if not report.ok:
            return None
        report.count(plan)
        return len(plan.creates), lambda advance: write_records(plan, advance)

    return run_import(kind=CUSTODY_EVENTS.kind, path=path, actor=actor, prepare=prepare, changed="custody history",
                      dry_run=dry_run, fmt=fmt, source_name=source_name, progress=progress)


def plan_custody_events(checked: CheckedFile, documents: dict[tuple[int, str, str, str], int]) -> ImportPlan:
    """New events to create; recorded ones unchanged; a recorded one that differs is a row error."""
    from sojourn.travel.models import Trip  # travel's models refer to custody's

    parsed = checked.parsed
    rows = []
    for row in parsed.rows:
        v = row.values
        document = documents[(checked.refs[v["official_id"]], v["doc_type"], v["issuer"], v["number"])]
        rows.append((row.row, {"document_id": document, "kind": v["event"], "on": v["on"],
                               "trip_ref": v["trip_id"], "due_back": v["due_back"], "note": v["note"]}))
    stored: dict[tuple[Any, ...], dict[str, Any]] = {}
    for batch in chunks(sorted({values["document_id"] for _n, values in rows})):
        for values in CustodyEvent.objects.filter(document_id__in=batch).values(*EVENT_KEY, *EVENT_FIELDS):
            stored.setdefault(tuple(values[k] for k in EVENT_KEY), values)
    purposes: dict[str, str] = {}
    for batch in chunks(sorted({values["trip_ref"] for _n, values in rows if values["trip_ref"]})):
        purposes.update(Trip.objects.filter(trip_id__in=batch).values_list("trip_id", "purpose"))
    plan = ImportPlan(CustodyEvent, [])
    for number, values in rows:
        old = stored.get(tuple(values[k] for k in EVENT_KEY))
        if old is None:
            purpose = purposes.get(values["trip_ref"], "") if values["kind"] == "checkout" else ""
            plan.creates.append({**values, "purpose": purpose, "state_before": "", "actor_id": None})
            continue
        for column, field in (("due_back", "due_back"), ("note", "note")):
            if values[field] != old[field] and (field != "note" or values[field]):
                parsed.errors.append(RowError(
                    parsed.file, number, column, str(values[field] or ""),
                    f"differs from the recorded {values['kind']} event of {values['on']:%Y-%m-%d} "
                    f"({old[field] or 'blank'}); recorded events are never edited"))
        plan.unchanged += 1
    parsed.errors.sort(key=lambda e: e.row or 0)
    return plan
