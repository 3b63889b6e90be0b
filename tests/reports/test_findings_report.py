"""The findings report: groupings by rule, severity, unit and month (the trend), scope, drill-down, audit."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

from django.core.management import call_command

from sojourn.alerts.models import Finding
from sojourn.audit.models import AuditEvent
from sojourn.reports.charts import chart_bytes
from sojourn.reports.findings_report import Params, findings_report


def findings(world) -> None:
    """Unit A: two filing gaps (new, dismissed) in Jan 2026, an overdue (confirmed) in Mar 2026;
    unit A1: an overdue (resolved) in Mar 2026; unit B: a filing gap (new) in Jan 2026."""
    made = [
        ("A", "OA-1", "registry.filing_gap", 3, "new", datetime(2026, 1, 10, 3, tzinfo=UTC)),
        ("A", "OA-1", "registry.filing_gap", 3, "dismissed", datetime(2026, 1, 20, 3, tzinfo=UTC)),
        ("A", "OA-1", "travel.return_overdue", 4, "confirmed", datetime(2026, 3, 5, 3, tzinfo=UTC)),
        ("A1", "OA1-1", "travel.return_overdue", 4, "resolved", datetime(2026, 3, 31, 17, tzinfo=UTC)),  # Apr 1 local
        ("B", "OB-1", "registry.filing_gap", 3, "new", datetime(2026, 1, 15, 3, tzinfo=UTC)),
    ]
    for i, (unit, official, code, severity, status, at) in enumerate(made):
        finding = Finding.objects.create(code=code, severity=severity, official=world.officials[official],
                                         unit=world.units[unit], subject_id=official, text=f"finding {i}",
                                         basis="test", dedupe_key=f"t:{i}", ruleset="test", status=status,
                                         last_seen_at=at)
        Finding.objects.filter(pk=finding.pk).update(created_at=at)


def table(report) -> dict[str, list[int]]:
    return {r["group"]: [r["findings"], r["open"], r["confirmed"], r["dismissed"], r["resolved"]]
            for r in report.rows}


def test_by_code_severity_and_unit(world):
    findings(world)
    qs = Finding.objects.all()
    assert table(findings_report(qs, Params("code"))) == {"registry.filing_gap": [3, 2, 0, 1, 0],
                                                          "travel.return_overdue": [2, 0, 1, 0, 1]}
    by_severity = findings_report(qs, Params("severity"))
    assert [r["group"] for r in by_severity.rows] == ["high", "medium"]
    assert by_severity.totals["findings"] == 5
    assert table(findings_report(qs, Params("unit"))) == {"A Unit A": [3, 1, 1, 1, 0], "A1 Unit A1": [1, 0, 0, 0, 1],
                                                          "B Unit B": [1, 1, 0, 0, 0]}


def test_trend_by_month_in_local_time_with_empty_months_and_a_line_chart(world):
    findings(world)
    report = findings_report(Finding.objects.all(), Params("month"))
    assert table(report) == {"2026-01": [3, 2, 0, 1, 0], "2026-02": [0, 0, 0, 0, 0], "2026-03": [1, 0, 1, 0, 0],
                             "2026-04": [1, 0, 0, 0, 1]}
    assert report.chart == "line"
    svg = chart_bytes(report, "svg")
    assert svg.startswith(b"<?xml") and svg != chart_bytes(findings_report(Finding.objects.all(), Params("code")))


def test_command_line_json(world):
    findings(world)
    out = io.StringIO()
    call_command("report", "findings", "--by", "severity", "--format", "json", stdout=out, stderr=io.StringIO())
    data = json.loads(out.getvalue())
    assert data["report"] == "findings" and data["totals"]["findings"] == 5


def test_page_scope_drill_down_and_audit(world):
    findings(world)
    outsider = world.client("outsider").get("/reports/findings/?by=unit")
    assert [r["label"] for r in outsider.context["rows"]] == ["B Unit B"]
    client = world.client("registrar_a")
    page = client.get("/reports/findings/?by=month")
    assert page.status_code == 200 and 'src="/reports/findings/chart.svg?by=month"' in page.content.decode()
    january = next(r for r in page.context["rows"] if r["label"] == "2026-01")
    href = january["cells"][1][1]  # open findings of January
    assert "group=2026-01" in href and "outcome=open" in href
    before = AuditEvent.objects.filter(action="read").count()
    listing = client.get(href)
    assert [f.text for f in listing.context["rows"]] == ["finding 0"]
    assert AuditEvent.objects.filter(action="read").count() == before + 1
    assert world.client("outsider").get("/reports/findings/list/?by=unit&group=A").context["rows"] == []
    download = client.get("/reports/findings/?by=code&format=json")
    assert json.loads(download.content)["totals"]["findings"] == 4
    api = world.client("inspector").get("/api/v1/reports/findings?by=month")
    assert api.status_code == 200 and len(api.json()["rows"]) == 4
    assert world.client("approver_a").get("/api/v1/reports/findings").status_code == 403
