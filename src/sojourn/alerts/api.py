"""Findings endpoints: list with the same filters as the inbox, and triage."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from sojourn.accounts.roles import has_role
from sojourn.alerts import services
from sojourn.alerts.models import Finding
from sojourn.alerts.selectors import FINDING_DECIDERS, FINDING_READERS, filter_findings, visible_findings

router = Router(tags=["findings"])


class FindingOut(Schema):
    id: int
    code: str
    severity: str
    official_id: str
    unit_code: str | None
    text: str
    basis: str
    evidence: list[str]
    status: str
    status_reason: str
    ruleset: str
    created_at: datetime


class DismissIn(Schema):
    reason: str


def finding_out(f: Finding) -> dict[str, Any]:
    return {
        "id": f.pk, "code": f.code, "severity": f.severity_label, "official_id": f.subject_id,
        "unit_code": f.unit.code if f.unit else None, "text": f.text, "basis": f.basis,
        "evidence": list(f.evidence), "status": f.status, "status_reason": f.status_reason,
        "ruleset": f.ruleset, "created_at": f.created_at,
    }


def _finding(request: HttpRequest, finding_id: int, roles: frozenset[str]) -> Finding:
    if not has_role(request.user, *roles):
        raise HttpError(403, "Your role gives no access to findings.")
    finding = visible_findings(request.user).filter(pk=finding_id).first()
    if finding is None:
        raise Http404
    return finding


@router.get("/findings", response=list[FindingOut])
def list_findings(request: HttpRequest, code: str = "", severity: str = "", unit: str = "", status: str = "",
                  official: str = "", offset: int = 0, limit: int = 100) -> list[dict[str, Any]]:
    if not has_role(request.user, *FINDING_READERS):
        raise HttpError(403, "Your role gives no access to findings.")
    qs = filter_findings(visible_findings(request.user), code=code, severity=severity, unit_code=unit,
                         status=status, official_id=official)
    limit = max(1, min(limit, 1000))
    return [finding_out(f) for f in qs[offset:offset + limit]]


@router.get("/findings/{finding_id}", response=FindingOut)
def get_finding(request: HttpRequest, finding_id: int) -> dict[str, Any]:
    return finding_out(_finding(request, finding_id, FINDING_READERS))


@router.post("/findings/{finding_id}/acknowledge", response=FindingOut)
def acknowledge(request: HttpRequest, finding_id: int) -> dict[str, Any]:
    finding = _finding(request, finding_id, FINDING_DECIDERS)
    return finding_out(services.acknowledge_finding(finding=finding, actor=request.user))


@router.post("/findings/{finding_id}/dismiss", response=FindingOut)
def dismiss(request: HttpRequest, finding_id: int, payload: DismissIn) -> dict[str, Any]:
    finding = _finding(request, finding_id, FINDING_DECIDERS)
    if not payload.reason.strip():
        raise HttpError(422, "A dismissal needs a reason.")
    return finding_out(services.dismiss_finding(finding=finding, actor=request.user, reason=payload.reason))
