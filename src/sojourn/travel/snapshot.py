"""Plain-record snapshot of trip requests for the rules (``trips`` and ``trip_screenings`` inputs)."""

from __future__ import annotations

from typing import Any

from sojourn.core.rules.trips import TripRecord, TripScreeningHit
from sojourn.travel.models import Trip

FIELDS = ("trip_id", "official__official_id", "purpose", "destinations", "depart_date", "return_date", "status")


def as_record(values: tuple[Any, ...]) -> TripRecord:
    """A ``values_list(*FIELDS)`` row as a ``TripRecord``."""
    trip_id, official_id, purpose, destinations, depart, back, status = values
    return TripRecord(trip_id=trip_id, official_id=official_id, purpose=purpose,
                      destinations=tuple(c for c in destinations.split(";") if c), depart_date=depart,
                      return_date=back, status=status)


def trip_records() -> list[TripRecord]:
    """Every trip request, in any status (the rules choose the ones they count)."""
    return [as_record(row) for row in Trip.objects.values_list(*FIELDS).iterator(chunk_size=10000)]


def official_trip_records(official_pk: int) -> list[TripRecord]:
    """One official's trip requests: what ``travel.excessive`` weighs a new request against."""
    return [as_record(row) for row in Trip.objects.filter(official_id=official_pk).values_list(*FIELDS)]


def screening_hits_of(verdict: dict[str, Any]) -> tuple[TripScreeningHit, ...]:
    """The list hits stored in a trip's verdict when the request was screened."""
    hits = (verdict.get("screening") or {}).get("hits") or []
    return tuple(TripScreeningHit(str(h["entry_id"]), str(h["list"]), float(h["score"]), str(h["action"]))
                 for h in hits)


def trip_screenings() -> dict[str, tuple[TripScreeningHit, ...]]:
    """Trip id → the hits its screening found at submission (trips with none are left out)."""
    out: dict[str, tuple[TripScreeningHit, ...]] = {}
    rows = Trip.objects.exclude(verdict={}).values_list("trip_id", "verdict")
    for trip_id, verdict in rows.iterator(chunk_size=10000):
        hits = screening_hits_of(verdict or {})
        if hits:
            out[trip_id] = hits
    return out
