"""``sojourn report REPORT``: compute a report over the whole store and print or write it.

``--format json`` prints ``{"report", "params", "rows", "totals"}`` on stdout; messages go to stderr.
Exit codes: 0 written; 2 bad usage (unknown report, bad date, a window that ends before it starts).
Each run writes one audit row naming the report and its parameters.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console

from sojourn.reports.cli import REPORTS, UsageError, cli_actor
from sojourn.reports.framework import Report
from sojourn.reports.render import FORMATS


def _output_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", dest="fmt", choices=FORMATS, default="table",
                        help="table (default), json, csv or xlsx")
    parser.add_argument("--out", type=Path, default=None, metavar="FILE",
                        help="write the report to FILE instead of stdout (needed for xlsx)")
    parser.add_argument("--chart", type=Path, default=None, metavar="FILE",
                        help="also draw a chart to FILE.svg or FILE.png")


class Command(BaseCommand):
    help = "Statistics: " + "; ".join(f"{name} ({spec.help})" for name, spec in REPORTS.items()) + "."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="report", metavar="REPORT", required=True)
        for name, spec in REPORTS.items():
            child = sub.add_parser(name, help=spec.help, description=spec.help)
            spec.add_arguments(child)
            _output_arguments(child)

    def handle(self, *args: Any, **opts: Any) -> None:
        from sojourn.reports.charts import chart_format, write_chart
        from sojourn.reports.render import render
        from sojourn.reports.services import audit_export

        spec = REPORTS[opts["report"]]
        fmt: str = opts["fmt"]
        out: Path | None = opts["out"]
        chart: Path | None = opts["chart"]
        try:
            if chart is not None:
                chart_format(chart)
            if fmt == "xlsx" and out is None:
                raise UsageError("--format xlsx needs --out FILE")
            report = spec.build(opts)
        except (UsageError, ValueError) as exc:
            self.stderr.write(f"report {spec.name}: {exc}")
            raise SystemExit(2) from None
        if fmt == "table":
            self._table(report, out)
        else:
            self._document(render(report, fmt), out)
        if chart is not None:
            write_chart(report, chart)
            self.stderr.write(f"chart written to {chart}")
        audit_export(actor=cli_actor(), report=report, fmt=fmt, purpose="command line",
                     out=str(out) if out else None, chart=str(chart) if chart else None)

    def _table(self, report: Report, out: Path | None) -> None:
        from sojourn.reports.render import rich_table

        if out is None:
            stream = cast(IO[str], self.stdout)
            console = Console(file=stream, width=None if stream.isatty() else 160)
            console.print(rich_table(report))
            return
        with out.open("w", encoding="utf-8") as handle:
            Console(file=handle, width=160, color_system=None).print(rich_table(report))
        self.stderr.write(f"report written to {out}")

    def _document(self, body: str | bytes, out: Path | None) -> None:
        if out is not None:
            if isinstance(body, bytes):
                out.write_bytes(body)
            else:
                out.write_text(body, encoding="utf-8")
            self.stderr.write(f"report written to {out}")
        elif isinstance(body, bytes):
            sys.stdout.buffer.write(body)
        else:
            self.stdout.write(body.rstrip("\n"))
