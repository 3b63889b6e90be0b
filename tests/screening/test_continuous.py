"""Continuous screening: officials and relatives against the lists, as `screening.possible_match` findings,
and match review (a rejection stops the re-raise, a confirmation confirms)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sojourn.alerts.evaluation import evaluate_rules
from sojourn.alerts.models import Finding, FindingStatus
from sojourn.audit.models import AuditEvent
from sojourn.registry.services import import_registry_file
from sojourn.screening.importing import import_watchlist_file
from sojourn.screening.models import MatchJudgement
from sojourn.screening.services import judge_match
from sojourn.screening.snapshot import screening_hits
from sojourn.synth.dataset import FILES, generate_registry, write_registry

CODE = "screening.possible_match"
AS_OF = date(2026, 6, 30)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("watch")
    write_registry(generate_registry(scale="small", seed=11), out)
    return out


@pytest.fixture
def loaded(db: None, dataset: Path) -> dict[str, Any]:
    for kind in FILES:
        assert import_registry_file(kind=kind, path=dataset / f"{kind}.csv", actor="test").ok
    report = import_watchlist_file(path=dataset / "watchlist.csv", actor="test")
    assert report.ok, [str(e) for e in report.errors[:5]]
    return json.loads((dataset / "manifest.json").read_text("utf-8"))  # type: ignore[no-any-return]


def injected(manifest: dict[str, Any]) -> set[tuple[str, str]]:
    anomalies = manifest["anomalies"]
    return {(f"official:{a['official_id']}", a["entry_id"]) for a in anomalies["watchlist_official_hit"]} | {
        (f"relative:{a['relative_id']}", a["entry_id"]) for a in anomalies["watchlist_relative_hit"]
    }


def raised() -> set[tuple[str, str]]:
    return {(f.details["subject"], f.details["entry_id"]) for f in Finding.objects.filter(code=CODE)}


def test_rules_raise_exactly_the_injected_hits(loaded):
    evaluate_rules(as_of=AS_OF, actor="test")
    assert raised() == injected(loaded)
    assert len(injected(loaded)) == 8
    finding = Finding.objects.filter(code=CODE, details__subject__startswith="relative:").first()
    assert finding is not None and finding.severity == 4
    relative_id = finding.details["subject"].split(":", 1)[1]
    assert f"relative:{relative_id}" in finding.evidence
    assert finding.evidence[0] == f"official:{finding.subject_id}"
    assert finding.evidence[-1] == f"watchlist:{finding.details['list']}/{finding.details['entry_id']}"
    assert finding.details["entry_id"] in finding.text and "score" in finding.text
    assert evaluate_rules(as_of=AS_OF, actor="test").stored.created == 0  # idempotent


def test_a_rejection_stops_the_re_raise_until_it_expires(loaded):
    evaluate_rules(as_of=AS_OF, actor="test")
    finding = Finding.objects.filter(code=CODE).order_by("pk").first()
    assert finding is not None
    pair = (finding.details["subject"], finding.details["entry_id"])
    judge_match(
        finding=finding,
        verdict="rejected",
        actor="inspector",
        reason="different person: other parents",
        expires_on=timezone.localdate() + timedelta(days=30),
    )
    finding.refresh_from_db()
    assert finding.status == FindingStatus.DISMISSED
    assert pair not in {(h.subject_key, h.entry_id) for h in screening_hits()}
    finding.delete()  # even with the finding gone, re-evaluation does not raise the pair again
    evaluate_rules(as_of=AS_OF, actor="test")
    assert pair not in raised()
    assert (
        AuditEvent.objects.filter(object_type="screening.matchjudgement").exists()
        or AuditEvent.objects.filter(detail__verdict="rejected").exists()
    )
    MatchJudgement.objects.update(
        expires_on=timezone.localdate()
    )  # lapsed: the pair is raised again, as a new finding
    evaluate_rules(as_of=AS_OF, actor="test")
    again = Finding.objects.get(code=CODE, details__entry_id=pair[1])
    assert again.status == FindingStatus.NEW and again.dedupe_key.endswith(
        f"after-{timezone.localdate().isoformat()}"
    )


def test_a_confirmation_confirms_the_finding_and_a_reason_is_needed_to_reject(loaded):
    evaluate_rules(as_of=AS_OF, actor="test")
    finding = Finding.objects.filter(code=CODE).order_by("pk").last()
    assert finding is not None
    with pytest.raises(ValueError):
        judge_match(finding=finding, verdict="rejected", actor="inspector", reason=" ")
    judge_match(finding=finding, verdict="confirmed", actor="inspector")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CONFIRMED
    hits = {(h.subject_key, h.entry_id) for h in screening_hits()}
    assert (finding.details["subject"], finding.details["entry_id"]) in hits  # confirmed pairs stay raised


def inspector_client() -> Client:
    from sojourn.accounts.services import create_user

    client = Client()
    user = create_user(
        username="insp", password="correct-horse-battery-staple", role="inspector", unit_code=None
    )
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_review_page_shows_pairs_and_records_verdicts(loaded):
    evaluate_rules(as_of=AS_OF, actor="test")
    client = inspector_client()
    page = client.get("/screening/review/")
    assert page.status_code == 200
    first, second, third = Finding.objects.filter(code=CODE).order_by("pk")[:3]
    body = page.content.decode()
    assert first.details["entry_id"] in body and "Match review" in body
    from sojourn.audit.models import AuditEvent

    shown = AuditEvent.objects.filter(action="read", purpose="match review", actor="insp")
    assert shown.count() == Finding.objects.filter(code=CODE).count()  # one read per person shown
    assert (
        client.post(f"/screening/review/{first.pk}/", {"verdict": "rejected", "reason": ""}).status_code
        == 400
    )
    response = client.post(
        f"/screening/review/{first.pk}/",
        {"verdict": "rejected", "reason": "not him", "expires_on": "2030-01-01"},
    )
    assert response.status_code == 302
    judgement = MatchJudgement.objects.get(finding=first)
    assert (judgement.verdict, judgement.reason, judgement.expires_on) == (
        "rejected",
        "not him",
        date(2030, 1, 1),
    )
    assert client.post(f"/screening/review/{second.pk}/", {"verdict": "confirmed"}).status_code == 302
    second.refresh_from_db()
    assert second.status == FindingStatus.CONFIRMED
    # dismissing from the finding page records a rejection too
    assert client.post(f"/findings/{third.pk}/dismiss/", {"reason": "namesake"}).status_code == 302
    assert MatchJudgement.objects.get(finding=third).verdict == "rejected"
    assert first.details["entry_id"] not in client.get("/screening/review/").content.decode()
    assert client.post(f"/screening/review/{first.pk}/", {"verdict": "confirmed"}).status_code == 404


def test_the_review_page_gives_others_nothing(world):
    for persona in ("outsider", "registrar_a", "auditor", "checkpoint"):
        client = world.client(persona)
        assert client.get("/screening/review/").status_code == 403
        assert client.post("/screening/review/1/", {"verdict": "confirmed"}).status_code == 403
    assert world.client("inspector").get("/screening/review/").status_code == 200
