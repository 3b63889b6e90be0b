"""The findings report: findings by rule, severity, unit or month raised, and what became of them.

Each row counts the findings of its group and splits them into open (new, acknowledged, assigned,
escalated), confirmed, dismissed and resolved. ``--by month`` is the trend: one row per calendar
month of ``created_at`` in ``SOJOURN_TIME_ZONE`` from the first to the last, empty months included,
drawn as a line chart. One grouped query in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sojourn.alerts.models import Finding, FindingStatus, SeverityChoice
from sojourn.reports.framework import Column, Report, sum_totals

NAME = "findings"
BY_CHOICES = ("code", "severity", "unit", "month")
OPEN = (FindingStatus.NEW, FindingStatus.ACKNOWLEDGED, FindingStatus.ASSIGNED, FindingStatus.ESCALATED)
OUTCOMES: dict[str, tuple[str, ...]] = {
    "open": tuple(s.value for s in OPEN),
    "confirmed": (FindingStatus.CONFIRMED.value,),
    "dismissed": (FindingStatus.DISMISSED.value,),
    "resolved": (FindingStatus.RESOLVED.value,),
}
COLUMNS = [
    Column("group", _("group"), numeric=False),
    Column("findings", _("findings"), charted=False),
    Column("open", _("open")),
    Column("confirmed", _("confirmed")),
    Column("dismissed", _("dismissed")),
    Column("resolved", _("resolved")),
]
NO_UNIT = "-"  # the row key of findings without a unit


@dataclass(frozen=True)
class Params:
    by: str = "code"

    def query(self) -> dict[str, str]:
        return {"by": self.by}

    def as_dict(self) -> dict[str, Any]:
        return {"by": self.by, "open": list(OUTCOMES["open"])}


def _counts() -> dict[str, Count]:
    counts = {"findings": Count("pk")}
    counts.update({key: Count("pk", filter=Q(status__in=statuses)) for key, statuses in OUTCOMES.items()})
    return counts


def findings_report(findings: QuerySet[Finding], params: Params) -> Report:
    """The report over ``findings`` (already scoped by the caller): one row per group."""
    if params.by not in BY_CHOICES:
        raise ValueError(f"--by is one of {', '.join(BY_CHOICES)}")
    qs = findings.order_by()
    keys: list[str] = []
    rows: list[dict[str, Any]] = []
    if params.by == "code":
        for rec in qs.values("code").annotate(**_counts()).order_by("code"):
            keys.append(rec["code"])
            rows.append(_row(rec["code"], rec))
    elif params.by == "severity":
        for rec in qs.values("severity").annotate(**_counts()).order_by("-severity"):
            label = SeverityChoice(rec["severity"]).name.lower()
            keys.append(label)
            rows.append(_row(label, rec))
    elif params.by == "unit":
        for rec in qs.values("unit__code", "unit__name").annotate(**_counts()).order_by("unit__code"):
            code = rec["unit__code"]
            keys.append(code or NO_UNIT)
            rows.append(_row(f"{code} {rec['unit__name']}" if code else str(_("(no unit)")), rec))
    else:
        counted = {rec["month"]: rec for rec in qs.annotate(month=TruncMonth("created_at", tzinfo=timezone.get_current_timezone()))
                   .values("month").annotate(**_counts()).order_by("month")}  # fmt: skip
        by_month = {_month_of(m): rec for m, rec in counted.items()}
        for month in _months(min(by_month), max(by_month)) if by_month else []:
            keys.append(month)
            rows.append(_row(month, by_month.get(month, {})))
    report = Report(name=NAME, title=_("Findings"), params=params.as_dict(), columns=COLUMNS, rows=rows,
                    totals=sum_totals(COLUMNS, rows), row_keys=keys)
    if params.by == "month":
        report.chart = "line"
    return report


def _row(label: str, rec: dict[str, Any]) -> dict[str, Any]:
    return {"group": label, **{c.key: int(rec.get(c.key) or 0) for c in COLUMNS if c.numeric}}


def _month_of(value: Any) -> str:
    if hasattr(value, "astimezone") and getattr(value, "tzinfo", None) is not None:
        value = timezone.localtime(value)
    if isinstance(value, str):
        return value[:7]
    return f"{value.year:04d}-{value.month:02d}"


def _months(first: str, last: str) -> list[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last``."""
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def findings_behind(findings: QuerySet[Finding], params: Params, group: str = "", outcome: str = "") -> QuerySet[Finding]:
    """The findings one number of the report counts: of ``group`` (a row key) and ``outcome`` (empty: all)."""
    qs = findings
    if group:
        if params.by == "code":
            qs = qs.filter(code=group)
        elif params.by == "severity":
            try:
                qs = qs.filter(severity=SeverityChoice[group.upper()].value)
            except KeyError:
                return qs.none()
        elif params.by == "unit":
            qs = qs.filter(unit__isnull=True) if group == NO_UNIT else qs.filter(unit__code=group)
        else:
            try:
                first = date(int(group[:4]), int(group[5:7]), 1)
            except ValueError:
                return qs.none()
            after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            tz = timezone.get_current_timezone()
            qs = qs.filter(created_at__gte=_midnight(first, tz), created_at__lt=_midnight(after, tz))
    if outcome:
        qs = qs.filter(status__in=OUTCOMES.get(outcome, ()))
    return qs.select_related("official", "unit").order_by("-created_at", "-id")


def _midnight(day: date, tz: Any) -> Any:
    from datetime import datetime, time

    return datetime.combine(day, time.min, tzinfo=tz)
