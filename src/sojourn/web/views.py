"""The landing page: what needs attention, by role."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from sojourn.accounts.models import Role
from sojourn.accounts.roles import roles_of
from sojourn.alerts.models import FindingStatus
from sojourn.alerts.selectors import visible_findings
from sojourn.registry.selectors import visible_officials
from sojourn.reports.views import holiday_panel


def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def home(request: HttpRequest) -> HttpResponse:
    held = roles_of(request.user)
    if held == {Role.AUDITOR}:
        return redirect("audit:trail")
    findings = visible_findings(request.user)
    open_findings = findings.exclude(status__in=[FindingStatus.DISMISSED, FindingStatus.CONFIRMED])
    context = {
        "official_count": visible_officials(request.user).count(),
        "open_count": open_findings.count(),
        "latest": list(open_findings[:10]),
        "holiday": holiday_panel(request),
    }
    return render(request, "web/home.html", context)
