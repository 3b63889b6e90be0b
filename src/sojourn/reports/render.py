"""Renderers of a ``Report``: a rich table for the terminal, JSON, CSV and XLSX.

Charts live in ``sojourn.reports.charts`` so that matplotlib is imported only when one is drawn.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rich.table import Table

from sojourn.reports.framework import Report

FORMATS = ("table", "json", "csv", "xlsx")
# What the web and the API send for each downloadable format, and the file name's ending.
CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def to_json(report: Report) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=1, default=str)


def to_csv(report: Report) -> str:
    """One header line of column keys (the same names as the JSON rows), then one line per row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.key for c in report.columns])
    for row in report.rows:
        writer.writerow([row.get(c.key, "") for c in report.columns])
    return out.getvalue()


def to_xlsx(report: Report) -> bytes:
    """A workbook with the report (labelled header, rows, a totals line) and a sheet of its parameters."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = report.name[:31]
    sheet.append([c.text for c in report.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in report.rows:
        sheet.append([_cell(row.get(c.key)) for c in report.columns])
    totals = [str(_total_label()) if not c.numeric else report.totals.get(c.key, "") for c in report.columns]
    sheet.append(totals)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    first = report.columns[0].key if report.columns else ""
    sheet.column_dimensions["A"].width = max([len(str(r.get(first, ""))) for r in report.rows] + [12]) + 2
    params = book.create_sheet("params")
    params.append(["report", report.name])
    for key, value in report.params.items():
        params.append([key, _cell(value)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rich_table(report: Report) -> Table:
    params = ", ".join(f"{k} {v}" for k, v in report.params.items() if v not in (None, ""))
    table = Table(title=f"{report.title} ({params})", show_footer=True)
    for c in report.columns:
        footer = str(report.totals.get(c.key, "")) if c.numeric else str(_total_label())
        table.add_column(c.text, justify="right" if c.numeric else "left", footer=footer)
    for row in report.rows:
        table.add_row(*(str(row.get(c.key, "")) for c in report.columns))
    return table


def render(report: Report, fmt: str) -> str | bytes:
    """The report as a document of format ``json``, ``csv`` or ``xlsx``."""
    if fmt == "json":
        return to_json(report)
    if fmt == "csv":
        return to_csv(report)
    if fmt == "xlsx":
        return to_xlsx(report)
    raise ValueError(f"unknown report format {fmt!r}")


def _cell(value: Any) -> Any:
    return value if isinstance(value, int | float | str) or value is None else str(value)


def _total_label() -> str:
    from django.utils.translation import gettext

    return gettext("Total")
