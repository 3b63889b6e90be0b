"""The annual personal-matters report: comparing what an official declared with what the records show,
and the ``declaration.*`` rules.

A declaration (``DeclarationRecord``) is a set of declared items (``DeclaredItem``); the records
Sojourn holds about the official (``Holdings``: relatives, documents, private journeys, assets)
say what the report should have listed. ``find_discrepancies`` compares the two and classifies
each gap exactly as the 2017 measures on handling verification results do (specs/rules.md):

- **concealment**: an unreported passport (or Taiwan permit) or private trip, a child married to a
  foreigner or a Hong Kong/Macau/Taiwan resident, a spouse or child who emigrated or lived abroad
  for a year or more, a relative's job, a property (real estate), any securities, a business investment;
- **omission**: an under-reported area or amount (including a deposit abroad not reported at all,
  which is an amount reported as nothing), an unreported parking space, an unreported Hong Kong and
  Macau permit.

Everything here is plain data in, plain data out: no Django, no database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sojourn.core.rules.custody import DOC_TYPE_LABELS
from sojourn.core.rules.model import Context, Finding, Severity, rule
from sojourn.core.rules.travel import JourneyRecord

REPORT_BASIS = "Rules on reporting personal matters by leading cadres (2017, revised 2023)."
TRIP_BASIS = "2017 measures on verifying personal-matters reports: an unreported passport or trip is concealment."
VERIFICATION_BASIS = "2017 measures on handling the results of verifying personal-matters reports."
WEALTH_BASIS = ("2017 rules art. 12 (property clearly exceeding income); declarations.com.ua red flags on "
                "assets and spending against income.")
FOREIGN_BASIS = "Personal-matters report property items (deposits and investments abroad); SEAD 3 (Top Secret)."
MARRIAGE_BASIS = ("Personal-matters report family items: children married to foreign nationals or to residents "
                  "of Hong Kong, Macau or Taiwan.")

CONCEALMENT, OMISSION = "concealment", "omission"
FAMILY_KINDS = ("marriage", "passport", "private_trip", "permit_hk_macau", "permit_taiwan", "hkmt_trip",
                "child_foreign_marriage", "emigration", "abroad_year", "relative_job", "relative_case")
PROPERTY_KINDS = ("real_estate", "parking_space", "securities", "business_investment", "foreign_deposit",
                  "foreign_investment", "income")
ITEM_KINDS = FAMILY_KINDS + PROPERTY_KINDS
ITEM_LABELS = {
    "marriage": "marriage", "passport": "passport", "private_trip": "private trip abroad",
    "permit_hk_macau": "Hong Kong and Macau permit", "permit_taiwan": "Taiwan permit",
    "hkmt_trip": "trip to Hong Kong, Macau or Taiwan", "child_foreign_marriage": "child married to a foreigner",
    "emigration": "emigration of a spouse or child", "abroad_year": "spouse or child abroad a year or more",
    "relative_job": "relative's job", "relative_case": "relative's criminal case", "real_estate": "real estate",
    "parking_space": "parking space", "securities": "securities", "business_investment": "business investment",
    "foreign_deposit": "deposit abroad", "foreign_investment": "investment abroad", "income": "income",
}
HKMT = frozenset({"HKG", "MAC", "TWN"})
HOME = "CHN"
CLOSE = frozenset({"spouse", "child"})
EMIGRATED_STATUSES = frozenset({"citizen", "permanent_resident", "long_term_resident"})
HIGH_RANKS = frozenset({"national", "ministerial"})
PASSPORTS = frozenset({"passport_ordinary", "passport_official", "passport_service", "passport_diplomatic"})
# The kind of report item each record calls for.
DOCUMENT_ITEM = {**{t: "passport" for t in PASSPORTS}, "permit_hk_macau": "permit_hk_macau",
                 "permit_taiwan": "permit_taiwan"}
ASSET_ITEM = {"real_estate": "real_estate", "parking_space": "parking_space", "securities": "securities",
              "business": "business_investment"}
SPENDING = "spending"  # an asset row of kind ``other`` with this source is the year's spending, not an asset
MONETARY = frozenset({"deposit", "securities"})
CURRENCY = "CNY"
TRIP_SLACK_DAYS = 3  # a declared trip covers exits up to this many days before its first day
AREA_TOLERANCE = Decimal("1")  # square metres
AMOUNT_TOLERANCE = Decimal("0.05")  # of the recorded amount


@dataclass(frozen=True)
class DeclaredItem:
    kind: str
    relative_id: str = ""
    country: str = ""
    number: str = ""
    from_date: date | None = None
    to_date: date | None = None
    area: Decimal | None = None
    amount: Decimal | None = None
    currency: str = ""
    text: str = ""


@dataclass(frozen=True)
class DeclarationRecord:
    """A submitted declaration as the rules see it (the version in force: corrections replace what they correct)."""

    declaration_id: str
    official_id: str
    year: int
    kind: str  # annual | event
    submitted_on: date
    items: tuple[DeclaredItem, ...] = ()
    version: int = 1

    def of_kind(self, *kinds: str) -> list[DeclaredItem]:
        return [i for i in self.items if i.kind in kinds]

    @property
    def income(self) -> Decimal | None:
        amounts = [i.amount for i in self.of_kind("income")
                   if i.amount is not None and (i.currency or CURRENCY) == CURRENCY]
        return sum(amounts, Decimal(0)) if amounts else None


@dataclass(frozen=True)
class RelativeRecord:
    relative_id: str
    official_id: str
    relationship: str
    nationality: str = HOME
    residence_country: str = HOME
    residence_status: str = "none"
    abroad_since: date | None = None
    emigrated_on: date | None = None
    activity: str = "none"
    married_to_foreigner: bool = False

    @property
    def emigrated(self) -> bool:
        """Foreign nationality, or permanent or long-term residence abroad."""
        return self.nationality != HOME or (self.residence_country != HOME
                                            and self.residence_status in EMIGRATED_STATUSES)


@dataclass(frozen=True)
class HeldDocument:
    document_id: str
    official_id: str
    doc_type: str
    issuer: str
    number: str
    issue_date: date | None = None
    expiry_date: date | None = None

    @property
    def label(self) -> str:
        return f"{DOC_TYPE_LABELS.get(self.doc_type, self.doc_type)} {self.issuer} {self.number}"


@dataclass(frozen=True)
class AssetRecord:
    asset_id: str
    official_id: str
    kind: str  # deposit | real_estate | parking_space | securities | business | other
    country: str
    value: Decimal
    currency: str = CURRENCY
    holder_relative_id: str = ""
    acquired_on: date | None = None
    area: Decimal | None = None
    source: str = ""
    official_rank: str = ""

    @property
    def spending(self) -> bool:
        return self.kind == "other" and self.source == SPENDING

    @property
    def abroad(self) -> bool:
        return self.country != HOME


@dataclass(frozen=True)
class Holdings:
    """What Sojourn holds about one official, for comparing with a declaration."""

    official_id: str
    relatives: tuple[RelativeRecord, ...] = ()
    documents: tuple[HeldDocument, ...] = ()
    journeys: tuple[JourneyRecord, ...] = ()
    assets: tuple[AssetRecord, ...] = ()


@dataclass(frozen=True)
class DiscrepancyRecord:
    """A gap between a declaration and the records; ``evidence`` names the records (``relative:RA-1``)."""

    klass: str  # concealment | omission
    item_kind: str
    text: str
    evidence: tuple[str, ...]
    official_id: str = ""
    year: int = 0
    declaration_id: str = ""
    verification_id: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Stable across re-runs of a verification of the same declaration."""
        return f"{self.official_id}:{self.year}:{self.item_kind}:{'|'.join(self.evidence[1:] or self.evidence)}"


# --- comparing a declaration with the records ------------------------------------------------------


def _end(year: int) -> date:
    return date(year, 12, 31)


def private_journeys(journeys: Iterable[JourneyRecord], year: int) -> list[JourneyRecord]:
    """Exits in ``year`` on a private trip or on no approved trip at all: what the report must list."""
    return [j for j in journeys if j.exit_date.year == year and (not j.trip_id or j.purpose == "private")]


def trip_declared(journey: JourneyRecord, items: Sequence[DeclaredItem]) -> bool:
    """A declared trip covers the exit: its first day at most ``TRIP_SLACK_DAYS`` after the exit, and
    the exit no later than its last day (its first day when it has none)."""
    for item in items:
        if item.from_date is None:
            continue
        last = item.to_date or item.from_date
        if item.from_date - timedelta(days=TRIP_SLACK_DAYS) <= journey.exit_date <= last:
            return True
    return False


def _names(items: Sequence[DeclaredItem], relative: RelativeRecord) -> bool:
    """An item names the relative: by id, or (no id given) by the country they live in."""
    return any(i.relative_id == relative.relative_id
               or (not i.relative_id and i.country and i.country == relative.residence_country) for i in items)


def _d(klass: str, kind: str, text: str, *evidence: str, **details: Any) -> DiscrepancyRecord:
    return DiscrepancyRecord(klass=klass, item_kind=kind, text=text, evidence=tuple(evidence), details=details)


def _family(declaration: DeclarationRecord, holdings: Holdings) -> Iterator[DiscrepancyRecord]:
    end = _end(declaration.year)
    off = f"official:{holdings.official_id}"
    for r in holdings.relatives:
        if r.relationship not in CLOSE:
            continue
        ev = f"relative:{r.relative_id}"
        who = f"{r.relationship} {r.relative_id}"
        abroad = r.residence_country != HOME and (r.abroad_since is None or r.abroad_since <= end)
        if r.emigrated and abroad and (r.emigrated_on is None or r.emigrated_on <= end):
            if not _names(declaration.of_kind("emigration"), r):
                yield _d(CONCEALMENT, "emigration",
                         f"The {who} has emigrated ({r.residence_status.replace('_', ' ')} of {r.residence_country}, "
                         f"nationality {r.nationality}); the report does not list the emigration.", off, ev)
        elif (abroad and r.abroad_since is not None and (end - r.abroad_since).days >= 365
              and not _names(declaration.of_kind("abroad_year", "emigration"), r)):
            yield _d(CONCEALMENT, "abroad_year",
                     f"The {who} has lived in {r.residence_country} since {r.abroad_since:%Y-%m-%d}, a year or "
                     "more by the end of the year; the report does not list it.", off, ev)
        if (r.relationship == "child" and r.married_to_foreigner
                and not _names(declaration.of_kind("child_foreign_marriage"), r)):
            yield _d(CONCEALMENT, "child_foreign_marriage",
                     f"The child {r.relative_id} is married to a foreign national or a Hong Kong, Macau or "
                     "Taiwan resident; the report does not list the marriage.", off, ev)
        if r.activity in ("work", "business"):
            jobs = [i for i in declaration.of_kind("relative_job") if i.relative_id == r.relative_id]
            if not jobs:
                where = "" if r.residence_country == HOME else f" in {r.residence_country}"
                yield _d(CONCEALMENT, "relative_job",
                         f"The {who} is recorded in {r.activity}{where}; the report does not list the job.", off, ev)


def _documents(declaration: DeclarationRecord, holdings: Holdings) -> Iterator[DiscrepancyRecord]:
    start, end = date(declaration.year, 1, 1), _end(declaration.year)
    declared = {(i.kind, i.number.strip().upper()) for i in declaration.items if i.number}
    for d in holdings.documents:
        kind = DOCUMENT_ITEM.get(d.doc_type)
        if kind is None or (d.issue_date and d.issue_date > end) or (d.expiry_date and d.expiry_date < start):
            continue
        if (kind, d.number.upper()) in declared:
            continue
        klass = OMISSION if kind == "permit_hk_macau" else CONCEALMENT
        yield _d(klass, kind, f"The official holds {d.label}; the report does not list it.",
                 f"official:{holdings.official_id}", f"document:{d.document_id}", number=d.number)


def _trips(declaration: DeclarationRecord, holdings: Holdings) -> Iterator[DiscrepancyRecord]:
    trips = declaration.of_kind("private_trip", "hkmt_trip")
    for j in private_journeys(holdings.journeys, declaration.year):
        if trip_declared(j, trips):
            continue
        kind = "hkmt_trip" if j.exit_country in HKMT else "private_trip"
        how = "on a private trip" if j.trip_id else "with no approved trip"
        yield _d(CONCEALMENT, kind,
                 f"Left through {j.exit_port} on {j.exit_date:%Y-%m-%d} for {j.exit_country} {how}; the report "
                 "lists no trip then.", f"official:{holdings.official_id}", f"crossing:{j.exit_event_id}",
                 exit_date=j.exit_date.isoformat())


def _real_estate(declaration: DeclarationRecord, holdings: Holdings) -> Iterator[DiscrepancyRecord]:
    """Pair recorded properties with declared ones country by country, largest with largest; a property
    left over is unreported (concealment), a declared area short of the record's is an omission."""
    off = f"official:{holdings.official_id}"
    for kind in ("real_estate", "parking_space"):
        recorded: dict[str, list[AssetRecord]] = defaultdict(list)
        for a in holdings.assets:
            if a.kind == kind and (a.acquired_on is None or a.acquired_on <= _end(declaration.year)):
                recorded[a.country].append(a)
        for country, assets in sorted(recorded.items()):
            items = [i for i in declaration.of_kind(kind) if (i.country or HOME) == country]
            assets.sort(key=lambda a: (-(a.area or 0), a.asset_id))
            items.sort(key=lambda i: -(i.area or 0))
            for n, asset in enumerate(assets):
                ev = f"asset:{asset.asset_id}"
                label = f"{ITEM_LABELS[kind]} {asset.asset_id} in {country}" + (
                    f" ({asset.area} m²)" if asset.area is not None else "")
                if n >= len(items):
                    klass = CONCEALMENT if kind == "real_estate" else OMISSION
                    yield _d(klass, kind, f"The records show {label}; the report does not list it.", off, ev)
                    continue
                declared = items[n].area
                if asset.area is not None and declared is not None and declared < asset.area - AREA_TOLERANCE:
                    yield _d(OMISSION, kind, f"The report gives {declared} m² for {label}.", off, ev,
                             declared=str(declared), recorded=str(asset.area))


def _amounts(declaration: DeclarationRecord, holdings: Holdings) -> Iterator[DiscrepancyRecord]:
    """Securities, business investments and deposits abroad: each kind must be reported, in full."""
    off = f"official:{holdings.official_id}"
    groups: dict[tuple[str, str], list[AssetRecord]] = defaultdict(list)
    for a in holdings.assets:
        if a.acquired_on is not None and a.acquired_on > _end(declaration.year):
            continue
        kind = ASSET_ITEM.get(a.kind) if a.kind in ("securities", "business") else (
            "foreign_deposit" if a.kind == "deposit" and a.abroad else None)
        if kind is not None:
            groups[(kind, a.currency)].append(a)
    for (kind, currency), assets in sorted(groups.items()):
        evidence = [f"asset:{a.asset_id}" for a in sorted(assets, key=lambda a: a.asset_id)]
        recorded = sum((a.value for a in assets), Decimal(0))
        items = declaration.of_kind(kind)
        if not items and kind != "foreign_deposit":
            yield _d(CONCEALMENT, kind, f"The records show {ITEM_LABELS[kind]} worth {recorded} {currency}; the "
                     "report lists none.", off, *evidence, recorded=str(recorded))
            continue
        declared = sum((i.amount or Decimal(0) for i in items if (i.currency or CURRENCY) == currency), Decimal(0))
        if declared < recorded * (1 - AMOUNT_TOLERANCE):
            yield _d(OMISSION, kind, f"The report gives {declared} {currency} of {ITEM_LABELS[kind]}; the records "
                     f"show {recorded} {currency}.", off, *evidence, declared=str(declared), recorded=str(recorded))


def find_discrepancies(declaration: DeclarationRecord, holdings: Holdings) -> list[DiscrepancyRecord]:
    """Every gap between the declaration and the records, classified as concealment or omission."""
    found = [*_family(declaration, holdings), *_documents(declaration, holdings), *_trips(declaration, holdings),
             *_real_estate(declaration, holdings), *_amounts(declaration, holdings)]
    return [DiscrepancyRecord(klass=d.klass, item_kind=d.item_kind, text=d.text, evidence=d.evidence,
                              official_id=declaration.official_id, year=declaration.year,
                              declaration_id=declaration.declaration_id, details=d.details) for d in found]


# --- rules ------------------------------------------------------------------------------------------


def _annual(declarations: Iterable[DeclarationRecord]) -> dict[tuple[str, int], DeclarationRecord]:
    """The annual report in force per (official, year): the latest version."""
    out: dict[tuple[str, int], DeclarationRecord] = {}
    for d in declarations:
        if d.kind == "annual":
            key = (d.official_id, d.year)
            if key not in out or d.version > out[key].version:
                out[key] = d
    return out


def _first_submitted(declarations: Iterable[DeclarationRecord]) -> dict[tuple[str, int], date]:
    out: dict[tuple[str, int], date] = {}
    for d in declarations:
        if d.kind == "annual":
            key = (d.official_id, d.year)
            out[key] = min(out.get(key, d.submitted_on), d.submitted_on)
    return out


def due_date(year: int) -> date:
    """The annual report for ``year`` is due by 31 January of the following year."""
    return date(year + 1, 1, 31)


@rule("declaration.late", severity=Severity.MEDIUM, basis=REPORT_BASIS, inputs=("officials", "declarations"),
      years=1, event_days=30)
def late(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """The annual report for a year not submitted by 31 January of the following year, for an active official
    (or one under investigation) covered during that year; the last ``years`` years whose deadline has passed
    are checked (default 1). A report that came in late resolves the finding, which is still raised if nobody
    saw it yet. Also a reportable event reported more than ``event_days`` days (default 30) after it happened
    (the event's date is the item's ``from`` date).
    """
    submitted = _first_submitted(inputs["declarations"])
    last_due = ctx.as_of.year - 1 if ctx.as_of > due_date(ctx.as_of.year - 1) else ctx.as_of.year - 2
    years = range(last_due - int(ctx.params["years"]) + 1, last_due + 1)
    for o in inputs["officials"]:
        if o.status not in ("active", "under_investigation"):
            continue
        for year in years:
            if o.covered_since > _end(year):
                continue
            on = submitted.get((o.official_id, year))
            if on is not None and on <= due_date(year):
                continue
            text = (f"The personal-matters report for {year} was due by {due_date(year):%Y-%m-%d}; "
                    + (f"it came in on {on:%Y-%m-%d}." if on else "none has been submitted."))
            yield Finding(
                code="declaration.late", severity=Severity.MEDIUM, official_id=o.official_id, text=text,
                basis=REPORT_BASIS, dedupe_key=f"declaration.late:{o.official_id}:{year}",
                evidence=(f"official:{o.official_id}",), details={"year": year, "submitted_on": str(on or "")},
                resolution=f"Submitted on {on:%Y-%m-%d}." if on else "",
            )
    limit = int(ctx.params["event_days"])
    for d in inputs["declarations"]:
        if d.kind != "event":
            continue
        for item in d.items:
            if item.from_date is not None and (d.submitted_on - item.from_date).days > limit:
                days = (d.submitted_on - item.from_date).days
                yield Finding(
                    code="declaration.late", severity=Severity.MEDIUM, official_id=d.official_id,
                    text=(f"The {ITEM_LABELS.get(item.kind, item.kind)} of {item.from_date:%Y-%m-%d} was reported on "
                          f"{d.submitted_on:%Y-%m-%d}, {days} days later; events are reported within {limit} days."),
                    basis=REPORT_BASIS,
                    dedupe_key=f"declaration.late:{d.official_id}:event:{item.kind}:{item.from_date:%Y-%m-%d}",
                    evidence=(f"official:{d.official_id}", f"declaration:{d.declaration_id}"),
                    details={"event_date": item.from_date.isoformat(), "days": days},
                )


@rule("declaration.undeclared_trip", severity=Severity.HIGH, basis=TRIP_BASIS,
      inputs=("journeys", "declarations"))
def undeclared_trip(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """A private trip (an exit on a private trip, or on no approved trip) in a year whose annual report has
    been submitted and lists no trip then. Concealment class: an unreported trip. A flag for review."""
    reports = _annual(inputs["declarations"])
    by_official: dict[str, list[JourneyRecord]] = defaultdict(list)
    for j in inputs["journeys"]:
        if j.exit_date <= ctx.as_of:
            by_official[j.official_id].append(j)
    for (official_id, year), report in sorted(reports.items()):
        trips = report.of_kind("private_trip", "hkmt_trip")
        for j in private_journeys(by_official.get(official_id, ()), year):
            if trip_declared(j, trips):
                continue
            yield Finding(
                code="declaration.undeclared_trip", severity=Severity.HIGH, official_id=official_id,
                text=(f"Left through {j.exit_port} on {j.exit_date:%Y-%m-%d} for {j.exit_country}; the personal-matters "
                      f"report for {year} lists no trip then. A flag for review, not a verdict."),
                basis=TRIP_BASIS, dedupe_key=f"declaration.undeclared_trip:{j.exit_event_id}",
                evidence=(f"official:{official_id}", f"crossing:{j.exit_event_id}",
                          f"declaration:{report.declaration_id}"),
                details={"year": year, "exit_date": j.exit_date.isoformat()},
            )


def _verification_findings(code: str, klass: str, severity: Severity,
                           inputs: Mapping[str, Any]) -> Iterator[Finding]:
    for d in inputs["declaration_discrepancies"]:
        if d.klass != klass:
            continue
        yield Finding(
            code=code, severity=severity, official_id=d.official_id,
            text=(f"Verification of the {d.year} report ({klass}, {ITEM_LABELS.get(d.item_kind, d.item_kind)}): "
                  f"{d.text} Evidence: {', '.join(d.evidence)}."),
            basis=VERIFICATION_BASIS, dedupe_key=f"{code}:{d.key}",
            evidence=(*d.evidence, f"declaration:{d.declaration_id}",
                      *((f"verification:{d.verification_id}",) if d.verification_id else ())),
            details={"year": d.year, "item": d.item_kind, **d.details},
        )


@rule("declaration.concealment", severity=Severity.HIGH, basis=VERIFICATION_BASIS,
      inputs=("declaration_discrepancies",))
def concealment(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """A completed verification found an unreported item of the concealment class: a passport or trip, a child
    married to a foreigner, emigration or a year abroad, a relative's job, a property, securities, a business
    investment. One finding per discrepancy, naming the item and the records it rests on."""
    yield from _verification_findings("declaration.concealment", CONCEALMENT, Severity.HIGH, inputs)


@rule("declaration.omission", severity=Severity.MEDIUM, basis=VERIFICATION_BASIS,
      inputs=("declaration_discrepancies",))
def omission(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """A completed verification found an item of the omission class: an under-reported area or amount, an
    unreported parking space, an unreported Hong Kong and Macau permit. One finding per discrepancy."""
    yield from _verification_findings("declaration.omission", OMISSION, Severity.MEDIUM, inputs)


def _cny(assets: Iterable[AssetRecord]) -> Decimal:
    return sum((a.value for a in assets if a.currency == CURRENCY), Decimal(0))


@rule("declaration.unexplained_wealth", severity=Severity.HIGH, basis=WEALTH_BASIS,
      inputs=("declarations", "assets"), assets_factor=10, spending_factor=3)
def unexplained_wealth(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """Monetary assets (deposits and securities held by the official or a relative, acquired by the end of the
    year) of at least ``assets_factor`` (default 10) times the income declared for the year; or spending in the
    year of at least ``spending_factor`` (default 3) times that income plus those monetary assets. Spending comes
    in as an asset row of kind ``other`` with source ``spending`` acquired in the year. Amounts are in CNY;
    other currencies are not converted and are left out. Years without a declared income are not weighed.
    """
    by_official: dict[str, list[AssetRecord]] = defaultdict(list)
    for a in inputs["assets"]:
        by_official[a.official_id].append(a)
    k_assets, k_spend = Decimal(ctx.params["assets_factor"]), Decimal(ctx.params["spending_factor"])
    for (official_id, year), report in sorted(_annual(inputs["declarations"]).items()):
        income = report.income
        if not income:
            continue
        held = [a for a in by_official.get(official_id, ()) if a.acquired_on is None or a.acquired_on <= _end(year)]
        monetary_assets = [a for a in held if a.kind in MONETARY]
        spent_rows = [a for a in held if a.spending and a.acquired_on is not None and a.acquired_on.year == year]
        monetary, spending = _cny(monetary_assets), _cny(spent_rows)
        reasons, evidence = [], [f"official:{official_id}", f"declaration:{report.declaration_id}"]
        if monetary >= k_assets * income:
            reasons.append(f"deposits and securities of {monetary} CNY are {monetary / income:.1f} times the "
                           f"declared income of {income} CNY (threshold {k_assets}×)")
            evidence += [f"asset:{a.asset_id}" for a in monetary_assets if a.currency == CURRENCY]
        if spending and spending >= k_spend * income + monetary:
            reasons.append(f"spending of {spending} CNY is at least {k_spend} times the income plus those assets")
            evidence += [f"asset:{a.asset_id}" for a in spent_rows if a.currency == CURRENCY]
        if reasons:
            yield Finding(
                code="declaration.unexplained_wealth", severity=Severity.HIGH, official_id=official_id,
                text=f"In {year}: {'; '.join(reasons)}. A flag for review, not a verdict.", basis=WEALTH_BASIS,
                dedupe_key=f"declaration.unexplained_wealth:{official_id}:{year}", evidence=tuple(evidence),
                details={"year": year, "income": str(income), "monetary": str(monetary), "spending": str(spending)},
            )


@rule("declaration.foreign_asset", severity=Severity.MEDIUM, basis=FOREIGN_BASIS, inputs=("assets",))
def foreign_asset(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """Property, deposits, securities or a business abroad (outside the mainland: Hong Kong, Macau and Taiwan
    count as abroad) held by the official or a relative. Medium; high for officials of ministerial rank and above.
    """
    for a in inputs["assets"]:
        if not a.abroad or a.spending:
            continue
        high = a.official_rank in HIGH_RANKS
        holder = f"the relative {a.holder_relative_id}" if a.holder_relative_id else "the official"
        kind = a.kind.replace("_", " ")
        evidence = [f"official:{a.official_id}", f"asset:{a.asset_id}"]
        if a.holder_relative_id:
            evidence.append(f"relative:{a.holder_relative_id}")
        yield Finding(
            code="declaration.foreign_asset", severity=Severity.HIGH if high else Severity.MEDIUM,
            official_id=a.official_id,
            text=(f"{holder[0].upper()}{holder[1:]} holds {kind} in {a.country} worth {a.value} {a.currency} "
                  f"(asset {a.asset_id})" + (f", and the official is of {a.official_rank} rank." if high else ".")),
            basis=FOREIGN_BASIS, dedupe_key=f"declaration.foreign_asset:{a.asset_id}", evidence=tuple(evidence),
            details={"country": a.country, "kind": a.kind, "value": str(a.value), "currency": a.currency},
        )


@rule("declaration.undeclared_foreign_marriage", severity=Severity.HIGH, basis=MARRIAGE_BASIS,
      inputs=("declaration_relatives", "declarations"))
def undeclared_foreign_marriage(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """A child married to a foreign national or a Hong Kong, Macau or Taiwan resident, whom the official's
    latest submitted annual report does not list as such (officials with no report yet are left to
    ``declaration.late``)."""
    latest: dict[str, DeclarationRecord] = {}
    for (official_id, _year), annual in sorted(_annual(inputs["declarations"]).items()):
        latest[official_id] = annual
    for r in inputs["declaration_relatives"]:
        report = latest.get(r.official_id)
        if r.relationship != "child" or not r.married_to_foreigner or report is None:
            continue
        if _names(report.of_kind("child_foreign_marriage"), r):
            continue
        yield Finding(
            code="declaration.undeclared_foreign_marriage", severity=Severity.HIGH, official_id=r.official_id,
            text=(f"The child {r.relative_id} is recorded as married to a foreign national or a Hong Kong, Macau or "
                  f"Taiwan resident; the personal-matters report for {report.year} does not list it. "
                  "A flag for review, not a verdict."),
            basis=MARRIAGE_BASIS, dedupe_key=f"declaration.undeclared_foreign_marriage:{r.relative_id}",
            evidence=(f"official:{r.official_id}", f"relative:{r.relative_id}",
                      f"declaration:{report.declaration_id}"),
            details={"year": report.year},
        )


DECLARATION_RULES = (late, undeclared_trip, concealment, omission, unexplained_wealth, foreign_asset,
                     undeclared_foreign_marriage)
