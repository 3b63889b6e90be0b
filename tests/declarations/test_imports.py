"""``sojourn import declarations|assets``: all or nothing, row-numbered errors, idempotent, corrections."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from sojourn.audit.models import AuditEvent
from sojourn.declarations.importing import import_assets_file, import_declarations_file
from sojourn.declarations.models import Asset, Declaration

DECLARATIONS = """official_id,year,submitted_on,item,detail
OA-1,2025,2026-01-20,emigration,relative_id=RA-1;country=CAN;from=2015-06-01
OA-1,2025,2026-01-20,passport,number=E12345678
OA-1,2025,2026-01-20,real_estate,country=CHN;area=92.5
OA-1,2025,2026-01-20,income,amount=350000;currency=CNY
OA1-1,2025,2026-01-25,hkmt_trip,country=HKG;from=2025-10-01;to=2025-10-07
"""
ASSETS = """asset_id,official_id,holder_relative_id,kind,country,value,currency,acquired_on,area,source
AS-1,OA-1,,real_estate,CHN,3000000,CNY,2012-05-01,92.5,property
AS-2,OA-1,RA-1,deposit,CAN,120000,CAD,2019-01-01,,bank
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_declarations_import_and_reimport_changes_nothing(world, tmp_path):
    path = write(tmp_path, "declarations.csv", DECLARATIONS)
    report = import_declarations_file(path=path, actor="cli:test")
    assert report.ok and (report.rows, report.created) == (5, 2)
    oa = Declaration.objects.get(official__official_id="OA-1")
    assert (oa.status, oa.version, oa.source, str(oa.submitted_on)) == ("submitted", 1, "import", "2026-01-20")
    emigration = oa.items.get(kind="emigration")
    assert emigration.relative.relative_id == "RA-1" and str(emigration.from_date) == "2015-06-01"
    assert oa.items.get(kind="real_estate").area == Decimal("92.5")
    again = import_declarations_file(path=path, actor="cli:test")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Declaration.objects.count() == 2
    assert AuditEvent.objects.filter(action="import", object_type="import:declarations").count() == 2


def test_a_changed_report_is_imported_as_a_correction(world, tmp_path):
    import_declarations_file(path=write(tmp_path, "d.csv", DECLARATIONS), actor="cli:test")
    changed = DECLARATIONS.replace("area=92.5", "area=120")
    report = import_declarations_file(path=write(tmp_path, "d2.csv", changed), actor="cli:test")
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    v1, v2 = Declaration.objects.filter(official__official_id="OA-1").order_by("version")
    assert v2.corrects == v1 and v1.items.get(kind="real_estate").area == Decimal("92.5")
    assert v2.items.get(kind="real_estate").area == Decimal("120")


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_written(world, tmp_path):
    bad = DECLARATIONS + "\n".join([
        "OA-1,2025,2026-01-21,passport,number=E1",  # another submitted_on for the same report
        "OA-1,2025,2026-01-20,yacht,",
        "OA-1,2025,2026-01-20,emigration,relative_id=RB-1",
        "OA-1,2025,2026-01-20,real_estate,area=big",
        "OA-1,2025,2026-01-20,real_estate,colour=red",
        "NOPE,2025,2026-01-20,income,amount=1",
    ]) + "\n"
    report = import_declarations_file(path=write(tmp_path, "bad.csv", bad), actor="cli:test")
    lines = [str(e) for e in report.errors]
    assert any(line.startswith("bad.csv row 7, submitted_on") for line in lines)
    assert any(line.startswith("bad.csv row 8, item 'yacht'") for line in lines)
    assert any("row 9, detail" in line and "no relative RB-1 of official OA-1" in line for line in lines)
    assert any("row 10, detail" in line and "area: not a number" in line for line in lines)
    assert any("row 11, detail" in line and "unknown key 'colour'" in line for line in lines)
    assert any("row 12, official_id" in line for line in lines)
    assert not Declaration.objects.exists()


def test_assets_import_is_idempotent_and_checks_the_holder(world, tmp_path):
    path = write(tmp_path, "assets.csv", ASSETS)
    report = import_assets_file(path=path, actor="cli:test")
    assert report.ok and report.created == 2
    deposit = Asset.objects.get(asset_id="AS-2")
    assert deposit.holder_relative.relative_id == "RA-1" and deposit.source == "bank" and deposit.area is None
    assert import_assets_file(path=path, actor="cli:test").unchanged == 2
    bad = write(tmp_path, "bad.csv", ASSETS + "AS-3,OA-1,RB-1,deposit,CHN,5,CNY,,,\nAS-4,OA-1,,yacht,XX,-5,CNY,,,\n")
    report = import_assets_file(path=bad, actor="cli:test")
    lines = [str(e) for e in report.errors]
    assert any("row 4, holder_relative_id 'RB-1'" in line for line in lines)
    assert any("row 5, kind 'yacht'" in line for line in lines)
    assert any("row 5, country 'XX'" in line for line in lines)
    assert any("row 5, value '-5'" in line for line in lines)
    assert Asset.objects.count() == 2


def test_the_command_routes_both_kinds_and_dry_run_writes_nothing(world, tmp_path, capsys):
    path = write(tmp_path, "declarations.csv", DECLARATIONS)
    call_command("import", "declarations", str(path), "--dry-run")
    assert not Declaration.objects.exists()
    call_command("import", "declarations", str(path))
    call_command("import", "assets", str(write(tmp_path, "assets.csv", ASSETS)))
    assert Declaration.objects.count() == 2 and Asset.objects.count() == 2
    with pytest.raises(SystemExit) as exit_code:
        call_command("import", "assets", str(write(tmp_path, "bad.csv", "asset_id\nX\n")))
    assert exit_code.value.code == 1
