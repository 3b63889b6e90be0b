"""The families-abroad report: officials' spouses and children living abroad, as people and as cases.

Definitions (also in the report's ``params``):

- A relative abroad is a spouse or child (``relationship`` spouse, child) whose ``residence_country``
  is set and is not CHN, with a ``residence_status`` other than ``none``. Residents (``resident``:
  a residence permit, typically a student's) count too, however long they have been there: the 2006
  table counts people studying abroad, and they mostly hold residence permits, not settlement.
  Parents, siblings and children's spouses are not counted.
- People are relatives abroad; a case is one official's relatives abroad in one destination group,
  so one official with a child in Canada and a spouse and child in Australia is two cases.
- The destination group of a relative is that of the residence country (``SOJOURN_DESTINATION_GROUPS``;
  countries in no group are ``Other``); the period is that of ``emigrated_on``, else ``abroad_since``
  (``SOJOURN_EMIGRATION_PERIODS``); senior officials hold one of ``SOJOURN_SENIOR_RANKS``.
- Foreign assets of a row: the values (in yuan) of assets located in a case's destination group and
  held by the case's official or by one of the case's relatives (``sojourn.reports.family_assets``).

Counting happens in the database, two levels of GROUP BY in one statement per report (relatives by
row, destination group and official; then cases and people by row), on SQLite and PostgreSQL alike.
Over the whole registry the counts come one destination group at a time from a partial index of the
relatives abroad instead (``sojourn.reports.families_index``); both paths count the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from sojourn.registry.models import ABROAD, Relative
from sojourn.reports import families_index
from sojourn.reports.destinations import CATEGORIES, Groups, Periods
from sojourn.reports.framework import Column, Report

NAME = "families-abroad"
BY_CHOICES = ("destination", "period", "category")
CATEGORY_LABELS = {
    "all": _("all relatives abroad"),
    "senior": _("relatives of senior officials"),
    "business": _("in business abroad"),
    "study": _("studying abroad"),
}
COLUMNS = [
    Column("group", _("group"), numeric=False),
    Column("people", _("people")),
    Column("cases", _("cases")),
    Column("assets", _("foreign assets (yuan)"), charted=False),
    Column("assets_uncounted", _("assets in other currencies"), charted=False),
]
DEFINITION = ("spouses and children with a residence country other than CHN and a residence status other "
              "than none (residents, e.g. students, included); a case is one official's relatives in one "
              "destination group")  # fmt: skip
NOTES = [
    "Several of the 2006 report's people-to-cases ratios cannot hold when a case is one official's family "
    "in one destination group (United States: fewer people than cases; Nordic countries: 34 people a "
    "case), so the synthetic national data keeps the source's people figures and generates plausible "
    "cases instead of the source's.",
]


@dataclass(frozen=True)
class Config:
    """The report's settings: destination groups, periods of emigration and the senior ranks."""

    groups: Groups
    periods: Periods
    senior_ranks: tuple[str, ...]

    @classmethod
    def from_settings(cls) -> Config:
        return cls(settings.SOJOURN_DESTINATION_GROUPS, settings.SOJOURN_EMIGRATION_PERIODS,
                   settings.SOJOURN_SENIOR_RANKS)  # fmt: skip

    @classmethod
    def defaults(cls) -> Config:
        from sojourn.reports.destinations import DEFAULT_SENIOR_RANKS

        return cls(Groups(), Periods(), DEFAULT_SENIOR_RANKS)


@dataclass(frozen=True)
class Params:
    """What a families-abroad report asks: the grouping, and the date whose year ends the periods."""

    as_of: date
    by: str = "destination"

    def query(self) -> dict[str, str]:
        return {"by": self.by, "as_of": self.as_of.isoformat()}

    def as_dict(self, config: Config) -> dict[str, Any]:
        notes = list(NOTES)
        if self.by == "category":
            notes.append("Categories overlap (all includes the others); the totals are those of all.")
        if self.by == "period":
            notes.append("A family whose members emigrated in different periods is a case in each; "
                         "the total of cases adds the rows.")  # fmt: skip
        return {"by": self.by, "as_of": self.as_of.isoformat(), "definition": DEFINITION,
                "senior_ranks": list(config.senior_ranks), "notes": notes}  # fmt: skip


def relatives_abroad(relatives: QuerySet[Relative]) -> QuerySet[Relative]:
    """Spouses and children living abroad (see the module's definitions)."""
    return relatives.filter(ABROAD)


def group_expression(groups: Groups) -> Case:
    """The index of a relative's destination group in ``groups.names`` (the last one, Other, by default)."""
    whens = [When(residence_country__in=countries, then=Value(i)) for i, (_n, countries) in enumerate(groups.groups)]
    return Case(*whens, default=Value(len(groups.groups)), output_field=IntegerField())


def period_expression(periods: Periods, as_of: date) -> Case:
    """The index of a relative's period in ``periods.keys(as_of)``; needs the ``emigration`` alias."""
    bins = periods.until(as_of.year)
    whens = [When(emigration__isnull=True, then=Value(len(bins) + 1)),
             When(emigration__lt=date(bins[0][0], 1, 1), then=Value(0))]
    whens += [When(emigration__lt=date(b[1] + 1, 1, 1), then=Value(i + 1)) for i, b in enumerate(bins[:-1])]
    return Case(*whens, default=Value(len(bins)), output_field=IntegerField())


def _flag(condition: Q) -> Sum:
    return Sum(Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField()))


def _two_level(inner: QuerySet[Any], outer_select: str, group_by: str = "") -> list[tuple[Any, ...]]:
    """Run ``SELECT outer_select FROM (inner) GROUP BY group_by`` in the queryset's database."""
    sql, params = inner.query.sql_with_params()
    statement = f"SELECT {outer_select} FROM ({sql}) sub" + (f" GROUP BY {group_by}" if group_by else "")
    with connections[inner.db].cursor() as cursor:
        cursor.execute(statement, params)
        return list(cursor.fetchall())


def count_by_destination(abroad: QuerySet[Relative], config: Config) -> dict[int, tuple[int, int]]:
    """Group index → (people, cases)."""
    inner = abroad.annotate(g=group_expression(config.groups), o=F("official_id")).values("g", "o").annotate(
        n=Count("pk")).order_by()
    return {g: (int(people), int(cases)) for g, cases, people in _two_level(inner, "g, COUNT(*), SUM(n)", "g")}


def count_by_period(abroad: QuerySet[Relative], config: Config, as_of: date) -> dict[int, tuple[int, int]]:
    """Period index → (people, cases)."""
    inner = abroad.alias(emigration=Coalesce("emigrated_on", "abroad_since")).annotate(
        k=period_expression(config.periods, as_of), g=group_expression(config.groups), o=F("official_id"),
    ).values("k", "g", "o").annotate(n=Count("pk")).order_by()
    return {k: (int(people), int(cases)) for k, cases, people in _two_level(inner, "k, COUNT(*), SUM(n)", "k")}


def count_by_category(abroad: QuerySet[Relative], config: Config) -> dict[str, tuple[int, int]]:
    """Category → (people, cases). Senior officials' relatives are counted by a second, selective query."""
    inner = abroad.annotate(g=group_expression(config.groups), o=F("official_id")).values("g", "o").annotate(
        n=Count("pk"), b=_flag(Q(activity="business")), s=_flag(Q(activity="study"))).order_by()
    select = ("COUNT(*), SUM(n), SUM(CASE WHEN b > 0 THEN 1 ELSE 0 END), SUM(b), "
              "SUM(CASE WHEN s > 0 THEN 1 ELSE 0 END), SUM(s)")  # fmt: skip
    row = _two_level(inner, select)[0]
    cases, people, b_cases, b_people, s_cases, s_people = (int(v or 0) for v in row)
    return {
        "all": (people, cases),
        "senior": _senior(abroad, config),
        "business": (b_people, b_cases),
        "study": (s_people, s_cases),
    }


def _senior(abroad: QuerySet[Relative], config: Config) -> tuple[int, int]:
    """(people, cases) of senior officials' relatives abroad: a selective query joined to their officials."""
    senior = count_by_destination(abroad.filter(official__rank__in=config.senior_ranks), config)
    return sum(p for p, _c in senior.values()), sum(c for _p, c in senior.values())


def families_abroad(relatives: QuerySet[Relative], params: Params, config: Config | None = None) -> Report:
    """The report over ``relatives`` (already scoped by the caller): one row per destination group,
    period or category, with people, cases and declared foreign assets."""
    from sojourn.reports.family_assets import foreign_assets

    config = config or Config.from_settings()
    abroad = relatives_abroad(relatives)
    indexed = families_index.applies(relatives)
    rows: list[dict[str, Any]] = []
    if params.by == "destination":
        counts = (families_index.by_destination(relatives.db, config) if indexed
                  else count_by_destination(abroad, config))
        names = config.groups.names
        keys = [n for i, n in enumerate(names) if i < len(names) - 1 or counts.get(i)]
        rows = [_row(n, *counts.get(names.index(n), (0, 0))) for n in keys]
    elif params.by == "period":
        counted = (families_index.by_period(relatives.db, config, params.as_of) if indexed
                   else count_by_period(abroad, config, params.as_of))
        labels = config.periods.keys(params.as_of)
        keys = [k for i, k in enumerate(labels) if 0 < i < len(labels) - 1 or counted.get(i)]
        rows = [_row(k, *counted.get(labels.index(k), (0, 0))) for k in keys]
    elif params.by == "category":
        if indexed:
            categories = families_index.by_category(relatives.db, config)
            categories["senior"] = families_index.senior(relatives.db, config)
        else:
            categories = count_by_category(abroad, config)
        keys = list(CATEGORIES)
        rows = [_row(k, *categories[k]) for k in keys]
    else:
        raise ValueError(f"--by is one of {', '.join(BY_CHOICES)}")
    assets = foreign_assets(abroad, params, config)
    for key, row in zip(keys, rows, strict=True):
        row["assets"], row["assets_uncounted"] = assets.get(key, (0, 0))
    if params.by == "category":
        totals = {c.key: rows[0][c.key] for c in COLUMNS if c.numeric}
    else:
        totals = {c.key: sum(r[c.key] for r in rows) for c in COLUMNS if c.numeric}
    return Report(name=NAME, title=_("Families abroad"), params=params.as_dict(config), columns=COLUMNS,
                  rows=rows, totals=totals, row_keys=keys)


def _row(group: str, people: int, cases: int) -> dict[str, Any]:
    return {"group": group, "people": people, "cases": cases, "assets": 0, "assets_uncounted": 0}


def relatives_behind(relatives: QuerySet[Relative], params: Params, group: str = "",
                     config: Config | None = None) -> QuerySet[Relative]:
    """The relatives one row of the report counts (``group``: a row key; empty: all of them)."""
    config = config or Config.from_settings()
    qs = relatives_abroad(relatives)
    if group and params.by == "destination":
        names = config.groups.names
        if group not in names:
            return qs.none()
        qs = qs.annotate(g=group_expression(config.groups)).filter(g=names.index(group))
    elif group and params.by == "period":
        labels = config.periods.keys(params.as_of)
        if group not in labels:
            return qs.none()
        qs = qs.alias(emigration=Coalesce("emigrated_on", "abroad_since")).annotate(
            k=period_expression(config.periods, params.as_of)).filter(k=labels.index(group))
    elif group and params.by == "category":
        filters = {"all": Q(), "senior": Q(official__rank__in=config.senior_ranks),
                   "business": Q(activity="business"), "study": Q(activity="study")}
        if group not in filters:
            return qs.none()
        qs = qs.filter(filters[group])
    return qs.select_related("official", "official__unit").order_by("official__official_id", "relative_id")

