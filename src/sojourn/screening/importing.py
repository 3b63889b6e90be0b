"""Importing the watchlist file: list entries, all or nothing, like the registry imports.

The file is checked completely first and compared with what is stored; with any problem
nothing is written; otherwise new and changed entries are written in one transaction, in
bulk, unchanged ones not at all (so a re-import is a no-op), with one audit row for the
whole import. Lists named in the file that do not exist yet are created in the same
transaction. Every list that gains or changes an entry has its ``changed_at`` bumped, which
is what tells the screening index to rebuild (``sojourn.screening.services``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import timezone

from sojourn.audit.services import Actor
from sojourn.feeds.base import ParsedFile, read_table
from sojourn.feeds.registry import chunks
from sojourn.feeds.watchlist import WATCHLIST, check_watchlist_file
from sojourn.registry.services import (
    Advance,
    ImportPlan,
    ImportReport,
    commit_import,
    progress_steps,
    sha256_of,
    write_records,
)
from sojourn.screening.models import Watchlist, WatchlistEntry

FIELDS = tuple(c.name for c in WATCHLIST.columns if c.name not in ("entry_id", "list"))


def import_watchlist_file(
    *,
    path: Path,
    actor: Actor,
    dry_run: bool = False,
    fmt: str | None = None,
    source_name: str | None = None,
    progress: bool = False,
) -> ImportReport:
    """Import a watchlist file, all or nothing; a re-import of the same rows changes nothing.

    ``source_name`` is the file's name in the report and the audit trail (default: the path's
    name). Raises ``FeedError`` when the file cannot be read at all; every other problem is in
    the report. A successful import writes one audit event with the file's SHA-256.
    """
    name = source_name or path.name
    table = read_table(path, fmt=fmt, name=name)
    report = ImportReport(kind=WATCHLIST.kind, file=name, dry_run=dry_run, sha256=sha256_of(path))
    with progress_steps(progress) as step:
        step(f"checking {name}", None)
        parsed = check_watchlist_file(table)
        report.rows, report.errors = parsed.total, parsed.errors
        if not report.ok:
            return report
        plan = plan_entries(parsed)
        report.count(plan)
        if dry_run:
            return report
        advance = step(f"writing {name}", len(plan.creates) + len(plan.updates))
        commit_import(report, actor, lambda: write_entries(plan, advance), changed="watchlists")
    if report.ok and (report.created or report.updated):
        from sojourn.screening.services import invalidate_index

        invalidate_index()
    return report


def plan_entries(parsed: ParsedFile) -> ImportPlan:
    """Compare every row with the stored entry of the same list and entry id: create, update or leave.

    Rows carry the list's name in ``list``; ``write_entries`` turns it into the list's database id.
    Columns left out of the file keep their stored values.
    """
    defaults = {c.name: c.default for c in WATCHLIST.columns if not c.required}
    compare = [f for f in FIELDS if f in parsed.present]
    existing = _stored(sorted({row.values["list"] for row in parsed.rows}))
    plan = ImportPlan(WatchlistEntry, [*compare, "updated_at"])
    for row in parsed.rows:
        values = dict(row.values)
        old = existing.get((values["list"], values["entry_id"]))
        if old is None:
            plan.creates.append({**defaults, **values})
            continue
        changed = tuple(f for f in compare if values[f] != old[f])
        if not changed:
            plan.unchanged += 1
            continue
        plan.updates.append({**old, **values, "_changed": (*changed, "updated_at")})
    return plan


def _stored(lists: list[str]) -> dict[tuple[str, str], dict[str, Any]]:
    """Stored entries of these lists, by (list name, entry id)."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for batch in chunks(lists):
        rows = WatchlistEntry.objects.filter(watchlist__name__in=batch).values(
            "pk", "entry_id", "watchlist__name", *FIELDS
        )
        for values in rows:
            found[(values.pop("watchlist__name"), values["entry_id"])] = values
    return found


def write_entries(plan: ImportPlan, advance: Advance) -> None:
    """Create missing lists, write the entries, and bump ``changed_at`` of every list touched."""
    names = sorted({v["list"] for v in (*plan.creates, *plan.updates)})
    known = dict(Watchlist.objects.filter(name__in=names).values_list("name", "pk"))
    for name in names:
        if name not in known:
            known[name] = Watchlist.objects.create(name=name).pk
    now = timezone.now()
    for values in plan.creates:
        values["watchlist_id"] = known[values.pop("list")]
    for values in plan.updates:
        values.pop("list", None)
        values["updated_at"] = now
    write_records(plan, advance)
    Watchlist.objects.filter(pk__in=list(known.values())).update(changed_at=now)
