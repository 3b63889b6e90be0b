"""Report endpoints: the same JSON object ``sojourn report … --format json`` prints, in the caller's scope."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.params.functions import Query as query_param

from sojourn.accounts.roles import has_role
from sojourn.reports import services
from sojourn.reports.nonreturns import BY_CHOICES, Params, Window, holiday_window, non_returns
from sojourn.reports.selectors import REPORT_READERS, visible_journeys
from sojourn.web.dates import default_as_of

router = Router(tags=["reports"])


class ReportOut(Schema):
    report: str
    params: dict[str, Any]
    rows: list[dict[str, Any]]
    totals: dict[str, int]


@router.get("/reports/non-returns", response=ReportOut)
def non_returns_report(
    request: HttpRequest,
    date_from: Annotated[date | None, query_param(None, alias="from", description="first exit date")] = None,
    date_to: Annotated[date | None, query_param(None, alias="to", description="last exit date")] = None,
    as_of: date | None = None,
    by: str = "unit",
) -> dict[str, Any]:
    """Non-returns of the officials in the caller's units; the window defaults to the holiday window."""
    if not has_role(request.user, *REPORT_READERS):
        raise HttpError(403, "Your role gives no access to reports.")
    if by not in BY_CHOICES:
        raise HttpError(422, f"by is one of {', '.join(BY_CHOICES)}")
    as_of = as_of or default_as_of()
    default = holiday_window(as_of)
    try:
        window = Window(date_from or default.start, date_to or default.end)
    except ValueError as exc:
        raise HttpError(422, str(exc)) from None
    report = non_returns(visible_journeys(request.user), Params(window=window, as_of=as_of, by=by))
    services.audit_export(actor=request.user, report=report, fmt="json", purpose="api")
    return report.as_dict()


# The families-abroad and findings endpoints register on this router from their own module.
from sojourn.reports import api_stats  # noqa: E402,F401
