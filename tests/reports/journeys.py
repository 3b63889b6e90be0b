"""Journeys built directly (reconciliation is another app's business): an exit, maybe an entry, a due date."""

from __future__ import annotations

from datetime import date, datetime, time
from itertools import count
from zoneinfo import ZoneInfo

from sojourn.crossings.models import Journey, MatchedCrossing
from sojourn.registry.models import Official

_events = count(1)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def crossing(official: Official, day: date, direction: str, *, port: str, country: str) -> MatchedCrossing:
    return MatchedCrossing.objects.create(
        event_id=f"test-{next(_events)}", official=official,
        crossed_at=datetime.combine(day, time(9, 30), tzinfo=SHANGHAI), local_date=day, direction=direction,
        port=port, country=country, doc_type="passport_ordinary", doc_issuer="CHN", doc_number="E12345678",
        matched_by="document",
    )


def make_journey(official: Official, exit_date: date, *, due: date | None = None, entry: date | None = None,
                 destination: str = "HKG", port: str = "Shenzhen Bay") -> Journey:
    out = crossing(official, exit_date, "exit", port=port, country=destination)
    back = crossing(official, entry, "entry", port=port, country=destination) if entry else None
    return Journey.objects.create(exit=out, entry=back, official=official, exit_date=exit_date,
                                  entry_date=entry, due_date=due, destination=destination, port=port)
