"""The report pages, drill-downs, overdue board, home panel and API: scope, audit and exports."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from sojourn.audit.models import AuditEvent
from tests.reports.fixtures import AS_OF, FROM, TO, holiday_journeys

QUERY = {"from": FROM.isoformat(), "to": TO.isoformat(), "as_of": AS_OF.isoformat(), "by": "unit"}


def url(path: str, **extra: str) -> str:
    return f"{path}?{urlencode({**QUERY, **extra})}"


def test_report_page_counts_only_the_viewers_units(world):
    holiday_journeys(world)
    response = world.client("registrar_a").get(url("/reports/non-returns/"))
    assert response.status_code == 200
    rows = {r["label"]: [n for n, _href in r["cells"]] for r in response.context["rows"]}
    assert set(rows) == {"A Unit A", "A1 Unit A1"}
    assert response.context["totals"]["cells"][0][0] == 6
    body = response.content.decode()
    assert "Unit B" not in body
    assert 'src="/reports/non-returns/chart.svg?' in body
    outsider = world.client("outsider").get(url("/reports/non-returns/"))
    assert {r["label"] for r in outsider.context["rows"]} == {"B Unit B"}
    assert outsider.context["totals"]["cells"][0][0] == 2


def test_each_number_links_to_its_journeys(world):
    holiday_journeys(world)
    client = world.client("registrar_a")
    page = client.get(url("/reports/non-returns/"))
    row = next(r for r in page.context["rows"] if r["label"] == "A Unit A")
    overdue_href = row["cells"][4][1]  # travelled, on time, late, abroad, overdue
    assert "group=A" in overdue_href and "status=overdue" in overdue_href
    listing = client.get(overdue_href)
    assert listing.status_code == 200
    shown = [r["journey"].exit_date.isoformat() for r in listing.context["rows"]]
    assert shown == ["2025-10-03"]
    assert 'href="/registry/officials/OA-1/"' in listing.content.decode()


def test_drill_down_is_audited_once_per_page(world):
    holiday_journeys(world)
    before = AuditEvent.objects.filter(action="read").count()
    response = world.client("registrar_a").get(url("/reports/non-returns/list/"))
    assert response.status_code == 200 and len(response.context["rows"]) == 6
    reads = AuditEvent.objects.filter(action="read").order_by("seq")
    assert reads.count() == before + 1
    event = reads.last()
    assert event.actor == "registrar_a" and event.object_id == "non-returns"
    assert sorted(event.detail["officials"]) == ["OA-1", "OA1-1"]


def test_outsider_gets_nothing_of_unit_a(world):
    holiday_journeys(world)
    client = world.client("outsider")
    assert client.get(url("/reports/non-returns/list/", group="A")).status_code == 404
    assert client.get(url("/reports/non-returns/list/", group="A1", status="missing")).status_code == 404
    listing = client.get(url("/reports/non-returns/list/", by="destination", group="MAC"))
    assert listing.status_code == 200 and listing.context["rows"] == []
    everything = client.get(url("/reports/non-returns/list/"))
    assert {r["official"].official_id for r in everything.context["rows"]} == {"OB-1"}
    assert "OA1-1" not in everything.content.decode()
    board = client.get("/reports/overdue/?as_of=2025-10-20")
    assert {r["official"].official_id for r in board.context["rows"]} == {"OB-1"}


@pytest.mark.parametrize("persona", ["auditor", "checkpoint"])
@pytest.mark.parametrize("path", ["/reports/", "/reports/non-returns/", "/reports/non-returns/list/",
                                  "/reports/non-returns/chart.svg", "/reports/overdue/"])
def test_roles_without_reports_are_refused(world, persona, path):
    assert world.client(persona).get(path).status_code == 403


def test_exports_are_audited(world):
    holiday_journeys(world)
    client = world.client("inspector")
    csv = client.get(url("/reports/non-returns/", format="csv"))
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines()[0].startswith("group,travelled,returned_on_time")
    assert "attachment" in csv["Content-Disposition"]
    xlsx = client.get(url("/reports/non-returns/", format="xlsx", by="port"))
    assert xlsx.content[:2] == b"PK"
    data = client.get(url("/reports/non-returns/", format="json")).json()
    assert data["report"] == "non-returns" and data["totals"]["travelled"] == 8
    exports = AuditEvent.objects.filter(action="export", actor="inspector").order_by("seq")
    assert [e.detail["format"] for e in exports] == ["csv", "xlsx", "json"]
    assert exports[1].detail["params"]["by"] == "port"
    assert client.get(url("/reports/non-returns/", format="pdf")).status_code == 400


def test_chart_is_svg(world):
    holiday_journeys(world)
    response = world.client("registrar_a").get(url("/reports/non-returns/chart.svg"))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip()[:5] in {b"<?xml", b"<svg "}


def test_bad_parameters(world):
    client = world.client("registrar_a")
    assert client.get(url("/reports/non-returns/", **{"from": "2025-10-09"})).status_code == 400
    assert client.get(url("/reports/non-returns/", as_of="yesterday")).status_code == 400
    assert client.get(url("/reports/non-returns/list/", status="lost")).status_code == 400
    assert client.get(url("/reports/non-returns/chart.svg", by="colour")).status_code == 400


def test_overdue_board_oldest_due_date_first(world):
    holiday_journeys(world)
    response = world.client("inspector").get("/reports/overdue/?as_of=2025-10-20")
    assert response.status_code == 200
    rows = [(r["journey"].due_date.isoformat(), r["days_overdue"], r["status"]) for r in response.context["rows"]]
    assert rows == [("2025-09-15", 35, "missing"), ("2025-09-25", 25, "overdue"),
                    ("2025-10-06", 14, "overdue"), ("2025-10-07", 13, "overdue")]
    event = AuditEvent.objects.filter(action="read", object_id="overdue").get()
    assert event.detail["officials"] == ["OA1-1", "OA-1", "OB-1"]


def test_home_panel_for_the_holiday(world, settings, monkeypatch):
    holiday_journeys(world)
    monkeypatch.setenv("SOJOURN_AS_OF", AS_OF.isoformat())
    settings.SOJOURN_HOLIDAY_WINDOW = f"{FROM}..{TO}"
    response = world.client("registrar_a").get("/")
    cards = {str(label): n for label, n, _href in response.context["holiday"]["cards"]}
    assert cards == {"travelled": 6, "on time": 1, "late": 1, "overdue, not back": 1, "missing": 1, "unapproved": 1}
    assert "/reports/non-returns/?from=2025-10-01" in response.content.decode()
    assert world.client("checkpoint").get("/").context["holiday"] is None


def test_default_holiday_window_is_eight_days_to_as_of(world, monkeypatch):
    monkeypatch.setenv("SOJOURN_AS_OF", "2025-10-08")
    response = world.client("registrar_a").get("/reports/non-returns/")
    params = response.context["params"]
    assert (params.window.start.isoformat(), params.window.end.isoformat()) == ("2025-10-01", "2025-10-08")


def test_api_report_in_scope(world):
    holiday_journeys(world)
    api = "/api/v1/reports/non-returns?" + urlencode(QUERY)
    mine = world.client("registrar_a").get(api)
    assert mine.status_code == 200
    data = mine.json()
    assert set(data) == {"report", "params", "rows", "totals"}
    assert [r["group"] for r in data["rows"]] == ["A Unit A", "A1 Unit A1"]
    outsider = world.client("outsider").get(api).json()
    assert [r["group"] for r in outsider["rows"]] == ["B Unit B"]
    assert world.client("auditor").get(api).status_code == 403
    assert world.client("registrar_a").get(api.replace("by=unit", "by=colour")).status_code == 422
    assert AuditEvent.objects.filter(action="export", purpose="api").count() == 2


def test_matplotlib_is_imported_only_for_a_chart():
    import subprocess
    import sys

    code = ("import django, os, sys; os.environ['DJANGO_SETTINGS_MODULE'] = 'sojourn.settings'; django.setup(); "
            "import sojourn.urls, sojourn.reports.views, sojourn.reports.management.commands.report; "
            "print('matplotlib' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
