"""Writes to findings: storing what the rules raised, and inspectors' triage."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import transaction

from sojourn.alerts.models import Finding, FindingStatus, JournalEntry
from sojourn.audit.models import AuditAction
from sojourn.audit.services import Actor, record
from sojourn.core import rules as core_rules
from sojourn.registry.models import Official

OPEN_STATUSES = frozenset({FindingStatus.NEW, FindingStatus.ACKNOWLEDGED, FindingStatus.ASSIGNED,
                           FindingStatus.ESCALATED})


@dataclass(frozen=True)
class StoreResult:
    raised: int
    created: int
    already_known: int
    resolved: int = 0


def _existing(keys: list[str], batch: int) -> dict[str, tuple[int, str, bool]]:
    """Per known key: primary key, status, and whether it was raised about a condition that had already ended."""
    known: dict[str, tuple[int, str, bool]] = {}
    for i in range(0, len(keys), batch):
        for key, pk, status, details in Finding.objects.filter(dedupe_key__in=keys[i:i + batch]).values_list(
            "dedupe_key", "pk", "status", "details"
        ):
            known[key] = (pk, status, bool((details or {}).get("ended")))
    return known


def store_findings(*, findings: Iterable[core_rules.Finding], ruleset: str, batch: int = 2000,
                   actor: str = "system:reconcile") -> StoreResult:
    """Insert findings not seen before (by dedupe key) and resolve open ones whose condition ended.

    A finding a person has closed (dismissed, confirmed) is never reopened or changed; one that the
    data shows has ended (``resolution``) is resolved with a journal entry saying how.
    """
    now = datetime.now(UTC)
    pending = {f.dedupe_key: f for f in findings}
    keys = list(pending)
    known = _existing(keys, batch)
    fresh = [f for k, f in pending.items() if k not in known and (not f.resolution or f.raise_if_new)]
    officials: dict[str, Official] = {}
    id_list = list({f.official_id for f in fresh})
    for i in range(0, len(id_list), batch):
        for known_official in Official.objects.filter(official_id__in=id_list[i:i + batch]).only(
            "id", "official_id", "unit_id"
        ):
            officials[known_official.official_id] = known_official
    rows = []
    for f in fresh:
        off = officials.get(f.official_id)
        rows.append(Finding(
            code=f.code, severity=int(f.severity), official=off, unit_id=off.unit_id if off else None,
            subject_id=f.official_id, text=f.text, basis=f.basis, evidence=list(f.evidence),
            details={**f.details, "ended": True} if f.resolution else dict(f.details),
            dedupe_key=f.dedupe_key, ruleset=ruleset, last_seen_at=now,
        ))
    # Resolve what was raised while the condition lasted; a finding first raised after it ended (a late
    # return seen only once the traveller was back) stays for a person to review.
    ending = [(known[k][0], f.resolution) for k, f in pending.items()
              if f.resolution and k in known and known[k][1] in OPEN_STATUSES and not known[k][2]]
    with transaction.atomic():
        Finding.objects.bulk_create(rows, batch_size=batch)
        seen = [k for k in keys if k in known]
        for i in range(0, len(seen), batch):
            Finding.objects.filter(dedupe_key__in=seen[i:i + batch]).update(last_seen_at=now)
        for pk, resolution in ending:
            Finding.objects.filter(pk=pk).update(status=FindingStatus.RESOLVED, status_reason=resolution)
        JournalEntry.objects.bulk_create(
            [JournalEntry(finding_id=pk, actor=actor, action="resolved", text=resolution) for pk, resolution in ending],
            batch_size=batch,
        )
    return StoreResult(raised=len(pending), created=len(rows), already_known=len(known), resolved=len(ending))


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
