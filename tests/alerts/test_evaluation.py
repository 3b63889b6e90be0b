"""Rule → finding → inbox → audit, end to end on the operational store."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from tests.factories import make_official

from sojourn.alerts.evaluation import evaluate_rules
from sojourn.alerts.models import Finding
from sojourn.alerts.services import dismiss_finding
from sojourn.audit.models import AuditEvent


@pytest.fixture(autouse=True)
def only_filing_gap(monkeypatch):
    """These tests follow one rule's findings through the pipeline; the other rule families (ties,
    declarations…) would flag the world's records too and are tested on their own."""
    from sojourn.alerts import evaluation
    from sojourn.core.rules import RULESET_VERSION, Ruleset
    from sojourn.core.rules.registry import filing_gap

    monkeypatch.setattr(evaluation, "configured_ruleset", lambda: Ruleset(RULESET_VERSION, (filing_gap,)))


@pytest.fixture
def unfiled(world):
    return make_official("OA-9", world.units["A"], filed_on=None, covered_since=date(2026, 1, 5),
                         id_number="110105197001010027")


def test_evaluation_raises_and_stores_once(unfiled):
    first = evaluate_rules(as_of=date(2026, 3, 1))
    assert first.stored.created == 1
    finding = Finding.objects.get()
    assert finding.official == unfiled and finding.unit.code == "A" and finding.status == "new"
    second = evaluate_rules(as_of=date(2026, 3, 2))
    assert second.stored.created == 0 and Finding.objects.count() == 1
    assert AuditEvent.objects.filter(action="job", object_id="evaluate_rules").count() == 2


def test_dismissed_finding_is_not_reopened(unfiled, world):
    evaluate_rules(as_of=date(2026, 3, 1))
    finding = Finding.objects.get()
    dismiss_finding(finding=finding, actor=world.users["inspector"], reason="filed on paper, record lags")
    evaluate_rules(as_of=date(2026, 3, 5))
    finding.refresh_from_db()
    assert finding.status == "dismissed" and Finding.objects.count() == 1


def test_dismissal_needs_a_reason(unfiled, world):
    evaluate_rules(as_of=date(2026, 3, 1))
    with pytest.raises(ValueError):
        dismiss_finding(finding=Finding.objects.get(), actor=world.users["inspector"], reason="  ")


def test_inbox_shows_scoped_findings_and_triage_works(unfiled, world):
    evaluate_rules(as_of=date(2026, 3, 1))
    finding = Finding.objects.get()
    inspector = world.client("inspector")
    page = inspector.get("/findings/?severity=medium&code=registry.filing_gap").content.decode()
    assert "registry.filing_gap" in page and "OA-9" in page
    assert "OA-9" not in world.client("outsider").get("/findings/").content.decode()
    assert world.client("outsider").get(f"/findings/{finding.pk}/").status_code == 404
    # A registrar reads findings of the unit but does not decide them.
    assert world.client("registrar_a").post(f"/findings/{finding.pk}/acknowledge/").status_code == 403
    inspector.post(f"/findings/{finding.pk}/dismiss/", {"reason": "checked with the unit"})
    finding.refresh_from_db()
    assert finding.status == "dismissed" and finding.status_reason == "checked with the unit"
    assert AuditEvent.objects.filter(action="update", object_type="alerts.finding", actor="inspector").exists()


def test_findings_command_json(unfiled, capsys):
    call_command("reconcile", "--as-of", "2026-03-01")
    call_command("findings", "--json")
    import json

    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 1
    row = rows[0]
    for key in ("id", "code", "severity", "official_id", "text", "basis", "evidence", "status", "ruleset",
                "created_at"):
        assert key in row
    assert row["official_id"] == "OA-9" and row["severity"] == "medium"


def test_api_lists_and_dismisses(unfiled, world):
    evaluate_rules(as_of=date(2026, 3, 1))
    client = world.client("inspector")
    [row] = client.get("/api/v1/findings?code=registry.filing_gap").json()
    response = client.post(f"/api/v1/findings/{row['id']}/dismiss", {"reason": "ok"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "dismissed"
    assert world.client("outsider").get("/api/v1/findings").json() == []


def test_reconcile_refuses_a_bad_date():
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-m", "sojourn", "reconcile", "--as-of", "2026-13-01"],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "'2026-13-01' is not a date" in run.stderr


def test_evidence_links_to_the_records(unfiled, world):
    evaluate_rules(as_of=date(2026, 3, 1))
    finding = Finding.objects.get()
    body = world.client("inspector").get(f"/findings/{finding.pk}/").content.decode()
    assert '<a href="/registry/officials/OA-9/">official:OA-9</a>' in body
