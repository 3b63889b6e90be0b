"""Pages of the families-abroad and findings reports: table, chart, exports and audited drill-downs.

Families abroad: counts cover the relatives of officials in the viewer's units (report readers);
the lists of relatives behind a number are for the roles that read relatives, one audit read row
per page shown. Findings: counts and lists cover the findings of the viewer's units (finding readers).
Every download writes one export row.
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
from sojourn.accounts.roles import RELATIVE_READERS, has_role
from sojourn.alerts.selectors import FINDING_READERS, visible_findings
from sojourn.reports import services
from sojourn.reports.families import CATEGORY_LABELS, Config, families_abroad, relatives_behind
from sojourn.reports.families import NAME as FAMILIES
from sojourn.reports.families import Params as FamilyParams
from sojourn.reports.findings_report import NAME as FINDINGS
from sojourn.reports.findings_report import OUTCOMES, findings_behind, findings_report
from sojourn.reports.findings_report import Params as FindingParams
from sojourn.reports.framework import Report
from sojourn.reports.render import CONTENT_TYPES
from sojourn.reports.selectors import REPORT_READERS
from sojourn.reports.stats_selectors import visible_family
from sojourn.reports.webparts import download, svg_chart
from sojourn.web.dates import default_as_of
from sojourn.web.paging import Window as Page

PER_PAGE = 50
FAMILY_BY_LABELS = {"destination": gettext_lazy("destination"), "period": gettext_lazy("period of emigration"),
                    "category": gettext_lazy("category")}  # fmt: skip
FINDING_BY_LABELS = {"code": gettext_lazy("rule"), "severity": gettext_lazy("severity"), "unit": gettext_lazy("unit"),
                     "month": gettext_lazy("month raised")}  # fmt: skip


class FamiliesForm(forms.Form):
    by = forms.ChoiceField(label=gettext_lazy("Group by"), choices=list(FAMILY_BY_LABELS.items()))
    as_of = forms.DateField(label=gettext_lazy("As of"), widget=forms.DateInput(attrs={"type": "date"}))
    group = forms.CharField(required=False, max_length=200)

    def __init__(self, query: QueryDict) -> None:
        data = query.copy()
        data.setdefault("by", "destination")
        if not data.get("as_of"):
            data["as_of"] = default_as_of().isoformat()
        super().__init__(data)

    def params(self) -> FamilyParams:
        return FamilyParams(as_of=self.cleaned_data["as_of"], by=self.cleaned_data["by"])


class FindingsForm(forms.Form):
    by = forms.ChoiceField(label=gettext_lazy("Group by"), choices=list(FINDING_BY_LABELS.items()))
    group = forms.CharField(required=False, max_length=200)
    outcome = forms.ChoiceField(required=False, choices=[("", "")] + [(k, k) for k in OUTCOMES])

    def __init__(self, query: QueryDict) -> None:
        data = query.copy()
        data.setdefault("by", "code")
        super().__init__(data)

    def params(self) -> FindingParams:
        return FindingParams(by=self.cleaned_data["by"])


def _download(request: HttpRequest, report: Report, name: str, fmt: str) -> HttpResponse:
    return download(request, report, fmt, name)


# --- families abroad -----------------------------------------------------------------------------------


@require_GET
@require_roles(*REPORT_READERS)
def families_page(request: HttpRequest) -> HttpResponse:
    """The report as a table and a chart; ``?format=csv|xlsx|json`` downloads it instead."""
    form = FamiliesForm(request.GET)
    fmt = request.GET.get("format", "")
    if fmt and fmt not in CONTENT_TYPES:
        return HttpResponseBadRequest(_("Unknown format."))
    if not form.is_valid():
        return render(request, "reports/families_abroad.html", {"form": form}, status=400)
    params = form.params()
    report = families_abroad(visible_family(request.user), params)
    if fmt:
        return _download(request, report, f"{FAMILIES}-by-{params.by}", fmt)
    query = urlencode(params.query())
    drill = has_role(request.user, *RELATIVE_READERS)
    base = reverse("reports:families_abroad_list")

    def link(key: str) -> str:
        return f"{base}?{urlencode({**params.query(), **({'group': key} if key else {})})}" if drill else ""

    def label(row: dict[str, Any]) -> str:
        return str(CATEGORY_LABELS[row["group"]]) if params.by == "category" else row["group"]

    rows = [{"label": label(row), "href": link(key), "cells": [row[c.key] for c in report.numeric_columns]}
            for key, row in zip(report.row_keys, report.rows, strict=True)]
    context = {
        "form": form, "report": report, "params": params, "query": query, "rows": rows,
        "by_label": FAMILY_BY_LABELS[params.by], "headers": [c.text for c in report.numeric_columns],
        "totals": [report.totals[c.key] for c in report.numeric_columns], "total_href": link(""),
        "exports": [(f, f"?{query}&format={f}") for f in ("csv", "xlsx", "json")],
    }
    return render(request, "reports/families_abroad.html", context)


@require_GET
@require_roles(*REPORT_READERS)
def families_chart(request: HttpRequest) -> HttpResponse:
    form = FamiliesForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Bad report parameters."))
    return svg_chart(families_abroad(visible_family(request.user), form.params()))


@require_GET
@require_roles(*RELATIVE_READERS)
def families_list(request: HttpRequest) -> HttpResponse:
    """The relatives behind one row of the report; each page shown is one audited read."""
    form = FamiliesForm(request.GET)
    if not form.is_valid():
        return render(request, "reports/families_list.html", {"form": form}, status=400)
    params, group = form.params(), form.cleaned_data["group"]
    config = Config.from_settings()
    qs = relatives_behind(visible_family(request.user), params, group, config)
    page = Page(qs, request.GET.get("page"), PER_PAGE)
    shown = list(page)
    services.audit_listing(
        actor=request.user, report=FAMILIES, official_ids=[r.official.official_id for r in shown],
        params={**params.query(), "group": group, "page": page.number,
                "relatives": [r.relative_id for r in shown]},
        purpose="families-abroad drill-down",
    )
    keep = request.GET.copy()
    keep.pop("page", None)
    group_label = str(CATEGORY_LABELS.get(group, group)) if params.by == "category" else group
    context = {
        "form": form, "params": params, "page": page, "keep": keep.urlencode(), "group": group_label,
        "rows": [{"relative": r, "official": r.official, "unit": r.official.unit,
                  "destination": config.groups.group_of(r.residence_country)} for r in shown],
        "back": f"{reverse('reports:families_abroad')}?{urlencode(params.query())}",
    }
    return render(request, "reports/families_list.html", context)


# --- findings ------------------------------------------------------------------------------------------


@require_GET
@require_roles(*FINDING_READERS)
def findings_page(request: HttpRequest) -> HttpResponse:
    form = FindingsForm(request.GET)
    fmt = request.GET.get("format", "")
    if fmt and fmt not in CONTENT_TYPES:
        return HttpResponseBadRequest(_("Unknown format."))
    if not form.is_valid():
        return render(request, "reports/findings_report.html", {"form": form}, status=400)
    params = form.params()
    report = findings_report(visible_findings(request.user), params)
    if fmt:
        return _download(request, report, f"{FINDINGS}-by-{params.by}", fmt)
    query = urlencode(params.query())
    base = reverse("reports:findings_report_list")

    def link(key: str, outcome: str) -> str:
        extra = {**({"group": key} if key else {}), **({"outcome": outcome} if outcome else {})}
        return f"{base}?{urlencode({**params.query(), **extra})}"

    outcomes = [""] + list(OUTCOMES)
    rows = [{"label": row["group"],
             "cells": [(row[c.key], link(key, o)) for c, o in zip(report.numeric_columns, outcomes, strict=True)]}
            for key, row in zip(report.row_keys, report.rows, strict=True)]
    context = {
        "form": form, "report": report, "params": params, "query": query, "rows": rows,
        "by_label": FINDING_BY_LABELS[params.by], "headers": [c.text for c in report.numeric_columns],
        "totals": [(report.totals[c.key], link("", o)) for c, o in zip(report.numeric_columns, outcomes, strict=True)],
        "exports": [(f, f"?{query}&format={f}") for f in ("csv", "xlsx", "json")],
    }
    return render(request, "reports/findings_report.html", context)


@require_GET
@require_roles(*FINDING_READERS)
def findings_chart(request: HttpRequest) -> HttpResponse:
    form = FindingsForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Bad report parameters."))
    return svg_chart(findings_report(visible_findings(request.user), form.params()))


@require_GET
@require_roles(*FINDING_READERS)
def findings_list(request: HttpRequest) -> HttpResponse:
    """The findings behind one number of the report; each page shown is one audited read."""
    form = FindingsForm(request.GET)
    if not form.is_valid():
        return render(request, "reports/findings_list.html", {"form": form}, status=400)
    params, group, outcome = form.params(), form.cleaned_data["group"], form.cleaned_data["outcome"]
    page = Page(findings_behind(visible_findings(request.user), params, group, outcome), request.GET.get("page"),
                PER_PAGE)
    shown = list(page)
    services.audit_listing(
        actor=request.user, report=FINDINGS, official_ids=[f.subject_id for f in shown],
        params={**params.query(), "group": group, "outcome": outcome, "page": page.number},
        purpose="findings report drill-down",
    )
    keep = request.GET.copy()
    keep.pop("page", None)
    context = {"form": form, "params": params, "page": page, "keep": keep.urlencode(), "group": group,
               "outcome": outcome, "rows": shown,
               "back": f"{reverse('reports:findings_report')}?{urlencode(params.query())}"}
    return render(request, "reports/findings_list.html", context)
