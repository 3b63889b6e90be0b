"""Renderers over hand-made reports: charts with and without a CJK font, empty and crowded reports."""

from __future__ import annotations

import json
import warnings

import pytest

from sojourn.reports import charts
from sojourn.reports.framework import Report, sum_totals
from sojourn.reports.nonreturns import COLUMNS
from sojourn.reports.render import render, to_xlsx


def report(n: int, label: str = "单位") -> Report:
    rows = [{"group": f"{label}{i}", "travelled": i + 2, "returned_on_time": i, "returned_late": 1, "abroad": 0,
             "overdue": 1, "missing": 0, "unapproved": 0} for i in range(n)]
    return Report(name="non-returns", title="Non-returns", params={"by": "unit"}, columns=COLUMNS, rows=rows,
                  totals=sum_totals(COLUMNS, rows))


def test_chart_without_a_cjk_font(monkeypatch):
    monkeypatch.setattr(charts, "cjk_fonts", lambda: ())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # missing glyphs are drawn as boxes, with a warning
        svg = charts.chart_bytes(report(3), "svg")
    assert svg.lstrip()[:5] in {b"<?xml", b"<svg "}


@pytest.mark.parametrize("n", [0, 1, 60])
def test_chart_of_any_size(n):
    png = charts.chart_bytes(report(n), "png")
    assert png[:4] == b"\x89PNG"


def test_chart_format_from_the_file_name(tmp_path):
    assert charts.chart_format(tmp_path / "a.SVG") == "svg"
    with pytest.raises(ValueError):
        charts.chart_format(tmp_path / "a.pdf")


def test_documents_of_an_empty_report():
    empty = report(0)
    assert json.loads(render(empty, "json")) == {"report": "non-returns", "params": {"by": "unit"}, "rows": [],
                                                 "totals": {c.key: 0 for c in COLUMNS if c.numeric}}
    assert render(empty, "csv") == "group,travelled,returned_on_time,returned_late,abroad,overdue,missing,unapproved\n"
    assert to_xlsx(empty)[:2] == b"PK"
