"""FollowTheMoney JSON lines: ``sojourn export ftm`` and ``sojourn import ftm``.

The store is a small synthetic dataset (30 officials, loaded through the CSV importers) plus a
few records that exercise the corners of the mapping: a Latin-only official with ids FtM cannot
hold as they are, a stateless relative living in Kosovo, a document of an issuer FtM has no code
for, a trip on hold, a deposit held by a relative, an asset whose kind the schema does not imply,
a list entry known by aliases only.
"""

from __future__ import annotations

import io
import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from sojourn.audit.models import AuditEvent
from sojourn.custody.models import TravelDocument
from sojourn.declarations.models import Asset
from sojourn.interop import ftm
from sojourn.interop.ftm import import_ftm_file, key_part, parse_id, parse_key_part, record_id
from sojourn.registry.models import DutyCountries, Official, PostChange, Relative, Unit
from sojourn.screening.models import Watchlist, WatchlistEntry
from sojourn.screening.services import screen_person
from sojourn.travel.models import Trip
from tests.factories import make_official, make_relative, make_unit
from tests.helpers import run_import

SCHEMATA = {"Organization", "Person", "Employment", "Family", "Position", "Occupancy", "Passport", "Identification",
            "Trip", "BankAccount", "RealEstate", "Asset", "Ownership", "Sanction"}


def counts() -> dict[str, int]:
    models: list[Any] = [Unit, Official, Relative, PostChange, DutyCountries, TravelDocument, Trip, Asset, Watchlist,
                         WatchlistEntry, AuditEvent]
    return {m.__name__: m.objects.count() for m in models}


def wipe() -> None:
    """An empty registry and no lists (the audit trail stays, as it would)."""
    for model in (WatchlistEntry, Watchlist, Trip, TravelDocument, Asset, PostChange, DutyCountries, Relative,
                  Official):
        model.objects.all().delete()  # type: ignore[attr-defined]
    for unit in sorted(Unit.objects.all(), key=lambda u: -u.depth):
        unit.delete()


def export_text() -> str:
    out = io.StringIO()
    ftm.export_ftm(out=out, actor="tester", target="test")
    return out.getvalue()


def load(tmp_path: Path, text: str, name: str = "entities.jsonl", **kwargs: Any) -> ftm.FtmImportReport:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return import_ftm_file(path=path, actor="tester", **kwargs)


def ok(report: ftm.FtmImportReport) -> ftm.FtmImportReport:
    assert report.ok, [str(e) for e in report.errors]
    return report


def entities(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture
def store(db: None, tmp_path: Path) -> None:
    from sojourn.synth.dataset import generate_registry, write_registry
    from sojourn.synth.loading import load_dataset

    out = tmp_path / "synth"
    write_registry(generate_registry(scale="small", officials=30, seed=3, crossings=0), out)
    for extra in ("crossings", "crossings.csv", "custody.csv", "declarations.csv"):
        path = out / extra
        shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
    load_dataset(out, actor="tester")
    _corners()


def _corners() -> None:
    root = Unit.objects.get(parent=None)
    unit = make_unit("X_1.", root, name="Liaison office")
    official = make_official("N_9-", unit, name_zh="", name_script="latin", surname="SMITH", given_name="JOHN",
                             post="", filed_on=None, restricted_post=True, status="retired",
                             id_number="110105197503040031")
    DutyCountries.objects.create(official=official, countries="CAN;USA", since=date(2024, 1, 1), note="trade")
    relative = make_relative("N_9-1", official, nationality="XXA", residence_country="RKS", married_to_foreigner=True,
                             activity="business", emigrated_on=date(2018, 1, 1))
    passport = TravelDocument.objects.create(holder=official, doc_type="passport_service", issuer="UNO", number="U123",
                                             custody="in_custody", mrz="", issue_date=date(2020, 1, 1))
    PostChange.objects.create(official=official, post="liaison", started_on=date(2019, 1, 1))
    trip = Trip.objects.create(trip_id="T_1", official=official, purpose="official", destinations="HKG;MAC",
                               depart_date=date(2026, 5, 1), return_date=date(2026, 5, 9), status="on_hold")
    trip.documents.add(passport)
    Asset.objects.create(asset_id="AX_1", official=official, holder_relative=relative, kind="deposit", country="CAN",
                         value=Decimal("125000.50"), currency="CAD")
    Asset.objects.create(asset_id="AX_2", official=official, kind="business", country="HKG", value=Decimal("1"),
                         area=Decimal("40.00"), source="business")
    Asset.objects.create(asset_id="AX_3", official=official, kind="parking_space", country="CHN",
                         value=Decimal("300000"), area=Decimal("12.5"))
    watch, _ = Watchlist.objects.get_or_create(name="partner_notices")
    WatchlistEntry.objects.create(watchlist=watch, entry_id="P_1", aliases="張偉;CHEUNG Wai", id_number="A1234567",
                                  doc_numbers="E12345678;K1", action="hold", valid_from=date(2020, 1, 1),
                                  valid_to=date(2030, 12, 31), reason="notice 12/2020")


# --- ids ---------------------------------------------------------------------------------------------


@given(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}", fullmatch=True))
def test_record_ids_are_ftm_ids_and_give_back_their_key(key: str) -> None:
    from followthemoney.types import registry

    entity_id = record_id("official", key)
    assert registry.entity.validate(entity_id)
    assert parse_id(entity_id) == ("official", key)
    assert parse_key_part(key_part(key)) == key


def test_ids_read_as_written() -> None:
    assert record_id("official", "N-1") == "sojourn-official-N-1"
    assert record_id("unit", "X_1.") == "sojourn-unit-X.5f1.2e"
    assert record_id("official", "N_9-") == "sojourn-official-N.5f9.2d"
    assert parse_id("sojourn-official-N.5f9.2d") == ("official", "N_9-")
    assert parse_id("os-zhang-wei") is None
    assert parse_key_part("A.zz") is None


# --- round trip -----------------------------------------------------------------------------------------


def test_export_import_export_gives_the_same_bytes(store: None, tmp_path: Path) -> None:
    first = export_text()
    assert first.endswith("\n") and "\r" not in first
    found = entities(first)
    assert {e["schema"] for e in found} == SCHEMATA
    order = [(ftm.SCHEMA_ORDER.index(e["schema"]), e["id"]) for e in found]
    assert order == sorted(order)
    official = next(e for e in found if e["id"] == "sojourn-official-N.5f9.2d")
    assert official["properties"]["name"] == ["SMITH JOHN"] and official["properties"]["topics"] == ["role.pep"]
    assert official["sojourn"] == {"rank": "division", "restricted_post": "true", "covered_since": "2020-01-06",
                                   "duty_countries": "CAN;USA", "duty_since": "2024-01-01", "duty_note": "trade"}
    relative = next(e for e in found if e["id"] == "sojourn-relative-N.5f9-1")
    assert relative["properties"]["country"] == ["xk"] and relative["sojourn"]["nationality"] == "XXA"
    assert "nationality" not in relative["properties"]
    trip = next(e for e in found if e["id"] == "sojourn-trip-T.5f1")
    assert trip["properties"]["country"] == ["hk", "mo"] and trip["sojourn"]["status"] == "pending"
    before = counts()

    wipe()
    report = ok(load(tmp_path, first))
    assert report.created == sum(before[m] for m in ("Unit", "Official", "Relative", "PostChange", "DutyCountries",
                                                      "TravelDocument", "Trip", "Asset", "WatchlistEntry"))
    assert export_text() == first
    assert {k: v for k, v in counts().items() if k != "AuditEvent"} == {
        k: v for k, v in before.items() if k != "AuditEvent"}
    smith = Official.objects.get(official_id="N_9-")
    assert (smith.unit.code, smith.rank, smith.restricted_post, smith.filed_on, smith.name_script) == (
        "X_1.", "division", True, None, "latin")
    assert TravelDocument.objects.get(number="U123").check_result  # validated again on the way in
    deposit = Asset.objects.get(asset_id="AX_1")
    assert (deposit.kind, deposit.official, deposit.holder_relative_id, deposit.value) == (
        "deposit", smith, Relative.objects.get(relative_id="N_9-1").pk, Decimal("125000.50"))
    entry = WatchlistEntry.objects.get(entry_id="P_1")
    assert (entry.name_zh, entry.aliases, entry.doc_numbers, entry.action) == ("張偉", "CHEUNG Wai", "E12345678;K1",
                                                                               "hold")


def test_importing_the_same_file_twice_changes_nothing(store: None, tmp_path: Path) -> None:
    text = export_text()
    wipe()
    ok(load(tmp_path, text))
    written = counts()
    stamps = list(WatchlistEntry.objects.order_by("pk").values_list("updated_at", flat=True))
    again = ok(load(tmp_path, text))
    assert again.created == again.updated == 0 and again.unchanged > 0
    assert counts() == {**written, "AuditEvent": written["AuditEvent"] + 1}  # one audit row, nothing else
    assert list(WatchlistEntry.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps
    assert set(again.kinds) == {"units", "officials", "relatives", "posts", "duties", "documents", "trips", "assets",
                                "watchlist"}


def test_export_and_import_are_audited(store: None, tmp_path: Path) -> None:
    text = export_text()
    exported = AuditEvent.objects.filter(action="export").last()
    assert exported is not None and (exported.actor, exported.object_type, exported.object_id) == (
        "tester", "export:ftm", "test")
    assert exported.detail["entities"] == len(text.splitlines()) and len(exported.detail["sha256"]) == 64
    report = ok(load(tmp_path, text, name="registry.jsonl"))
    imported = AuditEvent.objects.filter(action="import").last()
    assert imported is not None and (imported.object_type, imported.object_id) == ("import:ftm", "registry.jsonl")
    assert imported.detail["sha256"] == report.sha256
    assert imported.detail["kinds"]["officials"] == {"created": 0, "updated": 0, "unchanged": Official.objects.count()}


def test_a_dry_run_writes_nothing(store: None, tmp_path: Path) -> None:
    text = export_text()
    wipe()
    before = counts()
    report = ok(load(tmp_path, text, dry_run=True))
    assert report.created > 0 and report.dry_run
    assert counts() == before


# --- problems: named, and nothing written ------------------------------------------------------------

UNIT = '{"id": "sojourn-unit-Z", "schema": "Organization", "properties": {"name": ["Unit Z"]}}'
OFFICIAL = ('{"id": "sojourn-official-Z-1", "schema": "Person", "properties": {"name": ["王五"], '
            '"lastName": ["WANG"], "firstName": ["WU"], "birthDate": ["1970-01-01"], "gender": ["male"], '
            '"idNumber": ["110105197001010011"]}, "sojourn": {"rank": "staff", "covered_since": "2020-01-01"}}')
EMPLOYMENT = ('{"id": "sojourn-employment-Z-1", "schema": "Employment", "properties": '
              '{"employee": ["sojourn-official-Z-1"], "employer": ["sojourn-unit-Z"]}}')
TRIP = ('{"id": "sojourn-trip-ZT", "schema": "Trip", "properties": {"name": ["ZT"], "involved": '
        '["sojourn-official-Z-1"], "startDate": ["2026-01-01"], "endDate": ["2026-01-05"], "country": ["hk"]}, '
        '"sojourn": {"purpose": "private", "status": "approved"}}')
GOOD = [UNIT, OFFICIAL, EMPLOYMENT, TRIP]


@pytest.mark.parametrize(("line", "replace", "expected"), [
    (1, ('"Organization"', '"Organisation"'),
     "line 1, Organisation sojourn-unit-Z, schema 'Organisation': unknown schema (not in the FtM model)"),
    (2, ('"gender"', '"colour"'),
     "line 2, Person sojourn-official-Z-1, colour: unknown property (not a property of Person in the FtM model)"),
    (2, ('1970-01-01', '1970-13-01'), "line 2, Person sojourn-official-Z-1, birthDate '1970-13-01': not a valid date"),
    (2, ('1970-01-01', '1970'), "line 2, Person sojourn-official-Z-1, birthDate '1970': not a date"),
    (3, ('"sojourn-unit-Z"]', '"sojourn-unit-NOPE"]'),
     "line 3, Employment sojourn-employment-Z-1, employer 'sojourn-unit-NOPE': no unit with this id in the file or "
     "the registry"),
    (4, ('"sojourn-official-Z-1"]', '"sojourn-official-Z-2"]'),
     "line 4, Trip sojourn-trip-ZT, involved 'sojourn-official-Z-2': no official with this id in the file or the "
     "registry"),
    (4, ('"hk"', '"hkg"'), "line 4, Trip sojourn-trip-ZT, country 'hkg': not a valid country"),
    (4, ('"approved"', '"on_hold"'),
     "line 4, Trip sojourn-trip-ZT, sojourn.status 'on_hold': not one of pending, approved, rejected, withdrawn"),
    (2, ('"name": ["王五"]', '"name": ["王五"], "alias": ["Wang the Fifth"]'),
     "line 2, Person sojourn-official-Z-1, alias 'Wang the Fifth': the registry keeps the name in characters and "
     "the passport spelling (lastName, firstName); it would be lost"),
    (2, ('"rank"', '"grade"'),
     "line 2, Person sojourn-official-Z-1, sojourn.grade 'staff': unknown key of an official"),
    (2, ('"gender"', '"topics": ["sanction"], "gender"'),
     "line 2, Person sojourn-official-Z-1, topics 'sanction': the only topic Sojourn keeps here is role.pep; it would "
     "be lost"),
])
def test_a_bad_entity_is_named_and_nothing_is_written(db: None, tmp_path: Path, line: int,
                                                      replace: tuple[str, str], expected: str) -> None:
    assert ok(load(tmp_path, "\n".join(GOOD), dry_run=True)).created == 3  # the file is good as it stands
    lines = list(GOOD)
    lines[line - 1] = lines[line - 1].replace(*replace)
    assert lines != GOOD
    before = counts()
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, err = run_import("ftm", str(path))
    assert code == 1
    assert err.splitlines()[0].startswith(f"bad.jsonl {expected}"), err
    assert err.splitlines()[-1].endswith("nothing was written.")
    assert counts() == before


def test_a_later_kind_failing_undoes_the_earlier_ones(db: None, tmp_path: Path) -> None:
    """Units and officials pass their checks and are written inside the transaction; the trip fails: nothing stays."""
    before = counts()
    bad_trip = TRIP.replace('"2026-01-05"', '"2025-12-01"')
    report = load(tmp_path, "\n".join([UNIT, OFFICIAL, EMPLOYMENT, bad_trip]))
    assert [str(e) for e in report.errors] == [
        "entities.jsonl line 4, Trip sojourn-trip-ZT, endDate '2025-12-01': before the departure 2026-01-01"]
    assert counts() == before


def test_relations_resolve_against_the_registry(world: Any, tmp_path: Path) -> None:
    """A trip of an official the registry holds, a post of one in unit A: the file need not repeat them."""
    trip = TRIP.replace("sojourn-official-Z-1", "sojourn-official-OA-1")
    position = ('{"id": "p1", "schema": "Position", "properties": {"name": ["director"], '
                '"organization": ["sojourn-unit-A"]}}')
    occupancy = ('{"id": "o1", "schema": "Occupancy", "properties": {"holder": ["sojourn-official-OA-1"], '
                 '"post": ["p1"], "startDate": ["2024-02-01"]}}')
    report = ok(load(tmp_path, "\n".join([trip, position, occupancy])))
    assert report.kinds == {"posts": (1, 0, 0), "trips": (1, 0, 0)}
    assert Trip.objects.get(trip_id="ZT").official.official_id == "OA-1"
    elsewhere = position.replace("sojourn-unit-A", "sojourn-unit-B")
    report = load(tmp_path, "\n".join([elsewhere, occupancy]))
    assert [str(e) for e in report.errors] == [
        "entities.jsonl line 2, Occupancy o1, post 'p1': the Position's organization is unit B, but official OA-1 "
        "is in unit A; Sojourn keeps a post in its holder's unit"]


# --- an external list ----------------------------------------------------------------------------------

SANCTIONS = [
    {"id": "os-zhang-wei", "schema": "Person", "caption": "Zhang Wei", "datasets": ["us_ofac_sdn"],
     "properties": {"name": ["ZHANG Wei", "张伟"], "alias": ["CHEUNG Wai"], "lastName": ["Zhang"],
                    "firstName": ["Wei"], "birthDate": ["1970-05-01"], "nationality": ["cn"], "gender": ["male"],
                    "passportNumber": ["E 1234 5678"], "topics": ["sanction"], "birthPlace": ["Beijing"]}},
    {"id": "os-zhang-wei-sdn", "schema": "Sanction",
     "properties": {"entity": ["os-zhang-wei"], "authority": ["Office of Foreign Assets Control"],
                    "programId": ["US-SDGT"], "program": ["Specially Designated Global Terrorists"],
                    "reason": ["Financing"], "startDate": ["2019-03-04"], "listingDate": ["2019"],
                    "provisions": ["Asset freeze"]}},
    {"id": "os-huang-mei", "schema": "Person",
     "properties": {"name": ["Huang Mei"], "lastName": ["黄", "Huang"], "firstName": ["美", "Mei"],
                    "birthDate": ["1985"]}},
    {"id": "os-huang-mei-risk", "schema": "Risk",
     "properties": {"entity": ["os-huang-mei"], "authority": ["Bureau of Industry and Security"],
                    "endDate": ["2099-01-01"]}},
]


def external(tmp_path: Path, **kwargs: Any) -> ftm.FtmImportReport:
    text = "\n".join(json.dumps(e, ensure_ascii=False) for e in SANCTIONS)
    return load(tmp_path, text, name="sanctions.jsonl", **kwargs)


def test_an_external_sanctions_list_becomes_watch_lists_and_is_screened(db: None, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from sojourn.screening import services

    assert screen_person(actor="tester", name="张伟", birth_date=date(1970, 5, 1))["matches"] == []
    dropped: list[int] = []
    forget = services.invalidate_index
    monkeypatch.setattr(services, "invalidate_index", lambda: (dropped.append(1), forget())[1])
    report = ok(external(tmp_path))
    assert dropped  # the screening index is dropped, as after a CSV list import
    calls = len(dropped)
    assert report.kinds == {"watchlist": (2, 0, 0)}
    zhang = WatchlistEntry.objects.get(entry_id="os-zhang-wei")
    assert (zhang.watchlist.name, zhang.name_zh, zhang.surname, zhang.given_name, zhang.aliases) == (
        "US-SDGT", "张伟", "Zhang", "Wei", "ZHANG Wei;CHEUNG Wai")
    assert (zhang.doc_numbers, zhang.reason, zhang.action, zhang.valid_from, zhang.sex, zhang.nationality) == (
        "E12345678", "Financing", "refer", date(2019, 3, 4), "M", "CHN")
    huang = WatchlistEntry.objects.get(entry_id="os-huang-mei")
    assert (huang.watchlist.name, huang.name_zh, huang.birth_date, huang.valid_to) == (
        "Bureau-of-Industry-and-Security", "黄美", None, date(2099, 1, 1))
    assert report.notes() == [
        "sanctions.jsonl: not kept: Person.birthDate (Sojourn keeps full dates (YYYY-MM-DD)) (1 entity)",
        "sanctions.jsonl: not kept: Person.birthPlace (Sojourn does not keep birthPlace of a list entry) (1 entity)",
        "sanctions.jsonl: not kept: Person.topics (Sojourn does not keep topics of a list entry) (1 entity)",
        "sanctions.jsonl: not kept: Sanction.listingDate (Sojourn keeps full dates (YYYY-MM-DD)) (1 entity)",
        "sanctions.jsonl: not kept: Sanction.provisions (Sojourn keeps the action on a match: hold, refer or "
        "notify) (1 entity)",
    ]
    for name in ("张伟", "CHEUNG Wai", "Zhang Wei"):
        found = screen_person(actor="tester", name=name, birth_date=date(1970, 5, 1))["matches"]
        assert [(m["list"], m["entry_id"], m["match"]) for m in found][:1] == [("US-SDGT", "os-zhang-wei", True)]
    assert [m["entry_id"] for m in screen_person(actor="tester", name="黄美")["matches"]][:1] == ["os-huang-mei"]
    again = ok(external(tmp_path))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2) and len(dropped) == calls


def test_list_option_puts_an_external_list_on_one_list(db: None, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from sojourn.screening import services

    Watchlist.objects.create(name="partners")
    dropped: list[int] = []
    monkeypatch.setattr(services, "invalidate_index", lambda: dropped.append(1))
    path = tmp_path / "sanctions.jsonl"
    path.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in SANCTIONS), encoding="utf-8")
    code, err = run_import("ftm", str(path), "--list", "partners")
    assert code == 0, err
    assert dropped == [1]  # new entries of a list that was there: only the import can say so
    assert "sanctions.jsonl: not kept: Person.birthPlace" in err
    assert set(WatchlistEntry.objects.values_list("watchlist__name", "entry_id")) == {
        ("partners", "os-zhang-wei"), ("partners", "os-huang-mei")}


def test_an_external_person_needs_a_list(db: None, tmp_path: Path) -> None:
    person = {**SANCTIONS[2], "id": "os-nobody"}
    report = load(tmp_path, json.dumps(person, ensure_ascii=False))
    assert [str(e) for e in report.errors] == [
        "entities.jsonl line 1, Person os-nobody, id 'os-nobody': no list to put this person on: a Sanction or Risk "
        "naming it with a programId, program or authority, the entity's datasets, or --list"]
    assert ok(load(tmp_path, json.dumps({**person, "datasets": ["eu_fsf"]}))).kinds == {"watchlist": (1, 0, 0)}
    assert WatchlistEntry.objects.get(entry_id="os-nobody").watchlist.name == "eu_fsf"


def test_schemata_sojourn_cannot_keep_are_named(db: None, tmp_path: Path) -> None:
    company = {"id": "os-acme", "schema": "Company", "properties": {"name": ["ACME"]}}
    report = load(tmp_path, "\n".join(json.dumps(e, ensure_ascii=False) for e in [*SANCTIONS, company]))
    assert [str(e) for e in report.errors] == [
        "entities.jsonl line 5, Company os-acme, schema 'Company': Sojourn cannot keep Company entities (an external "
        "list holds Person, Sanction and Risk)"]
    assert not WatchlistEntry.objects.exists()


# --- the command line ----------------------------------------------------------------------------------


def test_command_line_exit_codes(world: Any, tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("export", "ftm", stdout=out, stderr=err)
    assert len(out.getvalue().splitlines()) == len(entities(export_text())) > 0
    assert err.getvalue().startswith(f"{len(out.getvalue().splitlines())} entities written: ")
    target = tmp_path / "registry.jsonl"
    call_command("export", "ftm", "--out", str(target), stdout=io.StringIO(), stderr=io.StringIO())
    assert target.read_text(encoding="utf-8") == out.getvalue()
    with pytest.raises(SystemExit) as exc:
        call_command("export", "csv", stdout=io.StringIO(), stderr=(err := io.StringIO()))
    assert exc.value.code == 2 and err.getvalue() == "unknown export kind 'csv' (use one of: ftm)\n"
    with pytest.raises(SystemExit) as exc:
        call_command("export", "ftm", "--out", str(tmp_path / "missing" / "x.jsonl"), stdout=io.StringIO(),
                     stderr=io.StringIO())
    assert exc.value.code == 2

    assert run_import("ftm", str(target))[0] == 0
    assert run_import("ftm", str(target), "--dry-run")[0] == 0
    assert run_import("ftm", str(tmp_path / "nope.jsonl")) == (2, "nope.jsonl: no such file\n")
    assert run_import("ftm", str(target), "--format", "csv") == (
        2, "--format is for tabular files; an ftm file is JSON lines\n")
    assert run_import("ftm", str(target), "--list", "no lists") == (
        2, "--list 'no lists': not a code (letters, digits, '.', '_' and '-' only)\n")
    assert run_import("units", str(target), "--list", "x") == (2, "--list is for ftm files\n")
    (tmp_path / "latin1.jsonl").write_bytes('{"id": "é"}'.encode("latin-1"))
    assert run_import("ftm", str(tmp_path / "latin1.jsonl"))[0] == 2
    (tmp_path / "broken.jsonl").write_text("{not json}\n", encoding="utf-8")
    assert run_import("ftm", str(tmp_path / "broken.jsonl")) == (
        1, "broken.jsonl line 1: not a JSON object (Expecting property name enclosed in double quotes at column 2)\n"
           "broken.jsonl: 1 problem in 1 entities; nothing was written.\n")


def test_a_value_the_model_refuses_stops_the_export(world: Any, tmp_path: Path) -> None:
    Official.objects.filter(official_id="OA-1").update(post="\u200b")  # a zero-width space: FtM cleans it to nothing
    target = tmp_path / "registry.jsonl"
    target.write_text("the last good export\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("export", "ftm", "--out", str(target), stdout=io.StringIO(), stderr=err)
    assert exc.value.code == 1
    assert err.getvalue() == "export ftm: Person sojourn-official-OA-1: position '\\u200b' is not a valid string\n"
    assert target.read_text(encoding="utf-8") == "the last good export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["registry.jsonl"]
    assert not AuditEvent.objects.filter(action="export").exists()
