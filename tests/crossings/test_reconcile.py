"""Reconciliation end to end: a crossing feed into the store, the engine's models, write-back, the travel rules.

The tests commit their data (transactional_db): the engine reads the registry through a second
connection (ADBC), as it does in production.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sojourn.alerts.models import Finding, FindingStatus
from sojourn.alerts.services import dismiss_finding
from sojourn.crossings.models import Journey, MatchedCrossing
from sojourn.crossings.services import import_crossings_file, reconcile
from sojourn.custody.models import CustodyEvent, TravelDocument
from tests.travel_fixtures import FEED_1, FEED_2, ZHANG, write_feed


def codes() -> list[tuple[str, str, str]]:
    return sorted(Finding.objects.filter(code__startswith="travel.").values_list("code", "subject_id", "status"))


def test_reconcile_finds_each_case_and_is_idempotent(travel_world):
    world, tmp = travel_world
    report = import_crossings_file(path=write_feed(tmp / "feed1.csv", FEED_1), actor="test")
    assert (report.read, report.stored, report.rejected) == (8, 8, 0)

    result = reconcile(as_of=date(2026, 3, 1), actor="test")
    assert result.matched == 7  # the uncovered traveller stays in the crossing store only
    assert MatchedCrossing.objects.count() == 7 and Journey.objects.count() == 4
    clean = Journey.objects.get(exit__event_id="A1")
    assert clean.exit_date == date(2025, 10, 1) and clean.trip.trip_id == "T1"  # local date, not UTC
    assert clean.entry.event_id == "A2" and clean.coverage == "covered"
    assert MatchedCrossing.objects.get(event_id="B1").matched_by == "name"
    assert codes() == [
        ("travel.exit_unapproved", "OA-1", "new"),
        ("travel.itinerary_deviation", "OA1-1", "new"),
        ("travel.missing", "OB-1", "new"),
        ("travel.return_overdue", "OA1-1", "new"),
        ("travel.return_overdue", "OB-1", "new"),
        ("travel.undeclared_document", "OB-1", "new"),
    ]
    late = Finding.objects.get(code="travel.return_overdue", subject_id="OA1-1")
    assert "15 days after the approved return date 2025-12-05" in late.text
    assert "crossing:S1" in late.evidence and "trip:T2" in late.evidence

    again = reconcile(as_of=date(2026, 3, 1), actor="test")
    assert again.evaluation.stored.created == 0
    assert (again.written.crossings_created, again.written.journeys_created) == (0, 0)


def test_a_return_that_arrives_resolves_and_closed_findings_stay_closed(travel_world):
    world, tmp = travel_world
    import_crossings_file(path=write_feed(tmp / "feed1.csv", FEED_1), actor="test")
    reconcile(as_of=date(2026, 3, 1), actor="test")
    unapproved = Finding.objects.get(code="travel.exit_unapproved")
    dismiss_finding(finding=unapproved, actor=world.users["inspector"], reason="approved on paper, not entered")

    import_crossings_file(path=write_feed(tmp / "feed2.csv", FEED_2), actor="test")
    result = reconcile(as_of=date(2026, 3, 1), actor="test")
    assert result.evaluation.stored.resolved == 2
    overdue = Finding.objects.get(code="travel.return_overdue", subject_id="OB-1")
    assert overdue.status == FindingStatus.RESOLVED
    assert [e.text for e in overdue.journal.all()] == [
        "Came back on 2026-02-20, 36 days after the approved return date."]
    assert Finding.objects.get(code="travel.missing").status == FindingStatus.RESOLVED
    assert Finding.objects.get(pk=unapproved.pk).status == FindingStatus.DISMISSED  # never reopened
    assert Journey.objects.get(exit__event_id="B1").entry_date == date(2026, 2, 20)


def test_in_custody_and_lost_documents(travel_world):
    world, tmp = travel_world
    oa = world.officials["OA-1"]
    second = TravelDocument.objects.create(holder=oa, doc_type="passport_official", issuer="CHN", number="SE1234567",
                                           custody="in_custody")
    CustodyEvent.objects.create(document=second, kind="intake", on=date(2025, 1, 5))
    lost = TravelDocument.objects.create(holder=oa, doc_type="permit_hk_macau", issuer="CHN", number="C30000003",
                                         status="lost", custody="not_held")
    CustodyEvent.objects.create(document=lost, kind="lost", on=date(2025, 6, 1))
    rows = [
        f"K1,2025-10-01T09:00:00+08:00,exit,Luohu,passport_official,CHN,SE1234567,{ZHANG},HKG",
        f"K2,2025-10-05T09:00:00+08:00,entry,Luohu,permit_hk_macau,CHN,C30000003,{ZHANG},HKG",
    ]
    import_crossings_file(path=write_feed(tmp / "feed3.csv", rows), actor="test")
    reconcile(as_of=date(2026, 3, 1), actor="test")
    found = sorted(Finding.objects.filter(code__in=["travel.undeclared_document", "document.lost_or_stolen_used"])
                   .values_list("code", "dedupe_key"))
    assert found == [("document.lost_or_stolen_used", "document.lost_or_stolen_used:crossing:K2"),
                     ("travel.undeclared_document", "travel.undeclared_document:custody:K1")]


def test_reconcile_on_an_empty_store_evaluates_the_registry_rules(transactional_db, world, tmp_path, monkeypatch):
    monkeypatch.setenv("SOJOURN_DATA_DIR", str(tmp_path / "empty"))
    result = reconcile(as_of=date(2026, 3, 1), actor="test")
    assert (result.crossing_files, result.matched, result.journeys) == (0, 0, 0)
    assert result.evaluation.ruleset


def test_feed_with_bad_rows_stores_the_good_ones(travel_world):
    world, tmp = travel_world
    rows = [*FEED_1[:2],
            "Z1,2025-10-01 07:50:00,exit,Luohu,passport_ordinary,CHN,E1,ZHANG,WEI,1970-05-01,M,CHN,HKG",
            "Z2,2025-10-01T07:50:00+08:00,sideways,Luohu,passport_ordinary,CHN,E1,ZHANG,WEI,1970-02-30,M,CHN,HKG"]
    report = import_crossings_file(path=write_feed(tmp / "mixed.csv", rows), actor="test")
    assert (report.read, report.stored, report.rejected) == (4, 2, 2)
    rejects = Path(report.reject_file).read_text(encoding="utf-8").splitlines()
    assert rejects[1].startswith("mixed.csv,4,Z1,crossed_at: '2025-10-01 07:50:00' is not an ISO 8601 time")
    assert "direction: 'sideways' is not exit or entry" in rejects[2]
    assert "birth_date: '1970-02-30' is not a date" in rejects[2]
    again = import_crossings_file(path=write_feed(tmp / "mixed.csv", rows), actor="test")
    assert again.already_ingested and again.stored == 2
    overlapping = import_crossings_file(path=write_feed(tmp / "overlap.csv", FEED_1[:3]), actor="test")
    assert (overlapping.stored, overlapping.duplicates) == (1, 2)
