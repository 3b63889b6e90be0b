"""Audit rows for reports: exports of statistics, and reads of the journeys behind them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sojourn.audit.models import AuditAction
from sojourn.audit.services import Actor, record
from sojourn.reports.framework import Report


def audit_export(*, actor: Actor, report: Report, fmt: str, purpose: str, **extra: Any) -> None:
    """One row per export (download, file written, API call), naming the report and its parameters."""
    record(actor=actor, action=AuditAction.EXPORT, object_type="report", object_id=report.name, purpose=purpose,
           detail={"params": report.params, "format": fmt, "rows": len(report.rows), **extra})


def audit_listing(*, actor: Actor, report: str, params: dict[str, Any], official_ids: Iterable[str],
                  purpose: str) -> None:
    """One read row per page of a list of journeys, naming every official shown (nothing shown: no row)."""
    shown = list(dict.fromkeys(official_ids))
    if not shown:
        return
    record(actor=actor, action=AuditAction.READ, object_type="report", object_id=report,
           purpose=purpose, detail={"report": report, "params": params, "officials": shown})
