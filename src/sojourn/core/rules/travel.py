"""Rules over border crossings: who left without approval, off the itinerary, on which document,
and who has not come back.

The batch engine pairs each exit of a covered official with the next entry and the approved trip
that covers it (a ``JourneyRecord``) and notes, per crossing, how it was matched and what was
known of its document that day (a ``CrossingRecord``). All dates are local calendar dates in
``SOJOURN_TIME_ZONE``. An entry dated after the evaluation date is treated as not yet made, so
a report or a re-run "as of" an earlier date sees what was known then.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sojourn.core.rules import identity
from sojourn.core.rules.custody import DOC_TYPE_LABELS
from sojourn.core.rules.model import Context, Finding, Severity, rule

APPROVAL_BASIS = (
    "Filing notice of 2003 (公通字[2003]13号); approval rules for private travel (国信党〔2016〕11号); "
    "SEAD 3 pre-approval of unofficial foreign travel."
)
DOCUMENT_BASIS = "Document custody rules; 1990 notice on multiple passports (国办发〔1990〕46号)."
RETURN_BASIS = (
    "Approved return dates of private travel; origin report of officials who did not return after the "
    "2012 holidays (status \"missing\")."
)
ITINERARY_BASIS = (
    "One application per trip with a fixed itinerary (2016 rules); SEAD 3: deviations reported within "
    "5 business days."
)
SLTD_BASIS = "INTERPOL SLTD practice: a lost, stolen or cancelled document must not be used to travel."


@dataclass(frozen=True)
class CrossingRecord:
    event_id: str
    official_id: str
    local_date: date
    direction: str
    port: str
    country: str
    doc_type: str
    doc_issuer: str
    doc_number: str
    matched_by: str  # document | id_number | name
    document_id: str = ""  # the registry's document, when the crossing was matched by it
    in_custody: bool = False
    lost_used: bool = False

    @property
    def doc_label(self) -> str:
        kind = DOC_TYPE_LABELS.get(self.doc_type, self.doc_type.replace("_", " "))
        return f"{kind} {self.doc_issuer} {self.doc_number}"


@dataclass(frozen=True)
class JourneyRecord:
    exit_event_id: str
    official_id: str
    exit_date: date
    exit_country: str
    exit_port: str
    entry_event_id: str = ""
    entry_date: date | None = None
    entry_country: str = ""
    entry_port: str = ""
    trip_id: str = ""
    purpose: str = ""
    depart_date: date | None = None
    return_date: date | None = None
    destinations: tuple[str, ...] = ()
    coverage: str = "none"  # covered | early | none

    def entry_by(self, as_of: date) -> date | None:
        """The entry date if the entry had happened by ``as_of``."""
        return self.entry_date if self.entry_date is not None and self.entry_date <= as_of else None

    @property
    def trip_text(self) -> str:
        dates = " to ".join(f"{d:%Y-%m-%d}" for d in (self.depart_date, self.return_date) if d is not None)
        return f"trip {self.trip_id} ({'; '.join(self.destinations)}, {dates})"


def _evidence(official_id: str, *events: str, trip: str = "") -> tuple[str, ...]:
    items = [f"official:{official_id}", *(f"crossing:{e}" for e in events if e)]
    if trip:
        items.append(f"trip:{trip}")
    return tuple(items)


def _journeys(inputs: Mapping[str, Any], as_of: date) -> Iterator[JourneyRecord]:
    """Journeys whose exit had happened by the evaluation date."""
    for journey in inputs["journeys"]:
        if journey.exit_date <= as_of:
            yield journey


@rule("travel.exit_unapproved", severity=Severity.CRITICAL, basis=APPROVAL_BASIS, inputs=("journeys",))
def exit_unapproved(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """An exit crossing by a covered official that no approved trip covers (nor one it left a few days early for)."""
    for j in _journeys(inputs, ctx.as_of):
        if j.coverage != "none":
            continue
        back = j.entry_by(ctx.as_of)
        after = f" Came back on {back:%Y-%m-%d}." if back else " No entry crossing recorded since."
        yield Finding(
            code="travel.exit_unapproved", severity=Severity.CRITICAL, official_id=j.official_id,
            text=(f"Left through {j.exit_port} on {j.exit_date:%Y-%m-%d} for {j.exit_country}; no approved trip "
                  f"covers that date.{after}"),
            basis=APPROVAL_BASIS, dedupe_key=f"travel.exit_unapproved:{j.exit_event_id}",
            evidence=_evidence(j.official_id, j.exit_event_id, j.entry_event_id if back else ""),
            details={"exit_date": j.exit_date.isoformat(), "port": j.exit_port, "country": j.exit_country},
        )


@rule("travel.itinerary_deviation", severity=Severity.MEDIUM, basis=ITINERARY_BASIS, inputs=("journeys",))
def itinerary_deviation(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """Crossings outside the approved itinerary: leaving before the approved departure (within the deviation
    window; earlier than that is an unapproved exit), going to or coming back from a country the trip does not
    list."""
    for j in _journeys(inputs, ctx.as_of):
        if j.coverage == "none" or j.depart_date is None:
            continue
        found: list[tuple[str, str, str]] = []
        if j.coverage == "early":
            days = (j.depart_date - j.exit_date).days
            found.append(("early", f"Left on {j.exit_date:%Y-%m-%d}, {days} day{'s' if days != 1 else ''} before "
                                   f"the approved departure of {j.trip_text}.", j.exit_event_id))
        if j.exit_country not in j.destinations:
            found.append(("exit-country", f"Left through {j.exit_port} on {j.exit_date:%Y-%m-%d} for "
                                          f"{j.exit_country}, which {j.trip_text} does not list.", j.exit_event_id))
        back = j.entry_by(ctx.as_of)
        if back and j.entry_country and j.entry_country not in j.destinations:
            found.append(("entry-country", f"Came back on {back:%Y-%m-%d} from {j.entry_country}, which "
                                           f"{j.trip_text} does not list.", j.entry_event_id))
        for kind, text, event in found:
            yield Finding(
                code="travel.itinerary_deviation", severity=Severity.MEDIUM, official_id=j.official_id, text=text,
                basis=ITINERARY_BASIS, dedupe_key=f"travel.itinerary_deviation:{j.exit_event_id}:{kind}",
                evidence=_evidence(j.official_id, event, trip=j.trip_id), details={"kind": kind},
            )


@rule("travel.return_overdue", severity=Severity.HIGH, basis=RETURN_BASIS, inputs=("journeys",), grace_days=1)
def return_overdue(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """No entry crossing by the approved return date plus ``grace_days`` (default 1).

    While the traveller is abroad the finding is open; when the entry arrives it is resolved with a
    journal entry saying when they came back. A late return seen for the first time is still raised.
    """
    grace = int(ctx.params["grace_days"])
    for j in _journeys(inputs, ctx.as_of):
        if j.return_date is None:
            continue
        due = j.return_date + timedelta(days=grace)
        back = j.entry_by(ctx.as_of)
        key = f"travel.return_overdue:{j.exit_event_id}"
        evidence = _evidence(j.official_id, j.exit_event_id, j.entry_event_id if back else "", trip=j.trip_id)
        if back is not None:
            late = (back - j.return_date).days
            if back <= due:
                # Came back in time; a finding raised before the entry arrived is closed.
                yield Finding(
                    code="travel.return_overdue", severity=Severity.HIGH, official_id=j.official_id,
                    text=f"Came back on {back:%Y-%m-%d}, within the approved dates of {j.trip_text}.",
                    basis=RETURN_BASIS, dedupe_key=key, evidence=evidence,
                    resolution=f"Entry crossing on {back:%Y-%m-%d} recorded; back in time.", raise_if_new=False,
                )
                continue
            yield Finding(
                code="travel.return_overdue", severity=Severity.HIGH, official_id=j.official_id,
                text=(f"Came back on {back:%Y-%m-%d}, {late} days after the approved return date "
                      f"{j.return_date:%Y-%m-%d} of {j.trip_text}."),
                basis=RETURN_BASIS, dedupe_key=key, evidence=evidence,
                details={"return_date": j.return_date.isoformat(), "entry_date": back.isoformat(), "days_late": late},
                resolution=f"Came back on {back:%Y-%m-%d}, {late} days after the approved return date.",
            )
        elif ctx.as_of > due:
            days = (ctx.as_of - j.return_date).days
            yield Finding(
                code="travel.return_overdue", severity=Severity.HIGH, official_id=j.official_id,
                text=(f"Left on {j.exit_date:%Y-%m-%d} through {j.exit_port}; still abroad {days} days after the "
                      f"approved return date {j.return_date:%Y-%m-%d} of {j.trip_text}: no entry crossing recorded."),
                basis=RETURN_BASIS, dedupe_key=key, evidence=evidence,
                details={"return_date": j.return_date.isoformat(), "days_overdue": days},
            )


@rule("travel.missing", severity=Severity.CRITICAL, basis=RETURN_BASIS, inputs=("journeys",), missing_days=30)
def missing(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """Still abroad ``missing_days`` (default 30) after the approved return date: listed as missing.

    A status for follow-up, not a conclusion about why; resolved when an entry crossing arrives.
    """
    limit = int(ctx.params["missing_days"])
    for j in _journeys(inputs, ctx.as_of):
        if j.return_date is None:
            continue
        back = j.entry_by(ctx.as_of)
        key = f"travel.missing:{j.exit_event_id}"
        evidence = _evidence(j.official_id, j.exit_event_id, trip=j.trip_id)
        if back is not None:
            yield Finding(
                code="travel.missing", severity=Severity.CRITICAL, official_id=j.official_id,
                text=f"Came back on {back:%Y-%m-%d}.", basis=RETURN_BASIS, dedupe_key=key, evidence=evidence,
                resolution=f"Entry crossing on {back:%Y-%m-%d} recorded; no longer missing.", raise_if_new=False,
            )
        elif (ctx.as_of - j.return_date).days > limit:
            days = (ctx.as_of - j.return_date).days
            yield Finding(
                code="travel.missing", severity=Severity.CRITICAL, official_id=j.official_id,
                text=(f"Missing: left on {j.exit_date:%Y-%m-%d} through {j.exit_port} for {j.exit_country} and has "
                      f"not come back {days} days after the approved return date {j.return_date:%Y-%m-%d} "
                      f"({j.trip_text}). This is a status for follow-up, not a finding of why."),
                basis=RETURN_BASIS, dedupe_key=key, evidence=evidence,
                details={"return_date": j.return_date.isoformat(), "days_abroad_after_due": days},
            )


def _crossings(inputs: Mapping[str, Any], as_of: date) -> Iterator[CrossingRecord]:
    for crossing in inputs["travel_crossings"]:
        if crossing.local_date <= as_of:
            yield crossing


@rule("travel.undeclared_document", severity=Severity.CRITICAL, basis=DOCUMENT_BASIS,
      inputs=("travel_crossings",))
def undeclared_document(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """A crossing on a document the registry does not know for that official (one finding per document), or on
    one recorded as in custody that day (one finding per crossing). With the optional input ``linkage``
    (identity resolution), also a traveller on an unknown document linked to an official: one finding per
    official and document, naming the linked pairs and the crossings."""
    unknown: dict[tuple[str, str, str], list[CrossingRecord]] = defaultdict(list)
    for c in _crossings(inputs, ctx.as_of):
        if c.matched_by != "document":
            unknown[(c.official_id, c.doc_issuer, c.doc_number)].append(c)
        elif c.in_custody:
            yield Finding(
                code="travel.undeclared_document", severity=Severity.CRITICAL, official_id=c.official_id,
                text=(f"{c.direction.capitalize()} through {c.port} on {c.local_date:%Y-%m-%d} on {c.doc_label}, "
                      f"which the custody record shows held at the unit's document desk that day."),
                basis=DOCUMENT_BASIS, dedupe_key=f"travel.undeclared_document:custody:{c.event_id}",
                evidence=(*_evidence(c.official_id, c.event_id), f"document:{c.document_id}"),
                details={"kind": "in_custody", "document": c.doc_number},
            )
    for (official_id, issuer, number), seen in sorted(unknown.items()):
        seen.sort(key=lambda c: (c.local_date, c.event_id))
        first = seen[0]
        how = "identity number" if first.matched_by == "id_number" else "name, birth date and sex"
        yield Finding(
            code="travel.undeclared_document", severity=Severity.CRITICAL, official_id=official_id,
            text=(f"Crossed the border {len(seen)} time{'s' if len(seen) != 1 else ''} (first: {first.direction} "
                  f"through {first.port} on {first.local_date:%Y-%m-%d}) on {first.doc_label}, a document the "
                  f"registry does not know for this official; matched to the official by {how}."),
            basis=DOCUMENT_BASIS, dedupe_key=f"travel.undeclared_document:{official_id}:{issuer}:{number}",
            evidence=_evidence(official_id, *(c.event_id for c in seen)),
            details={"kind": "unknown_document", "document": number, "issuer": issuer, "matched_by": first.matched_by},
        )
    yield from identity.undeclared_documents(inputs, code="travel.undeclared_document", basis=DOCUMENT_BASIS)


@rule("document.lost_or_stolen_used", severity=Severity.CRITICAL, basis=SLTD_BASIS, inputs=("travel_crossings",))
def lost_or_stolen_used(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """A crossing on a document recorded as lost, stolen or cancelled by that date."""
    for c in _crossings(inputs, ctx.as_of):
        if c.lost_used:
            yield Finding(
                code="document.lost_or_stolen_used", severity=Severity.CRITICAL, official_id=c.official_id,
                text=(f"{c.direction.capitalize()} through {c.port} on {c.local_date:%Y-%m-%d} on {c.doc_label}, "
                      f"which was reported lost or cancelled before that date."),
                basis=SLTD_BASIS, dedupe_key=f"document.lost_or_stolen_used:crossing:{c.event_id}",
                evidence=(*_evidence(c.official_id, c.event_id), f"document:{c.document_id}"),
                details={"document": c.doc_number},
            )


def returns_by_trip(journeys: Sequence[JourneyRecord], as_of: date) -> dict[str, date]:
    """The date each trip's traveller came back (the last entry of the trip's journeys), by trip id."""
    back: dict[str, date] = {}
    for j in journeys:
        entry = j.entry_by(as_of)
        if j.trip_id and entry is not None:
            back[j.trip_id] = max(back.get(j.trip_id, entry), entry)
    return back


TRAVEL_RULES = (exit_unapproved, itinerary_deviation, return_overdue, missing, undeclared_document,
                lost_or_stolen_used)
