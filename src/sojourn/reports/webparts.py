"""What every report page shares: the download of a report, its chart, and the scope check of a drill-down."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from sojourn.registry.selectors import visible_units
from sojourn.reports import services
from sojourn.reports.framework import Report
from sojourn.reports.render import CONTENT_TYPES
from sojourn.reports.render import render as render_report


def download(request: HttpRequest, report: Report, fmt: str, filename: str) -> HttpResponse:
    """The report as a CSV, XLSX or JSON file (``filename`` without extension); the export is audited."""
    body = render_report(report, fmt)
    services.audit_export(actor=request.user, report=report, fmt=fmt, purpose="web download")
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def svg_chart(report: Report) -> HttpResponse:
    """A report's chart as SVG, drawn on the server (the pages have no script); matplotlib loads only here."""
    from sojourn.reports.charts import chart_bytes

    response = HttpResponse(chart_bytes(report, "svg"), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


def check_unit_group(user: Any, by: str, group: str) -> None:
    """A drill-down into a unit outside the viewer's scope looks like no unit at all (404)."""
    if group and by == "unit" and not visible_units(user).filter(code=group).exists():
        raise Http404
