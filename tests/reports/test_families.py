"""The families-abroad report on a hand-made family: people vs cases, groups, periods, categories, assets,
scope, formats, charts, audit of the drill-down and of exports, and the synthetic manifest."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from sojourn.audit.models import AuditEvent
from sojourn.registry.models import Relative
from sojourn.reports.charts import chart_bytes
from sojourn.reports.destinations import Groups, Periods, parse_ranks
from sojourn.reports.families import Config, Params, families_abroad, relatives_behind
from sojourn.reports.render import render
from tests.factories import make_relative

AS_OF = date(2026, 6, 30)


def family(world) -> None:
    """OA-1 (division, unit A): RA-1 spouse CAN 2015 (from the world), RA-2 child CAN studying since 2019,
    RA-3 child GBR in business, emigrated 1995; a parent in the USA, a child at home and a child with no
    residence status abroad (none counted). OA1-1 (bureau, unit A1): spouse FRA 1988, child DEU studying
    2020, child BRA with no date. OB-1 (unit B): RB-1 spouse CAN 2015 (from the world)."""
    a, a1 = world.officials["OA-1"], world.officials["OA1-1"]
    a1.rank = "bureau"
    a1.save()
    make_relative("RA-2", a, relationship="child", residence_status="resident", abroad_since=date(2019, 9, 1),
                  activity="study")
    make_relative("RA-3", a, relationship="child", residence_country="GBR", residence_status="citizen",
                  nationality="GBR", abroad_since=date(1993, 1, 1), emigrated_on=date(1995, 3, 1), activity="business")
    make_relative("RA-4", a, relationship="parent", residence_country="USA")
    make_relative("RA-5", a, relationship="child", residence_country="CHN", residence_status="none", abroad_since=None)
    make_relative("RA-7", a, relationship="child", residence_country="USA", residence_status="none")
    make_relative("RA1-1", a1, residence_country="FRA", emigrated_on=date(1988, 5, 1), abroad_since=date(1987, 1, 1))
    make_relative("RA1-2", a1, relationship="child", residence_country="DEU", residence_status="resident",
                  abroad_since=date(2020, 2, 1), activity="study")
    make_relative("RA1-3", a1, relationship="child", residence_country="BRA", abroad_since=None)


def rows(report) -> dict[str, tuple[int, int]]:
    return {r["group"]: (r["people"], r["cases"]) for r in report.rows}


def report(by: str, relatives=None):
    return families_abroad(relatives if relatives is not None else Relative.objects.all(), Params(AS_OF, by),
                           Config.defaults())


def test_people_and_cases_by_destination(world):
    family(world)
    got = report("destination")
    assert rows(got)["Canada"] == (3, 2)  # RA-1 and RA-2 are one case (OA-1), RB-1 another
    assert rows(got)["Western Europe"] == (3, 2)  # GBR (OA-1) and FRA + DEU (OA1-1): one case each
    assert rows(got)["Other"] == (1, 1)
    assert rows(got)["United States"] == (0, 0)  # a parent and a relative with no residence status
    assert [r["group"] for r in got.rows][:3] == ["Hong Kong", "Macau", "United States"]
    assert got.totals["people"] == 7 and got.totals["cases"] == 5
    assert got.as_dict()["params"]["notes"] and "34 people a case" in got.params["notes"][0]


def test_periods_by_emigration_date_else_abroad_since(world):
    family(world)
    got = rows(report("period"))
    assert got["1985–1990"] == (1, 1)  # RA1-1 emigrated 1988
    assert got["1991–1998"] == (1, 1)  # RA-3 left 1993, emigrated 1995
    assert got["1999–2005"] == (0, 0)
    assert got["2011–2015"] == (2, 2) and got["2016–2020"] == (2, 2)
    assert got["date unknown"] == (1, 1)
    assert "before 1985" not in got and list(got)[-2] == "2026–2030"


def test_categories_senior_business_study(world, settings):
    family(world)
    got = report("category")
    assert rows(got) == {"all": (7, 5), "senior": (3, 2), "business": (1, 1), "study": (2, 2)}
    assert got.totals["people"] == 7 and got.totals["cases"] == 5
    wider = families_abroad(Relative.objects.all(), Params(AS_OF, "category"),
                            Config(Groups(), Periods(), parse_ranks("bureau,division")))
    assert rows(wider)["senior"] == (7, 5)


def test_groups_and_periods_are_configurable():
    groups = Groups.parse("Americas:USA,CAN;Europe:GBR,FRA")
    assert groups.names == ("Americas", "Europe", "Other") and groups.group_of("DEU") == "Other"
    assert Groups.parse('{"A": ["usa"]}').group_of("USA") == "A"
    with pytest.raises(ValueError):
        Groups.parse("A:USA;B:USA")
    periods = Periods.parse("1990-1999,2000-2009,+10")
    assert periods.keys(date(2026, 1, 1)) == ("before 1990", "1990–1999", "2000–2009", "2010–2019", "2020–2029",
                                              "date unknown")
    assert Periods.parse("1990-1999").key_of(date(2024, 1, 1), date(2026, 1, 1)) == "1990–1999"
    with pytest.raises(ValueError):
        Periods.parse("1990-1994,1996-2000")
    with pytest.raises(ValueError):
        parse_ranks("general")


def test_configured_groups_regroup_the_cases(world):
    family(world)
    config = Config(Groups.parse("North America:CAN,USA;Europe:GBR,FRA,DEU"), Periods(), ("bureau",))
    got = rows(families_abroad(Relative.objects.all(), Params(AS_OF, "destination"), config))
    assert got == {"North America": (3, 2), "Europe": (3, 2), "Other": (1, 1)}


def test_foreign_assets_of_the_cases(world):
    from sojourn.declarations.models import Asset

    family(world)
    a, a1, b = world.officials["OA-1"], world.officials["OA1-1"], world.officials["OB-1"]
    ra3 = Relative.objects.get(relative_id="RA-3")
    for i, (official, holder, country, value, currency) in enumerate([
        (a, None, "CAN", "1000", "CNY"),  # OA-1's own, in Canada where OA-1 has a case
        (a, ra3, "GBR", "500", "CNY"),  # held by RA-3, in RA-3's group
        (a, ra3, "USA", "700", "CNY"),  # RA-3 lives in Western Europe; OA-1 has no case in the US
        (b, None, "AUS", "300", "CNY"),  # OB-1 has no case in Australia
        (a1, None, "FRA", "200", "EUR"),  # not converted: counted as uncounted
        (a, None, "CHN", "999", "CNY"),  # at home
    ]):
        Asset.objects.create(asset_id=f"AS-{i}", official=official, holder_relative=holder, kind="deposit",
                             country=country, value=Decimal(value), currency=currency)
    by_destination = {r["group"]: (r["assets"], r["assets_uncounted"]) for r in report("destination").rows}
    assert by_destination["Canada"] == (1000, 0) and by_destination["Western Europe"] == (500, 1)
    assert by_destination["Australia"] == (0, 0) and by_destination["United States"] == (0, 0)
    by_category = {r["group"]: (r["assets"], r["assets_uncounted"]) for r in report("category").rows}
    assert by_category == {"all": (1500, 1), "senior": (0, 1), "business": (500, 0), "study": (1000, 1)}


def test_formats_and_chart(world):
    family(world)
    got = report("destination")
    data = json.loads(render(got, "json"))
    assert set(data) == {"report", "params", "rows", "totals"} and data["report"] == "families-abroad"
    assert {"group", "people", "cases"} <= set(data["rows"][0])
    assert render(got, "csv").splitlines()[0] == "group,people,cases,assets,assets_uncounted"
    assert render(got, "xlsx")[:2] == b"PK"
    assert chart_bytes(got, "svg").startswith(b"<?xml") and chart_bytes(got, "png")[:4] == b"\x89PNG"


def test_command_line_json_and_chart(world, tmp_path):
    family(world)
    out = io.StringIO()
    call_command("report", "families-abroad", "--by", "category", "--as-of", "2026-06-30", "--format", "json",
                 "--chart", str(tmp_path / "c.svg"), stdout=out, stderr=io.StringIO())
    data = json.loads(out.getvalue())
    assert data["rows"][0] == {"group": "all", "people": 7, "cases": 5, "assets": 0, "assets_uncounted": 0}
    assert (tmp_path / "c.svg").read_bytes().startswith(b"<?xml")
    assert AuditEvent.objects.filter(action="export", object_id="families-abroad").count() == 1


def test_scope_registrar_of_b_sees_nothing_of_a(world):
    family(world)
    outsider = world.client("outsider").get("/reports/families-abroad/?by=destination&as_of=2026-06-30")
    assert outsider.status_code == 200
    got = {r["label"]: r["cells"][:2] for r in outsider.context["rows"]}
    assert got["Canada"] == [1, 1] and got["Western Europe"] == [0, 0]
    listing = world.client("outsider").get("/reports/families-abroad/list/?by=destination&as_of=2026-06-30")
    shown = [r["relative"].relative_id for r in listing.context["rows"]]
    assert shown == ["RB-1"]
    assert "RA-" not in listing.content.decode()
    registrar = world.client("registrar_a").get("/reports/families-abroad/?by=destination&as_of=2026-06-30")
    assert {r["label"]: r["cells"][:2] for r in registrar.context["rows"]}["Canada"] == [2, 1]


def test_drill_down_is_audited_and_only_for_relative_readers(world):
    family(world)
    client = world.client("registrar_a")
    page = client.get("/reports/families-abroad/?by=period&as_of=2026-06-30")
    row = next(r for r in page.context["rows"] if r["label"] == "2016–2020")
    before = AuditEvent.objects.filter(action="read").count()
    listing = client.get(row["href"])
    assert [r["relative"].relative_id for r in listing.context["rows"]] == ["RA-2", "RA1-2"]
    event = AuditEvent.objects.filter(action="read").order_by("seq").last()
    assert AuditEvent.objects.filter(action="read").count() == before + 1
    assert event.object_id == "families-abroad" and sorted(event.detail["officials"]) == ["OA-1", "OA1-1"]
    assert event.detail["params"]["relatives"] == ["RA-2", "RA1-2"]
    approver = world.client("approver_a")
    counted = approver.get("/reports/families-abroad/?as_of=2026-06-30")
    assert counted.status_code == 200 and all(not r["href"] for r in counted.context["rows"])
    assert approver.get("/reports/families-abroad/list/").status_code in (403, 404)


def test_exports_and_api_are_audited(world):
    family(world)
    client = world.client("inspector")
    response = client.get("/reports/families-abroad/?by=destination&as_of=2026-06-30&format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    api = client.get("/api/v1/reports/families-abroad?by=category&as_of=2026-06-30")
    assert api.status_code == 200 and api.json()["rows"][0]["people"] == 7
    assert AuditEvent.objects.filter(action="export", object_id="families-abroad").count() == 2
    assert world.client("outsider").get("/api/v1/reports/families-abroad").json()["totals"]["people"] == 1
    assert world.client("auditor").get("/api/v1/reports/families-abroad").status_code == 403
    assert client.get("/reports/families-abroad/chart.svg?by=period").content.startswith(b"<?xml")


def test_relatives_behind_a_category(world):
    family(world)
    senior = relatives_behind(Relative.objects.all(), Params(AS_OF, "category"), "senior", Config.defaults())
    assert [r.relative_id for r in senior] == ["RA1-1", "RA1-2", "RA1-3"]
    assert not relatives_behind(Relative.objects.all(), Params(AS_OF, "destination"), "Atlantis").exists()


@pytest.mark.django_db
def test_synthetic_small_dataset_matches_the_manifest(tmp_path):
    from sojourn.registry.services import import_registry_file
    from sojourn.synth.dataset import generate_registry, write_registry

    write_registry(generate_registry(scale="small", seed=3), tmp_path)
    for kind in ("units", "officials", "relatives"):
        assert import_registry_file(kind=kind, path=tmp_path / f"{kind}.csv", actor="test").ok
    manifest = json.loads((tmp_path / "manifest.json").read_text("utf-8"))["families_abroad"]
    for by, key in (("destination", "by_destination"), ("period", "by_period"), ("category", "by_category")):
        got = {r["group"]: {"people": r["people"], "cases": r["cases"]} for r in report(by).rows}
        assert got == manifest[key], by
    assert sum(v["people"] for v in manifest["by_destination"].values()) >= 5


@pytest.mark.parametrize("config", [Config.defaults(), Config(Groups((("Canada", ("CAN",)), ("Europe", ("GBR", "FRA")))),
                                                                Periods(((1990, 1999),), 10), ("division",))])
def test_the_index_path_counts_what_the_general_path_counts(world, config):
    """Over the whole registry the report reads the partial index; the general GROUP BY agrees row by row."""
    from sojourn.reports import families, families_index

    family(world)
    make_relative("RB-2", world.officials["OB-1"], relationship="child", residence_country="FRA",
                  emigrated_on=date(1992, 1, 1), activity="business")
    relatives = Relative.objects.all()
    assert families_index.applies(relatives)
    assert not families_index.applies(relatives.filter(official__rank="bureau"))
    abroad = families.relatives_abroad(relatives)
    assert families_index.by_destination("default", config) == families.count_by_destination(abroad, config)
    assert families_index.by_period("default", config, AS_OF) == families.count_by_period(abroad, config, AS_OF)
    general = families.count_by_category(abroad, config)
    assert families_index.by_category("default", config) == {k: general[k] for k in ("all", "business", "study")}
    assert families_index.senior("default", config) == general["senior"] != (0, 0)
    assert families_abroad(relatives, Params(AS_OF, "category"), config).rows == families_abroad(
        relatives.filter(official__isnull=False), Params(AS_OF, "category"), config).rows
    assert families_index.by_destination("default", config)  # not vacuous


def test_the_index_condition_is_the_migrations(world):
    """The literal condition is the one the index was created with, so SQLite can use the index."""
    from django.db import connection

    from sojourn.reports.families_index import condition_sql

    if connection.vendor != "sqlite":
        pytest.skip("reads sqlite_master")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'relative_abroad'")
        (created,) = cursor.fetchone()
    assert condition_sql(connection) in created
