"""Desk pages and API under scope."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from sojourn.custody import services
from tests.custody.test_desk_services import zone_for


def test_intake_form_shows_problems_before_taking_in(world):
    official = world.officials["OA-1"]
    client = world.client("registrar_a")
    bad = zone_for(official).replace("<<<<<<<<<<<<<<", "<<<<<<<<<<<<<<", 1)
    bad = bad[:-1] + ("0" if bad[-1] != "0" else "1")  # break the composite check digit
    response = client.post("/documents/intake/", {"official_id": "OA-1", "mrz": bad, "doc_type": "passport_ordinary",
                                                  "issuer": "CHN"})
    body = response.content.decode()
    assert response.status_code == 200 and "check_digit.composite" in body
    assert not official.documents.exists()
    response = client.post("/documents/intake/", {"official_id": "OA-1", "mrz": zone_for(official),
                                                  "doc_type": "passport_ordinary", "issuer": "CHN"})
    assert response.status_code == 302
    assert official.documents.get().custody == "in_custody"


def test_outsider_cannot_take_in_for_unit_a(world):
    official = world.officials["OA-1"]
    response = world.client("outsider").post("/documents/intake/", {
        "official_id": "OA-1", "mrz": zone_for(official), "doc_type": "passport_ordinary", "issuer": "CHN"})
    assert "No official with this ID" in response.content.decode()
    assert not official.documents.exists()


def test_approver_reads_but_cannot_act(world):
    official = world.officials["OA-1"]
    document, _ = services.intake_document(
        holder=official, doc_type="passport_ordinary", issuer="CHN", number="", issue_date=None,
        expiry_date=date(2031, 5, 1), mrz=zone_for(official), on=timezone.localdate(), actor="test")
    approver = world.client("approver_a")
    assert approver.get(f"/documents/{document.pk}/").status_code == 200
    assert approver.post(f"/documents/{document.pk}/checkout/", {"due_back": "2031-01-01"}).status_code == 403
    api = world.client("registrar_a").post(f"/api/v1/documents/{document.pk}/checkout",
                                           {"due_back": "2031-01-01", "trip_ref": "T-9"},
                                           content_type="application/json")
    assert api.status_code == 200 and api.json()["custody"] == "checked_out"
    assert world.client("outsider").get(f"/api/v1/documents/{document.pk}").status_code == 404


def test_document_check_api(world):
    response = world.client("inspector").post("/api/v1/documents/check", {"id_number": "11010519491231002X"},
                                              content_type="application/json")
    assert response.status_code == 200 and response.json()["kind"] == "CN-RIC"
    assert world.client("checkpoint").post("/api/v1/documents/check", {"id_number": "1"},
                                           content_type="application/json").status_code == 403
