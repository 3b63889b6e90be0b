"""``GET /api/v1/reports/families-abroad`` and ``GET /api/v1/reports/findings``: the JSON of
``sojourn report … --format json``, in the caller's scope. Registered on the reports router."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError

from sojourn.accounts.roles import has_role
from sojourn.alerts.selectors import FINDING_READERS, visible_findings
from sojourn.reports import services
from sojourn.reports.api import ReportOut, router
from sojourn.reports.families import BY_CHOICES as FAMILY_BY
from sojourn.reports.families import Params as FamilyParams
from sojourn.reports.families import families_abroad
from sojourn.reports.findings_report import BY_CHOICES as FINDING_BY
from sojourn.reports.findings_report import Params as FindingParams
from sojourn.reports.findings_report import findings_report
from sojourn.reports.selectors import REPORT_READERS
from sojourn.reports.stats_selectors import visible_family
from sojourn.web.dates import default_as_of


@router.get("/reports/families-abroad", response=ReportOut)
def families_abroad_report(request: HttpRequest, by: str = "destination", as_of: date | None = None) -> dict[str, Any]:
    """Spouses and children of the caller's units' officials living abroad: people, cases, foreign assets."""
    if not has_role(request.user, *REPORT_READERS):
        raise HttpError(403, "Your role gives no access to reports.")
    if by not in FAMILY_BY:
        raise HttpError(422, f"by is one of {', '.join(FAMILY_BY)}")
    report = families_abroad(visible_family(request.user), FamilyParams(as_of=as_of or default_as_of(), by=by))
    services.audit_export(actor=request.user, report=report, fmt="json", purpose="api")
    return report.as_dict()


@router.get("/reports/findings", response=ReportOut)
def findings_statistics(request: HttpRequest, by: str = "code") -> dict[str, Any]:
    """Findings of the caller's units by rule code, severity, unit or month, split by outcome."""
    if not has_role(request.user, *FINDING_READERS):
        raise HttpError(403, "Your role gives no access to findings.")
    if by not in FINDING_BY:
        raise HttpError(422, f"by is one of {', '.join(FINDING_BY)}")
    report = findings_report(visible_findings(request.user), FindingParams(by=by))
    services.audit_export(actor=request.user, report=report, fmt="json", purpose="api")
    return report.as_dict()
