"""The trip rules: ``travel.excessive`` and ``travel.request_on_watchlist``, on plain records."""

from __future__ import annotations

from datetime import date, timedelta

from sojourn.core.rules import ALL_RULES, RULESET_VERSION, Ruleset
from sojourn.core.rules.trips import TRIP_RULES, TripRecord, TripScreeningHit, excessive, request_on_watchlist

AS_OF = date(2026, 3, 2)


def trip(trip_id, depart=date(2026, 4, 1), days=7, *, official="O1", purpose="private", status="pending"):
    return TripRecord(trip_id, official, purpose, ("HKG",), depart, depart + timedelta(days=days - 1), status)


def run(rule, trips, screenings=None, **overrides):
    ruleset = Ruleset("test", (rule,), overrides={rule.code: overrides} if overrides else {})
    return list(ruleset.evaluate({"trips": trips, "trip_screenings": screenings or {}}, as_of=AS_OF))


def test_the_rules_are_in_the_catalogue():
    assert {r.code for r in TRIP_RULES} <= {r.code for r in ALL_RULES}
    assert RULESET_VERSION == "2026.11.6"


def test_a_16_day_private_trip_is_excessive_and_15_days_is_not():
    [finding] = run(excessive, [trip("T1", days=16), trip("T2", date(2026, 6, 1), days=15)])
    assert finding.code == "travel.excessive" and finding.severity.label == "low"
    assert finding.dedupe_key == "travel.excessive:T1" and "16 days" in finding.text
    assert "not a refusal" in finding.text and "trip:T1" in finding.evidence


def test_official_trips_and_decided_requests_do_not_count():
    trips = [trip("T1", days=30, purpose="official"), trip("T2", days=30, status="rejected"),
             trip("T3", days=30, status="withdrawn")]
    assert run(excessive, trips) == []


def test_the_fifth_private_trip_of_a_year_is_excessive():
    trips = [trip(f"T{i}", date(2026, i, 1), days=3) for i in range(1, 6)]
    trips += [trip("T9", date(2026, 2, 1), days=3, status="rejected"),  # does not count
              trip("X1", date(2026, 9, 1), days=3, official="O2"),  # someone else
              trip("N1", date(2027, 1, 1), days=3)]  # next year
    [finding] = run(excessive, trips)
    assert finding.dedupe_key == "travel.excessive:T5" and "5th private trip departing in 2026" in finding.text
    assert {"trip:T1", "trip:T4"} <= set(finding.evidence)


def test_caps_come_from_the_parameters():
    trips = [trip(f"T{i}", date(2026, i, 1), days=3) for i in range(1, 4)]
    assert [f.dedupe_key for f in run(excessive, trips, trips_per_year=2)] == ["travel.excessive:T3"]
    assert len(run(excessive, trips, max_days=2)) == 3


def test_ordering_within_a_day_is_by_trip_id():
    trips = [trip("B", days=2), trip("A", days=2)]
    assert [f.dedupe_key for f in run(excessive, trips, trips_per_year=1)] == ["travel.excessive:B"]


def test_a_hold_hit_on_an_undecided_request_is_critical():
    hits = (TripScreeningHit("W-1", "internal", 0.97, "hold"), TripScreeningHit("W-2", "external", 0.9, "refer"))
    [finding] = run(request_on_watchlist, [trip("T1", status="on_hold")], {"T1": hits})
    assert finding.code == "travel.request_on_watchlist" and finding.severity.label == "critical"
    assert "W-1" in finding.text and "W-2" not in finding.text
    assert "on hold until an authorized person lifts or confirms" in finding.text
    assert "国信党〔2016〕11号" in finding.basis and finding.dedupe_key == "travel.request_on_watchlist:T1"


def test_refer_hits_and_decided_requests_raise_nothing():
    refer = {"T1": (TripScreeningHit("W-2", "external", 0.9, "refer"),)}
    assert run(request_on_watchlist, [trip("T1")], refer) == []
    hold = {"T1": (("W-1", "internal", 0.97, "hold"),)}  # plain tuples work too
    assert run(request_on_watchlist, [trip("T1", status="approved")], hold) == []
    assert len(run(request_on_watchlist, [trip("T1", status="pending")], hold)) == 1
