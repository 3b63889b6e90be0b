"""The audit trail for auditors: read the events, verify the chain."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from sojourn.accounts.models import Role
from sojourn.accounts.roles import has_role
from sojourn.audit.models import AuditEvent
from sojourn.audit.services import verify_chain

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    seq: int
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    purpose: str
    detail: dict[str, Any]
    hash: str


class ChainOut(Schema):
    ok: bool
    checked: int
    broken_seq: int | None
    reason: str


def _require_auditor(request: HttpRequest) -> None:
    if not has_role(request.user, Role.AUDITOR, Role.ADMIN):
        raise HttpError(403, "Only auditors read the audit trail.")


@router.get("/audit/events", response=list[AuditEventOut])
def list_events(request: HttpRequest, actor: str = "", action: str = "", after_seq: int = 0,
                limit: int = 200) -> list[AuditEvent]:
    _require_auditor(request)
    qs = AuditEvent.objects.filter(seq__gt=after_seq).order_by("seq")
    if actor:
        qs = qs.filter(actor=actor)
    if action:
        qs = qs.filter(action=action)
    return list(qs[: max(1, min(limit, 1000))])


@router.get("/audit/verify", response=ChainOut)
def verify(request: HttpRequest) -> dict[str, Any]:
    _require_auditor(request)
    report = verify_chain()
    return {"ok": report.ok, "checked": report.checked, "broken_seq": report.broken_seq, "reason": report.reason}
