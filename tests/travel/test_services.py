"""Submitting, holding and deciding trip requests: the services, their refusals and their audit rows."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sojourn.alerts.models import Finding
from sojourn.audit.models import AuditEvent
from sojourn.custody import services as desk
from sojourn.custody.models import CustodyEvent
from sojourn.travel import services
from sojourn.travel.models import Trip
from tests.travel.conftest import make_document

TODAY = date(2026, 3, 2)


def submit(world, documents, *, official="OA-1", actor="registrar_a", depart=date(2026, 4, 1),
           back=date(2026, 4, 7), purpose="private", destinations="HKG;MAC"):
    return services.submit_trip(official=world.officials[official], purpose=purpose, destinations=destinations,
                                depart_date=depart, return_date=back, documents=documents,
                                actor=world.users[actor], today=TODAY)


def refused(world, documents, **kwargs) -> str:
    with pytest.raises(ValidationError) as info:
        submit(world, documents, **kwargs)
    assert not Trip.objects.exists()  # nothing is stored
    return "; ".join(info.value.messages)


def test_submission_stores_the_request_with_its_verdict(world, passport):
    trip = submit(world, [passport])
    assert trip.trip_id == "T2026-00001" and trip.status == "pending" and trip.destinations == "HKG;MAC"
    assert list(trip.documents.all()) == [passport] and trip.submitted_by == world.users["registrar_a"]
    assert trip.verdict["screening"]["decision"] == "clear" and trip.verdict["submission"]["findings"] == []
    assert submit(world, [passport], depart=date(2026, 6, 1), back=date(2026, 6, 3)).trip_id == "T2026-00002"
    assert AuditEvent.objects.filter(action="create", object_type="travel.trip", object_id=trip.trip_id).exists()
    assert AuditEvent.objects.filter(object_type="screening").exists()  # the screening is audited too


def test_expired_document_is_refused_by_name(world):
    old = make_document(world.officials["OA-1"], "E11111111", expiry_date=date(2025, 3, 1))
    assert refused(world, [old]) == "passport E11111111 expired on 2025-03-01"
    soon = make_document(world.officials["OA-1"], "E22222222", expiry_date=date(2026, 4, 5))
    assert "expires on 2026-04-05, before the return on 2026-04-07" in refused(world, [soon])


def test_lost_document_is_refused(world):
    lost = make_document(world.officials["OA-1"], "E33333333", status="lost", custody="not_held")
    assert refused(world, [lost]) == "passport E33333333 is lost"


def test_another_holders_document_is_refused(world):
    theirs = make_document(world.officials["OA1-1"], "E44444444")
    assert refused(world, [theirs]) == "passport E44444444 does not belong to official OA-1"


def test_document_failing_its_check_or_not_in_custody_is_refused(world):
    bad = make_document(world.officials["OA-1"], "E55555555", check_result={"valid": False, "problems": [
        {"code": "check_digit.composite", "severity": "error", "message": "x"}]})
    assert "failed the document check (check_digit.composite)" in refused(world, [bad])
    home = make_document(world.officials["OA-1"], "E66666666", custody="not_handed_in")
    assert "is not in custody (not handed in)" in refused(world, [home])


def test_document_out_for_an_overlapping_trip_is_refused(world, passport):
    first = submit(world, [passport])
    services.approve_trip(trip=first, actor=world.users["approver_a"], today=TODAY)
    message = refused_after(world, [passport], depart=date(2026, 4, 5), back=date(2026, 4, 10))
    assert message == (f"passport E12345678 is already out for trip {first.trip_id} (2026-04-01–2026-04-07), "
                       "which overlaps these dates")
    # A later trip that does not overlap may be requested while the document is out.
    assert submit(world, [passport], depart=date(2026, 5, 1), back=date(2026, 5, 3)).status == "pending"


def refused_after(world, documents, **kwargs) -> str:
    before = Trip.objects.count()
    with pytest.raises(ValidationError) as info:
        submit(world, documents, **kwargs)
    assert Trip.objects.count() == before
    return "; ".join(info.value.messages)


def test_dates_and_destinations_are_checked(world, passport):
    assert "before the departure" in refused(world, [passport], depart=date(2026, 4, 7), back=date(2026, 4, 1))
    assert "XYZ: not an ISO 3166-1 alpha-3 country code" in refused(world, [passport], destinations="HKG;XYZ")


def test_watchlist_hit_puts_the_request_on_hold(world, passport, hold_entry):
    trip = submit(world, [passport])
    assert trip.status == "on_hold" and "W-1" in trip.hold_reason
    hits = trip.verdict["screening"]["hits"]
    assert [(h["entry_id"], h["list"], h["action"]) for h in hits] == [("W-1", "internal", "hold")]
    finding = Finding.objects.get(code="travel.request_on_watchlist")
    assert finding.official == world.officials["OA-1"] and finding.severity == 5
    assert "W-1" in finding.text and "lifts or confirms" in finding.text
    # A request on hold is not decided by the approver; the inspector lifts or confirms the hold.
    with pytest.raises(ValidationError):
        services.approve_trip(trip=trip, actor=world.users["approver_a"], today=TODAY)
    with pytest.raises(PermissionDenied):
        services.lift_hold(trip=trip, actor=world.users["approver_a"], reason="not him")
    with pytest.raises(ValidationError):
        services.lift_hold(trip=trip, actor=world.users["inspector"], reason=" ")
    trip = services.lift_hold(trip=trip, actor=world.users["inspector"], reason="a namesake: other ID number")
    assert trip.status == "pending" and trip.verdict["hold"]["status"] == "lift"
    services.approve_trip(trip=trip, actor=world.users["approver_a"], today=TODAY)


def test_confirmed_hold_rejects(world, passport, hold_entry):
    trip = services.confirm_hold(trip=submit(world, [passport]), actor=world.users["inspector"],
                                 reason="under investigation")
    assert trip.status == "rejected" and trip.decided_by == world.users["inspector"]


def test_refer_entry_does_not_hold(world, passport, hold_entry):
    hold_entry.action = "refer"
    hold_entry.save()
    trip = submit(world, [passport])
    assert trip.status == "pending" and trip.verdict["screening"]["hits"][0]["action"] == "refer"
    assert not Finding.objects.filter(code="travel.request_on_watchlist").exists()


def test_fifth_private_trip_of_the_year_is_flagged(world, passport):
    for month in (4, 5, 6, 7):
        assert submit(world, [passport], depart=date(2026, month, 1), back=date(2026, month, 3)).verdict[
            "submission"]["findings"] == []
    fifth = submit(world, [passport], depart=date(2026, 8, 1), back=date(2026, 8, 3))
    [flag] = fifth.verdict["submission"]["findings"]
    assert flag["code"] == "travel.excessive" and "5th private trip" in flag["text"]
    assert Finding.objects.get(code="travel.excessive").dedupe_key == f"travel.excessive:{fifth.trip_id}"


def test_sixteen_day_trip_is_flagged(world, passport):
    trip = submit(world, [passport], depart=date(2026, 4, 1), back=date(2026, 4, 16))
    assert [f["code"] for f in trip.verdict["submission"]["findings"]] == ["travel.excessive"]
    assert "16 days" in Finding.objects.get(code="travel.excessive").text
    # An official trip of the same length is not capped.
    official = submit(world, [passport], depart=date(2026, 6, 1), back=date(2026, 6, 16), purpose="official")
    assert official.verdict["submission"]["findings"] == []


def test_approval_checks_out_the_documents_until_return_plus_10_days(world, passport, permit):
    trip = submit(world, [passport, permit])
    trip = services.approve_trip(trip=trip, actor=world.users["approver_a"], reason="ok", today=TODAY)
    assert trip.status == "approved" and trip.decided_by == world.users["approver_a"] and trip.decided_at
    assert trip.verdict["decision"]["findings"] == [] and trip.verdict["decision"]["ruleset"] == "2026.11.6"
    for document in (passport, permit):
        document.refresh_from_db()
        assert document.custody == "checked_out" and document.due_back == date(2026, 4, 17)
        event = CustodyEvent.objects.get(document=document, kind="checkout")
        assert (event.trip_ref, event.purpose, event.on) == (trip.trip_id, "private", TODAY)
    assert AuditEvent.objects.filter(object_type="travel.trip", object_id=trip.trip_id, action="update",
                                     detail__status="approved").exists()
    assert AuditEvent.objects.filter(object_type="custody.traveldocument", object_id=str(passport.pk)).count() == 1


def test_official_trip_documents_are_due_7_days_after(world, passport):
    trip = submit(world, [passport], purpose="official")
    services.approve_trip(trip=trip, actor=world.users["approver_a"], today=TODAY)
    passport.refresh_from_db()
    assert passport.due_back == date(2026, 4, 14)


def test_approval_fails_whole_when_a_document_cannot_go_out(world, passport, permit):
    trip = submit(world, [passport, permit])
    desk.report_lost(document=permit, on=TODAY, actor=world.users["registrar_a"], note="lost")
    with pytest.raises(ValidationError, match="C12345678 is lost"):
        services.approve_trip(trip=trip, actor=world.users["approver_a"], today=TODAY)
    passport.refresh_from_db()
    trip.refresh_from_db()
    assert passport.custody == "in_custody" and trip.status == "pending"


def test_rejection_needs_a_reason(world, passport):
    trip = submit(world, [passport])
    with pytest.raises(ValidationError, match="reason"):
        services.reject_trip(trip=trip, actor=world.users["approver_a"], reason="  ")
    trip = services.reject_trip(trip=trip, actor=world.users["approver_a"], reason="too close to the audit")
    assert trip.status == "rejected" and trip.decision_reason == "too close to the audit"
    assert trip.verdict["decision"]["status"] == "rejected"


def test_withdrawal(world, passport):
    trip = services.withdraw_trip(trip=submit(world, [passport]), actor=world.users["registrar_a"])
    assert trip.status == "withdrawn"
    with pytest.raises(ValidationError):
        services.approve_trip(trip=trip, actor=world.users["approver_a"], today=TODAY)


def test_roles_and_scope(world, passport):
    other = make_document(world.officials["OB-1"], "E77777777")
    with pytest.raises(PermissionDenied):  # registrar of B for an official of A
        submit(world, [passport], actor="outsider")
    with pytest.raises(PermissionDenied):  # approvers do not request
        submit(world, [passport], actor="approver_a")
    trip_b = submit(world, [other], official="OB-1", actor="outsider")
    with pytest.raises(PermissionDenied):  # approver of A deciding for B
        services.approve_trip(trip=trip_b, actor=world.users["approver_a"], today=TODAY)
    with pytest.raises(PermissionDenied):
        services.reject_trip(trip=trip_b, actor=world.users["approver_a"], reason="no")
    trip_a = submit(world, [passport])
    with pytest.raises(PermissionDenied):  # registrars do not decide
        services.approve_trip(trip=trip_a, actor=world.users["registrar_a"], today=TODAY)
    with pytest.raises(PermissionDenied):
        services.withdraw_trip(trip=trip_a, actor=world.users["outsider"])
    assert services.approve_trip(trip=trip_b, actor=world.users["admin"], today=TODAY).status == "approved"


def test_the_rule_run_weighs_every_trip(world, passport, hold_entry):
    from sojourn.alerts.evaluation import evaluate_rules

    trip = submit(world, [passport], depart=date(2026, 4, 1), back=date(2026, 4, 20))
    Finding.objects.all().delete()  # as if the request had been stored by an older version
    evaluate_rules(as_of=TODAY)
    codes = set(Finding.objects.filter(dedupe_key__endswith=f":{trip.trip_id}").values_list("code", flat=True))
    assert codes == {"travel.excessive", "travel.request_on_watchlist"}
