"""Registry import files: units, officials, relatives, post changes and duties (DESIGN.md §6).

``check_registry_file`` checks a table against its kind's schema and then against the
registry: parents and cycles in the unit tree, references to units and officials, and the
importing user's scope. It reads the database but never writes; writing is
``sojourn.registry.services``' job.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from sojourn.accounts.scope import Scope
from sojourn.core.documents.codes import ISO_ALPHA3
from sojourn.feeds.base import (
    Column,
    ParsedFile,
    ParsedRow,
    RowError,
    Schema,
    Table,
    check_table,
    code,
    country,
    id_number,
    iso_date,
    one_of,
    text,
    yes_no,
)
from sojourn.registry.models import (
    Activity,
    Official,
    OfficialStatus,
    Rank,
    Relationship,
    Relative,
    ResidenceStatus,
    Sex,
    Unit,
)

T = TypeVar("T")
LOOKUP_BATCH = 900  # natural keys per IN (...) query; stays under SQLite's old 999-parameter limit
MAX_PATH = 1000  # Unit.path's max_length

UNITS = Schema(
    "units",
    (
        Column("unit_code", code(32), required=True),
        Column("name", text(200), required=True),
        Column("parent_code", code(32)),
        Column("region", text(12)),
    ),
    key=("unit_code",),
)

_NAME_COLUMNS = (
    Column("name_zh", text(64)),
    Column("surname", text(64), required=True),
    Column("given_name", text(128)),
)

OFFICIALS = Schema(
    "officials",
    (
        Column("official_id", code(32), required=True),
        Column("unit_code", code(32), required=True),
        *_NAME_COLUMNS,
        Column("birth_date", iso_date, required=True),
        Column("sex", one_of(Sex.values), required=True),
        Column("id_number", id_number, required=True),
        Column("rank", one_of(Rank.values), required=True),
        Column("post", text(200)),
        Column("restricted_post", yes_no, default=False),
        Column("covered_since", iso_date, required=True),
        Column("filed_on", iso_date, default=None),
        Column("status", one_of(OfficialStatus.values), default=OfficialStatus.ACTIVE.value),
    ),
    key=("official_id",),
)

RELATIVES = Schema(
    "relatives",
    (
        Column("relative_id", code(32), required=True),
        Column("official_id", code(32), required=True),
        Column("relationship", one_of(Relationship.values), required=True),
        *_NAME_COLUMNS,
        Column("birth_date", iso_date, default=None),
        Column("sex", one_of(Sex.values)),
        Column("nationality", country, default="CHN"),
        Column("residence_country", country, default="CHN"),
        Column("residence_status", one_of(ResidenceStatus.values), default=ResidenceStatus.NONE.value),
        Column("abroad_since", iso_date, default=None),
        Column("emigrated_on", iso_date, default=None),
        Column("activity", one_of(Activity.values), default=Activity.NONE.value),
        Column("married_to_foreigner", yes_no, default=False),
    ),
    key=("relative_id",),
)

POSTS = Schema(
    "posts",
    (
        Column("official_id", code(32), required=True),
        Column("post", text(200), required=True),
        Column("started_on", iso_date, required=True),
        Column("filed_on", iso_date, default=None),
    ),
    key=("official_id", "started_on", "post"),
)

MAX_DUTY_COUNTRIES = 200  # DutyCountries.countries' max_length


def country_list(raw: str) -> str:
    """ISO 3166-1 alpha-3 codes separated by ``;``; returned sorted without repeats (``CAN;USA``), so the
    same set of countries is the same value however the file orders it."""
    codes = [part.strip() for part in raw.split(";") if part.strip()]
    if not codes:
        raise ValueError("no country code")
    for c in codes:
        country(c)
        if c not in ISO_ALPHA3:
            raise ValueError(f"{c} is not an ISO 3166-1 alpha-3 country code")
    value = ";".join(sorted(set(codes)))
    if len(value) > MAX_DUTY_COUNTRIES:
        raise ValueError(f"longer than {MAX_DUTY_COUNTRIES} characters")
    return value


# The countries an official's duties concern (for ties.recusal_reminder): one row per official.
DUTIES = Schema(
    "duties",
    (
        Column("official_id", code(32), required=True),
        Column("countries", country_list, required=True),
        Column("since", iso_date, default=None),
        Column("note", text(200)),
    ),
    key=("official_id",),
)

SCHEMAS: dict[str, Schema] = {s.kind: s for s in (UNITS, OFFICIALS, RELATIVES, POSTS, DUTIES)}


@dataclass
class CheckedFile:
    """A registry file checked against its schema and the registry, ready to be written.

    ``refs`` maps the natural keys the rows refer to onto database ids: unit codes for
    officials, official IDs for relatives and post changes. For units, ``unit_paths`` holds
    the path every unit (in the file or already in the registry) will have after the import,
    and ``parents`` each file row's parent code (None for a root).
    """

    parsed: ParsedFile
    refs: dict[str, int] = field(default_factory=dict)
    unit_paths: dict[str, str] = field(default_factory=dict)
    parents: dict[str, str | None] = field(default_factory=dict)

    @property
    def errors(self) -> list[RowError]:
        return self.parsed.errors


def check_registry_file(kind: str, table: Table, *, scope: Scope | None = None) -> CheckedFile:
    """Check a registry file of ``kind`` completely; ``scope`` limits which units it may touch.

    Every problem is collected in ``errors`` (sorted by row); nothing stops at the first one.
    """
    parsed = check_table(SCHEMAS[kind], table)
    checked = CheckedFile(parsed)
    if scope is not None and scope.everything:
        scope = None
    if parsed.rows:  # empty when a required column is missing: nothing to check against
        if kind == "units":
            _check_units(checked, scope)
        elif kind == "officials":
            _check_officials(checked, scope)
        else:
            check_official_refs(checked, scope, Relative if kind == "relatives" else None)
    parsed.errors.sort(key=lambda e: e.row or 0)
    return checked


def chunks(items: Sequence[T], size: int = LOOKUP_BATCH) -> Iterator[Sequence[T]]:
    """``items`` in consecutive slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _error(parsed: ParsedFile, row: ParsedRow, column: str, reason: str) -> None:
    value = row.values.get(column)
    parsed.errors.append(RowError(parsed.file, row.row, column, "" if value is None else str(value), reason))


def _strictly_below(scope: Scope, path: str) -> bool:
    return any(path.startswith(p) and path != p for p in scope.paths)


# --- units ---------------------------------------------------------------------------------------


def _check_units(checked: CheckedFile, scope: Scope | None) -> None:
    parsed = checked.parsed
    db_paths = dict(Unit.objects.values_list("code", "path"))
    parent_of: dict[str, str | None] = dict(Unit.objects.values_list("code", "parent__code"))
    rows = {r.values["unit_code"]: r for r in parsed.rows}
    for unit_code, row in rows.items():
        if "parent_code" in parsed.present or unit_code not in db_paths:
            parent_of[unit_code] = row.values.get("parent_code") or None
    for unit_code, row in rows.items():
        parent = parent_of[unit_code]
        if parent is not None and parent not in parent_of:
            _error(parsed, row, "parent_code", "no such unit in the file or the registry")
            parent_of[unit_code] = None
    paths = _unit_paths(parent_of, rows, parsed)
    for unit_code, row in rows.items():
        if len(paths[unit_code]) > MAX_PATH:
            _error(
                parsed,
                row,
                "unit_code",
                f"the unit tree is too deep (path longer than {MAX_PATH} characters)",
            )
        if scope is not None:
            old = db_paths.get(unit_code)
            if not _strictly_below(scope, paths[unit_code]) or (
                old is not None and not _strictly_below(scope, old)
            ):
                _error(
                    parsed,
                    row,
                    "unit_code",
                    f"unit {unit_code} is outside your scope (you may add and change only units below your own)",
                )
    checked.unit_paths = paths
    checked.parents = {c: parent_of[c] for c in rows}


def _unit_paths(
    parent_of: dict[str, str | None], rows: dict[str, ParsedRow], parsed: ParsedFile
) -> dict[str, str]:
    """Materialized paths for the merged tree; a cycle is reported on the file rows that close it."""
    done: set[str] = set()
    for start in parent_of:
        chain: list[str] = []
        on_chain: set[str] = set()
        node: str | None = start
        while node is not None and node not in done:
            if node in on_chain:
                cycle = chain[chain.index(node) :]
                shown = " → ".join([*cycle, node])
                for member in cycle:
                    if member in rows:
                        _error(parsed, rows[member], "parent_code", f"makes a cycle (unit → parent): {shown}")
                parent_of[node] = None  # break it, so the rest of the tree can still be checked
                break
            chain.append(node)
            on_chain.add(node)
            node = parent_of[node]
        done.update(chain)
    paths: dict[str, str] = {}
    for start in parent_of:
        chain = []
        node = start
        while node is not None and node not in paths:
            chain.append(node)
            node = parent_of[node]
        base = paths[node] if node is not None else "/"
        for member in reversed(chain):
            base = f"{base}{member}/"
            paths[member] = base
    return paths


# --- officials, relatives, post changes ------------------------------------------------------------


def _check_officials(checked: CheckedFile, scope: Scope | None) -> None:
    parsed = checked.parsed
    codes = sorted({r.values["unit_code"] for r in parsed.rows})
    units: dict[str, tuple[int, str]] = {}
    for batch in chunks(codes):
        units.update(
            (c, (pk, path))
            for c, pk, path in Unit.objects.filter(code__in=batch).values_list("code", "pk", "path")
        )
    current: dict[str, str] = {}
    if scope is not None:
        ids = [r.values["official_id"] for r in parsed.rows]
        for batch in chunks(ids):
            current.update(
                Official.objects.filter(official_id__in=batch).values_list("official_id", "unit__path")
            )
    for row in parsed.rows:
        unit_code = row.values["unit_code"]
        if unit_code not in units:
            _error(parsed, row, "unit_code", "no such unit in the registry (import units first)")
        elif scope is not None and not scope.covers(units[unit_code][1]):
            _error(parsed, row, "unit_code", f"unit {unit_code} is outside your scope")
        if (
            scope is not None
            and row.values["official_id"] in current
            and not scope.covers(current[row.values["official_id"]])
        ):
            _error(
                parsed,
                row,
                "official_id",
                f"official {row.values['official_id']} is registered in a unit outside your scope",
            )
    checked.refs = {c: pk for c, (pk, _path) in units.items()}


def check_official_refs(checked: CheckedFile, scope: Scope | None, keyed: type[Relative] | None) -> None:
    """Relatives and post changes: the official must exist, and be in scope; so must a relative's current official."""
    parsed = checked.parsed
    ids = sorted({r.values["official_id"] for r in parsed.rows})
    officials: dict[str, tuple[int, str]] = {}
    for batch in chunks(ids):
        officials.update(
            (oid, (pk, path))
            for oid, pk, path in Official.objects.filter(official_id__in=batch).values_list(
                "official_id", "pk", "unit__path"
            )
        )
    current: dict[str, str] = {}
    if scope is not None and keyed is not None:
        for batch in chunks([r.values["relative_id"] for r in parsed.rows]):
            current.update(
                Relative.objects.filter(relative_id__in=batch).values_list(
                    "relative_id", "official__unit__path"
                )
            )
    for row in parsed.rows:
        oid = row.values["official_id"]
        if oid not in officials:
            _error(parsed, row, "official_id", "no such official in the registry (import officials first)")
        elif scope is not None and not scope.covers(officials[oid][1]):
            _error(parsed, row, "official_id", f"official {oid} is outside your scope")
        if keyed is not None and scope is not None:
            rid = row.values["relative_id"]
            if rid in current and not scope.covers(current[rid]):
                _error(
                    parsed, row, "relative_id", f"relative {rid} belongs to an official outside your scope"
                )
    checked.refs = {oid: pk for oid, (pk, _path) in officials.items()}
