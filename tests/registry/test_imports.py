"""Registry imports: all or nothing, idempotent, scoped for registrars, safe against a crash mid-write.

The ``world`` registry: ROOT → A → A1, ROOT → B; officials OA-1 (A), OA1-1 (A1), OB-1 (B).
"""

from __future__ import annotations

from datetime import date
from importlib import import_module
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.helpers import run_import

from sojourn.audit.models import AuditEvent
from sojourn.feeds.base import FeedError
from sojourn.registry import services
from sojourn.registry.models import Official, PostChange, Relative, Unit
from sojourn.registry.services import ImportReport, import_registry_file, import_uploaded

OFFICIALS = (
    "official_id,unit_code,name_zh,surname,given_name,birth_date,sex,id_number,rank,post,"
    "restricted_post,covered_since,filed_on,status\n"
    "N-1,A1,单晓明,SHAN,XIAOMING,1980-01-02,M,110105198001020038,division,处长,yes,2020-01-06,2020-01-08,active\n"
    "N-2,A1,,SMITH,JOHN,1975-03-04,M,110105197503040031,staff,,,2021-02-01,,\n"
    "N-3,A,曾静,ZENG,JING,1985-07-08,F,110105198507080026,section,科长,0,2019-05-05,2019-05-06,retired\n"
)
RELATIVES = (
    "relative_id,official_id,relationship,name_zh,surname,given_name,birth_date,sex,nationality,"
    "residence_country,residence_status,abroad_since,emigrated_on,activity,married_to_foreigner\n"
    "N-1-1,N-1,spouse,李娜,LI,NA,1982-02-03,F,CHN,CAN,permanent_resident,2015-06-01,2018-01-01,work,false\n"
    "N-1-2,N-1,child,单小龙,SHAN,XIAOLONG,2008-09-10,M,,,,,,study,\n"
)
POSTS = "official_id,post,started_on,filed_on\nN-1,副处长,2018-03-01,2018-03-05\nN-1,处长,2022-04-01,\n"


def counts() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "officials": Official.objects.count(),
        "relatives": Relative.objects.count(),
        "posts": PostChange.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def load(
    tmp_path: Path, kind: str, content: str | bytes, name: str | None = None, **kwargs: Any
) -> ImportReport:
    path = tmp_path / (name or f"{kind}.csv")
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return import_registry_file(kind=kind, path=path, actor="tester", **kwargs)


def summary(report: ImportReport) -> tuple[int, int, int, int]:
    assert report.ok, [str(e) for e in report.errors]
    return report.rows, report.created, report.updated, report.unchanged


@pytest.mark.django_db
def test_import_then_reimport_changes_nothing(world, tmp_path):
    assert summary(load(tmp_path, "units", "unit_code,name,parent_code,region\nA2,Unit A2,A,440000\n")) == (
        1,
        1,
        0,
        0,
    )
    assert summary(load(tmp_path, "officials", OFFICIALS)) == (3, 3, 0, 0)
    assert summary(load(tmp_path, "relatives", RELATIVES)) == (2, 2, 0, 0)
    assert summary(load(tmp_path, "posts", POSTS)) == (2, 2, 0, 0)
    before = counts()
    assert summary(load(tmp_path, "units", "unit_code,name,parent_code,region\nA2,Unit A2,A,440000\n")) == (
        1,
        0,
        0,
        1,
    )
    assert summary(load(tmp_path, "officials", OFFICIALS)) == (3, 0, 0, 3)
    assert summary(load(tmp_path, "relatives", RELATIVES)) == (2, 0, 0, 2)
    assert summary(load(tmp_path, "posts", POSTS)) == (2, 0, 0, 2)
    assert counts() == {**before, "audit": before["audit"] + 4}  # one audit event per import, nothing else


@pytest.mark.django_db
def test_imported_records_are_complete(world, tmp_path):
    load(tmp_path, "units", "unit_code,name,parent_code\nA2,Unit A2,A\n")
    assert Unit.objects.get(code="A2").path == "/ROOT/A/A2/"
    load(tmp_path, "officials", OFFICIALS)
    shan = Official.objects.get(official_id="N-1")
    assert (shan.unit.code, shan.restricted_post, shan.name_script) == ("A1", True, "han")
    assert shan.search_key == "|单晓明|SHANXIAOMING|XIAOMINGSHAN|"
    smith = Official.objects.get(official_id="N-2")
    assert (smith.name_script, smith.post, smith.filed_on, smith.status) == ("latin", "", None, "active")
    load(tmp_path, "relatives", RELATIVES)
    child = Relative.objects.get(relative_id="N-1-2")
    assert (child.official, child.nationality, child.residence_country, child.residence_status) == (
        shan,
        "CHN",
        "CHN",
        "none",
    )
    load(tmp_path, "posts", POSTS)
    assert list(shan.post_changes.values_list("post", "filed_on")) == [
        ("副处长", date(2018, 3, 5)),
        ("处长", None),
    ]
    event = AuditEvent.objects.filter(action="import").last()
    assert event is not None
    assert (event.actor, event.object_type, event.object_id) == ("tester", "import:posts", "posts.csv")
    assert event.detail["rows"] == 2 and event.detail["created"] == 2 and len(event.detail["sha256"]) == 64


@pytest.mark.django_db
def test_update_changes_only_what_changed(world, tmp_path):
    load(tmp_path, "officials", OFFICIALS)
    changed = OFFICIALS.replace("N-3,A,曾静,ZENG,JING", "N-3,A,曾晶,ZENG,JING").replace(
        ",科长,0,", ",副处长,0,"
    )
    assert summary(load(tmp_path, "officials", changed)) == (3, 0, 1, 2)
    zeng = Official.objects.get(official_id="N-3")
    assert (zeng.name_zh, zeng.post, zeng.status) == ("曾晶", "副处长", "retired")
    assert zeng.search_key.startswith("|曾晶|")


@pytest.mark.django_db
def test_a_column_left_out_keeps_the_stored_values(world, tmp_path):
    load(tmp_path, "officials", OFFICIALS)
    Official.objects.filter(official_id="N-1").update(status="missing")
    partial = "official_id,unit_code,surname,birth_date,sex,id_number,rank,covered_since\n" + "\n".join(
        ",".join(line.split(",")[i] for i in (0, 1, 3, 5, 6, 7, 8, 11)) for line in OFFICIALS.splitlines()[1:]
    )
    assert summary(load(tmp_path, "officials", partial)) == (3, 0, 0, 3)
    assert Official.objects.get(official_id="N-1").status == "missing"


@pytest.mark.django_db
def test_one_bad_row_writes_nothing(world, tmp_path):
    before = counts()
    bad = OFFICIALS + "N-4,A,,WU,,1970-13-01,M,110105197001010011,staff,,,2020-01-01,,\n"
    report = load(tmp_path, "officials", bad)
    assert [str(e) for e in report.errors] == ["officials.csv row 5, birth_date '1970-13-01': not a date"]
    assert (report.rows, report.created) == (4, 0)
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            OFFICIALS.replace("status\n", "status,nickname\n", 1),
            "officials.csv row 1, nickname: unknown column",
        ),
        (
            OFFICIALS.replace(",birth_date", "", 1),
            "officials.csv row 1, birth_date: required column is missing",
        ),
        (OFFICIALS.replace("N-2,", "N-1,", 1), "officials.csv row 3, official_id 'N-1': duplicate of row 2"),
        (
            OFFICIALS.replace("N-2,A1", "N-2,Q9", 1),
            "officials.csv row 3, unit_code 'Q9': no such unit in the registry",
        ),
        (
            OFFICIALS.encode("gb18030"),
            f"officials.csv: not UTF-8: byte 0xB5 at byte offset {OFFICIALS.index('单')} (line 2)",
        ),
        (
            OFFICIALS.replace(",division,", ",colonel,", 1),
            "officials.csv row 2, rank 'colonel': not one of national,",
        ),
    ],
    ids=["unknown column", "missing column", "duplicate key", "unknown unit", "wrong encoding", "bad enum"],
)
def test_bad_files_are_reported_and_write_nothing(world, tmp_path, content, expected):
    before = counts()
    report = load(tmp_path, "officials", content)
    assert not report.ok
    assert str(report.errors[0]).startswith(expected)
    assert counts() == before


@pytest.mark.django_db
def test_dry_run_counts_but_writes_nothing(world, tmp_path):
    before = counts()
    report = load(tmp_path, "officials", OFFICIALS, dry_run=True)
    assert summary(report) == (3, 3, 0, 0) and report.dry_run
    assert "dry run, nothing was written" in report.summary()
    assert counts() == before


@pytest.mark.django_db
def test_xlsx_round_trip(world, tmp_path):
    load(tmp_path, "officials", OFFICIALS)
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for line in OFFICIALS.splitlines():
        sheet.append(line.split(","))
    book.save(tmp_path / "officials.xlsx")
    report = import_registry_file(kind="officials", path=tmp_path / "officials.xlsx", actor="tester")
    assert summary(report) == (3, 0, 0, 3)


@pytest.mark.django_db
def test_moving_a_unit_renews_the_paths_below_it(world, tmp_path):
    report = load(tmp_path, "units", "unit_code,name,parent_code\nA,Unit A,B\n")
    assert summary(report) == (1, 0, 1, 0) and report.moved == 1
    assert dict(Unit.objects.values_list("code", "path")) == {
        "ROOT": "/ROOT/",
        "A": "/ROOT/B/A/",
        "A1": "/ROOT/B/A/A1/",
        "B": "/ROOT/B/",
    }


@pytest.mark.django_db
def test_post_changes_update_filing_date(world, tmp_path):
    load(tmp_path, "officials", OFFICIALS)
    load(tmp_path, "posts", POSTS)
    assert summary(load(tmp_path, "posts", POSTS.replace("2022-04-01,", "2022-04-01,2022-04-20"))) == (
        2,
        0,
        1,
        1,
    )


@pytest.mark.django_db(transaction=True)
def test_crash_mid_write_leaves_registry_as_it_was_and_rerun_completes(world, tmp_path, monkeypatch):
    load(tmp_path, "officials", OFFICIALS)
    before = counts()
    original = Relative.objects.bulk_create
    calls = {"n": 0}

    def crash_after_first_batch(objs: list[Relative], *args: Any, **kwargs: Any) -> list[Relative]:
        calls["n"] += 1
        if calls["n"] > 1:
            raise KeyboardInterrupt("killed")
        return original(objs, *args, **kwargs)

    monkeypatch.setattr(services, "BATCH", 1)
    monkeypatch.setattr(Relative.objects, "bulk_create", crash_after_first_batch)
    with pytest.raises(KeyboardInterrupt):
        load(tmp_path, "relatives", RELATIVES)
    assert calls["n"] == 2
    assert counts() == before
    monkeypatch.undo()
    assert summary(load(tmp_path, "relatives", RELATIVES)) == (2, 2, 0, 0)


@pytest.mark.django_db
def test_registrar_upload_is_limited_to_own_units(world, tmp_path):
    before = counts()
    upload = SimpleUploadedFile("officials.csv", OFFICIALS.replace("N-2,A1", "N-2,B").encode())
    report = import_uploaded(kind="officials", upload=upload, actor=world.users["registrar_a"], dry_run=False)
    assert [str(e) for e in report.errors] == [
        "officials.csv row 3, unit_code 'B': unit B is outside your scope"
    ]
    assert counts() == before
    upload = SimpleUploadedFile("officials.csv", OFFICIALS.encode())
    assert summary(import_uploaded(kind="officials", upload=upload, actor=world.users["registrar_a"])) == (
        3,
        3,
        0,
        0,
    )
    event = AuditEvent.objects.filter(action="import").last()
    assert event is not None and event.actor == "registrar_a"


@pytest.mark.django_db
def test_admin_upload_is_not_limited_and_bad_upload_is_reported(world):
    upload = SimpleUploadedFile("units.csv", b"unit_code,name,parent_code\nC,Unit C,B\n")
    assert summary(import_uploaded(kind="units", upload=upload, actor=world.users["admin"])) == (1, 1, 0, 0)
    report = import_uploaded(
        kind="units", upload=SimpleUploadedFile("units.xlsx", b"junk"), actor=world.users["admin"]
    )
    assert [str(e) for e in report.errors][0].startswith("units.xlsx: not a readable XLSX file")


@pytest.mark.django_db
def test_import_page_for_registrar(world):
    client = world.client("registrar_a")
    upload = SimpleUploadedFile("units.csv", b"unit_code,name,parent_code\nB9,Unit B9,B\n")
    response = client.post("/registry/import/", {"kind": "units", "file": upload})
    assert response.status_code == 200
    assert "unit B9 is outside your scope" in response.content.decode()
    assert not Unit.objects.filter(code="B9").exists()



@pytest.mark.django_db
def test_command_exit_codes_and_report(world, tmp_path):
    path = tmp_path / "officials.csv"
    path.write_text(OFFICIALS, encoding="utf-8")
    assert run_import("officials", str(path), "--dry-run") == (
        0,
        "officials.csv: 3 rows are valid; would be 3 created, 0 updated, 0 unchanged (dry run, nothing was written).\n",
    )
    assert run_import("officials", str(path))[0] == 0
    assert AuditEvent.objects.filter(action="import").last().actor.startswith("cli")  # type: ignore[union-attr]
    bad = tmp_path / "bad.csv"
    rows = "".join(f"X{i},A,,WU,,1970-13-01,M,110105197001010011,staff,,,2020-01-01,,\n" for i in range(205))
    bad.write_text(OFFICIALS.splitlines()[0] + "\n" + rows, encoding="utf-8")
    code, err = run_import("officials", str(bad))
    lines = err.splitlines()
    assert code == 1 and len(lines) == 202
    assert lines[0] == "bad.csv row 2, birth_date '1970-13-01': not a date"
    assert lines[-2:] == ["... and 5 more", "bad.csv: 205 problems in 205 rows; nothing was written."]


IMPORT_COMMAND = "sojourn.registry.management.commands.import"  # 'import' is a keyword


@pytest.mark.django_db
def test_command_usage_errors_exit_2(world, tmp_path):
    assert run_import("ftm", "x.jsonl") == (2, "x.jsonl: no such file\n")
    assert run_import("people", "x.csv") == (
        2,
        f"unknown import kind 'people' (use one of: {', '.join(import_module(IMPORT_COMMAND).KINDS)})\n",
    )
    assert run_import("units", str(tmp_path / "missing.csv")) == (2, "missing.csv: no such file\n")
    (tmp_path / "units.dat").write_text("x")
    code, err = run_import("units", str(tmp_path / "units.dat"))
    assert code == 2 and "use --format csv|xlsx|parquet" in err


def test_feed_error_names_the_file():
    assert str(FeedError("units.xlsx", "not a readable XLSX file")) == "units.xlsx: not a readable XLSX file"


@pytest.mark.django_db
def test_a_record_created_meanwhile_fails_the_import_cleanly(world, tmp_path, monkeypatch):
    from tests.factories import make_official

    write = services.write_records

    def someone_else_first(plan: Any, advance: Any) -> None:
        make_official("N-2", world.units["A"])  # registered by someone else after the check
        write(plan, advance)

    monkeypatch.setattr(services, "write_records", someone_else_first)
    before = counts()
    report = load(tmp_path, "officials", OFFICIALS)
    assert [str(e) for e in report.errors] == [
        "officials.csv: the registry changed while the file was being imported; nothing was written, run it again"
    ]
    assert counts() == before  # (the conflicting insert ran inside the import's transaction here)
