"""The declarations and assets import files (DESIGN.md §6).

``declarations``: columns ``official_id, year, submitted_on, item, detail`` and optionally ``kind``
(``annual``, the default, or ``event``), one row per declared item. The rows of one official, year
and kind (and, for events, one ``submitted_on``) form one declaration; an annual report's rows must
share their ``submitted_on``. ``item`` is one of the item kinds (``marriage, passport, private_trip,
permit_hk_macau, permit_taiwan, hkmt_trip, child_foreign_marriage, emigration, abroad_year,
relative_job, relative_case, real_estate, parking_space, securities, business_investment,
foreign_deposit, foreign_investment, income``).

``detail`` holds the item's structured fields as ``key=value`` pairs separated by ``;``, e.g.
``relative_id=R-17;country=CAN;from=2019-05-01`` or ``country=CHN;area=92.5`` or
``amount=350000;currency=CNY``. The keys:

- ``relative_id``: the relative the item concerns (one of that official's relatives in the registry);
- ``country``: ISO 3166-1 alpha-3;
- ``number``: a document number (normalized like the documents file's);
- ``from``, ``to``: dates (YYYY-MM-DD): a trip's first and last day, the date of an event, since when;
- ``area``: square metres; ``amount``: a sum (both non-negative decimals, ``.`` as the decimal point);
- ``currency``: ISO 4217 (three capital letters; CNY when left out);
- ``text``: free text (no ``;`` in it).

A key may appear once; unknown keys are errors; blank values are left out. ``detail`` may be blank.
The same item twice in one report (same kind and detail) is reported as a duplicate row.

``assets``: columns ``asset_id, official_id, holder_relative_id, kind, country, value, currency,
acquired_on`` and optionally ``area`` and ``source``. ``kind`` is one of ``deposit, real_estate,
parking_space, securities, business, other``; ``source`` one of ``property, bank, securities, business,
spending, other`` (the register extract the row comes from). A row of kind ``other`` and source
``spending`` is the official's spending in the year of ``acquired_on``. The natural key is ``asset_id``.

The ``check_*`` functions check a table against the schema and the registry but never write.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sojourn.accounts.scope import Scope
from sojourn.core.rules.declarations import ITEM_KINDS
from sojourn.declarations.models import AssetKind, AssetSource, DeclarationKind
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
from sojourn.registry.models import Relative

_CURRENCY = re.compile(r"[A-Z]{3}")
DETAIL_KEYS = ("relative_id", "country", "number", "from", "to", "area", "amount", "currency", "text")
# detail key → the DeclarationItem field it fills
DETAIL_FIELDS = {"relative_id": "relative_id", "country": "country", "number": "number", "from": "from_date",
                 "to": "to_date", "area": "area", "amount": "amount", "currency": "currency", "text": "text"}


def currency(raw: str) -> str:
    """An ISO 4217 currency code, three capital letters."""
    if not _CURRENCY.fullmatch(raw):
        raise ValueError("not an ISO 4217 currency code (three capital letters, e.g. CNY)")
    return raw


def amount(raw: str) -> Decimal:
    """A non-negative decimal number with at most two decimals, ``.`` as the decimal point."""
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not value.is_finite() or value < 0:
        raise ValueError("not a non-negative number")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError("more than two decimals")
    if value >= Decimal("1e14"):
        raise ValueError("too large")
    return value


def year(raw: str) -> int:
    if not raw.isdigit() or not 1990 <= int(raw) <= 2100:
        raise ValueError("not a year (1990–2100)")
    return int(raw)


_DETAIL_PARSERS: dict[str, Callable[[str], Any]] = {
    "relative_id": code(32), "country": country, "number": document_number, "from": iso_date, "to": iso_date,
    "area": amount, "amount": amount, "currency": currency, "text": text(500),
}


def detail(raw: str) -> tuple[tuple[str, Any], ...]:
    """``key=value;key=value`` pairs (see the module's docstring) → sorted (DeclarationItem field, value) pairs."""
    out: dict[str, Any] = {}
    for part in raw.split(";"):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        key, value = key.strip().lower(), value.strip()
        if not sep:
            raise ValueError(f"'{part.strip()}' is not key=value")
        if key not in _DETAIL_PARSERS:
            raise ValueError(f"unknown key '{key}' (keys: {', '.join(DETAIL_KEYS)})")
        field = DETAIL_FIELDS[key]
        if field in out:
            raise ValueError(f"the key '{key}' appears twice")
        if not value:
            continue
        try:
            out[field] = _DETAIL_PARSERS[key](value)
        except ValueError as exc:
            raise ValueError(f"{key}: {exc}") from None
    if out.get("from_date") and out.get("to_date") and out["to_date"] < out["from_date"]:
        raise ValueError("'to' is before 'from'")
    return tuple(sorted(out.items()))


DECLARATIONS = Schema(
    "declarations",
    (
        Column("official_id", code(32), required=True),
        Column("year", year, required=True),
        Column("submitted_on", iso_date, required=True),
        Column("item", one_of(ITEM_KINDS), required=True),
        Column("detail", detail, default=()),
        Column("kind", one_of(DeclarationKind.values), default=DeclarationKind.ANNUAL.value),
    ),
    # One row per item; the same item twice in one report is a duplicate row.
    key=("official_id", "year", "submitted_on", "item", "detail"),
)

ASSETS = Schema(
    "assets",
    (
        Column("asset_id", code(32), required=True),
        Column("official_id", code(32), required=True),
        Column("holder_relative_id", code(32)),
        Column("kind", one_of(AssetKind.values), required=True),
        Column("country", country, required=True),
        Column("value", amount, required=True),
        Column("currency", currency, default="CNY"),
        Column("acquired_on", iso_date, default=None),
        Column("area", amount, default=None),
        Column("source", one_of(AssetSource.values)),
    ),
    key=("asset_id",),
)


@dataclass(frozen=True)
class GroupKey:
    official_id: str
    year: int
    kind: str
    submitted_on: date | None  # events only: each submission is its own declaration


def group_key(values: dict[str, Any]) -> GroupKey:
    kind = values.get("kind") or DeclarationKind.ANNUAL.value  # the column is optional
    event = kind == DeclarationKind.EVENT
    return GroupKey(values["official_id"], values["year"], kind, values["submitted_on"] if event else None)


def _error(checked: CheckedFile, row: int, column: str, value: str, reason: str) -> None:
    checked.parsed.errors.append(RowError(checked.parsed.file, row, column, value, reason))


def _relatives(official_pks: list[int]) -> dict[str, tuple[int, int]]:
    """relative ID → (database id, official's database id) for these officials' relatives."""
    found: dict[str, tuple[int, int]] = {}
    for batch in chunks(official_pks):
        for rid, pk, owner in Relative.objects.filter(official_id__in=batch).values_list(
                "relative_id", "pk", "official_id"):
            found[rid] = (pk, owner)
    return found


def check_declarations_file(table: Table, *, scope: Scope | None = None) -> tuple[CheckedFile, dict[str, int]]:
    """Check a declarations file completely; returns the checked file and relative ID → database id."""
    parsed = check_table(DECLARATIONS, table)
    checked = CheckedFile(parsed)
    if scope is not None and scope.everything:
        scope = None
    relatives: dict[str, tuple[int, int]] = {}
    if parsed.rows:
        check_official_refs(checked, scope, None)
        relatives = _relatives(sorted(set(checked.refs.values())))
        first: dict[GroupKey, tuple[int, date]] = {}
        for row in parsed.rows:
            v = row.values
            if v["submitted_on"] < date(v["year"], 1, 1):
                _error(checked, row.row, "submitted_on", str(v["submitted_on"]), f"before the year {v['year']}")
            key = group_key(v)
            seen = first.setdefault(key, (row.row, v["submitted_on"]))
            if seen[1] != v["submitted_on"]:
                _error(checked, row.row, "submitted_on", str(v["submitted_on"]),
                       f"row {seen[0]} gives {seen[1]:%Y-%m-%d} for the same report")
            rid = dict(v.get("detail") or ()).get("relative_id")
            owner = checked.refs.get(v["official_id"])
            if rid and owner is not None and relatives.get(rid, (0, -1))[1] != owner:
                _error(checked, row.row, "detail", f"relative_id={rid}",
                       f"no relative {rid} of official {v['official_id']} in the registry")
    parsed.errors.sort(key=lambda e: e.row or 0)
    return checked, {rid: pk for rid, (pk, _owner) in relatives.items()}


def check_assets_file(table: Table, *, scope: Scope | None = None) -> tuple[CheckedFile, dict[str, int]]:
    """Check an assets file completely; returns the checked file and relative ID → database id."""
    parsed = check_table(ASSETS, table)
    checked = CheckedFile(parsed)
    if scope is not None and scope.everything:
        scope = None
    relatives: dict[str, tuple[int, int]] = {}
    if parsed.rows:
        check_official_refs(checked, scope, None)
        relatives = _relatives(sorted(set(checked.refs.values())))
        from sojourn.declarations.models import Asset

        owners: dict[str, str] = {}
        for batch in chunks(sorted({r.values["asset_id"] for r in parsed.rows})):
            owners.update(Asset.objects.filter(asset_id__in=batch).values_list("asset_id", "official__official_id"))
        for row in parsed.rows:
            v = row.values
            owner = checked.refs.get(v["official_id"])
            rid = v.get("holder_relative_id")
            if rid and owner is not None and relatives.get(rid, (0, -1))[1] != owner:
                _error(checked, row.row, "holder_relative_id", rid,
                       f"no relative {rid} of official {v['official_id']} in the registry")
            stored = owners.get(v["asset_id"])
            if stored is not None and stored != v["official_id"]:
                _error(checked, row.row, "asset_id", v["asset_id"], f"the asset is recorded for official {stored}")
    parsed.errors.sort(key=lambda e: e.row or 0)
    return checked, {rid: pk for rid, (pk, _owner) in relatives.items()}
