"""The non-returns report: of the officials who left in a window, who came back on time, late, or not yet.

A journey (one exit of a covered official, ``sojourn.crossings.models.Journey``) is classified as
of a date D by ``classify``; ``status_expression`` says the same thing to the database so that a
million journeys are counted there, not in Python. A test holds the two to each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Case, CharField, Count, F, Func, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from sojourn.crossings.models import Journey
from sojourn.reports.framework import Column, Report, sum_totals

NAME = "non-returns"


class Status(StrEnum):
    RETURNED_ON_TIME = "returned_on_time"
    RETURNED_LATE = "returned_late"
    ABROAD = "abroad"
    OVERDUE = "overdue"
    MISSING = "missing"
    UNAPPROVED = "unapproved"


STATUS_LABELS = {
    Status.RETURNED_ON_TIME: _("returned on time"),
    Status.RETURNED_LATE: _("returned late"),
    Status.ABROAD: _("abroad, not yet due"),
    Status.OVERDUE: _("overdue, not back"),
    Status.MISSING: _("missing"),
    Status.UNAPPROVED: _("unapproved exit"),
}


@dataclass(frozen=True)
class Thresholds:
    """``SOJOURN_RETURN_GRACE_DAYS`` and ``SOJOURN_MISSING_DAYS``, the days after the due date that matter."""

    grace_days: int
    missing_days: int

    @classmethod
    def from_settings(cls) -> Thresholds:
        return cls(settings.SOJOURN_RETURN_GRACE_DAYS, settings.SOJOURN_MISSING_DAYS)


def classify(*, due_date: date | None, entry_date: date | None, as_of: date, thresholds: Thresholds) -> Status:
    """The status of one journey as of ``as_of``.

    An entry counts only if it happened by ``as_of``. An exit no approved trip covers (no due date)
    is ``unapproved`` and nothing else. Otherwise a traveller back by the due date plus the grace
    days returned on time, later than that late; one not back is abroad until due + grace, overdue
    until due + missing days, missing after that.
    """
    if due_date is None:
        return Status.UNAPPROVED
    if entry_date is not None and entry_date <= as_of:
        if entry_date <= due_date + timedelta(days=thresholds.grace_days):
            return Status.RETURNED_ON_TIME
        return Status.RETURNED_LATE
    if as_of <= due_date + timedelta(days=thresholds.grace_days):
        return Status.ABROAD
    if as_of <= due_date + timedelta(days=thresholds.missing_days):
        return Status.OVERDUE
    return Status.MISSING


def status_expression(as_of: date, thresholds: Thresholds) -> Case:
    """``classify`` as a SQL CASE over a Journey queryset (alias it as ``late_by`` first: see ``with_status``).

    Comparisons of the due date with ``as_of`` move the arithmetic to the constant side
    (D ≤ due + g ⟺ due ≥ D − g), so the database compares a column with a literal.
    """
    returned = Q(entry_date__isnull=False, entry_date__lte=as_of)
    return Case(
        When(due_date__isnull=True, then=Value(Status.UNAPPROVED.value)),
        When(returned & Q(late_by__lte=thresholds.grace_days),
             then=Value(Status.RETURNED_ON_TIME.value)),
        When(returned, then=Value(Status.RETURNED_LATE.value)),
        When(due_date__gte=as_of - timedelta(days=thresholds.grace_days), then=Value(Status.ABROAD.value)),
        When(due_date__gte=as_of - timedelta(days=thresholds.missing_days), then=Value(Status.OVERDUE.value)),
        default=Value(Status.MISSING.value),
        output_field=CharField(),
    )


class DaysBetween(Func):
    """``end − start`` in whole days for two date columns, in the database's own date arithmetic.

    Django's generic date subtraction goes through a Python function per row on SQLite; SQLite's
    ``julianday`` and PostgreSQL's ``date - date`` (an integer) are native, which matters at a
    million journeys.
    """

    arity = 2
    output_field = IntegerField()
    template = "(%(expressions)s)"  # PostgreSQL: date − date is an integer of days
    arg_joiner = " - "

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, template="CAST(julianday(%(expressions)s) AS INTEGER)",
                              arg_joiner=") - julianday(", **extra)


def with_status(qs: QuerySet[Journey], as_of: date, thresholds: Thresholds) -> QuerySet[Journey]:
    """``qs`` with a ``status`` annotation (one of ``Status``) as of ``as_of``."""
    late_by = DaysBetween(F("entry_date"), F("due_date"))
    return qs.alias(late_by=late_by).annotate(status=status_expression(as_of, thresholds))


@dataclass(frozen=True)
class Window:
    """Journeys whose exit date falls in [start, end], both days included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"the window starts ({self.start}) after it ends ({self.end})")

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @classmethod
    def parse(cls, text: str) -> Window:
        """``YYYY-MM-DD..YYYY-MM-DD``; a ``ValueError`` otherwise."""
        start, sep, end = text.strip().partition("..")
        if not sep:
            raise ValueError(f"{text!r} is not a window (YYYY-MM-DD..YYYY-MM-DD)")
        return cls(date.fromisoformat(start.strip()), date.fromisoformat(end.strip()))


def holiday_window(as_of: date) -> Window:
    """``SOJOURN_HOLIDAY_WINDOW`` when set, else the eight days ending at ``as_of``."""
    text = settings.SOJOURN_HOLIDAY_WINDOW
    if not text:
        return Window(as_of - timedelta(days=7), as_of)
    try:
        return Window.parse(text)
    except ValueError as exc:
        raise ImproperlyConfigured(f"SOJOURN_HOLIDAY_WINDOW: {exc}") from exc


# --by: the field a row groups on (also what a drill-down's ``group`` matches) and the label's fields.
GROUPINGS: dict[str, tuple[str, tuple[str, ...]]] = {
    "unit": ("official__unit__code", ("official__unit__code", "official__unit__name")),
    "rank": ("official__rank", ("official__rank",)),
    "destination": ("destination", ("destination",)),
    "port": ("port", ("port",)),
}
BY_CHOICES = tuple(GROUPINGS)

COLUMNS = [
    Column("group", _("group"), numeric=False),
    Column("travelled", _("travelled"), charted=False),
    *(Column(s.value, STATUS_LABELS[s]) for s in Status),
]


@dataclass(frozen=True)
class Params:
    """What a non-returns report asks: the exit window, the date to judge at, the grouping."""

    window: Window
    as_of: date
    by: str = "unit"

    def as_dict(self, thresholds: Thresholds) -> dict[str, Any]:
        return {"from": self.window.start.isoformat(), "to": self.window.end.isoformat(),
                "as_of": self.as_of.isoformat(), "by": self.by, "grace_days": thresholds.grace_days,
                "missing_days": thresholds.missing_days}

    def query(self) -> dict[str, str]:
        """The query string parameters that ask for these params again (web links)."""
        return {"from": self.window.start.isoformat(), "to": self.window.end.isoformat(),
                "as_of": self.as_of.isoformat(), "by": self.by}


def in_window(qs: QuerySet[Journey], window: Window, as_of: date) -> QuerySet[Journey]:
    """Exits in the window that had happened by the as-of date (what was known then)."""
    return qs.filter(exit_date__gte=window.start, exit_date__lte=min(window.end, as_of))


def non_returns(journeys: QuerySet[Journey], params: Params, thresholds: Thresholds | None = None) -> Report:
    """The report over ``journeys`` (already scoped by the caller): one row per group, counts by status.

    One query: group by (group, status) in the database, pivot the few result rows here.
    """
    thresholds = thresholds or Thresholds.from_settings()
    key_field, label_fields = GROUPINGS[params.by]
    qs = with_status(in_window(journeys, params.window, params.as_of), params.as_of, thresholds)
    counted = qs.values(*dict.fromkeys((key_field, *label_fields)), "status").annotate(n=Count("pk")).order_by()
    groups: dict[str, dict[str, Any]] = {}
    for rec in counted:
        key = str(rec[key_field])
        row = groups.get(key)
        if row is None:
            label = " ".join(str(rec[f]) for f in label_fields)
            row = groups[key] = {"group": label, "travelled": 0, **{s.value: 0 for s in Status}}
        row[rec["status"]] += rec["n"]
        row["travelled"] += rec["n"]
    keys = sorted(groups)
    rows = [groups[k] for k in keys]
    return Report(name=NAME, title=_("Non-returns"), params=params.as_dict(thresholds), columns=COLUMNS,
                  rows=rows, totals=sum_totals(COLUMNS, rows), row_keys=keys)


def journeys_behind(journeys: QuerySet[Journey], params: Params, *, group: str = "", status: str = "",
                    thresholds: Thresholds | None = None) -> QuerySet[Journey]:
    """The journeys one number of the report counts: of ``group`` (a row key) and ``status`` (empty: all)."""
    thresholds = thresholds or Thresholds.from_settings()
    qs = with_status(in_window(journeys, params.window, params.as_of), params.as_of, thresholds)
    if group:
        qs = qs.filter(**{GROUPINGS[params.by][0]: group})
    if status:
        qs = qs.filter(Q(status=status))  # the annotation with_status adds
    return qs.select_related("official", "official__unit").order_by("exit_date", "official__official_id", "pk")


def overdue_board(journeys: QuerySet[Journey], as_of: date,
                  thresholds: Thresholds | None = None) -> QuerySet[Journey]:
    """Journeys with an approved due date and no entry by ``as_of``, past due + grace: oldest due date first."""
    thresholds = thresholds or Thresholds.from_settings()
    not_back = Q(entry_date__isnull=True) | Q(entry_date__gt=as_of)
    qs = journeys.filter(not_back, due_date__isnull=False,
                         due_date__lt=as_of - timedelta(days=thresholds.grace_days),
                         exit_date__lte=as_of)
    return with_status(qs, as_of, thresholds).select_related("official", "official__unit").order_by(
        "due_date", "official__official_id", "pk")
