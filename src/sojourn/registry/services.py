"""Writes to the registry. Every write goes through a function here, and each writes its audit event.

Imports are all-or-nothing: a file is checked completely first; with any problem nothing is
written. Otherwise every row is written in one transaction, in bulk, comparing each row with
what is stored so that unchanged rows are not written at all. That is what makes a re-import
a no-op, and a killed import leave the registry as it was (the next run then does the job).
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, models, transaction

from sojourn.accounts.models import Role
from sojourn.accounts.scope import Scope, User, unit_scope
from sojourn.audit.models import AuditAction
from sojourn.audit.services import Actor, record
from sojourn.feeds.base import FeedError, RowError, Table, read_table
from sojourn.feeds.registry import SCHEMAS, CheckedFile, check_registry_file, chunks
from sojourn.registry.models import DutyCountries, Official, PostChange, Relative, Unit
from sojourn.registry.names import record_key

BATCH = 2000  # rows per bulk write

Advance = Callable[[int], None]


@dataclass
class ImportReport:
    """What an import did, or would do (``dry_run``), or why it wrote nothing (``errors``)."""

    kind: str
    file: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    sha256: str = ""
    moved: int = 0  # units: stored units below a moved unit whose path changed (not rows of the file)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, plan: ImportPlan) -> None:
        """Take the counts of a checked plan (what the write will do, or would do in a dry run)."""
        self.created, self.updated, self.unchanged = len(plan.creates), len(plan.updates), plan.unchanged

    def summary(self) -> str:
        """One line for the end of the report."""
        if not self.ok:
            n = len(self.errors)
            return (
                f"{self.file}: {n} problem{'s' if n != 1 else ''} in {self.rows} rows; nothing was written."
            )
        counts = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.dry_run:
            return (
                f"{self.file}: {self.rows} rows are valid; would be {counts} (dry run, nothing was written)."
            )
        moved = f"; {self.moved} units below moved units got new paths" if self.moved else ""
        return f"{self.file}: {self.rows} rows imported: {counts}{moved}."


def import_registry_file(
    *,
    kind: str,
    path: Path,
    actor: Actor,
    dry_run: bool = False,
    fmt: str | None = None,
    scope: Scope | None = None,
    source_name: str | None = None,
    progress: bool = False,
) -> ImportReport:
    """Import a registry file of ``kind`` (units, officials, relatives, posts, duties), all or nothing.

    ``scope`` limits the rows to a registrar's units (None: no limit). ``source_name`` is the
    file's name in the report and the audit trail (default: the path's name). Raises
    ``FeedError`` when the file cannot be read at all; every other problem is in the report.
    A successful import that is not a dry run writes one audit event with the file's SHA-256.

    The file is checked and compared with the registry first, outside any transaction; the
    writes and the audit event then happen in one transaction, so the registry's write lock
    is held only while writing.
    """
    if kind not in SCHEMAS:
        raise ValueError(f"unknown registry import kind {kind!r}")
    name = source_name or path.name
    table = read_table(path, fmt=fmt, name=name)
    report = ImportReport(kind=kind, file=name, dry_run=dry_run, sha256=sha256_of(path))
    with progress_steps(progress) as step:
        plan = _check_and_plan(kind, table, scope, report=report, step=step)
        if plan is None or dry_run:
            return report
        advance = step(f"writing {name}", len(plan.creates) + len(plan.updates) + len(plan.moves))
        commit_import(report, actor, lambda: write_registry(kind, plan, advance), changed="registry")
    return report


def plan_registry(kind: str, checked: CheckedFile) -> ImportPlan:
    """What a checked registry file of ``kind`` will write: creates, updates, unchanged rows (and moved units)."""
    return _plan_units(checked) if kind == "units" else _plan_records(kind, checked)


def write_registry(kind: str, plan: ImportPlan, advance: Advance) -> None:
    """Write a plan of ``plan_registry`` (inside the caller's transaction)."""
    if kind == "units":
        _write_units(plan, advance)
    else:
        write_records(plan, advance)


Step = Callable[[str, int | None], Advance]
# What a kind's preparation hands back when its file is good: how many records it will write, and the write.
Prepared = tuple[int, Callable[[Advance], None]]


def run_import(
    *,
    kind: str,
    path: Path,
    actor: Actor,
    prepare: Callable[[Table, ImportReport], Prepared | None],
    changed: str,
    dry_run: bool = False,
    fmt: str | None = None,
    source_name: str | None = None,
    progress: bool = False,
) -> ImportReport:
    """The course every all-or-nothing import takes: read, check and compare, then write in one transaction.

    ``prepare`` checks the table and compares it with the store, filling the report's rows, errors
    and counts; it returns None when the report has errors, else the size and the write. A dry run
    stops after the comparison. Raises ``FeedError`` when the file cannot be read at all.
    """
    name = source_name or path.name
    table = read_table(path, fmt=fmt, name=name)
    report = ImportReport(kind=kind, file=name, dry_run=dry_run, sha256=sha256_of(path))
    with progress_steps(progress) as step:
        step(f"checking {name}", None)
        prepared = prepare(table, report)
        if prepared is None or not report.ok or dry_run:
            return report
        size, write = prepared
        advance = step(f"writing {name}", size)
        commit_import(report, actor, lambda: write(advance), changed=changed)
    return report


def commit_import(report: ImportReport, actor: Actor, write: Callable[[], None], *, changed: str) -> None:
    """Write a checked plan and its audit row in one transaction, or nothing at all.

    If someone stored the same records between the check and the write, the unique keys refuse
    the write; the report then says so and the user runs the import again.
    """
    try:
        with transaction.atomic():
            write()
            audit_import(report, actor)
    except IntegrityError:
        reason = f"the {changed} changed while the file was being imported; nothing was written, run it again"
        report.errors = [RowError(report.file, None, "", None, reason)]


def audit_import(report: ImportReport, actor: Actor) -> None:
    detail = {
        "sha256": report.sha256,
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        **({"moved": report.moved} if report.moved else {}),
    }
    record(
        actor=actor,
        action=AuditAction.IMPORT,
        object_type=f"import:{report.kind}",
        object_id=report.file[:64],
        detail=detail,
    )


def import_uploaded(*, kind: str, upload: UploadedFile, actor: User, dry_run: bool = False) -> ImportReport:
    """Import a file uploaded through the web page, limited to the actor's units unless an admin."""
    name = Path(upload.name or "upload.csv").name
    scope = unit_scope(actor, roles=frozenset({Role.REGISTRAR, Role.ADMIN}))
    with tempfile.TemporaryDirectory(prefix="sojourn-import-") as tmp:
        path = Path(tmp) / f"upload{Path(name).suffix.lower()}"
        with path.open("wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        common: dict[str, Any] = {
            "path": path,
            "actor": actor,
            "dry_run": dry_run,
            "source_name": name,
            "scope": None if scope.everything else scope,
        }
        try:
            if kind == "documents":
                from sojourn.custody.importing import import_documents_file  # custody imports this module

                return import_documents_file(**common)
            return import_registry_file(kind=kind, **common)
        except FeedError as exc:
            return ImportReport(
                kind=kind, file=name, dry_run=dry_run, errors=[RowError(name, None, "", None, exc.reason)]
            )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def progress_steps(enabled: bool) -> Iterator[Callable[[str, int | None], Advance]]:
    """A factory of progress bars on stderr (``step(description, total)`` → ``advance(n)``), or no-ops."""
    if not enabled:
        yield lambda _description, _total: lambda _n: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:

        def step(description: str, total: int | None) -> Advance:
            for earlier in bar.task_ids:  # a new step means the earlier ones are done
                bar.update(earlier, total=1, completed=1)
            task = bar.add_task(description, total=total)
            return lambda n: bar.advance(task, n)

        yield step


def _check_and_plan(
    kind: str,
    table: Table,
    scope: Scope | None,
    *,
    report: ImportReport,
    step: Callable[[str, int | None], Advance],
) -> ImportPlan | None:
    """Check the whole file and work out what to write; None (and the report's errors) when it has problems."""
    step(f"checking {report.file}", None)
    checked = check_registry_file(kind, table, scope=scope)
    report.rows = checked.parsed.total
    report.errors = checked.errors
    if not report.ok:
        return None
    plan = plan_registry(kind, checked)
    report.count(plan)
    report.moved = len(plan.moves)
    return plan


# --- planning: what to create, what to update, what is unchanged ------------------------------------


@dataclass
class ImportPlan:
    model: type[models.Model]
    fields: list[str]  # the fields an update writes
    creates: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)  # merged values, with "pk"
    unchanged: int = 0
    moves: list[dict[str, Any]] = field(default_factory=list)  # units below a moved unit: new paths


@dataclass(frozen=True)
class _Spec:
    model: type[models.Model]
    key: tuple[str, ...]  # model attnames forming the natural key
    ref: str  # the column holding a reference, replaced by the referenced row's database id
    ref_field: str  # the attname receiving it
    named: bool  # has PersonName fields (search key, script)


_SPECS: dict[str, _Spec] = {
    "officials": _Spec(Official, ("official_id",), "unit_code", "unit_id", named=True),
    "relatives": _Spec(Relative, ("relative_id",), "official_id", "official_id", named=True),
    "posts": _Spec(
        PostChange, ("official_id", "started_on", "post"), "official_id", "official_id", named=False
    ),
    "duties": _Spec(DutyCountries, ("official_id",), "official_id", "official_id", named=False),
}
_NAME_FIELDS = ("name_zh", "surname", "given_name")


def _with_names(values: dict[str, Any]) -> dict[str, Any]:
    values["name_script"] = "han" if values["name_zh"] else "latin"
    values["search_key"] = record_key(values["name_zh"], values["surname"], values["given_name"])
    return values


def _to_fields(spec: _Spec, values: dict[str, Any], refs: dict[str, int]) -> dict[str, Any]:
    out = dict(values)
    ref = out.pop(spec.ref)
    out[spec.ref_field] = refs[ref]
    return out


def _plan_records(kind: str, checked: CheckedFile) -> ImportPlan:
    """Compare every row with the stored record of the same natural key (looked up in batches)."""
    spec, parsed = _SPECS[kind], checked.parsed
    schema = SCHEMAS[kind]
    present = {spec.ref_field if c == spec.ref else c for c in parsed.present}
    compare = sorted((present | ({"name_script", "search_key"} if spec.named else set())) - set(spec.key))
    defaults = {c.name: c.default for c in schema.columns if not c.required}
    rows = [_to_fields(spec, r.values, checked.refs) for r in parsed.rows]
    read = {*compare, *spec.key, *(_NAME_FIELDS if spec.named else ())}
    existing = _existing(spec, rows, sorted(read))
    plan = ImportPlan(spec.model, compare)
    for row in rows:
        old = existing.get(tuple(row[k] for k in spec.key))
        if old is None:
            new = {**defaults, **row}
            plan.creates.append(_with_names(new) if spec.named else new)
            continue
        merged = {**old, **row}
        if spec.named:
            _with_names(merged)
        changed = tuple(f for f in compare if merged[f] != old[f])
        if changed:
            merged["_changed"] = changed
            plan.updates.append(merged)
        else:
            plan.unchanged += 1
    return plan


def _existing(
    spec: _Spec, rows: list[dict[str, Any]], read: list[str]
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Stored records with the rows' natural keys, by key: looked up by the key's first field in batches."""
    first = spec.key[0]
    wanted = {tuple(r[k] for k in spec.key) for r in rows}
    found: dict[tuple[Any, ...], dict[str, Any]] = {}
    for batch in chunks(sorted({r[first] for r in rows})):
        manager = spec.model._default_manager
        for values in manager.filter(**{f"{first}__in": batch}).values("pk", *read):
            key = tuple(values[k] for k in spec.key)
            if key in wanted:
                found[key] = values
    return found


def _plan_units(checked: CheckedFile) -> ImportPlan:
    """Units: compare name, region, parent and path; also move the stored units below a moved unit."""
    parsed = checked.parsed
    stored = {
        u["code"]: u for u in Unit.objects.values("pk", "code", "name", "region", "path", "parent__code")
    }
    fields = ["name", "path", "parent_id", *(["region"] if "region" in parsed.present else [])]
    plan = ImportPlan(Unit, fields)
    in_file = set()
    for row in parsed.rows:
        code = row.values["unit_code"]
        in_file.add(code)
        new = {
            "code": code,
            "name": row.values["name"],
            "path": checked.unit_paths[code],
            "parent_code": checked.parents[code],
        }
        if "region" in parsed.present:
            new["region"] = row.values["region"]
        old = stored.get(code)
        if old is None:
            plan.creates.append({"region": "", **new})
            continue
        before = {
            "code": code,
            "name": old["name"],
            "path": old["path"],
            "parent_code": old["parent__code"],
            "region": old["region"],
        }
        merged = {**before, **new, "pk": old["pk"]}
        if any(merged[f] != before[f] for f in ("name", "path", "parent_code", "region")):
            plan.updates.append(merged)
        else:
            plan.unchanged += 1
    for code, old in stored.items():
        if code not in in_file and checked.unit_paths.get(code, old["path"]) != old["path"]:
            plan.moves.append({"pk": old["pk"], "path": checked.unit_paths[code]})
    return plan


# --- writing ------------------------------------------------------------------------------------------


def update_rows(model: type[models.Model], fields: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
    """``UPDATE ... SET fields WHERE pk`` for each row (a dict with ``pk`` and the fields' attnames).

    One prepared statement run for every row. ``bulk_update`` builds a CASE WHEN per field
    that SQLite evaluates row by row against the whole batch: 151 s for 59,000 relatives,
    where this takes seconds.
    """
    meta = model._meta
    columns = [f for f in (meta.get_field(name) for name in fields) if isinstance(f, models.Field)]
    if len(columns) != len(fields) or meta.pk is None:
        raise ValueError(f"cannot update {fields} of {meta.label}")
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(c.column)} = %s" for c in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    params = [[c.get_db_prep_save(row[c.attname], connection) for c in columns] + [row["pk"]] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def write_records(plan: ImportPlan, advance: Advance) -> None:
    """Create in batches; update each changed row, writing only the fields that changed."""
    manager = plan.model._default_manager
    for batch in chunks(plan.creates, BATCH):
        manager.bulk_create([plan.model(**values) for values in batch])
        advance(len(batch))
    by_fields: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for values in plan.updates:
        by_fields.setdefault(values["_changed"], []).append(values)
    for fields, rows in by_fields.items():
        for batch in chunks(rows, BATCH):
            update_rows(plan.model, fields, batch)
            advance(len(batch))


def _write_units(plan: ImportPlan, advance: Advance) -> None:
    """New units level by level (a parent before its children), then changed and moved ones."""
    pk_of = dict(Unit.objects.values_list("code", "pk"))
    by_depth: dict[int, list[dict[str, Any]]] = {}
    for values in plan.creates:
        by_depth.setdefault(values["path"].count("/"), []).append(values)
    for depth in sorted(by_depth):
        for batch in chunks(by_depth[depth], BATCH):
            objs = [
                Unit(
                    code=v["code"],
                    name=v["name"],
                    region=v["region"],
                    path=v["path"],
                    parent_id=pk_of[v["parent_code"]] if v["parent_code"] else None,
                )
                for v in batch
            ]
            Unit.objects.bulk_create(objs)
            if any(o.pk is None for o in objs):  # a backend that does not return ids
                pk_of.update(Unit.objects.filter(code__in=[o.code for o in objs]).values_list("code", "pk"))
            else:
                pk_of.update((o.code, o.pk) for o in objs)
            advance(len(batch))
    changed = [
        {**v, "parent_id": pk_of[v["parent_code"]] if v["parent_code"] else None} for v in plan.updates
    ]
    for fields, rows in ((plan.fields, changed), (["path"], plan.moves)):
        for batch in chunks(rows, BATCH):
            update_rows(Unit, fields, batch)
            advance(len(batch))
