"""`sojourn import trips` and `sojourn import custody`: all or nothing, idempotent, history only."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sojourn.audit.models import AuditEvent
from sojourn.custody.importing import import_custody_file
from sojourn.custody.models import CustodyEvent
from sojourn.travel.importing import import_trips_file
from sojourn.travel.models import Trip
from tests.helpers import run_import

pytestmark = pytest.mark.django_db

TRIPS = "trip_id,official_id,purpose,destinations,depart_date,return_date,status,document_numbers\n"
GOOD_TRIPS = TRIPS + (
    "H-1,OA-1,private,HKG;MAC,2025-10-01,2025-10-07,approved,E12345678;C12345678\n"
    "H-2,OA-1,official,USA,2025-11-02,2025-11-09,rejected,\n"
    "H-3,OA1-1,private,THA,2026-01-20,2026-01-27,withdrawn,\n"
)
CUSTODY = "official_id,doc_type,issuer,number,event,on,due_back,trip_id,note\n"
GOOD_CUSTODY = CUSTODY + (
    "OA-1,passport_ordinary,CHN,E12345678,intake,2020-01-10,,,handed in on appointment\n"
    "OA-1,passport_ordinary,CHN,E12345678,checkout,2025-09-28,2025-10-17,H-1,\n"
    "OA-1,passport_ordinary,CHN,E12345678,return,2025-10-12,,,\n"
)


@pytest.fixture
def documents(world, passport, permit):
    return passport, permit


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_trips_import_and_reimport(world, documents, tmp_path):
    path = write(tmp_path, "trips.csv", GOOD_TRIPS)
    report = import_trips_file(path=path, actor="tester")
    assert report.ok, [str(e) for e in report.errors]
    assert (report.rows, report.created, report.updated, report.unchanged) == (3, 3, 0, 0)
    trip = Trip.objects.get(trip_id="H-1")
    assert trip.status == "approved" and trip.destinations == "HKG;MAC" and trip.verdict == {}
    assert sorted(trip.documents.values_list("number", flat=True)) == ["C12345678", "E12345678"]
    assert not CustodyEvent.objects.exists()  # history: no custody events, no screening
    assert not AuditEvent.objects.filter(object_type="screening").exists()
    stored = list(Trip.objects.order_by("pk").values())
    again = import_trips_file(path=path, actor="tester")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert list(Trip.objects.order_by("pk").values()) == stored
    assert AuditEvent.objects.filter(action="import", object_type="import:trips").count() == 2
    changed = write(tmp_path, "trips2.csv", GOOD_TRIPS.replace("E12345678;C12345678", "E12345678")
                    .replace("rejected", "withdrawn"))
    report = import_trips_file(path=changed, actor="tester")
    assert (report.created, report.updated, report.unchanged) == (0, 2, 1)
    assert list(Trip.objects.get(trip_id="H-1").documents.values_list("number", flat=True)) == ["E12345678"]
    assert Trip.objects.get(trip_id="H-2").status == "withdrawn"


def test_bad_trip_rows_are_named_and_nothing_is_written(world, documents, tmp_path):
    bad = TRIPS + (
        "H-1,OA-1,private,HKG,2025-10-01,2025-10-07,approved,E12345678\n"
        "H-2,OA-9,private,HKG,2025-10-01,2025-10-07,approved,\n"
        "H-3,OA-1,private,HKX,2025-10-01,2025-10-07,approved,\n"
        "H-4,OA-1,private,HKG,2025-10-07,2025-10-01,approved,\n"
        "H-5,OA-1,private,HKG,2025-10-01,2025-10-07,on_hold,\n"
        "H-6,OA-1,private,HKG,2025-10-01,2025-10-07,approved,E99999999\n"
    )
    report = import_trips_file(path=write(tmp_path, "trips.csv", bad), actor="tester")
    lines = [str(e) for e in report.errors]
    assert lines == [
        "trips.csv row 3, official_id 'OA-9': no such official in the registry (import officials first)",
        "trips.csv row 4, destinations 'HKX': HKX is not an ISO 3166-1 alpha-3 country code",
        "trips.csv row 5, return_date '2025-10-01': before the departure 2025-10-07",
        "trips.csv row 6, status 'on_hold': not one of pending, approved, rejected, withdrawn",
        "trips.csv row 7, document_numbers 'E99999999': no document E99999999 of official OA-1 in the registry "
        "(import documents first)",
    ]
    assert not Trip.objects.exists() and not AuditEvent.objects.filter(action="import").exists()


def test_trips_dry_run_and_command(world, documents, tmp_path):
    path = write(tmp_path, "trips.csv", GOOD_TRIPS)
    assert run_import("trips", str(path), "--dry-run") == (
        0, "trips.csv: 3 rows are valid; would be 3 created, 0 updated, 0 unchanged (dry run, nothing was written).\n")
    assert not Trip.objects.exists()
    assert run_import("trips", str(path))[0] == 0 and Trip.objects.count() == 3
    other = write(tmp_path, "other.csv", TRIPS + "H-1,OA1-1,private,HKG,2025-10-01,2025-10-07,approved,\n")
    code, err = run_import("trips", str(other))
    assert code == 1 and "row 2, trip_id 'H-1': the trip is recorded for official OA-1" in err


def test_custody_import_records_history_only(world, documents, tmp_path):
    passport, _permit = documents
    path = write(tmp_path, "custody.csv", GOOD_CUSTODY)
    report = import_custody_file(path=path, actor="tester")
    assert report.ok, [str(e) for e in report.errors]
    assert (report.rows, report.created, report.unchanged) == (3, 3, 0)
    events = list(passport.events.values_list("kind", "on", "due_back", "trip_ref"))
    assert events == [("intake", date(2020, 1, 10), None, ""), ("checkout", date(2025, 9, 28), date(2025, 10, 17), "H-1"),
                      ("return", date(2025, 10, 12), None, "")]
    passport.refresh_from_db()
    assert passport.custody == "in_custody" and passport.due_back is None  # current state untouched
    again = import_custody_file(path=path, actor="tester")
    assert (again.created, again.unchanged) == (0, 3) and CustodyEvent.objects.count() == 3
    assert AuditEvent.objects.filter(action="import", object_type="import:custody").count() == 2


def test_bad_custody_rows_are_named(world, documents, tmp_path):
    import_custody_file(path=write(tmp_path, "custody.csv", GOOD_CUSTODY), actor="tester")
    bad = CUSTODY + (
        "OA-1,passport_ordinary,CHN,E00000000,intake,2020-01-10,,,\n"
        "OA-1,passport_ordinary,CHN,E12345678,borrowed,2020-01-10,,,\n"
        "OA1-1,passport_ordinary,CHN,E12345678,intake,2020-01-10,,,\n"
        "OA-1,passport_ordinary,CHN,E12345678,checkout,2025-09-28,2025-10-20,H-1,\n"
        "OA-1,passport_ordinary,CHN,E12345678,checkout,2026-09-28,2026-09-01,H-9,\n"
    )
    report = import_custody_file(path=write(tmp_path, "bad.csv", bad), actor="tester")
    lines = [str(e) for e in report.errors]
    assert lines[0].startswith("bad.csv row 2, number 'E00000000': no passport_ordinary CHN E00000000 of official OA-1")
    assert lines[1].startswith("bad.csv row 3, event 'borrowed': not one of intake")
    assert lines[2].startswith("bad.csv row 4, number 'E12345678': no passport_ordinary CHN E12345678 of official OA1-1")
    assert lines[3].startswith("bad.csv row 6, due_back '2026-09-01': before the event's date")
    assert len(lines) == 4 and CustodyEvent.objects.count() == 3
    edited = CUSTODY + "OA-1,passport_ordinary,CHN,E12345678,checkout,2025-09-28,2025-10-20,H-1,\n"
    report = import_custody_file(path=write(tmp_path, "edited.csv", edited), actor="tester")
    assert [str(e) for e in report.errors] == [
        "edited.csv row 2, due_back '2025-10-20': differs from the recorded checkout event of 2025-09-28 "
        "(2025-10-17); recorded events are never edited"]


def test_custody_command_dry_run(world, documents, tmp_path):
    path = write(tmp_path, "custody.csv", GOOD_CUSTODY)
    code, err = run_import("custody", str(path), "--dry-run")
    assert code == 0 and "would be 3 created" in err and not CustodyEvent.objects.exists()
    assert run_import("custody", str(path))[0] == 0 and CustodyEvent.objects.count() == 3


def test_imported_history_does_not_block_a_new_request(world, documents, tmp_path):
    from sojourn.travel import services

    import_trips_file(path=write(tmp_path, "trips.csv", GOOD_TRIPS), actor="tester")
    passport, _permit = documents
    trip = services.submit_trip(official=world.officials["OA-1"], purpose="private", destinations="HKG",
                                depart_date=date(2026, 4, 1), return_date=date(2026, 4, 3), documents=[passport],
                                actor=world.users["registrar_a"], today=date(2026, 3, 2))
    assert trip.status == "pending"
