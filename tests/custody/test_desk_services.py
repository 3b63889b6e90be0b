"""The desk's services: intake with the validator's verdict, checkout, return, loss."""

from __future__ import annotations

from datetime import date

import pytest

from sojourn.audit.models import AuditEvent
from sojourn.core.documents import make_td3
from sojourn.custody import services
from sojourn.custody.models import CustodyEvent

TODAY = date(2026, 3, 2)


def zone_for(official, number="E12345678", expiry=date(2031, 5, 1)):
    return make_td3(document_code="PO", issuer="CHN", surname=official.surname, given_names=official.given_name,
                    document_number=number, nationality="CHN", birth_date=official.birth_date, sex=official.sex,
                    expiry_date=expiry, optional_data="")


@pytest.fixture
def official(world):
    return world.officials["OA-1"]


def intake(official, registrar, mrz, **kw):
    fields = {"holder": official, "doc_type": "passport_ordinary", "issuer": "CHN", "number": "",
              "issue_date": date(2021, 5, 2), "expiry_date": date(2031, 5, 1), "mrz": mrz, "on": TODAY,
              "actor": registrar}
    fields.update(kw)
    return services.intake_document(**fields)


def test_intake_by_mrz_checks_against_the_holder(official, world):
    document, check = intake(official, world.users["registrar_a"], zone_for(official))
    assert check["valid"] and check["kind"] == "TD3"
    assert document.number == "E12345678" and document.custody == "in_custody"
    assert CustodyEvent.objects.get(document=document).kind == "intake"
    assert AuditEvent.objects.filter(object_type="custody.traveldocument", object_id=str(document.pk)).exists()


def test_intake_of_a_zone_for_someone_else_reports_conflicts(official, world):
    other = world.officials["OB-1"]  # a woman born 1970-05-01 with another name
    _document, check = intake(official, world.users["registrar_a"], zone_for(other))
    codes = {p["code"] for p in check["problems"]}
    assert {"cross.name_mismatch", "cross.sex_mismatch"} <= codes and not check["valid"]


def test_checkout_and_return(official, world):
    registrar = world.users["registrar_a"]
    document, _ = intake(official, registrar, zone_for(official))
    services.checkout_document(document=document, on=TODAY, due_back=date(2026, 3, 20), trip_ref="T-1",
                               actor=registrar)
    document.refresh_from_db()
    assert document.custody == "checked_out" and document.due_back == date(2026, 3, 20)
    with pytest.raises(services.DeskError):
        services.checkout_document(document=document, on=TODAY, due_back=date(2026, 3, 20), actor=registrar)
    services.return_document(document=document, on=date(2026, 3, 18), actor=registrar)
    document.refresh_from_db()
    assert document.custody == "in_custody" and document.due_back is None
    assert list(document.events.values_list("kind", flat=True)) == ["intake", "checkout", "return"]


def test_expired_document_cannot_be_checked_out(official, world):
    registrar = world.users["registrar_a"]
    document, _ = intake(official, registrar, zone_for(official, expiry=date(2026, 1, 1)),
                         expiry_date=date(2026, 1, 1), issue_date=date(2016, 1, 2))
    with pytest.raises(services.DeskError, match="expired"):
        services.checkout_document(document=document, on=TODAY, due_back=date(2026, 4, 1), actor=registrar)


def test_loss_while_in_custody_is_kept_as_such(official, world):
    registrar = world.users["registrar_a"]
    document, _ = intake(official, registrar, zone_for(official))
    services.report_lost(document=document, on=TODAY, actor=registrar, note="says it was lost abroad")
    event = document.events.get(kind="lost")
    assert event.state_before == "in_custody"
    document.refresh_from_db()
    assert document.status == "lost"


def test_renewal_cancels_the_old_and_watches_the_new(official, world):
    registrar = world.users["registrar_a"]
    old, _ = intake(official, registrar, zone_for(official))
    new = services.renew_document(document=old, number="EA1234567", issue_date=date(2026, 2, 20),
                                  expiry_date=date(2036, 2, 19), mrz="", on=TODAY, actor=registrar)
    old.refresh_from_db()
    assert old.status == "cancelled" and old.events.last().kind == "renewed"
    assert "EA1234567" in old.events.last().note
    assert new.custody == "not_handed_in" and new.check_result["kind"] == "CN-PASSPORT"
    with pytest.raises(services.DeskError):
        services.renew_document(document=old, number="EA7654321", issue_date=TODAY, expiry_date=None, mrz="",
                                on=TODAY, actor=registrar)


def test_cancelled_and_lost_documents_form_the_list(official, world):
    from sojourn.custody.selectors import lost_stolen_cancelled

    registrar = world.users["registrar_a"]
    first, _ = intake(official, registrar, zone_for(official))
    second, _ = intake(official, registrar, zone_for(official, number="E87654321"))
    services.cancel_document(document=first, on=TODAY, actor=registrar, note="cancelled by the issuing office")
    services.report_lost(document=second, on=TODAY, actor=registrar, note="lost")
    assert set(lost_stolen_cancelled().values_list("number", flat=True)) == {"E12345678", "E87654321"}
    with pytest.raises(services.DeskError):
        services.cancel_document(document=first, on=TODAY, actor=registrar, note="again")
