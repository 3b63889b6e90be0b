"""The trip pages and API: list, request form, queue, detail with decisions; scope on every one of them."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from sojourn.audit.models import AuditEvent
from sojourn.travel import services
from sojourn.travel.models import Trip

pytestmark = pytest.mark.django_db


def dates(offset=30, days=7):
    depart = timezone.localdate() + timedelta(days=offset)
    return depart, depart + timedelta(days=days - 1)


@pytest.fixture
def trip(world, passport):
    depart, back = dates()
    return services.submit_trip(official=world.officials["OA-1"], purpose="private", destinations="HKG",
                                depart_date=depart, return_date=back, documents=[passport],
                                actor=world.users["registrar_a"])


def test_request_form_submits_and_shows_the_refusal(world, passport):
    client = world.client("registrar_a")
    page = client.get("/trips/new/?official=OA-1").content.decode()
    assert "E12345678" in page and "OB-1" not in page
    depart, back = dates()
    form = {"official": "OA-1", "purpose": "private", "destinations": "HKG", "depart_date": depart.isoformat(),
            "return_date": back.isoformat(), "documents": [passport.pk]}
    passport.expiry_date = depart
    passport.save()
    refused = client.post("/trips/new/", form)
    assert refused.status_code == 200 and not Trip.objects.exists()
    assert f"passport E12345678 expires on {depart:%Y-%m-%d}" in refused.content.decode()
    passport.expiry_date = date(2035, 1, 1)
    passport.save()
    response = client.post("/trips/new/", form)
    trip = Trip.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/trips/{trip.trip_id}/"


def test_outsider_cannot_request_for_unit_a(world, passport):
    client = world.client("outsider")
    page = client.get("/trips/new/?official=OA-1").content.decode()
    assert "张伟" not in page and "E12345678" not in page
    depart, back = dates()
    client.post("/trips/new/", {"official": "OA-1", "purpose": "private", "destinations": "HKG",
                                "depart_date": depart, "return_date": back, "documents": [passport.pk]})
    assert not Trip.objects.exists()


def test_queue_shows_the_verdict_and_detail_decides(world, trip):
    approver = world.client("approver_a")
    queue = approver.get("/trips/queue/")
    body = queue.content.decode()
    assert queue.status_code == 200 and trip.trip_id in body and "The rules raised nothing" in body
    detail = approver.get(f"/trips/{trip.trip_id}/")
    assert detail.status_code == 200 and 'id="approve"' in detail.content.decode()
    assert AuditEvent.objects.filter(action="read", object_type="travel.trip", object_id=str(trip.pk)).exists()
    assert 'id="approve"' not in world.client("registrar_a").get(f"/trips/{trip.trip_id}/").content.decode()
    assert world.client("registrar_a").get("/trips/queue/").status_code == 403
    response = approver.post(f"/trips/{trip.trip_id}/reject/", {"reason": ""})
    assert response.status_code == 302
    trip.refresh_from_db()
    assert trip.status == "pending"  # a rejection needs a reason
    approver.post(f"/trips/{trip.trip_id}/approve/", {"reason": ""})
    trip.refresh_from_db()
    assert trip.status == "approved"
    page = approver.get(f"/trips/{trip.trip_id}/").content.decode()
    assert "No crossings matched to this trip." in page and "checked out" in page


def test_hold_shows_in_the_queue_with_the_inspectors_forms(world, passport, hold_entry):
    depart, back = dates()
    trip = services.submit_trip(official=world.officials["OA-1"], purpose="private", destinations="HKG",
                                depart_date=depart, return_date=back, documents=[passport],
                                actor=world.users["registrar_a"])
    body = world.client("approver_a").get("/trips/queue/").content.decode()
    assert "travel.request_on_watchlist" in body and "internal:W-1" in body
    inspector = world.client("inspector")
    assert 'id="lift-hold"' in inspector.get(f"/trips/{trip.trip_id}/").content.decode()
    inspector.post(f"/trips/{trip.trip_id}/lift-hold/", {"reason": "namesake"})
    trip.refresh_from_db()
    assert trip.status == "pending"


def test_list_filters_and_scope(world, trip):
    registrar = world.client("registrar_a")
    assert trip.trip_id in registrar.get("/trips/?status=pending&official=OA-1").content.decode()
    assert trip.trip_id not in registrar.get("/trips/?status=approved").content.decode()
    outsider = world.client("outsider")
    assert trip.trip_id not in outsider.get("/trips/").content.decode()
    assert outsider.get(f"/trips/{trip.trip_id}/").status_code == 404
    assert outsider.post(f"/trips/{trip.trip_id}/withdraw/").status_code == 404
    assert world.client("approver_a").post(f"/trips/{trip.trip_id}/withdraw/").status_code == 403


def api(client, method, url, body=None):
    if method == "get":
        return client.get(url)
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def test_api_submit_decide_and_scope(world, passport):
    registrar = world.client("registrar_a")
    depart, back = dates()
    body = {"official_id": "OA-1", "purpose": "private", "destinations": ["HKG", "MAC"],
            "depart_date": depart.isoformat(), "return_date": back.isoformat(), "document_ids": [passport.pk]}
    created = api(registrar, "post", "/api/v1/trips", body)
    assert created.status_code == 201, created.content
    trip_id = created.json()["trip_id"]
    assert created.json()["destinations"] == ["HKG", "MAC"] and created.json()["status"] == "pending"
    refused = api(registrar, "post", "/api/v1/trips", {**body, "depart_date": (back + timedelta(days=1)).isoformat()})
    assert refused.status_code == 422 and "before the departure" in refused.json()["detail"]
    assert api(registrar, "get", "/api/v1/trips?status=pending").json()[0]["trip_id"] == trip_id
    assert api(registrar, "post", f"/api/v1/trips/{trip_id}/approve").status_code == 403
    approver = world.client("approver_a")
    assert api(approver, "post", f"/api/v1/trips/{trip_id}/reject", {"reason": ""}).status_code == 422
    approved = api(approver, "post", f"/api/v1/trips/{trip_id}/approve", {"reason": "fine"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert api(approver, "get", f"/api/v1/trips/{trip_id}").json()["verdict"]["decision"]["status"] == "approved"
    outsider = world.client("outsider")
    assert api(outsider, "get", f"/api/v1/trips/{trip_id}").status_code == 404
    assert api(outsider, "get", "/api/v1/trips").json() == []
    assert api(outsider, "post", "/api/v1/trips", body).status_code == 404
    assert api(outsider, "post", f"/api/v1/trips/{trip_id}/withdraw").status_code == 404
    assert api(world.client("auditor"), "get", "/api/v1/trips").status_code == 403


def test_api_hold_endpoints(world, passport, hold_entry):
    depart, back = dates()
    trip = services.submit_trip(official=world.officials["OA-1"], purpose="private", destinations="HKG",
                                depart_date=depart, return_date=back, documents=[passport],
                                actor=world.users["registrar_a"])
    assert trip.status == "on_hold"
    url = f"/api/v1/trips/{trip.trip_id}"
    assert api(world.client("approver_a"), "post", f"{url}/lift-hold", {"reason": "x"}).status_code == 403
    confirmed = api(world.client("inspector"), "post", f"{url}/confirm-hold", {"reason": "on the list"})
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "rejected"
