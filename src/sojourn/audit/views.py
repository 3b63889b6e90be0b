from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sojourn.accounts.decorators import require_roles
from sojourn.accounts.models import Role
from sojourn.audit.models import AuditEvent


@require_roles(Role.AUDITOR, Role.ADMIN)
def trail(request: HttpRequest) -> HttpResponse:
    qs = AuditEvent.objects.order_by("-seq")
    actor = request.GET.get("actor", "").strip()
    action = request.GET.get("action", "").strip()
    if actor:
        qs = qs.filter(actor=actor)
    if action:
        qs = qs.filter(action=action)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(request, "audit/trail.html", {"page": page, "actor": actor, "action": action})
