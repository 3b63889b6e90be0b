"""Writes to findings: storing what the rules raised, and inspectors' triage."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import transaction

from sojourn.alerts.models import Finding, FindingStatus
from sojourn.audit.models import AuditAction
from sojourn.audit.services import Actor, record
from sojourn.core import rules as core_rules
from sojourn.registry.models import Official


@dataclass(frozen=True)
class StoreResult:
    raised: int
    created: int
    already_known: int


def store_findings(*, findings: Iterable[core_rules.Finding], ruleset: str, batch: int = 2000) -> StoreResult:
    """Insert findings not seen before (by dedupe key); never touch the status of known ones."""
    now = datetime.now(UTC)
    pending = list(findings)
    keys = [f.dedupe_key for f in pending]
    known: set[str] = set()
    for i in range(0, len(keys), batch):
        known.update(Finding.objects.filter(dedupe_key__in=keys[i:i + batch]).values_list("dedupe_key", flat=True))
    fresh = {f.dedupe_key: f for f in pending if f.dedupe_key not in known}
    ids = {f.official_id for f in fresh.values()}
    officials: dict[str, Official] = {}
    id_list = list(ids)
    for i in range(0, len(id_list), batch):
        for known_official in Official.objects.filter(official_id__in=id_list[i:i + batch]).only(
            "id", "official_id", "unit_id"
        ):
            officials[known_official.official_id] = known_official
    rows = []
    for f in fresh.values():
        off = officials.get(f.official_id)
        rows.append(Finding(
            code=f.code, severity=int(f.severity), official=off, unit_id=off.unit_id if off else None,
            subject_id=f.official_id, text=f.text, basis=f.basis, evidence=list(f.evidence),
            details=dict(f.details), dedupe_key=f.dedupe_key, ruleset=ruleset, last_seen_at=now,
        ))
    with transaction.atomic():
        Finding.objects.bulk_create(rows, batch_size=batch)
        for i in range(0, len(keys), batch):
            Finding.objects.filter(dedupe_key__in=[k for k in keys[i:i + batch] if k in known]).update(
                last_seen_at=now
            )
    return StoreResult(raised=len(pending), created=len(rows), already_known=len(known))


def _transition(*, finding: Finding, actor: Actor, status: str, reason: str = "") -> Finding:
    with transaction.atomic():
        previous = finding.status
        finding.status = status
        finding.status_reason = reason
        finding.save(update_fields=["status", "status_reason"])
        record(actor=actor, action=AuditAction.UPDATE, obj=finding,
               detail={"status": [previous, status], "reason": reason})
    return finding


def acknowledge_finding(*, finding: Finding, actor: Actor) -> Finding:
    return _transition(finding=finding, actor=actor, status=FindingStatus.ACKNOWLEDGED)


def dismiss_finding(*, finding: Finding, actor: Actor, reason: str) -> Finding:
    """Dismiss as a false positive; a reason is required and re-evaluation never reopens it."""
    if not reason.strip():
        raise ValueError("a dismissal needs a reason")
    return _transition(finding=finding, actor=actor, status=FindingStatus.DISMISSED, reason=reason.strip())


def confirm_finding(*, finding: Finding, actor: Actor, reason: str = "") -> Finding:
    return _transition(finding=finding, actor=actor, status=FindingStatus.CONFIRMED, reason=reason)
