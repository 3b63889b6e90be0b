"""Plain records of declarations, assets and what verification compares them with, for the rules.

Inputs: ``declarations`` (every submitted version, as ``DeclarationRecord``), ``assets``,
``declaration_relatives`` (children recorded as married to a foreigner: all that
``declaration.undeclared_foreign_marriage`` reads, so a national-scale registry is not loaded
whole) and ``declaration_discrepancies`` (of every completed verification). ``holdings_of`` gives
one official's records for a verification.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sojourn.core.rules.declarations import (
    AssetRecord,
    DeclarationRecord,
    DeclaredItem,
    DiscrepancyRecord,
    HeldDocument,
    Holdings,
    RelativeRecord,
)
from sojourn.core.rules.travel import JourneyRecord
from sojourn.crossings.models import Journey
from sojourn.custody.models import TravelDocument
from sojourn.declarations.models import Asset, Declaration, DeclarationItem, DeclarationStatus, Discrepancy
from sojourn.registry.models import Official, Relative

ITEM_FIELDS = ("declaration_id", "kind", "relative__relative_id", "country", "number", "from_date", "to_date",
               "area", "amount", "currency", "text")
RELATIVE_FIELDS = ("relative_id", "official__official_id", "relationship", "nationality", "residence_country",
                   "residence_status", "abroad_since", "emigrated_on", "activity", "married_to_foreigner")
ASSET_FIELDS = ("asset_id", "official__official_id", "kind", "country", "value", "currency",
                "holder_relative__relative_id", "acquired_on", "area", "source", "official__rank")
JOURNEY_FIELDS = ("exit__event_id", "official__official_id", "exit_date", "exit__country", "port", "entry__event_id",
                  "entry_date", "entry__country", "entry__port", "trip__trip_id", "trip__purpose", "trip__depart_date",
                  "trip__return_date", "trip__destinations", "coverage")


def item_record(row: tuple[Any, ...]) -> DeclaredItem:
    _pk, kind, rid, country, number, start, end, area, amount, currency, text = row
    return DeclaredItem(kind=kind, relative_id=rid or "", country=country, number=number, from_date=start,
                        to_date=end, area=area, amount=amount, currency=currency, text=text)


def as_records(declarations: Iterable[Declaration]) -> list[DeclarationRecord]:
    chosen = list(declarations)
    items: dict[int, list[DeclaredItem]] = defaultdict(list)
    pks = [d.pk for d in chosen]
    for start in range(0, len(pks), 5000):
        rows = DeclarationItem.objects.filter(declaration_id__in=pks[start:start + 5000]).order_by(
            "declaration_id", "position", "id").values_list(*ITEM_FIELDS)
        for row in rows:
            items[row[0]].append(item_record(row))
    return [DeclarationRecord(declaration_id=str(d.pk), official_id=d.official.official_id, year=d.year, kind=d.kind,
                              submitted_on=d.submitted_on or d.created_at.date(), items=tuple(items[d.pk]),
                              version=d.version) for d in chosen]


def declaration_records() -> list[DeclarationRecord]:
    """Every submitted version of every declaration."""
    qs = Declaration.objects.filter(status=DeclarationStatus.SUBMITTED).select_related("official").only(
        "pk", "official__official_id", "year", "kind", "submitted_on", "created_at", "version")
    return as_records(qs.iterator(chunk_size=5000))


def relative_record(row: tuple[Any, ...]) -> RelativeRecord:
    return RelativeRecord(*row)


def declaration_relatives() -> list[RelativeRecord]:
    """Children recorded as married to a foreign national or a Hong Kong, Macau or Taiwan resident."""
    rows = Relative.objects.filter(relationship="child", married_to_foreigner=True).values_list(*RELATIVE_FIELDS)
    return [relative_record(r) for r in rows.iterator(chunk_size=5000)]


def asset_record(row: tuple[Any, ...]) -> AssetRecord:
    asset_id, oid, kind, country, value, currency, rid, acquired, area, source, rank = row
    return AssetRecord(asset_id=asset_id, official_id=oid, kind=kind, country=country, value=value,
                       currency=currency, holder_relative_id=rid or "", acquired_on=acquired, area=area,
                       source=source, official_rank=rank)


def asset_records() -> list[AssetRecord]:
    return [asset_record(r) for r in Asset.objects.values_list(*ASSET_FIELDS).iterator(chunk_size=5000)]


def discrepancy_records() -> list[DiscrepancyRecord]:
    """The discrepancies of every verification run (completed or signed off)."""
    rows = Discrepancy.objects.values_list(
        "klass", "item_kind", "text", "evidence", "details", "verification__declaration__official__official_id",
        "verification__declaration__year", "verification__declaration_id", "verification_id")
    return [DiscrepancyRecord(klass=k, item_kind=i, text=t, evidence=tuple(e), official_id=o, year=y,
                              declaration_id=str(d), verification_id=str(v), details=det or {})
            for k, i, t, e, det, o, y, d, v in rows.iterator(chunk_size=5000)]


def journey_record(row: tuple[Any, ...]) -> JourneyRecord:
    (exit_id, oid, exit_date, exit_country, port, entry_id, entry_date, entry_country, entry_port, trip_id,
     purpose, depart, ret, destinations, coverage) = row
    return JourneyRecord(
        exit_event_id=exit_id, official_id=oid, exit_date=exit_date, exit_country=exit_country, exit_port=port,
        entry_event_id=entry_id or "", entry_date=entry_date, entry_country=entry_country or "",
        entry_port=entry_port or "", trip_id=trip_id or "", purpose=purpose or "", depart_date=depart,
        return_date=ret, destinations=tuple(c for c in (destinations or "").split(";") if c), coverage=coverage)


def holdings_of(official: Official, year: int) -> Holdings:
    """What Sojourn holds about ``official`` that a report for ``year`` should show."""
    relatives = Relative.objects.filter(official=official).values_list(*RELATIVE_FIELDS)
    documents = TravelDocument.objects.filter(holder=official).values_list(
        "pk", "doc_type", "issuer", "number", "issue_date", "expiry_date")
    journeys = Journey.objects.filter(official=official, exit_date__year=year).order_by("exit_date", "id")
    assets = Asset.objects.filter(official=official).values_list(*ASSET_FIELDS)
    return Holdings(
        official_id=official.official_id,
        relatives=tuple(relative_record(r) for r in relatives),
        documents=tuple(HeldDocument(str(pk), official.official_id, t, i, n, issued, expires)
                        for pk, t, i, n, issued, expires in documents),
        journeys=tuple(journey_record(r) for r in journeys.values_list(*JOURNEY_FIELDS)),
        assets=tuple(asset_record(r) for r in assets),
    )
