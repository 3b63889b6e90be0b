"""Plain records of matched crossings and journeys for the travel rules, read from the operational store."""

from __future__ import annotations

from sojourn.core.rules.travel import CrossingRecord, JourneyRecord
from sojourn.crossings.models import Journey, MatchedCrossing


def crossing_records() -> list[CrossingRecord]:
    rows = MatchedCrossing.objects.order_by("id").values_list(
        "event_id", "official__official_id", "local_date", "direction", "port", "country", "doc_type", "doc_issuer",
        "doc_number", "matched_by", "document_id", "doc_in_custody", "doc_lost")
    return [
        CrossingRecord(event_id=e, official_id=o, local_date=d, direction=di, port=p, country=c, doc_type=dt,
                       doc_issuer=di2, doc_number=n, matched_by=m, document_id=str(doc or ""), in_custody=held,
                       lost_used=lost)
        for e, o, d, di, p, c, dt, di2, n, m, doc, held, lost in rows.iterator(chunk_size=20000)
    ]


def journey_records() -> list[JourneyRecord]:
    rows = Journey.objects.order_by("id").values_list(
        "exit__event_id", "official__official_id", "exit_date", "exit__country", "port", "entry__event_id",
        "entry_date", "entry__country", "entry__port", "trip__trip_id", "trip__purpose", "trip__depart_date",
        "trip__return_date", "trip__destinations", "coverage")
    out = []
    for (exit_id, oid, exit_date, exit_country, port, entry_id, entry_date, entry_country, entry_port, trip_id,
         purpose, depart, ret, destinations, coverage) in rows.iterator(chunk_size=20000):
        out.append(JourneyRecord(
            exit_event_id=exit_id, official_id=oid, exit_date=exit_date, exit_country=exit_country, exit_port=port,
            entry_event_id=entry_id or "", entry_date=entry_date, entry_country=entry_country or "",
            entry_port=entry_port or "", trip_id=trip_id or "", purpose=purpose or "", depart_date=depart,
            return_date=ret, destinations=tuple(c for c in (destinations or "").split(";") if c), coverage=coverage,
        ))
    return out
