"""Synthetic personal-matters reports (``declarations.csv``) and register extracts (``assets.csv``).

Every official covered in ``YEAR`` who is active (or under investigation) reports for ``YEAR``. An honest
report lists what the records the generator already made show: the spouse, the passports and permits
held, each private journey abroad (from the crossings the feed will carry), relatives who emigrated or
lived abroad a year or more, children married to foreigners, relatives' jobs, and the properties,
securities, businesses, deposits abroad and income of the assets file. A few reports come in late and a
few never; into a few others one omission or one concealment is injected (an item left out, an area or
amount under-reported). The manifest's ``anomalies["declarations"]`` lists them with their class and item
kind, and the generator checks with ``find_discrepancies`` that each injection is the only gap in its
report, so verification of every report finds exactly those.

Loops run per official; above ``MAX_OFFICIALS`` officials no declarations are made.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np

from sojourn.core.rules.declarations import (
    ASSET_ITEM,
    CLOSE,
    DOCUMENT_ITEM,
    HKMT,
    HOME,
    AssetRecord,
    DeclarationRecord,
    DeclaredItem,
    HeldDocument,
    Holdings,
    RelativeRecord,
    find_discrepancies,
)
from sojourn.core.rules.travel import JourneyRecord
from sojourn.synth.registry import Frame

YEAR = 2025
DUE = date(YEAR + 1, 1, 31)
LATE_SHARE, MISSING_SHARE = 0.02, 0.02
MAX_OFFICIALS = 200_000
INJECT_SHARE = 0.06  # of reports, for each class
REPORTING = ("active", "under_investigation")
CONCEALMENTS = ("passport", "private_trip", "hkmt_trip", "emigration", "abroad_year", "child_foreign_marriage",
                "relative_job", "real_estate", "securities", "business_investment")
OMISSIONS = ("permit_hk_macau", "area", "parking_space", "amount")
FOREIGN = ("HKG", "USA", "CAN", "AUS", "GBR", "SGP")
CURRENCY = {"HKG": "HKD", "USA": "USD", "CAN": "CAD", "AUS": "AUD", "GBR": "GBP", "SGP": "SGD"}


@dataclass
class Declarations:
    declarations: Frame
    assets: Frame
    anomalies: dict[str, Any]


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _assets(rng: np.random.Generator, official_id: str, spouse: str, counter: list[int]) -> list[AssetRecord]:
    out: list[AssetRecord] = []

    def add(kind: str, country: str, value: float, *, area: float | None = None, source: str,
            holder: str = "", currency: str = "CNY") -> None:
        counter[0] += 1
        acquired = date(2000, 1, 1) + timedelta(days=int(rng.integers(0, 9000)))
        out.append(AssetRecord(f"AS{counter[0]:07d}", official_id, kind, country, Decimal(f"{value:.2f}"), currency,
                               holder, acquired, None if area is None else Decimal(f"{area:.2f}"), source))

    for _ in range(int(rng.choice(3, p=[0.15, 0.6, 0.25]))):
        holder = spouse if spouse and rng.random() < 0.3 else ""
        add("real_estate", HOME, rng.uniform(5e5, 6e6), area=rng.uniform(45, 180), source="property", holder=holder)
    if rng.random() < 0.3:
        add("parking_space", HOME, rng.uniform(1e5, 4e5), area=rng.uniform(11, 16), source="property")
    if rng.random() < 0.2:
        add("securities", HOME, rng.uniform(1e4, 8e5), source="securities")
    if rng.random() < 0.05:
        add("business", HOME, rng.uniform(1e5, 2e6), source="business", holder=spouse)
    if rng.random() < 0.03:
        country = FOREIGN[int(rng.integers(len(FOREIGN)))]
        add("deposit", country, rng.uniform(1e4, 5e5), source="bank", holder=spouse, currency=CURRENCY[country])
    if rng.random() < 0.01:
        country = FOREIGN[int(rng.integers(len(FOREIGN)))]
        add("real_estate", country, rng.uniform(2e6, 1e7), area=rng.uniform(60, 250), source="property",
            holder=spouse)
    return out


def honest_items(holdings: Holdings, year: int, spouse: str, income: Decimal) -> list[DeclaredItem]:
    """What an honest report for ``year`` lists, given the records."""
    end = date(year, 12, 31)
    items = [DeclaredItem("marriage", relative_id=spouse)] if spouse else []
    for d in holdings.documents:
        kind = DOCUMENT_ITEM.get(d.doc_type)
        if kind and not (d.issue_date and d.issue_date > end) and not (d.expiry_date and d.expiry_date.year < year):
            items.append(DeclaredItem(kind, country=d.issuer, number=d.number))
    for j in holdings.journeys:
        items.append(DeclaredItem("hkmt_trip" if j.exit_country in HKMT else "private_trip", country=j.exit_country,
                                  from_date=j.exit_date, to_date=j.entry_date or j.exit_date))
    for r in holdings.relatives:
        if r.relationship not in CLOSE:
            continue
        abroad = r.residence_country != HOME and (r.abroad_since is None or r.abroad_since <= end)
        if r.emigrated and abroad and (r.emigrated_on is None or r.emigrated_on <= end):
            items.append(DeclaredItem("emigration", relative_id=r.relative_id, country=r.residence_country,
                                      from_date=r.emigrated_on))
        elif abroad and r.abroad_since is not None and (end - r.abroad_since).days >= 365:
            items.append(DeclaredItem("abroad_year", relative_id=r.relative_id, country=r.residence_country,
                                      from_date=r.abroad_since))
        if r.relationship == "child" and r.married_to_foreigner:
            items.append(DeclaredItem("child_foreign_marriage", relative_id=r.relative_id, country=r.residence_country))
        if r.activity in ("work", "business"):
            items.append(DeclaredItem("relative_job", relative_id=r.relative_id, country=r.residence_country,
                                      text=r.activity))
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for a in holdings.assets:
        if a.kind in ("real_estate", "parking_space"):
            items.append(DeclaredItem(a.kind, country=a.country, area=a.area, amount=a.value, currency=a.currency))
        elif a.kind in ASSET_ITEM or (a.kind == "deposit" and a.abroad):
            sums[(ASSET_ITEM.get(a.kind, "foreign_deposit"), a.currency)] += a.value
    items += [DeclaredItem(kind, amount=value, currency=currency) for (kind, currency), value in sorted(sums.items())]
    items.append(DeclaredItem("income", amount=income, currency="CNY"))
    return list(dict.fromkeys(items))  # one row per item: a document on file twice is declared once


def _inject(rng: np.random.Generator, items: list[DeclaredItem], klass: str,
            check: Any) -> tuple[list[DeclaredItem], str] | None:
    """Drop or shrink one item so that ``check`` finds exactly one gap of ``klass``; None when none can be."""
    kinds = list(CONCEALMENTS if klass == "concealment" else OMISSIONS)
    rng.shuffle(kinds)
    for kind in kinds:
        for n in rng.permutation(len(items)).tolist():
            item = items[n]
            if kind == "area" and item.kind == "real_estate" and item.area is not None:
                changed = [*items[:n], replace(item, area=(item.area * Decimal("0.7")).quantize(Decimal("0.01"))),
                           *items[n + 1:]]
            elif kind == "amount" and item.kind == "securities" and item.amount is not None:
                changed = [*items[:n], replace(item, amount=(item.amount / 2).quantize(Decimal("0.01"))),
                           *items[n + 1:]]
            elif item.kind == kind:
                changed = items[:n] + items[n + 1:]
            else:
                continue
            found = check(changed)
            if len(found) == 1 and found[0].klass == klass:
                return changed, found[0].item_kind
    return None


def detail(item: DeclaredItem) -> str:
    parts = [("relative_id", item.relative_id), ("country", item.country), ("number", item.number),
             ("from", item.from_date.isoformat() if item.from_date else ""),
             ("to", item.to_date.isoformat() if item.to_date else ""),
             ("area", str(item.area) if item.area is not None else ""),
             ("amount", str(item.amount) if item.amount is not None else ""), ("currency", item.currency),
             ("text", item.text)]
    return ";".join(f"{k}={v}" for k, v in parts if v)


def _by_official(frame: Frame, key: str = "official_id") -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(list)
    for i, oid in enumerate(frame.get(key, [])):
        out[oid].append(i)
    return out


def make_declarations(*, seed: int, officials: Frame, relatives: Frame, documents: Frame,
                      journeys: Frame) -> Declarations:
    """Reports for ``YEAR`` of every reporting official and the assets file, with the injected anomalies.

    Above ``MAX_OFFICIALS`` officials nothing is made (the per-official loop is not vectorised yet)."""
    rng = np.random.default_rng([seed, 7])
    if len(officials["official_id"]) > MAX_OFFICIALS:
        empty: Frame = {"official_id": [], "year": [], "submitted_on": [], "item": [], "detail": []}
        return Declarations(empty, _asset_frame([]), {"year": YEAR, "skipped": f"more than {MAX_OFFICIALS} officials"})
    rels, docs, trips = _by_official(relatives), _by_official(documents), _by_official(journeys)
    rows: dict[str, list[str]] = {k: [] for k in ("official_id", "year", "submitted_on", "item", "detail")}
    assets: list[AssetRecord] = []
    anomalies: dict[str, Any] = {"year": YEAR, "late": [], "missing": [], "concealment": [], "omission": []}
    counter = [0]
    for i, oid in enumerate(officials["official_id"]):
        relatives_of = [RelativeRecord(
            relatives["relative_id"][k], oid, relatives["relationship"][k], relatives["nationality"][k],
            relatives["residence_country"][k], relatives["residence_status"][k], _date(relatives["abroad_since"][k]),
            _date(relatives["emigrated_on"][k]), relatives["activity"][k],
            relatives["married_to_foreigner"][k] in ("true", "1", True)) for k in rels.get(oid, [])]
        spouse = next((r.relative_id for r in relatives_of if r.relationship == "spouse"), "")
        mine = _assets(rng, oid, spouse, counter)
        assets += mine
        covered = date.fromisoformat(officials["covered_since"][i])
        if officials["status"][i] not in REPORTING or covered > date(YEAR, 12, 31):
            continue
        holdings = Holdings(
            oid, relatives=tuple(relatives_of),
            documents=tuple(HeldDocument(f"{oid}:{k}", oid, documents["doc_type"][k], documents["issuer"][k],
                                         documents["number"][k], _date(documents["issue_date"][k]),
                                         _date(documents["expiry_date"][k])) for k in docs.get(oid, [])),
            journeys=tuple(JourneyRecord(f"{oid}:{k}", oid, date.fromisoformat(journeys["exit_date"][k]),
                                         journeys["country"][k], "", entry_date=_date(journeys["entry_date"][k]))
                           for k in trips.get(oid, []) if journeys["private"][k]
                           and journeys["exit_date"][k].startswith(str(YEAR))),
            assets=tuple(mine))
        items = honest_items(holdings, YEAR, spouse, Decimal(int(rng.integers(150, 600)) * 1000))
        u = rng.random()
        if u < MISSING_SHARE:
            anomalies["missing"].append(oid)
            continue
        on = DUE - timedelta(days=int(rng.integers(0, 30)))
        if u < MISSING_SHARE + LATE_SHARE:
            on = DUE + timedelta(days=int(rng.integers(1, 60)))
            anomalies["late"].append(oid)

        def check(changed: list[DeclaredItem], h: Holdings = holdings, oid: str = oid, on: date = on) -> list[Any]:
            return find_discrepancies(DeclarationRecord("", oid, YEAR, "annual", on, tuple(changed)), h)

        v = rng.random()
        klass = "concealment" if v < INJECT_SHARE else "omission" if v < 2 * INJECT_SHARE else ""
        if klass:
            injected = _inject(rng, items, klass, check)
            if injected is not None:
                items, kind = injected
                anomalies[klass].append({"official_id": oid, "kind": kind})
        for item in items:
            rows["official_id"].append(oid)
            rows["year"].append(str(YEAR))
            rows["submitted_on"].append(on.isoformat())
            rows["item"].append(item.kind)
            rows["detail"].append(detail(item))
    return Declarations(rows, _asset_frame(assets), anomalies)


def _asset_frame(assets: list[AssetRecord]) -> Frame:
    return {
        "asset_id": [a.asset_id for a in assets], "official_id": [a.official_id for a in assets],
        "holder_relative_id": [a.holder_relative_id for a in assets], "kind": [a.kind for a in assets],
        "country": [a.country for a in assets], "value": [str(a.value) for a in assets],
        "currency": [a.currency for a in assets],
        "acquired_on": [a.acquired_on.isoformat() if a.acquired_on else "" for a in assets],
        "area": [str(a.area) if a.area is not None else "" for a in assets], "source": [a.source for a in assets],
    }
