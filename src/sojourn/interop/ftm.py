"""FollowTheMoney (FtM) JSON lines: the registry and the lists exported, and imported back or from outside.

``export_ftm`` writes every unit, official, relative, post, travel document, trip, asset and list
entry as FtM entities (``sojourn.interop.ftm_export``); ``import_ftm_file`` reads such a file, or an
external list of ``Person`` and ``Sanction`` entities, validates every entity against the FtM model
(``sojourn.interop.ftm_read``), turns it into the rows the CSV importers take
(``sojourn.interop.ftm_tables``, ``ftm_lists`` for watch lists) and runs their checks and writes,
all in one transaction.

Entity ids are deterministic: ``sojourn-<kind>-<key>`` for records with a one-part natural key
(``sojourn-official-N-1``; characters an FtM id may not hold are written ``.XX``, the hex of
their UTF-8 bytes) and ``sojourn-<kind>-<sha1 of the key>`` for the others, so an export is
reproducible and an import of the same file twice changes nothing the second time. What FtM
has no property for travels in a ``"sojourn"`` object beside ``properties``: the CSV import
columns of the record, verbatim (docs/interop.md has the mapping).

This module and ``ftm_read``, ``ftm_tables``, ``ftm_lists`` and ``ftm_export`` import
followthemoney; only the two commands import them, inside their handlers, so ``import sojourn``
and every other command never load it (docs/decisions/0006).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from django.db import IntegrityError, transaction
from followthemoney.util import make_entity_id

from sojourn.audit.models import AuditAction
from sojourn.audit.services import Actor, record
from sojourn.feeds.base import RowError, Table, show_value
from sojourn.registry.services import Advance, ImportPlan, ImportReport, progress_steps, sha256_of

if TYPE_CHECKING:
    from sojourn.interop.ftm_read import Sheets

PREFIX = "sojourn"
# Schemata in the order an export lists them (then by id): the things before the relations between them.
SCHEMA_ORDER = ("Organization", "Person", "Employment", "Family", "Position", "Occupancy", "Passport",
                "Identification", "Trip", "BankAccount", "RealEstate", "Asset", "Ownership", "Sanction")
# The topic each kind of person carries, and the asset kind each asset schema implies (export and import agree).
TOPICS = {"official": "role.pep", "relative": "role.rca", "entry": "poi"}
IMPLIED_KIND = {"BankAccount": "deposit", "RealEstate": "real_estate", "Asset": "other"}
_ID_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-")


# --- ids ----------------------------------------------------------------------------------------------


def key_part(value: str) -> str:
    """A natural key as a piece of an FtM id: letters, digits and ``-`` as they are, anything else
    (``_``, ``.``, a trailing ``-``) as ``.XX`` per UTF-8 byte. ``passport_ordinary`` → ``passport.5fordinary``."""
    out = "".join(ch if ch in _ID_SAFE else "".join(f".{b:02x}" for b in ch.encode()) for ch in value)
    return out[:-1] + ".2d" if out.endswith("-") else out


def parse_key_part(text: str) -> str | None:
    """The natural key a ``key_part`` stands for, or None if ``text`` is not one."""
    data = bytearray()
    i = 0
    while i < len(text):
        if text[i] == ".":
            try:
                data.append(int(text[i + 1 : i + 3], 16))
            except ValueError:
                return None
            i += 3
        else:
            data += text[i].encode()
            i += 1
    try:
        value = data.decode()
    except UnicodeDecodeError:
        return None
    return value if value and key_part(value) == text else None


def record_id(kind: str, key: str) -> str:
    """``sojourn-<kind>-<key>``: the id of a record with a one-part natural key."""
    return f"{PREFIX}-{kind}-{key_part(key)}"


def hashed_id(kind: str, *key: str) -> str:
    """``sojourn-<kind>-<sha1>``: the id of a record whose natural key has several parts."""
    return f"{PREFIX}-{kind}-{make_entity_id(chr(31).join(key))}"


def parse_id(entity_id: str) -> tuple[str, str] | None:
    """``(kind, key)`` of an id made by ``record_id``, else None (hashed ids give ``(kind, "")``)."""
    prefix, _, rest = entity_id.partition("-")
    kind, _, part = rest.partition("-")
    if prefix != PREFIX or not kind or not part:
        return None
    key = parse_key_part(part)
    return (kind, key) if key is not None else (kind, "")


# --- reports ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntityError(RowError):
    """A problem with one entity of an FtM file: ``row`` is its line, ``column`` the property (or
    ``sojourn.<column>`` for the Sojourn block, ``id`` for the entity id)."""

    entity: str = ""
    schema: str = ""

    def __str__(self) -> str:
        if self.row is None:
            return f"{self.file}: {self.reason}"
        where = f"{self.file} line {self.row}"
        if self.schema or self.entity:
            where += f", {' '.join(p for p in (self.schema, self.entity) if p)}"
        if self.column and self.value is not None:
            where += f", {self.column} {show_value(self.value)}"
        elif self.column:
            where += f", {self.column}"
        return f"{where}: {self.reason}"


@dataclass
class FtmImportReport(ImportReport):
    """An FtM import: ``rows`` counts entities; ``kinds`` the records written per import kind; ``not_kept``
    the properties of external entities a Sojourn record has no place for, with how many entities had them."""

    kinds: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    not_kept: Counter[str] = field(default_factory=Counter)

    def notes(self) -> list[str]:
        """One line per property of external entities that was not kept (reported, never dropped silently)."""
        return [f"{self.file}: not kept: {what} ({n} entit{'y' if n == 1 else 'ies'})"
                for what, n in sorted(self.not_kept.items())]

    def summary(self) -> str:
        if not self.ok:
            return super().summary().replace(" rows;", " entities;")
        counts = ", ".join(f"{kind} {c}/{u}/{n}" for kind, (c, u, n) in self.kinds.items())
        done = "are valid; would be" if self.dry_run else "imported:"
        tail = " (dry run, nothing was written)" if self.dry_run else ""
        return (f"{self.file}: {self.rows} entities {done} {self.created} created, {self.updated} updated, "
                f"{self.unchanged} unchanged{tail}" + (f" — created/updated/unchanged by kind: {counts}." if counts
                                                       else "."))


@dataclass(frozen=True)
class ExportSummary:
    entities: int
    by_schema: dict[str, int]
    sha256: str


# --- export ---------------------------------------------------------------------------------------------


def export_ftm(*, out: TextIO, actor: Actor, target: str, progress: bool = False,
               purpose: str = "command line") -> ExportSummary:
    """Write the registry, the travel documents, trips, assets and lists as FtM JSON lines to ``out``.

    One entity per line, sorted by schema (``SCHEMA_ORDER``) and then id; keys sorted, UTF-8, no
    spaces, so the same store always gives the same bytes. ``target`` names where the lines go
    (a file name or ``stdout``) in the one audit row the export writes.
    """
    from sojourn.interop.ftm_export import entity_lines

    digest = hashlib.sha256()
    by_schema: Counter[str] = Counter()
    with progress_steps(progress) as step:
        advance = step("collecting entities", None)
        lines = entity_lines(advance)
        write = step(f"writing {target}", len(lines))
        for schema, line in lines:
            text = line + "\n"
            out.write(text)
            digest.update(text.encode())
            by_schema[schema] += 1
            write(1)
    summary = ExportSummary(entities=len(lines), by_schema=dict(sorted(by_schema.items())), sha256=digest.hexdigest())
    record(actor=actor, action=AuditAction.EXPORT, object_type="export:ftm", object_id=target[:64], purpose=purpose,
           detail={"entities": summary.entities, "by_schema": summary.by_schema, "sha256": summary.sha256})
    return summary


# --- import ---------------------------------------------------------------------------------------------

# The import kinds in the order they are written: each one's checks read what the earlier ones wrote.
KIND_ORDER = ("units", "officials", "relatives", "posts", "duties", "documents", "trips", "assets", "watchlist")


class _Rollback(Exception):
    """Leave the transaction without writing (a dry run, or a kind's checks found problems)."""


def import_ftm_file(*, path: Path, actor: Actor, dry_run: bool = False, list_name: str | None = None,
                    source_name: str | None = None, progress: bool = False) -> FtmImportReport:
    """Import an FtM JSON lines file, all or nothing; importing the same file again changes nothing.

    Every entity is validated against the FtM model first, then mapped onto the rows of the CSV
    import kinds; those go through the kinds' own checks and writes in one transaction, in the
    order of ``KIND_ORDER``. ``list_name`` puts every person of an external list (one whose id is
    not Sojourn's) on that list, whatever its ``Sanction`` says. Raises ``FeedError`` when the
    file cannot be read at all; every other problem is in the report, naming line, entity id,
    property and reason. A successful import that is not a dry run writes one audit row.
    """
    from sojourn.interop.ftm_read import read_entities
    from sojourn.interop.ftm_tables import map_entities

    name = source_name or path.name
    with progress_steps(progress) as step:
        step(f"validating {name}", None)
        catalog = read_entities(path, name)
        report = FtmImportReport(kind="ftm", file=name, dry_run=dry_run, sha256=sha256_of(path), rows=catalog.count)
        step(f"checking {name}", None)
        sheets = map_entities(catalog, list_name=list_name)
        report.not_kept = catalog.problems.not_kept
        if catalog.problems.errors:
            report.errors = sorted(catalog.problems.errors, key=lambda e: e.row or 0)
            return report
        _run_kinds(report, sheets, actor, step)
    if report.ok and not dry_run and any(report.kinds.get("watchlist", (0, 0, 0))[:2]):
        from sojourn.screening.services import invalidate_index

        invalidate_index()
    return report


def _run_kinds(report: FtmImportReport, sheets: Sheets, actor: Actor,
               step: Callable[[str, int | None], Advance]) -> None:
    """Check, plan and write each kind in one transaction; roll back at the first kind with problems."""
    try:
        with transaction.atomic():
            for kind in KIND_ORDER:
                sheet = sheets.kinds.get(kind)
                if sheet is None or not sheet.rows:
                    continue
                table = sheet.table(report.file)
                errors, plan = _apply(kind, table, report.dry_run, step)
                if errors:
                    report.errors = [sheet.explain(e) for e in errors]
                    raise _Rollback
                assert plan is not None
                report.kinds[kind] = (len(plan.creates), len(plan.updates), plan.unchanged)
            report.created, report.updated, report.unchanged = (sum(c[i] for c in report.kinds.values())
                                                                for i in range(3))
            problems = sheets.check_passport_numbers()
            if problems:
                report.errors = list[RowError](problems)
                raise _Rollback
            if report.dry_run:
                raise _Rollback
            _audit(report, actor)
    except _Rollback:
        pass
    except IntegrityError:
        report.errors = [EntityError(report.file, None, "", None, "the registry changed while the file was being "
                                     "imported; nothing was written, run it again")]


def _apply(kind: str, table: Table, dry_run: bool,
           step: Callable[[str, int | None], Advance]) -> tuple[list[RowError], ImportPlan | None]:
    """One kind through the CSV importer's own check, plan and write (inside the caller's transaction)."""
    from sojourn.custody.importing import attach_checks, plan_documents
    from sojourn.declarations.importing import plan_assets, write_assets
    from sojourn.feeds.declarations import check_assets_file
    from sojourn.feeds.documents import check_documents_file
    from sojourn.feeds.registry import SCHEMAS, check_registry_file
    from sojourn.feeds.trips import check_trips_file
    from sojourn.feeds.watchlist import check_watchlist_file
    from sojourn.registry.services import plan_registry, write_records, write_registry
    from sojourn.screening.importing import plan_entries, write_entries
    from sojourn.travel.importing import plan_trips, write_trips

    write: Callable[[Advance], None]
    if kind in SCHEMAS:
        checked = check_registry_file(kind, table)
        if checked.errors:
            return checked.errors, None
        plan = plan_registry(kind, checked)
        write = lambda advance: write_registry(kind, plan, advance)  # noqa: E731
    elif kind == "documents":
        checked = check_documents_file(table)
        if checked.errors:
            return checked.errors, None
        plan = plan_documents(checked)
        if not dry_run:
            attach_checks([*plan.creates, *(u for u in plan.updates if "check_result" in u["_changed"])],
                          step("validating documents", None))
        write = lambda advance: write_records(plan, advance)  # noqa: E731
    elif kind == "trips":
        checked, documents = check_trips_file(table)
        if checked.errors:
            return checked.errors, None
        plan = plan_trips(checked, documents)
        write = lambda advance: write_trips(plan, advance)  # noqa: E731
    elif kind == "assets":
        checked, relatives = check_assets_file(table)
        if checked.errors:
            return checked.errors, None
        plan = plan_assets(checked, relatives)
        write = lambda advance: write_assets(plan, advance)  # noqa: E731
    else:
        parsed = check_watchlist_file(table)
        if parsed.errors:
            return parsed.errors, None
        plan = plan_entries(parsed)
        write = lambda advance: write_entries(plan, advance)  # noqa: E731
    if plan.creates or plan.updates or plan.moves:
        write(step(f"writing {kind}", len(plan.creates) + len(plan.updates) + len(plan.moves)))
    return [], plan


def _audit(report: FtmImportReport, actor: Actor) -> None:
    detail = {"sha256": report.sha256, "rows": report.rows, "created": report.created, "updated": report.updated,
              "unchanged": report.unchanged,
              "kinds": {k: dict(zip(("created", "updated", "unchanged"), v, strict=True))
                        for k, v in report.kinds.items()},
              **({"not_kept": dict(report.not_kept)} if report.not_kept else {})}
    record(actor=actor, action=AuditAction.IMPORT, object_type="import:ftm", object_id=report.file[:64],
           detail=detail)
