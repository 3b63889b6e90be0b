"""What every report is: a name, the parameters it ran with, labelled columns, rows and totals.

Each report (non-returns, families abroad, naked officials, findings) computes a ``Report`` in the
database and hands it to the renderers in ``sojourn.reports.render`` and ``sojourn.reports.charts``;
the command line, the web pages and the API show the same object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class Column:
    """One column: its key in each row, a label for people, and whether a chart draws it as a series."""

    key: str
    label: str | Promise
    numeric: bool = True
    charted: bool = True

    @property
    def text(self) -> str:
        return str(self.label)


@dataclass
class Report:
    """A computed report.

    ``rows`` are plain dicts keyed by column key; ``totals`` sums the numeric columns over all rows.
    ``row_keys`` (parallel to ``rows``, never rendered) name each row's group the way a drill-down
    link asks for it, e.g. the unit code where the row's label is "CODE name".
    """

    name: str
    title: str | Promise
    params: dict[str, Any]
    columns: list[Column]
    rows: list[dict[str, Any]]
    totals: dict[str, Any]
    row_keys: list[str] = field(default_factory=list)
    chart: str = "bar"  # "bar": stacked bars per row; "line": one line per series over the rows (a trend)

    def as_dict(self) -> dict[str, Any]:
        """The JSON contract (DESIGN.md §6): ``{"report", "params", "rows", "totals"}``."""
        return {"report": self.name, "params": dict(self.params), "rows": [dict(r) for r in self.rows],
                "totals": dict(self.totals)}

    @property
    def numeric_columns(self) -> list[Column]:
        return [c for c in self.columns if c.numeric]

    @property
    def label_column(self) -> Column:
        return next(c for c in self.columns if not c.numeric)


def sum_totals(columns: list[Column], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Totals of the numeric columns over ``rows``."""
    return {c.key: sum(int(r.get(c.key) or 0) for r in rows) for c in columns if c.numeric}
