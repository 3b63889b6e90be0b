"""Rules on ties abroad: officials whose families have emigrated ("naked officials"), relatives settled
abroad, and the reminder to recuse from matters concerning the country where the family lives.

Inputs: ``officials`` (``OfficialRecord``), ``relatives`` (``RelativeRecord``: the registry's record of
each family member, where they live and on what status) and ``duties`` (``DutyRecord``: the countries
an official's duties concern, imported as ``sojourn import duties``). Only spouses and children count:
the 2010 and 2014 texts speak of an official's spouse and children.

"Emigrated" means a foreign nationality, or permanent or long-term residence abroad: residence status
``citizen``, ``permanent_resident`` or ``long_term_resident`` in a country other than China.
Permanent residents of Hong Kong and Macau count, as in the 2014 measures' practice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sojourn.core.rules.model import Context, Finding, Severity, rule
from sojourn.core.rules.registry import OfficialRecord

HOME = "CHN"
SPOUSE, CHILD = "spouse", "child"
SETTLED_STATUSES = frozenset({"citizen", "permanent_resident", "long_term_resident"})
STATUS_LABELS = {"citizen": "citizen", "permanent_resident": "permanent resident",
                 "long_term_resident": "long-term resident", "resident": "resident"}

NAKED_BASIS = (
    "2010 provisional rules on officials whose spouse and children have all emigrated; 2014 measures on "
    "the management of posts held by such officials."
)
RESTRICTED_BASIS = (
    "2014 measures on posts: an official whose spouse, or whose children all, have emigrated may not hold a "
    "restricted post (military, diplomatic, national security, classified, principal leader of a unit)."
)
SETTLED_BASIS = (
    "Personal-matters report rules (2017, revised 2023): a spouse or child living abroad for a year or more "
    "is a reportable item."
)
RECUSAL_BASIS = "2010 provisional rules: recusal from matters concerning the country where the family has settled."
STATUS_NOT_VIOLATION = "This is a status that the 2014 measures on posts act on, not a violation."


@dataclass(frozen=True)
class RelativeRecord:
    """A spouse, child or other relative as the ties rules see them."""

    relative_id: str
    official_id: str
    relationship: str
    nationality: str = HOME
    residence_country: str = HOME
    residence_status: str = "none"
    abroad_since: date | None = None
    emigrated_on: date | None = None

    @property
    def close(self) -> bool:
        """A spouse or a child: the family the rules on ties speak of."""
        return self.relationship in (SPOUSE, CHILD)

    @property
    def abroad(self) -> bool:
        return self.residence_country not in ("", HOME)

    @property
    def foreign_national(self) -> bool:
        return self.nationality not in ("", HOME)

    @property
    def emigrated(self) -> bool:
        """A foreign nationality, or permanent or long-term residence abroad."""
        return self.foreign_national or (self.abroad and self.residence_status in SETTLED_STATUSES)

    @property
    def emigration_date(self) -> date | None:
        """When the relative emigrated: ``emigrated_on``, else the day they went abroad, else unknown."""
        return self.emigrated_on or self.abroad_since

    def settled_abroad(self, as_of: date, days: int = 365) -> bool:
        """Abroad for ``days`` continuous days or more by ``as_of`` without having emigrated."""
        return (self.abroad and not self.emigrated and self.abroad_since is not None
                and self.abroad_since <= as_of - timedelta(days=days))

    def settled_countries(self, as_of: date, days: int = 365) -> frozenset[str]:
        """The countries where the relative has settled: emigrated to, or lived in for ``days`` or more."""
        if not (self.emigrated or self.settled_abroad(as_of, days)):
            return frozenset()
        countries = {self.residence_country} if self.abroad else set()
        if self.foreign_national:
            countries.add(self.nationality)
        return frozenset(countries)

    @property
    def status_phrase(self) -> str:
        parts = []
        if self.foreign_national:
            parts.append(f"a national of {self.nationality}")
        if self.abroad and self.residence_status in STATUS_LABELS and not (
                self.residence_status == "citizen" and self.foreign_national):
            parts.append(f"{STATUS_LABELS[self.residence_status]} of {self.residence_country}")
        elif self.abroad and not parts:
            parts.append(f"living in {self.residence_country}")
        if self.emigrated_on:
            parts.append(f"emigrated on {self.emigrated_on:%Y-%m-%d}")
        return ", ".join(parts)


@dataclass(frozen=True)
class DutyRecord:
    """The countries an official's duties concern, since a date."""

    official_id: str
    countries: tuple[str, ...]
    since: date | None = None


def naked_basis(relatives: Iterable[RelativeRecord]) -> tuple[RelativeRecord, ...]:
    """The relatives that make an official "naked", or ``()`` when the official is not.

    Naked: a spouse has emigrated (the emigrated spouses are returned), or there is no spouse, at
    least one child, and every child has emigrated (all children are returned). An official with
    no recorded spouse or child is not naked.
    """
    spouses, children = [], []
    for rel in relatives:
        if rel.relationship == SPOUSE:
            spouses.append(rel)
        elif rel.relationship == CHILD:
            children.append(rel)
    if spouses:
        return tuple(r for r in spouses if r.emigrated)
    if children and all(r.emigrated for r in children):
        return tuple(children)
    return ()


def family_emigrated_on(basis: Sequence[RelativeRecord]) -> date | None:
    """When the official became naked: the latest emigration date of the relatives that make them so
    (``None`` when any of those dates is unknown)."""
    dates = [r.emigration_date for r in basis]
    if not dates or any(d is None for d in dates):
        return None
    return max(d for d in dates if d is not None)


def by_official(relatives: Iterable[RelativeRecord]) -> dict[str, list[RelativeRecord]]:
    grouped: dict[str, list[RelativeRecord]] = defaultdict(list)
    for rel in relatives:
        grouped[rel.official_id].append(rel)
    return grouped


def _describe(basis: Sequence[RelativeRecord]) -> str:
    if basis[0].relationship == SPOUSE:
        return "; ".join(f"spouse {r.relative_id} has emigrated ({r.status_phrase})" for r in basis)
    listed = "; ".join(f"{r.relative_id} ({r.status_phrase})" for r in basis)
    return f"there is no spouse on record and all {len(basis)} children have emigrated: {listed}"


def _naked(inputs: Mapping[str, Any]) -> Iterator[tuple[OfficialRecord, tuple[RelativeRecord, ...]]]:
    grouped = by_official(inputs["relatives"])
    officials: Sequence[OfficialRecord] = inputs["officials"]
    for off in officials:
        basis = naked_basis(grouped.get(off.official_id, ()))
        if basis:
            yield off, basis


def _details(basis: Sequence[RelativeRecord]) -> dict[str, Any]:
    since = family_emigrated_on(basis)
    return {"relatives": [r.relative_id for r in basis], "via": basis[0].relationship,
            "family_emigrated_on": since.isoformat() if since else None}


@rule("ties.naked_official", severity=Severity.HIGH, basis=NAKED_BASIS, inputs=("officials", "relatives"))
def naked_official(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """An official whose spouse has emigrated, or who has no spouse on record, at least one child, and
    every child emigrated ("emigrated": a foreign nationality, or permanent or long-term residence
    abroad). An official with no recorded spouse or child is not flagged. The finding records a
    status that the 2014 measures on posts act on; it is not a violation.
    """
    for off, basis in _naked(inputs):
        yield Finding(
            code="ties.naked_official", severity=Severity.HIGH, official_id=off.official_id,
            text=f"The official's family has emigrated: {_describe(basis)}. {STATUS_NOT_VIOLATION}",
            basis=NAKED_BASIS, dedupe_key=f"ties.naked_official:{off.official_id}",
            evidence=(f"official:{off.official_id}", *(f"relative:{r.relative_id}" for r in basis)),
            details=_details(basis),
        )


@rule("ties.restricted_post", severity=Severity.CRITICAL, basis=RESTRICTED_BASIS,
      inputs=("officials", "relatives"))
def restricted_post(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """An official whose family has emigrated (as ``ties.naked_official``) and who holds a restricted
    post: military, diplomatic, national security, classified work, or principal leader of a unit.
    The 2014 measures call for the post to be reviewed; the finding does not move anyone by itself.
    """
    for off, basis in _naked(inputs):
        if not off.restricted_post:
            continue
        post = f" '{off.post}'" if off.post else ""
        yield Finding(
            code="ties.restricted_post", severity=Severity.CRITICAL, official_id=off.official_id,
            text=(f"The official holds the restricted post{post} while the family has emigrated: "
                  f"{_describe(basis)}. Under the 2014 measures the post is to be reviewed."),
            basis=RESTRICTED_BASIS, dedupe_key=f"ties.restricted_post:{off.official_id}",
            evidence=(f"official:{off.official_id}", *(f"relative:{r.relative_id}" for r in basis)),
            details={**_details(basis), "post": off.post},
        )


@rule("ties.relative_settled_abroad", severity=Severity.MEDIUM, basis=SETTLED_BASIS, inputs=("relatives",),
      days=365)
def relative_settled_abroad(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """A spouse or child who has lived abroad for ``days`` continuous days or more (default 365: abroad
    since the evaluation date minus 365 days or earlier) without having emigrated. An item the
    annual personal-matters report must carry.
    """
    days = int(ctx.params["days"])
    relatives: Sequence[RelativeRecord] = inputs["relatives"]
    for rel in relatives:
        if not rel.close or not rel.settled_abroad(ctx.as_of, days) or rel.abroad_since is None:
            continue
        held = (ctx.as_of - rel.abroad_since).days
        yield Finding(
            code="ties.relative_settled_abroad", severity=Severity.MEDIUM, official_id=rel.official_id,
            text=(f"The official's {rel.relationship} {rel.relative_id} has lived in {rel.residence_country} "
                  f"since {rel.abroad_since:%Y-%m-%d} ({held} days) without having emigrated; a relative "
                  "living abroad for a year or more is an item of the annual personal-matters report."),
            basis=SETTLED_BASIS, dedupe_key=f"ties.relative_settled_abroad:{rel.official_id}:{rel.relative_id}",
            evidence=(f"official:{rel.official_id}", f"relative:{rel.relative_id}"),
            details={"relative": rel.relative_id, "country": rel.residence_country,
                     "abroad_since": rel.abroad_since.isoformat(), "days_abroad": held},
        )


@rule("ties.recusal_reminder", severity=Severity.INFO, basis=RECUSAL_BASIS, inputs=("relatives", "duties"),
      days=365)
def recusal_reminder(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """The official's duties (as imported with ``sojourn import duties``, from their ``since`` date on)
    concern a country where a spouse or child has settled: emigrated there, or lived there for ``days``
    days or more (default 365). A reminder to recuse from those matters, one per official and country.
    """
    days = int(ctx.params["days"])
    grouped = by_official(r for r in inputs["relatives"] if r.close)
    duties: Sequence[DutyRecord] = inputs["duties"]
    for duty in duties:
        if duty.since is not None and duty.since > ctx.as_of:
            continue
        family = grouped.get(duty.official_id, ())
        for country in sorted(set(duty.countries)):
            there = [r for r in family if country in r.settled_countries(ctx.as_of, days)]
            if not there:
                continue
            named = ", ".join(f"{r.relationship} {r.relative_id}" for r in there)
            yield Finding(
                code="ties.recusal_reminder", severity=Severity.INFO, official_id=duty.official_id,
                text=(f"The official's duties concern {country}, where the family has settled ({named}). "
                      f"A reminder to recuse from matters concerning {country}; not a finding of fault."),
                basis=RECUSAL_BASIS, dedupe_key=f"ties.recusal_reminder:{duty.official_id}:{country}",
                evidence=(f"official:{duty.official_id}", f"duties:{duty.official_id}",
                          *(f"relative:{r.relative_id}" for r in there)),
                details={"country": country, "relatives": [r.relative_id for r in there],
                         "duties_since": duty.since.isoformat() if duty.since else None},
            )


TIES_RULES = (naked_official, restricted_post, relative_settled_abroad, recusal_reminder)
