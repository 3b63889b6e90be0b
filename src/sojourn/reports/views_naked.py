"""The naked-officials report page, its chart, exports and the audited list of officials behind each number.

Counts and lists come only from ``visible_officials`` (the viewer's unit scope, for the roles that
read officials' records). Each list page shown writes one audit read row naming the officials on it;
each export writes one export row.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from sojourn.accounts.decorators import require_roles
from sojourn.registry.selectors import visible_officials
from sojourn.reports import services
from sojourn.reports.naked import (
    BY_CHOICES,
    MEASURE_LABELS,
    MEASURES,
    NAME,
    Params,
    naked_officials,
    officials_behind,
)
from sojourn.reports.render import CONTENT_TYPES
from sojourn.reports.selectors import REPORT_READERS
from sojourn.reports.webparts import check_unit_group, download, svg_chart
from sojourn.web.paging import Window as Page

PER_PAGE = 50
BY_LABELS = {"unit": gettext_lazy("unit"), "rank": gettext_lazy("rank")}


class NakedForm(forms.Form):
    """``?by=unit|rank`` (and ``group``, ``measure`` for the list behind a number)."""

    def __init__(self, query: QueryDict, *, drill_down: bool = False) -> None:
        data = query.copy()
        if not data.get("by"):
            data["by"] = "unit"
        if drill_down and not data.get("measure"):
            data["measure"] = "naked"
        super().__init__(data)
        self.fields["by"] = forms.ChoiceField(label=gettext_lazy("Group by"),
                                              choices=[(b, BY_LABELS[b]) for b in BY_CHOICES])
        if drill_down:
            self.fields["group"] = forms.CharField(required=False, max_length=200)
            self.fields["measure"] = forms.ChoiceField(choices=[(m, MEASURE_LABELS[m]) for m in MEASURES])

    def params(self) -> Params:
        return Params(by=self.cleaned_data["by"])


@require_GET
@require_roles(*REPORT_READERS)
def naked_page(request: HttpRequest) -> HttpResponse:
    """The report as a table and a chart; ``?format=csv|xlsx|json`` downloads it instead."""
    form = NakedForm(request.GET)
    fmt = request.GET.get("format", "")
    if fmt and fmt not in CONTENT_TYPES:
        return HttpResponseBadRequest(_("Unknown format."))
    if not form.is_valid():
        if fmt:
            return HttpResponseBadRequest(_("Bad report parameters."))
        return render(request, "reports/naked_officials.html", {"form": form}, status=400)
    params = form.params()
    report = naked_officials(visible_officials(request.user), params)
    if fmt:
        return download(request, report, fmt, f"{report.name}-by-{params.by}")
    query = urlencode(params.query())
    context = {
        "form": form, "report": report, "params": params, "query": query, "by_label": BY_LABELS[params.by],
        "headers": [c.text for c in report.columns],
        "rows": [_linked_row(params, key, row) for key, row in zip(report.row_keys, report.rows, strict=True)],
        "totals": _linked_row(params, "", {"group": _("Total"), **report.totals}),
        "exports": [(f, f"?{query}&format={f}") for f in ("csv", "xlsx", "json")],
    }
    return render(request, "reports/naked_officials.html", context)


def _linked_row(params: Params, key: str, row: dict[str, Any]) -> dict[str, Any]:
    """A row's label and each number with the link to the officials behind it."""
    base = reverse("reports:naked_officials_list")

    def link(measure: str) -> str:
        return f"{base}?{urlencode({**params.query(), **({'group': key} if key else {}), 'measure': measure})}"

    return {"label": row["group"], "cells": [(row[m], link(m)) for m in MEASURES]}


@require_GET
@require_roles(*REPORT_READERS)
def naked_chart(request: HttpRequest) -> HttpResponse:
    """The report's chart as SVG, drawn on the server."""
    form = NakedForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Bad report parameters."))
    return svg_chart(naked_officials(visible_officials(request.user), form.params()))


@require_GET
@require_roles(*REPORT_READERS)
def naked_list(request: HttpRequest) -> HttpResponse:
    """The officials behind one number of the report (``group`` and ``measure``)."""
    form = NakedForm(request.GET, drill_down=True)
    if not form.is_valid():
        return render(request, "reports/naked_list.html", {"form": form}, status=400)
    params = form.params()
    group, measure = form.cleaned_data["group"], form.cleaned_data["measure"]
    check_unit_group(request.user, params.by, group)
    qs = officials_behind(visible_officials(request.user), params, group=group, measure=measure)
    page = Page(qs, request.GET.get("page"), PER_PAGE)
    services.audit_listing(
        actor=request.user, report=NAME, official_ids=[o.official_id for o in page],
        params={**params.query(), "group": group, "measure": measure, "page": page.number},
        purpose="naked-officials drill-down",
    )
    keep = request.GET.copy()
    keep.pop("page", None)
    context = {
        "form": form, "params": params, "page": page, "keep": keep.urlencode(), "rows": list(page),
        "group": group, "measure_label": MEASURE_LABELS[measure],
        "back": f"{reverse('reports:naked_officials')}?{urlencode(params.query())}",
    }
    return render(request, "reports/naked_list.html", context)
