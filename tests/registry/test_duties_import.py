"""``sojourn import duties``: the countries an official's duties concern; all or nothing, idempotent, scoped."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.helpers import run_import

from sojourn.audit.models import AuditEvent
from sojourn.registry.models import DutyCountries
from sojourn.registry.services import import_registry_file
from sojourn.registry.snapshot import duty_records

DUTIES = (
    "official_id,countries,since,note\n"
    "OA-1,USA;CAN,2024-01-01,trade and investment\n"
    "OA1-1,GBR,,\n"
)


def write(tmp_path: Path, content: str, name: str = "duties.csv") -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_import_then_reimport_changes_nothing(world, tmp_path):
    path = write(tmp_path, DUTIES)
    assert run_import("duties", str(path)) == (0, "duties.csv: 2 rows imported: 2 created, 0 updated, 0 unchanged.\n")
    stored = DutyCountries.objects.get(official__official_id="OA-1")
    assert (stored.countries, stored.since, stored.note) == ("CAN;USA", date(2024, 1, 1), "trade and investment")
    assert stored.country_list == ("CAN", "USA")
    events = AuditEvent.objects.filter(action="import", object_type="import:duties").count()
    # The same countries in another order are the same record.
    again = write(tmp_path, DUTIES.replace("USA;CAN", "CAN; USA;CAN"))
    report = import_registry_file(kind="duties", path=again, actor="tester")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    changed = import_registry_file(kind="duties", path=write(tmp_path, DUTIES.replace(",GBR,", ",GBR;DEU,")),
                                   actor="tester")
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    assert DutyCountries.objects.get(official__official_id="OA1-1").countries == "DEU;GBR"
    assert AuditEvent.objects.filter(action="import", object_type="import:duties").count() == events + 2
    assert {(d.official_id, d.countries) for d in duty_records()} == {("OA-1", ("CAN", "USA")),
                                                                      ("OA1-1", ("DEU", "GBR"))}


def test_bad_rows_are_numbered_and_nothing_is_written(world, tmp_path):
    bad = DUTIES + "NOPE-1,USA,,\nOB-1,usa,,\nOB-1,XXX;FRA,2024-02-30,\nOA-1,,,\n"
    code, err = run_import("duties", str(write(tmp_path, bad)))
    assert code == 1
    assert err.splitlines() == [
        "duties.csv row 4, official_id 'NOPE-1': no such official in the registry (import officials first)",
        "duties.csv row 5, countries 'usa': not an ISO 3166-1 alpha-3 country code (three capital letters, e.g. CHN)",
        "duties.csv row 6, countries 'XXX;FRA': XXX is not an ISO 3166-1 alpha-3 country code",
        "duties.csv row 6, since '2024-02-30': not a date",
        "duties.csv row 7, countries '': a value is required",
        "duties.csv: 5 problems in 6 rows; nothing was written.",
    ]
    assert DutyCountries.objects.count() == 0


def test_duplicate_official_and_unknown_column(world, tmp_path):
    report = import_registry_file(kind="duties", actor="tester",
                                  path=write(tmp_path, DUTIES + "OA-1,FRA,,\n"))
    assert [str(e) for e in report.errors] == ["duties.csv row 4, official_id 'OA-1': duplicate of row 2"]
    report = import_registry_file(kind="duties", actor="tester",
                                  path=write(tmp_path, DUTIES.replace("note\n", "note,desk\n", 1)))
    assert str(report.errors[0]).startswith("duties.csv row 1, desk: unknown column")
    assert DutyCountries.objects.count() == 0


def test_registrar_scope_applies(world, tmp_path):
    from sojourn.accounts.scope import unit_scope

    scope = unit_scope(world.users["outsider"])
    report = import_registry_file(kind="duties", path=write(tmp_path, DUTIES), actor="outsider", scope=scope)
    assert [e.reason for e in report.errors] == ["official OA-1 is outside your scope",
                                                 "official OA1-1 is outside your scope"]
    assert DutyCountries.objects.count() == 0
