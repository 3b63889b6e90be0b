"""Link review pages and API: the records side by side, confirm / reject, scope, audited reads."""

from __future__ import annotations

import json
from datetime import date

import pytest

from sojourn.accounts.services import create_user
from sojourn.audit.models import AuditEvent
from sojourn.resolution.models import LinkJudgement, LinkPair
from sojourn.resolution.services import resolve
from tests.conftest import PASSWORD


@pytest.fixture
def resolved(resolution_world):
    world, _tmp = resolution_world
    world.users["inspector_a"] = create_user(username="inspector_a", password=PASSWORD, role="inspector",
                                             unit_code="A")
    resolve(actor="test", today=date(2026, 3, 1))
    pairs = {p.unique_id_r: p for p in LinkPair.objects.filter(active=True)}
    return world, pairs


def test_review_page_lists_pairs_and_runs(resolved):
    world, pairs = resolved
    body = world.client("inspector").get("/resolution/").content.decode()
    assert f"/resolution/pairs/{pairs['traveller:CHN:G99999999'].pk}/" in body
    assert "travel.undeclared_document" in body and "first run" in body
    filtered = world.client("inspector").get("/resolution/?code=screening.possible_match&review=").content.decode()
    assert "watchlist:internal:W-2" in filtered and "traveller:CHN:G99999999" not in filtered


def test_pair_page_shows_both_records_and_is_an_audited_read(resolved):
    world, pairs = resolved
    traveller = pairs["traveller:CHN:G99999999"]
    response = world.client("inspector").get(f"/resolution/pairs/{traveller.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "陈静" in body and "CHEN JING" in body and "1975-03-04" in body  # both sides
    assert "E20000002" in body and "G99999999" in body and "B1" in body  # documents and the crossing
    assert "p:chen/jing" in body  # the name form that met
    assert "Bayes factor" in body and "same date" in body
    reads = AuditEvent.objects.filter(action="read", purpose="link review")
    assert {(e.object_type, e.object_id) for e in reads} >= {
        ("resolution.linkpair", str(traveller.pk)), ("registry.official", str(world.officials["OB-1"].pk)),
        ("crossings.traveller", "CHN:G99999999")}


def test_confirm_and_reject_through_the_page(resolved):
    world, pairs = resolved
    client = world.client("inspector")
    entry = pairs["watchlist:internal:W-2"]
    url = f"/resolution/pairs/{entry.pk}/judge/"
    assert client.post(url, {"verdict": "rejected", "reason": ""}).status_code == 400  # a reason is required
    assert client.post(url, {"verdict": "confirmed", "reason": ""}).status_code == 302
    assert LinkPair.objects.get(pk=entry.pk).review == "confirmed"
    assert client.post(url, {"verdict": "rejected", "reason": "namesake"}).status_code == 302
    assert [j.verdict for j in LinkJudgement.objects.filter(pair=entry)] == ["rejected", "confirmed"]
    assert AuditEvent.objects.filter(action="create", object_type="resolution.linkjudgement").count() == 2


def test_api_lists_reads_confirms_and_rejects(resolved):
    world, pairs = resolved
    client = world.client("inspector")
    listed = client.get("/api/v1/resolution/pairs?code=document.identity_conflict").json()
    assert [(p["unique_id_l"], p["unique_id_r"]) for p in listed] == [("official:OA1-1", "official:OB-2")]
    runs = client.get("/api/v1/resolution/runs").json()
    assert runs[0]["mode"] == "full" and runs[0]["records"] == 11
    twin = pairs["official:OB-2"]
    detail = client.get(f"/api/v1/resolution/pairs/{twin.pk}").json()
    assert detail["left"]["fields"]["official_id"] == "OA1-1" and detail["right"]["fields"]["unit__code"] == "B"
    assert detail["evidence"]["id_number"]["bayes_factor"] > 1
    post = {"content_type": "application/json"}
    assert client.post(f"/api/v1/resolution/pairs/{twin.pk}/reject", json.dumps({"reason": " "}),
                       **post).status_code == 422
    assert client.post(f"/api/v1/resolution/pairs/{twin.pk}/confirm", json.dumps({}), **post).json()["review"] \
        == "confirmed"
    rejected = client.post(f"/api/v1/resolution/pairs/{twin.pk}/reject", json.dumps({"reason": "twins"}), **post)
    assert rejected.json()["review"] == "rejected"
    assert client.get("/api/v1/resolution/pairs?review=rejected").json()[0]["id"] == twin.pk


def test_scope_and_roles(resolved):
    world, pairs = resolved
    of_b = pairs["traveller:CHN:G99999999"]  # OB-1 (unit B) and a traveller
    across = pairs["official:OB-2"]  # OA1-1 (unit A1) and OB-2 (unit B)
    inspector_a = world.client("inspector_a")
    assert inspector_a.get(f"/resolution/pairs/{of_b.pk}/").status_code == 404
    assert inspector_a.get(f"/api/v1/resolution/pairs/{of_b.pk}").status_code == 404
    assert inspector_a.post(f"/api/v1/resolution/pairs/{of_b.pk}/confirm", "{}",
                            content_type="application/json").status_code == 404
    assert inspector_a.get(f"/resolution/pairs/{across.pk}/").status_code == 200
    assert [p["id"] for p in inspector_a.get("/api/v1/resolution/pairs").json()] == [across.pk]
    for persona in ("outsider", "registrar_a", "auditor", "checkpoint"):
        client = world.client(persona)
        assert client.get("/resolution/").status_code == 403, persona
        assert client.get(f"/resolution/pairs/{across.pk}/").status_code == 403, persona
        assert client.get("/api/v1/resolution/pairs").status_code == 403, persona
        assert client.get(f"/api/v1/resolution/pairs/{across.pk}").status_code == 403, persona
        assert client.post(f"/api/v1/resolution/pairs/{across.pk}/reject", json.dumps({"reason": "x"}),
                           content_type="application/json").status_code == 403, persona
    assert LinkJudgement.objects.count() == 0


def test_inspectors_have_the_navigation_entry(resolved):
    world, _pairs = resolved
    assert 'href="/resolution/"' in world.client("inspector").get("/resolution/").content.decode()
    assert 'href="/resolution/"' not in world.client("registrar_a").get("/registry/officials/").content.decode()
