"""``GET /api/v1/reports/naked-officials``: the object ``sojourn report naked-officials --format json`` prints,
over the officials of the caller's units."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from sojourn.accounts.roles import has_role
from sojourn.registry.selectors import visible_officials
from sojourn.reports import services
from sojourn.reports.api import ReportOut
from sojourn.reports.naked import BY_CHOICES, Params, naked_officials
from sojourn.reports.selectors import REPORT_READERS

router = Router(tags=["reports"])


@router.get("/reports/naked-officials", response=ReportOut)
def naked_officials_report(request: HttpRequest, by: str = "unit") -> dict[str, Any]:
    """Naked officials (family emigrated) by unit or rank, in restricted posts and moved since, in the caller's units."""
    if not has_role(request.user, *REPORT_READERS):
        raise HttpError(403, "Your role gives no access to reports.")
    if by not in BY_CHOICES:
        raise HttpError(422, f"by is one of {', '.join(BY_CHOICES)}")
    report = naked_officials(visible_officials(request.user), Params(by=by))
    services.audit_export(actor=request.user, report=report, fmt="json", purpose="api")
    return report.as_dict()
