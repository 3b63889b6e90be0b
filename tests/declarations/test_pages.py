"""The declaration pages and API: entering, reading with scope, verifying and signing off."""

from __future__ import annotations

import json

from sojourn.audit.models import AuditEvent
from sojourn.declarations.models import Declaration, Verification
from tests.declarations.conftest import submitted


def formset(*rows, prefix="items", extra=4):
    data = {f"{prefix}-TOTAL_FORMS": str(max(extra, len(rows))), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{k}": v for k, v in row.items()})
    return data


def test_registrar_enters_and_submits_a_declaration(world):
    client = world.client("registrar_a")
    page = client.get("/declarations/new/?official=OA-1")
    assert page.status_code == 200 and "RA-1" in page.content.decode()
    response = client.post("/declarations/new/", {
        "official": "OA-1", "year": "2025", "kind": "annual", "submit": "1",
        **formset({"kind": "passport", "number": "E12345678"},
                  {"kind": "emigration", "relative": "RA-1", "country": "CAN"})})
    declaration = Declaration.objects.get()
    assert response.status_code == 302 and response.url == f"/declarations/{declaration.pk}/"
    assert declaration.status == "submitted" and declaration.items.count() == 2
    detail = client.get(response.url).content.decode()
    assert "E12345678" in detail and "RA-1" in detail
    assert AuditEvent.objects.filter(action="read", object_type="declarations.declaration").exists()
    assert client.get(f"/declarations/{declaration.pk}/edit/").status_code == 302  # submitted: no editing


def test_a_bad_item_is_refused_on_the_form(world):
    response = world.client("registrar_a").post("/declarations/new/", {
        "official": "OA-1", "year": "2025", "kind": "annual", "submit": "1",
        **formset({"kind": "passport", "country": "XXX"})})
    assert response.status_code == 200 and "XXX" in response.content.decode()
    assert not Declaration.objects.exists()


def test_scope_outsider_404_auditor_and_checkpoint_nothing(world):
    declaration = submitted(world, official="OA1-1", items=[{"kind": "passport", "number": "E1"}])
    url = f"/declarations/{declaration.pk}/"
    assert world.client("outsider").get(url).status_code == 404
    assert world.client("outsider").get("/declarations/").content.decode().count("OA1-1") == 0
    for persona in ("auditor", "checkpoint"):
        assert world.client(persona).get(url).status_code == 403
        assert world.client(persona).get("/api/v1/declarations").status_code == 403
    assert "OA1-1" in world.client("registrar_a").get("/declarations/").content.decode()


def test_approver_sees_the_report_but_not_items_about_relatives(world):
    declaration = submitted(world, items=[{"kind": "passport", "number": "E5"},
                                          {"kind": "emigration", "relative_id": "RA-1"}])
    body = world.client("approver_a").get(f"/declarations/{declaration.pk}/").content.decode()
    assert "E5" in body and "RA-1" not in body and "not shown to your role" in body
    api = world.client("approver_a").get(f"/api/v1/declarations/{declaration.pk}").json()
    assert api["hidden_items"] == 1 and [i["kind"] for i in api["items"]] == ["passport"]


def test_inspector_verifies_sees_the_concealment_and_signs_off(world):
    declaration = submitted(world)
    client = world.client("inspector")
    response = client.post(f"/declarations/{declaration.pk}/verify/")
    verification = Verification.objects.get()
    assert response.url == f"/declarations/verifications/{verification.pk}/"
    page = client.get(response.url).content.decode()
    assert "concealment" in page and "relative:RA-1" in page and "/registry/relatives/RA-1/" in page
    client.post(f"/declarations/verifications/{verification.pk}/sign-off/", {"outcome": "Explained in interview."})
    verification.refresh_from_db()
    assert verification.status == "signed_off"
    assert world.client("registrar_a").post(f"/declarations/{declaration.pk}/verify/").status_code == 403


def test_the_sample_page_draws_and_verifies(world):
    submitted(world)
    response = world.client("inspector").post("/declarations/verification/", {"year": "2025", "share": "1",
                                                                                "seed": "5"})
    assert response.status_code == 200 and Verification.objects.count() == 1
    assert "OA-1" in response.content.decode()


def test_api_create_get_verify_run_and_sign_off(world):
    registrar, inspector = world.client("registrar_a"), world.client("inspector")
    created = registrar.post("/api/v1/declarations", json.dumps({
        "official_id": "OA-1", "year": 2025, "submit": True,
        "items": [{"kind": "emigration", "relative_id": "RA-1", "country": "CAN"}]}), content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert registrar.get(f"/api/v1/declarations/{pk}").json()["items"][0]["relative_id"] == "RA-1"
    assert world.client("outsider").get(f"/api/v1/declarations/{pk}").status_code == 404
    bad = registrar.post("/api/v1/declarations", json.dumps({"official_id": "OA1-1", "year": 2025,
                                                             "items": [{"kind": "yacht"}]}),
                         content_type="application/json")
    assert bad.status_code == 422
    verified = inspector.post(f"/api/v1/declarations/{pk}/verify")
    assert verified.status_code == 200 and verified.json()["discrepancies"] == []
    run = inspector.post("/api/v1/declaration-verifications", json.dumps({"year": 2025, "share": 1, "seed": 3}),
                         content_type="application/json").json()
    assert run["seed"] == 3 and len(run["verifications"]) == 1
    signed = inspector.post(f"/api/v1/declaration-verifications/{verified.json()['id']}/sign-off",
                            json.dumps({"outcome": "fine"}), content_type="application/json")
    assert signed.json()["status"] == "signed_off"
