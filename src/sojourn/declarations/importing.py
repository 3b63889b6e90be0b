"""Importing the declarations and assets files, all or nothing (the shape of ``sojourn.travel.importing``).

The file is checked completely first and compared with what is stored; with any problem nothing
is written; otherwise what is new is written in one transaction with one audit row for the import.

Declarations are source records and are never changed: the rows of one report that match the
stored version in force item for item change nothing (a re-import is a no-op); rows that differ
from it are stored as a new submitted version correcting it. The report's counts are declarations:
created (first versions), updated (corrections) and unchanged. Assets are upserted by ``asset_id``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sojourn.accounts.scope import Scope
from sojourn.audit.services import Actor
from sojourn.declarations.models import Asset, Declaration, DeclarationItem, DeclarationStatus, Source
from sojourn.declarations.services import ITEM_FIELDS
from sojourn.feeds.base import RowError, Table
from sojourn.feeds.declarations import (
    ASSETS,
    DECLARATIONS,
    GroupKey,
    check_assets_file,
    check_declarations_file,
    group_key,
)
from sojourn.feeds.registry import CheckedFile, chunks
from sojourn.registry.services import (
    BATCH,
    Advance,
    ImportPlan,
    ImportReport,
    Prepared,
    run_import,
    update_rows,
)

ASSET_FIELDS = ("official_id", "holder_relative_id", "kind", "country", "value", "currency", "acquired_on", "area",
                "source")
ASSET_COLUMNS = {c.name: c for c in ASSETS.columns}


def _signature(items: list[dict[str, Any]]) -> Counter[tuple[Any, ...]]:
    def norm(v: Any) -> Any:
        return v.normalize() if isinstance(v, Decimal) else v

    return Counter(tuple(norm(item.get(f)) for f in ITEM_FIELDS) for item in items)


def _blank_item(kind: str) -> dict[str, Any]:
    return {"kind": kind, "relative_id": None, "country": "", "number": "", "from_date": None, "to_date": None,
            "area": None, "amount": None, "currency": "", "text": ""}


# --- declarations ----------------------------------------------------------------------------------


def import_declarations_file(*, path: Path, actor: Actor, dry_run: bool = False, fmt: str | None = None,
                             scope: Scope | None = None, source_name: str | None = None,
                             progress: bool = False) -> ImportReport:
    """Import a declarations file, all or nothing; a re-import of the same rows changes nothing."""

    def prepare(table: Table, report: ImportReport) -> Prepared | None:
        checked, relatives = check_declarations_file(table, scope=scope)
        report.rows, report.errors = checked.parsed.total, checked.errors
        if not report.ok:
            return None
        plan = plan_declarations(checked, relatives)
        report.errors = plan.errors
        if not report.ok:
            return None
        report.created, report.updated, report.unchanged = plan.created, plan.corrected, plan.unchanged
        return len(plan.writes), lambda advance: write_declarations(plan, advance)

    return run_import(kind=DECLARATIONS.kind, path=path, actor=actor, prepare=prepare, changed="declarations",
                      dry_run=dry_run, fmt=fmt, source_name=source_name, progress=progress)


class DeclarationPlan:
    def __init__(self) -> None:
        # (official pk, year, kind, version, corrects pk, submitted_on, items)
        self.writes: list[tuple[int, int, str, int, int | None, date, list[dict[str, Any]]]] = []
        self.created = self.corrected = self.unchanged = 0
        self.errors: list[RowError] = []


def plan_declarations(checked: CheckedFile, relatives: dict[str, int]) -> DeclarationPlan:
    """Group the rows into reports and compare each with the stored version in force."""
    groups: dict[GroupKey, list[dict[str, Any]]] = defaultdict(list)
    first_row: dict[GroupKey, int] = {}
    submitted: dict[GroupKey, date] = {}
    for row in checked.parsed.rows:
        v = row.values
        key = group_key(v)
        first_row.setdefault(key, row.row)
        item = {**_blank_item(v["item"]), **dict(v.get("detail") or ())}
        if item["relative_id"]:
            item["relative_id"] = relatives[item["relative_id"]]
        groups[key].append(item)
        submitted[key] = v["submitted_on"]
    plan = DeclarationPlan()
    stored = _latest(checked, groups)
    for key, items in groups.items():
        submitted_on = submitted[key]
        official = checked.refs[key.official_id]
        latest = stored.get(key)
        if latest is None:
            plan.created += 1
            plan.writes.append((official, key.year, key.kind, 1, None, submitted_on, items))
            continue
        if latest.status != DeclarationStatus.SUBMITTED:
            plan.errors.append(RowError(checked.parsed.file, first_row[key], "official_id", key.official_id,
                                        f"a draft (version {latest.version}) of this {key.year} report is open; "
                                        "submit or discard it first"))
            continue
        if _signature(items) == _signature(list(latest.items.values(*ITEM_FIELDS))):
            plan.unchanged += 1
            continue
        plan.corrected += 1
        plan.writes.append((official, key.year, key.kind, latest.version + 1, latest.pk, submitted_on, items))
    return plan


def _latest(checked: CheckedFile, groups: dict[GroupKey, Any]) -> dict[GroupKey, Declaration]:
    """The latest stored version of each report in the file (events: by the date they were submitted)."""
    out: dict[GroupKey, Declaration] = {}
    pks = sorted({checked.refs[k.official_id] for k in groups})
    for batch in chunks(pks):
        for d in Declaration.objects.filter(official_id__in=batch).select_related("official").order_by("version"):
            key = GroupKey(d.official.official_id, d.year, d.kind, d.submitted_on if d.kind == "event" else None)
            if d.kind == "event" and d.corrects_id is not None:
                root = d
                while root.corrects_id is not None:
                    root = Declaration.objects.get(pk=root.corrects_id)
                key = GroupKey(key.official_id, key.year, key.kind, root.submitted_on)
            if key in groups:
                out[key] = d
    return out


def write_declarations(plan: DeclarationPlan, advance: Advance) -> None:
    for batch in chunks(plan.writes, BATCH):
        made = Declaration.objects.bulk_create([
            Declaration(official_id=o, year=y, kind=k, version=v, corrects_id=c, status=DeclarationStatus.SUBMITTED,
                        submitted_on=on, source=Source.IMPORT) for o, y, k, v, c, on, _items in batch])
        if any(d.pk is None for d in made):  # a backend that does not return ids
            raise RuntimeError("the database did not return the new declarations' ids")
        DeclarationItem.objects.bulk_create([
            DeclarationItem(declaration_id=d.pk, position=n, **item)
            for d, write in zip(made, batch, strict=True) for n, item in enumerate(write[6])])
        advance(len(batch))


# --- assets ----------------------------------------------------------------------------------------


def import_assets_file(*, path: Path, actor: Actor, dry_run: bool = False, fmt: str | None = None,
                       scope: Scope | None = None, source_name: str | None = None,
                       progress: bool = False) -> ImportReport:
    """Import an assets file, all or nothing; a re-import of the same rows changes nothing."""

    def prepare(table: Table, report: ImportReport) -> Prepared | None:
        checked, relatives = check_assets_file(table, scope=scope)
        report.rows, report.errors = checked.parsed.total, checked.errors
        if not report.ok:
            return None
        plan = plan_assets(checked, relatives)
        report.count(plan)
        return len(plan.creates) + len(plan.updates), lambda advance: write_assets(plan, advance)

    return run_import(kind=ASSETS.kind, path=path, actor=actor, prepare=prepare, changed="assets", dry_run=dry_run,
                      fmt=fmt, source_name=source_name, progress=progress)


def plan_assets(checked: CheckedFile, relatives: dict[str, int]) -> ImportPlan:
    present = checked.parsed.present
    existing: dict[str, dict[str, Any]] = {}
    ids = [r.values["asset_id"] for r in checked.parsed.rows]
    for batch in chunks(sorted(ids)):
        for values in Asset.objects.filter(asset_id__in=batch).values("pk", "asset_id", *ASSET_FIELDS):
            existing[values["asset_id"]] = values
    plan = ImportPlan(Asset, list(ASSET_FIELDS))
    for row in checked.parsed.rows:
        v = {name: row.values.get(name, column.default) for name, column in ASSET_COLUMNS.items()}
        values = {"asset_id": v["asset_id"], "official_id": checked.refs[v["official_id"]],
                  "holder_relative_id": relatives[v["holder_relative_id"]] if v["holder_relative_id"] else None,
                  **{f: v[f] for f in ("kind", "country", "value", "currency", "acquired_on", "area", "source")}}
        old = existing.get(values["asset_id"])
        if old is None:
            plan.creates.append(values)
            continue
        for f in ASSET_FIELDS:  # a column left out of the file keeps the stored value
            column = "holder_relative_id" if f == "holder_relative_id" else f
            if column in ASSET_COLUMNS and column not in present:
                values[f] = old[f]
        changed = tuple(f for f in ASSET_FIELDS if values[f] != old[f])
        if not changed:
            plan.unchanged += 1
        else:
            plan.updates.append({**old, **values, "_changed": changed})
    return plan


def write_assets(plan: ImportPlan, advance: Advance) -> None:
    for batch in chunks(plan.creates, BATCH):
        Asset.objects.bulk_create([Asset(**values) for values in batch])
        advance(len(batch))
    by_fields: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for values in plan.updates:
        by_fields[values["_changed"]].append(values)
    for fields, rows in by_fields.items():
        for batch in chunks(rows, BATCH):
            update_rows(Asset, fields, batch)
    advance(len(plan.updates))
