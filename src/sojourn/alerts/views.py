"""The findings inbox: filter, read, acknowledge, dismiss with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sojourn.accounts.decorators import require_roles
from sojourn.alerts import services
from sojourn.alerts.forms import DismissForm, InboxFilterForm
from sojourn.alerts.models import Finding
from sojourn.alerts.selectors import FINDING_DECIDERS, FINDING_READERS, filter_findings, visible_findings
from sojourn.registry.selectors import visible_units
from sojourn.screening.services import POSSIBLE_MATCH, judge_match


@require_roles(*FINDING_READERS)
def inbox(request: HttpRequest) -> HttpResponse:
    form = InboxFilterForm(request.GET or None, units=visible_units(request.user))
    qs = visible_findings(request.user)
    if form.is_valid():
        qs = filter_findings(qs, **{k: v for k, v in form.cleaned_data.items() if v})
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "alerts/inbox.html", {"form": form, "page": page})


def _finding_or_404(request: HttpRequest, pk: int) -> Finding:
    finding = visible_findings(request.user).filter(pk=pk).first()
    if finding is None:
        raise Http404
    return finding


@require_roles(*FINDING_READERS)
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding_or_404(request, pk)
    return render(request, "alerts/finding_detail.html", {"finding": finding, "dismiss_form": DismissForm()})


@require_POST
@require_roles(*FINDING_DECIDERS)
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    services.acknowledge_finding(finding=_finding_or_404(request, pk), actor=request.user)
    messages.success(request, _("Finding acknowledged."))
    return redirect("alerts:finding", pk=pk)


@require_POST
@require_roles(*FINDING_DECIDERS)
def dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    finding = _finding_or_404(request, pk)
    form = DismissForm(request.POST)
    if not form.is_valid():
        return render(request, "alerts/finding_detail.html", {"finding": finding, "dismiss_form": form})
    if finding.code == POSSIBLE_MATCH:  # a rejected match: kept as a judgement so it is not raised again
        judge_match(
            finding=finding, verdict="rejected", actor=request.user, reason=form.cleaned_data["reason"]
        )
    else:
        services.dismiss_finding(finding=finding, actor=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("Finding dismissed."))
    return redirect("alerts:finding", pk=pk)
