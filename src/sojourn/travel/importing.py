"""Importing the trips file: trip requests and their outcome as history, all or nothing.

The same shape as the other registry imports (``sojourn.custody.importing``): the file is
checked completely first and compared with what is stored; with any problem nothing is
written; otherwise new and changed trips are written in one transaction, in bulk, unchanged
ones not at all (so a re-import is a no-op), with one audit row for the whole import.

History only: no custody events are made for an imported approval and nobody is screened;
an imported trip has no rule outcome in ``verdict``. Custody history comes in through
``sojourn import custody``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sojourn.accounts.scope import Scope
from sojourn.audit.services import Actor
from sojourn.feeds.base import Table
from sojourn.feeds.registry import CheckedFile, chunks
from sojourn.feeds.trips import TRIPS, check_trips_file
from sojourn.registry.services import (
    BATCH,
    Advance,
    ImportPlan,
    ImportReport,
    Prepared,
    run_import,
    update_rows,
)
from sojourn.travel.models import Trip

FIELDS = ("official_id", "purpose", "destinations", "depart_date", "return_date", "status")
DOCUMENTS = "documents"  # the pseudo-field of a changed set of documents


def import_trips_file(
    *,
    path: Path,
    actor: Actor,
    dry_run: bool = False,
    fmt: str | None = None,
    scope: Scope | None = None,
    source_name: str | None = None,
    progress: bool = False,
) -> ImportReport:
    """Import a trips file, all or nothing; a re-import of the same rows changes nothing.

    ``scope`` limits the rows to the officials of a registrar's units (None: no limit);
    ``source_name`` is the file's name in the report and the audit trail. Raises ``FeedError``
    when the file cannot be read at all; every other problem is in the report. A successful
    import writes one audit event with the file's SHA-256.
    """

    def prepare(table: Table, report: ImportReport) -> Prepared | None:
        checked, documents = check_trips_file(table, scope=scope)
        report.rows, report.errors = checked.parsed.total, checked.errors
        if not report.ok:
            return None
        plan = plan_trips(checked, documents)
        report.count(plan)
        return len(plan.creates) + len(plan.updates), lambda advance: write_trips(plan, advance)

    return run_import(kind=TRIPS.kind, path=path, actor=actor, prepare=prepare, changed="trips", dry_run=dry_run,
                      fmt=fmt, source_name=source_name, progress=progress)


def plan_trips(checked: CheckedFile, documents: dict[tuple[int, str], int]) -> ImportPlan:
    """Compare every row with the stored trip of the same id: create, update or leave alone."""
    rows = []
    for row in checked.parsed.rows:
        values = dict(row.values)
        values["official_id"] = checked.refs[values["official_id"]]
        values[DOCUMENTS] = sorted(documents[(values["official_id"], n)] for n in values.pop("document_numbers"))
        rows.append(values)
    existing = _stored([r["trip_id"] for r in rows])
    plan = ImportPlan(Trip, list(FIELDS))
    for values in rows:
        old = existing.get(values["trip_id"])
        if old is None:
            plan.creates.append(values)
            continue
        changed = tuple(f for f in (*FIELDS, DOCUMENTS) if values[f] != old[f])
        if not changed:
            plan.unchanged += 1
            continue
        plan.updates.append({**old, **values, "_changed": changed})
    return plan


def _stored(trip_ids: list[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for batch in chunks(sorted(trip_ids)):
        for values in Trip.objects.filter(trip_id__in=batch).values("pk", "trip_id", *FIELDS):
            values[DOCUMENTS] = []
            found[values["trip_id"]] = values
        links = Trip.documents.through.objects.filter(trip__trip_id__in=batch).values_list(
            "trip__trip_id", "traveldocument_id")
        for trip_id, document_id in links:
            found[trip_id][DOCUMENTS].append(document_id)
    for values in found.values():
        values[DOCUMENTS].sort()
    return found


def write_trips(plan: ImportPlan, advance: Advance) -> None:
    """Create new trips and their document links in batches; update changed fields and links."""
    link = Trip.documents.through
    for batch in chunks(plan.creates, BATCH):
        trips = Trip.objects.bulk_create([Trip(**{k: v[k] for k in ("trip_id", *FIELDS)}) for v in batch])
        if any(t.pk is None for t in trips):  # a backend that does not return ids
            pks = dict(Trip.objects.filter(trip_id__in=[t.trip_id for t in trips]).values_list("trip_id", "pk"))
        else:
            pks = {t.trip_id: t.pk for t in trips}
        link.objects.bulk_create([link(trip_id=pks[v["trip_id"]], traveldocument_id=d)
                                  for v in batch for d in v[DOCUMENTS]])
        advance(len(batch))
    by_fields: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for values in plan.updates:
        fields = tuple(f for f in values["_changed"] if f != DOCUMENTS)
        if fields:
            by_fields.setdefault(fields, []).append(values)
    for fields, rows in by_fields.items():
        for batch in chunks(rows, BATCH):
            update_rows(Trip, fields, batch)
    relinked = [v for v in plan.updates if DOCUMENTS in v["_changed"]]
    for batch in chunks(relinked, BATCH):
        link.objects.filter(trip_id__in=[v["pk"] for v in batch]).delete()
        link.objects.bulk_create([link(trip_id=v["pk"], traveldocument_id=d) for v in batch for d in v[DOCUMENTS]])
    advance(len(plan.updates))
