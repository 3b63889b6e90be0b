"""Entering, submitting, correcting and verifying declarations; the sample; the sign-off."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sojourn.alerts.models import Finding
from sojourn.audit.models import AuditEvent
from sojourn.declarations import services
from sojourn.declarations.models import Asset, Declaration, DeclarationItem
from tests.declarations.conftest import submitted
from tests.factories import make_official, make_relative
from tests.travel.conftest import make_document

SPOUSE = {"kind": "emigration", "relative_id": "RA-1", "country": "CAN"}


def test_submitted_declarations_are_immutable_and_corrections_are_new_versions(world):
    registrar = world.users["registrar_a"]
    first = submitted(world, items=[SPOUSE])
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.update_draft(declaration=first, actor=registrar, items=[])
    with pytest.raises(ValidationError, match="already has a report"):
        services.create_declaration(official=world.officials["OA-1"], year=2025, items=[], actor=registrar)
    draft = services.correct_declaration(declaration=first, actor=registrar)
    assert (draft.version, draft.corrects_id, draft.status) == (2, first.pk, "draft")
    assert list(draft.items.values_list("kind", flat=True)) == ["emigration"]
    services.update_draft(declaration=draft, actor=registrar,
                          items=[SPOUSE, {"kind": "passport", "number": "e 1234"}])
    services.submit_declaration(declaration=draft, actor=registrar, on=date(2026, 2, 1))
    first.refresh_from_db()
    assert first.status == "submitted" and first.items.count() == 1  # untouched
    assert DeclarationItem.objects.get(declaration=draft, kind="passport").number == "E1234"
    with pytest.raises(ValidationError, match="already has a correction"):
        services.correct_declaration(declaration=first, actor=registrar)
    actions = list(AuditEvent.objects.filter(object_type="declarations.declaration").values_list("action", flat=True))
    assert actions.count("create") == 2 and actions.count("update") >= 3


def test_only_the_officials_registrar_enters_and_items_are_checked(world):
    with pytest.raises(PermissionDenied):
        services.create_declaration(official=world.officials["OA-1"], year=2025, items=[],
                                    actor=world.users["outsider"])
    with pytest.raises(ValidationError) as caught:
        submitted(world, items=[{"kind": "emigration", "relative_id": "RB-1"}, {"kind": "yacht"},
                                {"kind": "passport", "country": "XXX"}])
    text = " ".join(caught.value.messages)
    assert "RB-1 is not a relative of official OA-1" in text and "'yacht'" in text and "XXX" in text
    assert not Declaration.objects.exists()


def test_verification_finds_the_unreported_passport_and_emigration_as_concealment(world):
    oa = world.officials["OA-1"]
    make_document(oa, "E12345678")
    permit = make_document(oa, "C12345678", doc_type="permit_hk_macau")
    declaration = submitted(world, items=[{"kind": "passport", "number": "E12345678"}])
    verification = services.verify_declaration(declaration=declaration, actor=world.users["inspector"])
    found = sorted(verification.discrepancies.values_list("klass", "item_kind"))
    assert found == [("concealment", "emigration"), ("omission", "permit_hk_macau")]
    permit_gap = verification.discrepancies.get(item_kind="permit_hk_macau")
    assert permit_gap.evidence == ["official:OA-1", f"document:{permit.pk}"]
    codes = sorted(Finding.objects.values_list("code", flat=True))
    assert codes == ["declaration.concealment", "declaration.omission"]
    again = services.verify_declaration(declaration=declaration, actor=world.users["inspector"])
    assert again.discrepancies.count() == 2 and Finding.objects.count() == 2  # the same findings, not new ones


def test_child_married_to_a_foreigner_unreported(world):
    oa = world.officials["OA-1"]
    make_relative("RA-2", oa, relationship="child", name_zh="张小", given_name="XIAO", residence_country="AUS",
                  nationality="CHN", residence_status="resident", abroad_since=date(2025, 9, 1),
                  married_to_foreigner=True)
    declaration = submitted(world, items=[SPOUSE])
    verification = services.verify_declaration(declaration=declaration, actor=world.users["inspector"])
    [gap] = verification.discrepancies.all()
    assert (gap.klass, gap.item_kind, gap.evidence) == ("concealment", "child_foreign_marriage",
                                                        ["official:OA-1", "relative:RA-2"])


def test_under_reported_area_is_an_omission(world):
    oa = world.officials["OA-1"]
    Asset.objects.create(asset_id="AS-1", official=oa, kind="real_estate", country="CHN", value=Decimal("3e6"),
                         area=Decimal("140"), source="property")
    declaration = submitted(world, items=[SPOUSE, {"kind": "real_estate", "country": "CHN", "area": Decimal("95")}])
    verification = services.verify_declaration(declaration=declaration, actor=world.users["inspector"])
    [gap] = verification.discrepancies.all()
    assert (gap.klass, gap.item_kind, gap.evidence) == ("omission", "real_estate", ["official:OA-1", "asset:AS-1"])


def test_only_the_version_in_force_is_verified_and_only_by_inspectors(world):
    first = submitted(world, items=[SPOUSE])
    with pytest.raises(PermissionDenied):
        services.verify_declaration(declaration=first, actor=world.users["registrar_a"])
    draft = services.correct_declaration(declaration=first, actor=world.users["registrar_a"])
    services.submit_declaration(declaration=draft, actor=world.users["registrar_a"])
    with pytest.raises(ValidationError, match="corrected by version 2"):
        services.verify_declaration(declaration=first, actor=world.users["inspector"])
    assert services.verify_declaration(declaration=draft, actor=world.users["inspector"]).discrepancies.count() == 0


def _many(world, n=30):
    for i in range(n):
        off = make_official(f"OX-{i:02d}", world.units["A1"], name_zh="王五", surname="WANG", given_name="WU")
        services.create_declaration(official=off, year=2025, items=[], actor="cli:test", submit=True,
                                    on=date(2026, 1, 10))


def test_the_seeded_sample_is_reproducible_and_audited(world):
    _many(world)
    one = services.draw_sample(year=2025, actor=world.users["inspector"], seed=42)
    two = services.draw_sample(year=2025, actor=world.users["inspector"], seed=42)
    other = services.draw_sample(year=2025, actor=world.users["inspector"], seed=7)
    assert one.official_ids == two.official_ids and len(one.official_ids) == 3  # 10 % of 30
    assert one.official_ids != other.official_ids
    event = AuditEvent.objects.filter(object_type="declarations.sample").order_by("seq").first()
    assert event.detail["seed"] == 42 and event.detail["random"] == one.official_ids
    assert event.actor == "inspector"


def test_targeted_samples_are_included(world):
    _many(world)
    under = world.officials["OA1-1"]
    under.status = "under_investigation"
    under.save()
    submitted(world, official="OA1-1")
    run = services.run_verification(year=2025, actor="cli:test", seed=1, share=0.0, promotion=["OX-03"],
                                    complaints=["OX-07", "OB-1"])
    drawn = {v.declaration.official.official_id: v.drawn_how for v in run.verifications}
    assert drawn == {"OA1-1": "investigation", "OX-03": "promotion", "OX-07": "complaint"}
    assert run.sample.without_report == [("OB-1", "complaint")]
    event = AuditEvent.objects.get(object_type="declarations.sample")
    assert event.detail["complaint"] == ["OB-1", "OX-07"] and event.detail["investigation"] == ["OA1-1"]


def test_sign_off(world):
    verification = services.verify_declaration(declaration=submitted(world, items=[SPOUSE]),
                                               actor=world.users["inspector"])
    with pytest.raises(PermissionDenied):
        services.sign_off_verification(verification=verification, actor=world.users["registrar_a"], outcome="ok")
    with pytest.raises(ValidationError):
        services.sign_off_verification(verification=verification, actor=world.users["inspector"], outcome=" ")
    done = services.sign_off_verification(verification=verification, actor=world.users["inspector"],
                                          outcome="Nothing found.")
    assert done.status == "signed_off" and done.signed_off_by == world.users["inspector"]
    with pytest.raises(ValidationError, match="already signed off"):
        services.sign_off_verification(verification=verification, actor=world.users["inspector"], outcome="x")


def test_the_command_verifies_the_named_officials_and_prints_json(world, capsys):
    from django.core.management import call_command

    submitted(world, items=[SPOUSE])
    submitted(world, official="OA1-1")
    call_command("verify_declarations", "--year", "2025", "--share", "0", "--seed", "9", "--official", "OA-1",
                 "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["seed"] == 9 and out["population"] == 2
    assert [(v["official_id"], v["drawn"], v["concealment"]) for v in out["verifications"]] == [("OA-1", "complaint", 0)]
