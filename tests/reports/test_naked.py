"""The naked-officials report: counts, groupings, formats, scope, drill-down audit and the API.

The ``world`` gives OA-1 (unit A) a spouse who is a permanent resident of Canada and OB-1 (unit B)
a spouse abroad the same way. Here OA1-1 (A1, restricted post, bureau rank) gets two emigrated
children and no spouse, OA-2 (A) a spouse at home, and OA-1 a new post after the spouse left.
"""

from __future__ import annotations

import io
import json
from datetime import date
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from sojourn.audit.models import AuditEvent
from sojourn.registry.models import Official, PostChange
from tests.factories import make_official, make_relative


@pytest.fixture
def families(world):
    oa1 = world.officials["OA1-1"]
    Official.objects.filter(pk=oa1.pk).update(restricted_post=True, rank="bureau")
    for rid, emigrated in (("RA1-1", date(2019, 5, 1)), ("RA1-2", date(2021, 8, 1))):
        make_relative(rid, oa1, relationship="child", residence_country="USA", residence_status="citizen",
                      nationality="USA", abroad_since=date(2012, 9, 1), emigrated_on=emigrated)
    oa2 = make_official("OA-2", world.units["A"], id_number="110105197001010011")
    make_relative("RA-2", oa2, residence_country="CHN", residence_status="none", abroad_since=None)
    oa = world.officials["OA-1"]
    PostChange.objects.create(official=oa, post="counsellor", started_on=date(2014, 3, 1))  # before: not moved
    PostChange.objects.create(official=oa, post="inspector", started_on=date(2016, 3, 1))  # after 2015-06-01
    PostChange.objects.create(official=oa1, post="adviser", started_on=date(2021, 8, 1))  # same day: not after
    return world


def run(*extra: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("report", "naked-officials", *extra, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def report_json(*extra: str) -> dict:
    return json.loads(run("--format", "json", *extra)[0])


def test_counts_by_unit(families):
    data = report_json()
    assert data["report"] == "naked-officials" and data["params"] == {"by": "unit"}
    rows = {r["group"]: r for r in data["rows"]}
    assert rows == {
        "A Unit A": {"group": "A Unit A", "officials": 2, "naked": 1, "in_restricted_post": 0, "moved": 1},
        "A1 Unit A1": {"group": "A1 Unit A1", "officials": 1, "naked": 1, "in_restricted_post": 1, "moved": 0},
        "B Unit B": {"group": "B Unit B", "officials": 1, "naked": 1, "in_restricted_post": 0, "moved": 0},
    }
    assert data["totals"] == {"officials": 4, "naked": 3, "in_restricted_post": 1, "moved": 1}


def test_by_rank_and_a_child_at_home_ends_the_status(families):
    data = report_json("--by", "rank")
    assert {r["group"]: (r["officials"], r["naked"]) for r in data["rows"]} == {"bureau": (1, 1),
                                                                              "division": (3, 2)}
    make_relative("RA1-3", families.officials["OA1-1"], relationship="child", residence_country="CHN",
                  residence_status="none", abroad_since=None)
    assert report_json("--by", "rank")["totals"]["naked"] == 2


def test_formats_chart_and_audit(families, tmp_path):
    out, _err = run("--format", "csv")
    assert out.splitlines()[0] == "group,officials,naked,in_restricted_post,moved"
    assert "A1 Unit A1,1,1,1,0" in out.splitlines()
    table, _err = run()
    assert "Naked officials" in table and "A1 Unit A1" in table
    xlsx, chart = tmp_path / "naked.xlsx", tmp_path / "naked.svg"
    before = AuditEvent.objects.filter(action="export", object_id="naked-officials").count()
    run("--format", "xlsx", "--out", str(xlsx), "--chart", str(chart))
    sheet = load_workbook(xlsx).active
    assert [c.value for c in sheet[1]] == ["group", "officials", "naked officials", "in a restricted post",
                                           "moved since"]
    assert chart.read_bytes().startswith(b"<?xml")
    assert AuditEvent.objects.filter(action="export", object_id="naked-officials").count() == before + 1


def test_page_counts_only_the_viewers_units(families):
    response = families.client("registrar_a").get("/reports/naked-officials/")
    assert response.status_code == 200
    rows = {r["label"]: [n for n, _href in r["cells"]] for r in response.context["rows"]}
    assert rows == {"A Unit A": [2, 1, 0, 1], "A1 Unit A1": [1, 1, 1, 0]}
    body = response.content.decode()
    assert "Unit B" not in body and "not a violation" in body
    assert 'src="/reports/naked-officials/chart.svg?by=unit"' in body
    outsider = families.client("outsider").get("/reports/naked-officials/?by=rank")
    assert {r["label"]: [n for n, _ in r["cells"]] for r in outsider.context["rows"]} == {"division": [1, 1, 0, 0]}
    csv = families.client("approver_a").get("/reports/naked-officials/?format=csv")
    assert csv.status_code == 200 and "B Unit B" not in csv.content.decode()
    assert families.client("registrar_a").get("/reports/naked-officials/chart.svg").status_code == 200


def test_each_number_links_to_its_officials_and_the_list_is_audited(families):
    client = families.client("registrar_a")
    page = client.get("/reports/naked-officials/")
    row = next(r for r in page.context["rows"] if r["label"] == "A Unit A")
    moved_href = row["cells"][3][1]
    assert "group=A" in moved_href and "measure=moved" in moved_href
    before = AuditEvent.objects.filter(action="read").count()
    listing = client.get(moved_href)
    assert listing.status_code == 200
    assert [o.official_id for o in listing.context["rows"]] == ["OA-1"]
    assert 'href="/registry/officials/OA-1/"' in listing.content.decode()
    event = AuditEvent.objects.filter(action="read").order_by("seq").last()
    assert AuditEvent.objects.filter(action="read").count() == before + 1
    assert event.actor == "registrar_a" and event.object_id == "naked-officials"
    assert event.detail["officials"] == ["OA-1"] and event.detail["params"]["measure"] == "moved"
    everyone = client.get("/reports/naked-officials/list/?" + urlencode({"measure": "naked"}))
    assert [o.official_id for o in everyone.context["rows"]] == ["OA-1", "OA1-1"]
    restricted = client.get("/reports/naked-officials/list/?measure=in_restricted_post")
    assert [o.official_id for o in restricted.context["rows"]] == ["OA1-1"]
    all_in_a = client.get("/reports/naked-officials/list/?group=A&measure=officials")
    assert [o.official_id for o in all_in_a.context["rows"]] == ["OA-1", "OA-2"]


def test_outsider_gets_nothing_of_unit_a(families):
    client = families.client("outsider")
    assert client.get("/reports/naked-officials/list/?group=A").status_code == 404
    assert client.get("/reports/naked-officials/list/?group=A1&measure=in_restricted_post").status_code == 404
    listing = client.get("/reports/naked-officials/list/?by=rank&group=bureau")
    assert listing.status_code == 200 and listing.context["rows"] == []
    everything = client.get("/reports/naked-officials/list/")
    assert [o.official_id for o in everything.context["rows"]] == ["OB-1"]
    assert client.get("/reports/naked-officials/list/?measure=bogus").status_code == 400


def test_api_in_the_callers_scope(families):
    data = families.client("registrar_a").get("/api/v1/reports/naked-officials?by=unit").json()
    assert data["report"] == "naked-officials" and data["totals"]["naked"] == 2
    assert families.client("inspector").get("/api/v1/reports/naked-officials").json()["totals"]["naked"] == 3
    assert families.client("registrar_a").get("/api/v1/reports/naked-officials?by=port").status_code == 422
    assert families.client("auditor").get("/api/v1/reports/naked-officials").status_code == 403


@pytest.mark.parametrize("persona", ["auditor", "checkpoint"])
@pytest.mark.parametrize("path", ["/reports/naked-officials/", "/reports/naked-officials/list/",
                                  "/reports/naked-officials/chart.svg"])
def test_roles_without_reports_are_refused(world, persona, path):
    assert world.client(persona).get(path).status_code == 403
