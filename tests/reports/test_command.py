"""``sojourn report non-returns``: the JSON contract, groupings, files, usage errors and the audit row."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from sojourn.audit.models import AuditEvent
from tests.reports.fixtures import AS_OF, FROM, TO, holiday_journeys

STATUSES = ("returned_on_time", "returned_late", "abroad", "overdue", "missing", "unapproved")


def run(*extra: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("report", "non-returns", "--from", FROM.isoformat(), "--to", TO.isoformat(),
                 "--as-of", AS_OF.isoformat(), *extra, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def report_json(*extra: str) -> dict:
    out, _err = run("--format", "json", *extra)
    return json.loads(out)


def test_json_contract_by_unit(world):
    holiday_journeys(world)
    data = report_json()
    assert set(data) == {"report", "params", "rows", "totals"}
    assert data["report"] == "non-returns"
    assert data["params"]["from"] == "2025-10-01" and data["params"]["as_of"] == "2025-10-20"
    assert data["params"]["by"] == "unit"
    rows = {r["group"]: r for r in data["rows"]}
    assert set(rows) == {"A Unit A", "A1 Unit A1", "B Unit B"}
    assert rows["A Unit A"] == {"group": "A Unit A", "travelled": 4, "returned_on_time": 1, "returned_late": 1,
                                "abroad": 0, "overdue": 1, "missing": 0, "unapproved": 1}
    assert rows["A1 Unit A1"]["abroad"] == 1 and rows["A1 Unit A1"]["missing"] == 1
    assert data["totals"] == {"travelled": 8, "returned_on_time": 2, "returned_late": 1, "abroad": 1,
                              "overdue": 2, "missing": 1, "unapproved": 1}
    for row in data["rows"]:
        assert row["travelled"] == sum(row[s] for s in STATUSES)


@pytest.mark.parametrize(("by", "groups"), [
    ("rank", {"division": 8}),
    ("destination", {"HKG": 4, "MAC": 2, "THA": 1, "USA": 1}),
    ("port", {"Shenzhen Bay": 4, "Gongbei": 2, "Beijing Capital": 2}),
])
def test_groupings(world, by, groups):
    holiday_journeys(world)
    data = report_json("--by", by)
    assert {r["group"]: r["travelled"] for r in data["rows"]} == groups
    assert data["totals"]["travelled"] == 8


def test_as_of_changes_the_verdict(world):
    holiday_journeys(world)
    early = report_json("--as-of", "2025-10-07")["totals"]
    # As of 7 October the return of the 9th has not happened: that traveller is overdue, not late.
    assert early["returned_late"] == 0 and early["overdue"] == 2 and early["abroad"] == 4
    later = report_json("--as-of", "2025-11-30")["totals"]
    assert later["missing"] == 4 and later["abroad"] == 0 and later["overdue"] == 0


def test_files_and_chart(world, tmp_path):
    holiday_journeys(world)
    csv_file, xlsx_file, svg, png = (tmp_path / n for n in ("r.csv", "r.xlsx", "r.svg", "r.png"))
    run("--format", "csv", "--out", str(csv_file), "--chart", str(svg))
    lines = csv_file.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "group,travelled," + ",".join(STATUSES)
    assert len(lines) == 4
    assert svg.read_bytes().lstrip()[:5] in {b"<?xml", b"<svg "}
    _out, err = run("--format", "xlsx", "--out", str(xlsx_file), "--chart", str(png))
    assert "written" in err
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    sheet = load_workbook(xlsx_file).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "group" and values[1][0] == "A Unit A" and values[-1][1] == 8


def test_table_is_the_default(world):
    holiday_journeys(world)
    out, _err = run()
    assert "Unit A1" in out and "Non-returns" in out


def test_one_audit_row_per_run(world):
    holiday_journeys(world)
    before = AuditEvent.objects.count()
    report_json("--by", "port")
    event = AuditEvent.objects.order_by("-seq").first()
    assert AuditEvent.objects.count() == before + 1
    assert event.action == "export" and event.object_id == "non-returns"
    assert event.detail["params"]["by"] == "port" and event.detail["format"] == "json"


@pytest.mark.parametrize("args", [
    ["--from", "2025-10-09", "--to", "2025-10-08"],  # the window ends before it starts
    ["--from", "2025-10-01", "--to", "2025-10-08", "--chart", "chart.gif"],
    ["--from", "2025-10-01", "--to", "2025-10-08", "--format", "xlsx"],  # xlsx needs --out
])
def test_bad_usage_exits_2(db, args):
    with pytest.raises(SystemExit) as exc:
        call_command("report", "non-returns", *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert exc.value.code == 2
    assert not AuditEvent.objects.filter(action="export").exists()


def test_bad_date_exits_2_from_the_command_line(db):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "sojourn", "report", "non-returns", "--from", "2025-13-01",
                           "--to", "2025-10-08"], capture_output=True, text=True, check=False)
    assert done.returncode == 2, done.stderr
    assert "not a date" in done.stderr
