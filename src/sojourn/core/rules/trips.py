"""Rules on trip requests themselves, before any crossing: too many or too long, and requests by listed persons.

Both read plain ``TripRecord`` values; ``travel.request_on_watchlist`` also reads what the
screening of the requesting official found when the request was submitted
(``trip_screenings``: trip id → ``TripScreeningHit`` tuple). Crossing-based travel rules
live in ``sojourn.core.rules.travel``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sojourn.core.rules.model import Context, Finding, Severity, rule

EXCESSIVE_BASIS = "Local caps on the number and length of private trips abroad."
WATCHLIST_BASIS = (
    "No approval for persons suspected of serious violations (国信党〔2016〕11号); origin report's order 4."
)
# Requests that still count: a rejected or withdrawn request is no trip.
LIVE_STATUSES = frozenset({"pending", "on_hold", "approved"})
UNDECIDED_STATUSES = frozenset({"pending", "on_hold"})
HOLD = "hold"


@dataclass(frozen=True)
class TripRecord:
    """A trip request as the rules see it; dates are local calendar dates, both days included."""

    trip_id: str
    official_id: str
    purpose: str
    destinations: tuple[str, ...]
    depart_date: date
    return_date: date
    status: str

    @property
    def days(self) -> int:
        """The trip's length in days, the day of departure and the day of return both counted."""
        return (self.return_date - self.depart_date).days + 1

    @property
    def label(self) -> str:
        where = ", ".join(self.destinations) or "?"
        return f"trip {self.trip_id} to {where}, {self.depart_date:%Y-%m-%d}–{self.return_date:%Y-%m-%d}"


class TripScreeningHit(NamedTuple):
    """A list entry the requesting official matched when the request was screened."""

    entry_id: str
    list_name: str
    score: float
    action: str


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def private_trip_ranks(trips: Sequence[TripRecord]) -> dict[str, tuple[int, tuple[str, ...]]]:
    """For each live private trip: its rank among the official's live private trips departing in the
    same calendar year (by departure date, then trip id), and the ids of those ranked before it."""
    by_year: dict[tuple[str, int], list[TripRecord]] = defaultdict(list)
    for trip in trips:
        if trip.purpose == "private" and trip.status in LIVE_STATUSES:
            by_year[(trip.official_id, trip.depart_date.year)].append(trip)
    ranks: dict[str, tuple[int, tuple[str, ...]]] = {}
    for group in by_year.values():
        group.sort(key=lambda t: (t.depart_date, t.trip_id))
        for i, trip in enumerate(group):
            ranks[trip.trip_id] = (i + 1, tuple(t.trip_id for t in group[:i]))
    return ranks


@rule("travel.excessive", severity=Severity.LOW, basis=EXCESSIVE_BASIS, inputs=("trips",),
      trips_per_year=4, max_days=15)
def excessive(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """A private trip (pending, on hold or approved) longer than ``max_days`` (default 15; both the day of
    departure and of return count), or the (``trips_per_year`` + 1)th or later private trip of the same
    official departing in one calendar year (default 4 a year; rejected and withdrawn requests do not
    count). A flag for the approver to weigh, not a refusal.
    """
    per_year, max_days = int(ctx.params["trips_per_year"]), int(ctx.params["max_days"])
    trips: Sequence[TripRecord] = inputs["trips"]
    ranks = private_trip_ranks(trips)
    for trip in trips:
        if trip.trip_id not in ranks:
            continue
        rank, earlier = ranks[trip.trip_id]
        reasons = []
        if trip.days > max_days:
            reasons.append(f"it lasts {trip.days} days, more than the {max_days} allowed")
        if rank > per_year:
            reasons.append(f"it is the {_ordinal(rank)} private trip departing in {trip.depart_date.year}, "
                           f"more than the {per_year} a year allowed")
        if not reasons:
            continue
        yield Finding(
            code="travel.excessive", severity=Severity.LOW, official_id=trip.official_id,
            text=f"Private {trip.label}: {'; '.join(reasons)}. A flag for review, not a refusal.",
            basis=EXCESSIVE_BASIS, dedupe_key=f"travel.excessive:{trip.trip_id}",
            evidence=(f"official:{trip.official_id}", f"trip:{trip.trip_id}",
                      *(f"trip:{t}" for t in earlier[-per_year:] if rank > per_year)),
            details={"days": trip.days, "rank_in_year": rank, "max_days": max_days, "trips_per_year": per_year},
        )


@rule("travel.request_on_watchlist", severity=Severity.CRITICAL, basis=WATCHLIST_BASIS,
      inputs=("trips", "trip_screenings"))
def request_on_watchlist(ctx: Context, inputs: Mapping[str, Any]) -> Iterator[Finding]:
    """A trip request (pending or on hold) whose official matched a list entry calling for a hold when the
    request was screened. The request is put on hold automatically; only an authorized person lifts or
    confirms the hold. The finding is a flag for review: a list entry is a suspicion, not a verdict.
    """
    screenings: Mapping[str, Sequence[TripScreeningHit]] = inputs["trip_screenings"]
    for trip in inputs["trips"]:
        if trip.status not in UNDECIDED_STATUSES:
            continue
        holds = [TripScreeningHit(*h) for h in screenings.get(trip.trip_id, ()) if h[3] == HOLD]
        if not holds:
            continue
        named = "; ".join(f"entry {h.entry_id} on list {h.list_name} (score {h.score:.2f})" for h in holds)
        yield Finding(
            code="travel.request_on_watchlist", severity=Severity.CRITICAL, official_id=trip.official_id,
            text=(f"The request for {trip.label} was screened against the lists and matched {named}. "
                  "The request is on hold until an authorized person lifts or confirms the hold."),
            basis=WATCHLIST_BASIS, dedupe_key=f"travel.request_on_watchlist:{trip.trip_id}",
            evidence=(f"official:{trip.official_id}", f"trip:{trip.trip_id}",
                      *(f"list:{h.list_name}:{h.entry_id}" for h in holds)),
            details={"entries": [h._asdict() for h in holds]},
        )


TRIP_RULES = (excessive, request_on_watchlist)
