"""Link review: pairs awaiting a decision, the two records side by side, confirm or reject."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sojourn.accounts.decorators import require_roles
from sojourn.resolution.forms import LinkJudgementForm, PairFilterForm
from sojourn.resolution.models import LinkPair
from sojourn.resolution.selectors import PAIR_READERS, filter_pairs, pair_detail, visible_pairs, visible_runs
from sojourn.resolution.services import judge_pair, record_pair_read
from sojourn.web.paging import Window


@require_roles(*PAIR_READERS)
def index(request: HttpRequest) -> HttpResponse:
    """Pairs the latest runs found (awaiting review first), filterable by finding and review state; the runs."""
    form = PairFilterForm(request.GET or None)
    qs = visible_pairs(request.user)
    review = "pending"
    if form.is_valid():
        review = form.cleaned_data["review"] if "review" in request.GET else "pending"
        qs = filter_pairs(qs, code=form.cleaned_data["code"], review=review)
    else:
        qs = filter_pairs(qs, review=review)
    page = Window(qs.order_by("-match_probability", "id"), request.GET.get("page"))
    runs = list(visible_runs(request.user)[:10])
    return render(request, "resolution/index.html", {"form": form, "page": page, "runs": runs})


def _pair_or_404(request: HttpRequest, pair_id: int) -> LinkPair:
    pair = visible_pairs(request.user).filter(pk=pair_id).first()
    if pair is None:
        raise Http404
    return pair


def _render_pair(request: HttpRequest, pair: LinkPair, form: LinkJudgementForm, status: int = 200) -> HttpResponse:
    detail = pair_detail(pair)
    record_pair_read(actor=request.user, pair=pair, sides=(detail.left.audit, detail.right.audit))
    return render(request, "resolution/pair.html", {"detail": detail, "pair": pair, "form": form}, status=status)


@require_roles(*PAIR_READERS)
def pair(request: HttpRequest, pair_id: int) -> HttpResponse:
    """Both records side by side with the per-comparison evidence; an audited read of both."""
    return _render_pair(request, _pair_or_404(request, pair_id), LinkJudgementForm())


@require_POST
@require_roles(*PAIR_READERS)
def judge(request: HttpRequest, pair_id: int) -> HttpResponse:
    found = _pair_or_404(request, pair_id)
    form = LinkJudgementForm(request.POST)
    if not form.is_valid():
        return _render_pair(request, found, form, status=400)
    judge_pair(pair=found, verdict=form.cleaned_data["verdict"], actor=request.user,
               reason=form.cleaned_data["reason"])
    messages.success(request, _("Judgement recorded."))
    return redirect("resolution:pair", pair_id=found.pk)
