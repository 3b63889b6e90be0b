"""Registry pages: parse, authorize through selectors, call services, render."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sojourn.accounts.decorators import require_roles
from sojourn.accounts.roles import OFFICIAL_READERS, RELATIVE_READERS
from sojourn.alerts.selectors import visible_findings
from sojourn.audit.services import record_read
from sojourn.custody.selectors import visible_documents
from sojourn.registry import selectors
from sojourn.registry.forms import ImportForm, OfficialSearchForm
from sojourn.registry.models import Official, Relative
from sojourn.web.paging import Window


@require_roles(*OFFICIAL_READERS)
def unit_tree(request: HttpRequest) -> HttpResponse:
    units = list(selectors.visible_units(request.user))
    counts = selectors.official_counts_by_unit(request.user)
    top = min((u.depth for u in units), default=0)
    rows = [(u, u.depth - top, counts.get(u.pk, 0)) for u in units]
    return render(request, "registry/unit_tree.html", {"rows": rows})


@require_roles(*OFFICIAL_READERS)
def official_list(request: HttpRequest) -> HttpResponse:
    form = OfficialSearchForm(request.GET or None, units=selectors.visible_units(request.user))
    qs = selectors.visible_officials(request.user)
    if form.is_valid():
        qs = selectors.search_officials(
            qs, text=form.cleaned_data["q"], unit_code=form.cleaned_data["unit"],
            rank=form.cleaned_data["rank"], status=form.cleaned_data["status"],
        )
    page = Window(qs.order_by("official_id"), request.GET.get("page"))
    template = "registry/_official_rows.html" if request.htmx else "registry/official_list.html"  # type: ignore[attr-defined]
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(request, template, {"form": form, "page": page, "keep": keep.urlencode()})


def _official_or_404(request: HttpRequest, official_id: str) -> Official:
    official = selectors.visible_officials(request.user).filter(official_id=official_id).first()
    if official is None:
        # Out of scope and nonexistent look the same: no probing for who is in the registry.
        raise Http404
    return official


@require_roles(*OFFICIAL_READERS)
def official_detail(request: HttpRequest, official_id: str) -> HttpResponse:
    official = _official_or_404(request, official_id)
    record_read(actor=request.user, obj=official, purpose="official detail page")
    relatives = (
        list(official.relatives.all()) if selectors.may_see_relatives(request.user, official) else None
    )
    findings = list(visible_findings(request.user).filter(official=official)[:50])
    documents = list(visible_documents(request.user).filter(holder=official).prefetch_related("events"))
    context = {
        "official": official,
        "documents": documents,
        "relatives": relatives,
        "posts": list(official.post_changes.all()),
        "findings": findings,
    }
    return render(request, "registry/official_detail.html", context)


@require_roles(*RELATIVE_READERS)
def relative_detail(request: HttpRequest, relative_id: str) -> HttpResponse:
    relative: Relative | None = selectors.visible_relatives(request.user).filter(relative_id=relative_id).first()
    if relative is None:
        raise Http404
    record_read(actor=request.user, obj=relative, purpose="relative detail page")
    return render(request, "registry/relative_detail.html", {"relative": relative})


@require_roles("registrar", "admin")
def import_file(request: HttpRequest) -> HttpResponse:
    from sojourn.registry.services import import_uploaded

    report = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        report = import_uploaded(
            kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"], actor=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
    return render(request, "registry/import.html", {"form": form, "report": report})
