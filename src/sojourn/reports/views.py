"""Report pages: the non-returns report with its chart, exports and drill-downs, and the overdue board.

Counts and lists come only from ``visible_journeys`` (the viewer's unit scope). Lists of journeys are
personal data: each page shown writes one audit read row naming the officials on it; each export
writes one export row.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sojourn.accounts.decorators import require_roles
from sojourn.crossings.models import Journey
from sojourn.reports import services
from sojourn.reports.forms import BY_LABELS, AsOfForm, NonReturnsForm
from sojourn.reports.framework import Report
from sojourn.reports.nonreturns import (
    NAME,
    STATUS_LABELS,
    Params,
    Status,
    Thresholds,
    holiday_window,
    journeys_behind,
    non_returns,
    overdue_board,
)
from sojourn.reports.render import CONTENT_TYPES
from sojourn.reports.selectors import REPORT_READERS, visible_journeys
from sojourn.reports.webparts import check_unit_group, download, svg_chart
from sojourn.web.dates import default_as_of
from sojourn.web.paging import Window as Page

PER_PAGE = 50



@require_GET
@require_roles(*REPORT_READERS)
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/index.html")


@require_GET
@require_roles(*REPORT_READERS)
def non_returns_page(request: HttpRequest) -> HttpResponse:
    """The report as a table and a chart; ``?format=csv|xlsx|json`` downloads it instead."""
    form = NonReturnsForm(request.GET)
    fmt = request.GET.get("format", "")
    if fmt and fmt not in CONTENT_TYPES:
        return HttpResponseBadRequest(_("Unknown format."))
    if not form.is_valid():
        if fmt:
            return HttpResponseBadRequest(_("Bad report parameters."))
        return render(request, "reports/non_returns.html", {"form": form}, status=400)
    params = form.params()
    report = non_returns(visible_journeys(request.user), params)
    if fmt:
        return _download(request, report, params, fmt)
    query = urlencode(params.query())
    context = {
        "form": form, "report": report, "params": params, "query": query,
        "by_label": BY_LABELS[params.by],
        "headers": [c.text for c in report.columns],
        "rows": [_linked_row(params, key, row) for key, row in zip(report.row_keys, report.rows, strict=True)],
        "totals": _linked_row(params, "", {"group": _("Total"), **report.totals}),
        "exports": [(f, f"?{query}&format={f}") for f in ("csv", "xlsx", "json")],
    }
    return render(request, "reports/non_returns.html", context)


def _download(request: HttpRequest, report: Report, params: Params, fmt: str) -> HttpResponse:
    return download(request, report, fmt, f"{report.name}-{params.window.start}-{params.window.end}-by-{params.by}")


def _linked_row(params: Params, key: str, row: dict[str, Any]) -> dict[str, Any]:
    """A row's label and each number with the link to the journeys behind it."""
    base = reverse("reports:non_returns_list")

    def link(status: str) -> str:
        query = {**params.query(), **({"group": key} if key else {}), **({"status": status} if status else {})}
        return f"{base}?{urlencode(query)}"

    cells = [(row["travelled"], link(""))] + [(row[s.value], link(s.value)) for s in Status]
    return {"label": row["group"], "cells": cells}


@require_GET
@require_roles(*REPORT_READERS)
def non_returns_chart(request: HttpRequest) -> HttpResponse:
    """The report's chart as SVG, drawn on the server (the page has no script)."""
    form = NonReturnsForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Bad report parameters."))
    return svg_chart(non_returns(visible_journeys(request.user), form.params()))


@require_GET
@require_roles(*REPORT_READERS)
def non_returns_list(request: HttpRequest) -> HttpResponse:
    """The journeys behind one number of the report (``group`` and ``status``)."""
    form = NonReturnsForm(request.GET, drill_down=True)
    if not form.is_valid():
        return render(request, "reports/journey_list.html", {"form": form}, status=400)
    params = form.params()
    group, status = form.cleaned_data["group"], form.cleaned_data["status"]
    check_unit_group(request.user, params.by, group)
    qs = journeys_behind(visible_journeys(request.user), params, group=group, status=status)
    page = Page(qs, request.GET.get("page"), PER_PAGE)
    services.audit_listing(
        actor=request.user, report=NAME, official_ids=[j.official.official_id for j in page],
        params={**params.query(), "group": group, "status": status, "page": page.number},
        purpose="non-returns drill-down",
    )
    keep = request.GET.copy()
    keep.pop("page", None)
    context = {
        "form": form, "params": params, "page": page, "keep": keep.urlencode(),
        "rows": [_journey_row(j, params.as_of) for j in page],
        "group": group, "status_label": STATUS_LABELS[Status(status)] if status else _("travelled"),
        "back": f"{reverse('reports:non_returns')}?{urlencode(params.query())}",
    }
    return render(request, "reports/journey_list.html", context)


@require_GET
@require_roles(*REPORT_READERS)
def overdue(request: HttpRequest) -> HttpResponse:
    """Who is still abroad past the approved date (plus grace), the longest overdue first."""
    form = AsOfForm(request.GET)
    if not form.is_valid():
        return render(request, "reports/overdue.html", {"form": form}, status=400)
    as_of: date = form.cleaned_data["as_of"]
    page = Page(overdue_board(visible_journeys(request.user), as_of), request.GET.get("page"), PER_PAGE)
    services.audit_listing(
        actor=request.user, report="overdue", official_ids=[j.official.official_id for j in page],
        params={"as_of": as_of.isoformat(), "page": page.number}, purpose="overdue board",
    )
    keep = request.GET.copy()
    keep.pop("page", None)
    context = {"form": form, "as_of": as_of, "page": page, "keep": keep.urlencode(),
               "rows": [_journey_row(j, as_of) for j in page], "thresholds": Thresholds.from_settings()}
    return render(request, "reports/overdue.html", context)


def _journey_row(journey: Journey, as_of: date) -> dict[str, Any]:
    status = Status(getattr(journey, "status", ""))
    due = journey.due_date
    back = journey.entry_date if journey.entry_date and journey.entry_date <= as_of else None
    return {
        "journey": journey, "official": journey.official, "unit": journey.official.unit, "entry_date": back,
        "status": status.value, "status_label": STATUS_LABELS[status],
        "days_overdue": (as_of - due).days if due and back is None and as_of > due else None,
    }


def holiday_panel(request: HttpRequest) -> dict[str, Any] | None:
    """The home page's non-returns summary for the holiday window, or None for roles that read no report."""
    from sojourn.accounts.roles import has_role

    if not has_role(request.user, *REPORT_READERS):
        return None
    as_of = default_as_of()
    params = Params(window=holiday_window(as_of), as_of=as_of)
    report = non_returns(visible_journeys(request.user), params)
    query = urlencode(params.query())
    listing = f"{reverse('reports:non_returns_list')}?{query}"
    shown = [("travelled", _("travelled"), ""), ("returned_on_time", _("on time"), Status.RETURNED_ON_TIME),
             ("returned_late", _("late"), Status.RETURNED_LATE), ("overdue", _("overdue, not back"), Status.OVERDUE),
             ("missing", _("missing"), Status.MISSING), ("unapproved", _("unapproved"), Status.UNAPPROVED)]
    cards = [(label, report.totals[key], f"{listing}&status={status}" if status else listing)
             for key, label, status in shown]
    return {"params": params, "cards": cards, "link": f"{reverse('reports:non_returns')}?{query}"}
