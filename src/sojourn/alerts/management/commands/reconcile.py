"""sojourn reconcile: match the crossing store against the registry, write back the covered slice, evaluate every rule."""

from __future__ import annotations

from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console
from rich.table import Table

from sojourn.cliargs import iso_date
from sojourn.web.dates import default_as_of


class Command(BaseCommand):
    help = ("Match border crossings to covered officials and their approved trips, then evaluate every rule and "
            "store new findings (an empty crossing store evaluates the registry rules only).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb",
                            help="batch engine for the crossing store")
        parser.add_argument("--as-of", type=iso_date, default=None,
                            help="evaluation date in SOJOURN_TIME_ZONE (default: SOJOURN_AS_OF or today)")

    def handle(self, *args: Any, **opts: Any) -> None:
        from sojourn.crossings.services import reconcile

        as_of = opts["as_of"] or default_as_of()
        console = Console(file=cast(IO[str], self.stderr))
        with console.status("reconciling…") as status:
            result = reconcile(engine=opts["engine"], as_of=as_of, actor="system:reconcile",
                               step=lambda label: status.update(f"reconciling… {label} done"))
        console.print(
            f"{result.engine}: {result.crossing_files} crossing files, {result.matched} crossings of covered "
            f"officials, {result.journeys} journeys ({result.written.crossings_created} crossings and "
            f"{result.written.journeys_created} journeys new, {result.written.journeys_updated} journeys updated)")
        table = Table(title=f"Rules evaluated as of {as_of} (ruleset {result.evaluation.ruleset})")
        table.add_column("rule")
        table.add_column("raised", justify="right")
        for code, n in sorted(result.evaluation.by_code.items()):
            table.add_row(code, str(n))
        console.print(table)
        stored = result.evaluation.stored
        console.print(f"{stored.created} new findings, {stored.already_known} already known, "
                      f"{stored.resolved} resolved; times (s): "
                      + ", ".join(f"{k} {v}" for k, v in result.seconds.items()))
