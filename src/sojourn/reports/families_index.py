"""Families-abroad counts over the whole registry, read from the partial index ``relative_abroad``.

The report's general path (``sojourn.reports.families``) groups relatives by destination group and
official in one statement: over 1.2 million relatives abroad that is a sort of every one of them.
When the report covers the whole registry (the command line, and readers whose scope is every unit)
this module counts instead one destination group at a time from the partial index
``registry.Relative.relative_abroad``: it holds exactly the relatives abroad, ordered by residence
country and official, with the columns the report reads. A group's people are the index entries in
its countries' ranges and its cases the distinct officials among them, so no statement sorts more
than one group.

SQLite proves that a query may use a partial index only when the query repeats the index's
condition with the same literal values, so the condition is written into the statements as
literals, compiled from ``registry.models.ABROAD`` as the migration compiled it; ``INDEXED BY``
then makes SQLite use the index or fail loudly. The country codes, dates and ranks travel as
parameters. PostgreSQL plans the same statements with its own choice of index.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.db.models.sql import Query

from sojourn.registry.models import ABROAD, ABROAD_INDEX, Official, Relative

if TYPE_CHECKING:
    from sojourn.reports.families import Config

Counts = dict[int, tuple[int, int]]


def applies(relatives: QuerySet[Relative]) -> bool:
    """Whether ``relatives`` is every relative (no filter), so that the index path counts the same."""
    return relatives.model is Relative and not relatives.query.where and connections[relatives.db].vendor in (
        "sqlite", "postgresql")


def _literal(value: object) -> str:
    if not isinstance(value, str) or "'" in value or "\\" in value:
        raise ValueError(f"unexpected value {value!r} in the index condition")
    return f"'{value}'"


def condition_sql(connection: BaseDatabaseWrapper, qualified: bool = False) -> str:
    """``registry.models.ABROAD`` as SQL with literal values, as in the index's own WHERE clause
    (``qualified``: columns named with their table, for a join)."""
    query = Query(Relative, alias_cols=qualified)
    sql, params = query.build_where(ABROAD).as_sql(query.get_compiler(connection=connection), connection)
    return sql % tuple(_literal(p) for p in params)


class _Statements:
    """The per-group SELECTs of one report, built for one connection."""

    def __init__(self, db: str, config: Config) -> None:
        self.connection = connections[db]
        self.config = config
        table = self.connection.ops.quote_name(Relative._meta.db_table)
        indexed = f" INDEXED BY {ABROAD_INDEX}" if self.connection.vendor == "sqlite" else ""
        self.source = f"FROM {table}{indexed} WHERE {condition_sql(self.connection)}"
        self.groups = [(i, countries) for i, (_name, countries) in enumerate(config.groups.groups) if countries]

    def where(self, countries: Sequence[str]) -> tuple[str, list[Any]]:
        """The rows in ``countries``: ranges of the index."""
        return f"{self.source} AND residence_country IN ({', '.join(['%s'] * len(countries))})", list(countries)

    def each_group(self) -> list[tuple[int, Sequence[str]]]:
        """(group index, countries) of every group with countries; Other last, with the countries abroad
        that are in no group (read first: a scan of the index for ``NOT IN`` costs more than skipping)."""
        listed = {c for _i, countries in self.groups for c in countries}
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT DISTINCT residence_country {self.source}")
            other = sorted(c for (c,) in cursor.fetchall() if c not in listed)
        return [*self.groups, *([(len(self.config.groups.groups), other)] if other else [])]

    def run(self, parts: list[tuple[str, list[Any]]]) -> list[tuple[Any, ...]]:
        """Run the SELECTs as one ``UNION ALL`` statement (none: no relative abroad)."""
        if not parts:
            return []
        sql = " UNION ALL ".join(f"SELECT * FROM ({s}) AS part{i}" for i, (s, _p) in enumerate(parts))
        params = [p for _s, ps in parts for p in ps]
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())


def by_destination(db: str, config: Config) -> Counts:
    """Group index → (people, cases)."""
    st = _Statements(db, config)
    parts = []
    for i, countries in st.each_group():
        where, params = st.where(countries)
        parts.append((f"SELECT {i} AS g, COUNT(*) AS people, COUNT(DISTINCT official_id) AS cases {where}", params))
    return {int(g): (int(people), int(cases)) for g, people, cases in st.run(parts) if people}


def period_case(config: Config, as_of: date) -> tuple[str, list[Any]]:
    """The period index of ``COALESCE(emigrated_on, abroad_since)``, numbered as ``Periods.keys``."""
    bins = config.periods.until(as_of.year)
    on = "COALESCE(emigrated_on, abroad_since)"
    whens = [f"WHEN {on} IS NULL THEN {len(bins) + 1}", f"WHEN {on} < %s THEN 0"]
    params: list[Any] = [date(bins[0][0], 1, 1)]
    for i, b in enumerate(bins[:-1]):
        whens.append(f"WHEN {on} < %s THEN {i + 1}")
        params.append(date(b[1] + 1, 1, 1))
    return f"CASE {' '.join(whens)} ELSE {len(bins)} END", params


def by_period(db: str, config: Config, as_of: date) -> Counts:
    """Period index → (people, cases); a case is one official's relatives in one group, in the period."""
    st = _Statements(db, config)
    case, case_params = period_case(config, as_of)
    parts = []
    for _i, countries in st.each_group():
        where, params = st.where(countries)
        parts.append((f"SELECT {case} AS k, COUNT(*) AS people, COUNT(DISTINCT official_id) AS cases {where} "
                      f"GROUP BY 1", [*case_params, *params]))  # fmt: skip
    counts: dict[int, tuple[int, int]] = {}
    for k, people, cases in st.run(parts):
        before = counts.get(int(k), (0, 0))
        counts[int(k)] = (before[0] + int(people), before[1] + int(cases))
    return counts


def by_category(db: str, config: Config) -> dict[str, tuple[int, int]]:
    """Category → (people, cases) but ``senior``, summed over the groups: all, business and study.

    Business and study are counted apart from all (``activity IN … GROUP BY activity``): one CASE per
    category in a single pass costs SQLite more than a second pass over the index."""
    st = _Statements(db, config)
    parts = []
    for _i, countries in st.each_group():
        where, params = st.where(countries)
        parts.append((f"SELECT 'all' AS c, COUNT(*) AS people, COUNT(DISTINCT official_id) AS cases {where}", params))
        parts.append((f"SELECT activity AS c, COUNT(*) AS people, COUNT(DISTINCT official_id) AS cases {where} "
                      "AND activity IN (%s, %s) GROUP BY activity", [*params, "business", "study"]))  # fmt: skip
    counts = {"all": (0, 0), "business": (0, 0), "study": (0, 0)}
    for category, people, cases in st.run(parts):
        before = counts[str(category)]
        counts[str(category)] = (before[0] + int(people), before[1] + int(cases))
    return counts


def senior(db: str, config: Config) -> tuple[int, int]:
    """(people, cases) of senior officials' relatives abroad, from the officials of those ranks.

    The join starts from the officials (few) and reads their relatives by the foreign key; a case is a
    distinct (official, group) pair, counted as one integer ``official × (groups + 1) + group``."""
    connection = connections[db]
    if not config.senior_ranks:
        return 0, 0
    q = connection.ops.quote_name
    officials, relatives = q(Official._meta.db_table), q(Relative._meta.db_table)
    country = f"{relatives}.residence_country"
    whens: list[str] = []
    params: list[str] = []
    for i, (_name, countries) in enumerate(config.groups.groups):
        if countries:
            whens.append(f"WHEN {country} IN ({', '.join(['%s'] * len(countries))}) THEN {i}")
            params += countries
    n = len(config.groups.groups) + 1
    group = f"CASE {' '.join(whens)} ELSE {n - 1} END" if whens else str(n - 1)
    sql = (f"SELECT COUNT(*), COUNT(DISTINCT {relatives}.official_id * {n} + {group}) FROM {officials} "
           f"JOIN {relatives} ON {relatives}.official_id = {officials}.id "
           f"WHERE {officials}.rank IN ({', '.join(['%s'] * len(config.senior_ranks))}) "
           f"AND {condition_sql(connection, qualified=True)}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *config.senior_ranks])
        people, cases = cursor.fetchone()
    return int(people), int(cases or 0)
