"""Match review: inspectors confirm or reject the possible matches continuous screening raised."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sojourn.accounts.decorators import require_roles
from sojourn.alerts.selectors import FINDING_DECIDERS
from sojourn.audit.models import AuditAction
from sojourn.audit.services import record
from sojourn.screening.forms import JudgementForm
from sojourn.screening.selectors import ReviewPair, open_matches, review_pairs
from sojourn.screening.services import judge_match


@require_roles(*FINDING_DECIDERS)
def review(request: HttpRequest) -> HttpResponse:
    """Open possible matches, person and list entry side by side, with confirm / reject forms."""
    page = Paginator(open_matches(request.user), 25).get_page(request.GET.get("page"))
    pairs = review_pairs(page.object_list)
    _audit_reads(request, pairs)
    return render(request, "screening/review.html", {
        "page": page, "pairs": pairs, "form": JudgementForm(),
    })  # fmt: skip


def _audit_reads(request: HttpRequest, pairs: list[ReviewPair]) -> None:
    """The page shows each person's record: every one shown is a read, and is logged as one."""
    for pair in pairs:
        if "pk" in pair.person:
            kind = "registry.relative" if "relative_id" in pair.person else "registry.official"
            record(actor=request.user, action=AuditAction.READ, object_type=kind,
                   object_id=str(pair.person["pk"]), purpose="match review")


@require_POST
@require_roles(*FINDING_DECIDERS)
def judge(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a verdict on one open possible match."""
    finding = open_matches(request.user).filter(pk=pk).first()
    if finding is None:
        raise Http404
    form = JudgementForm(request.POST)
    if not form.is_valid():
        return render(request, "screening/review.html", {
            "page": None, "pairs": review_pairs([finding]), "form": form,
        }, status=400)  # fmt: skip
    data = form.cleaned_data
    judge_match(
        finding=finding,
        verdict=data["verdict"],
        actor=request.user,
        reason=data["reason"],
        expires_on=data["expires_on"],
    )
    messages.success(request, _("Judgement recorded."))
    return redirect("screening:review")
