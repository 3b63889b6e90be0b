"""sojourn reconcile: run the batch — match crossings (once the crossing store exists) and evaluate every rule."""

from __future__ import annotations

from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from rich.console import Console
from rich.table import Table

from sojourn.alerts.evaluation import evaluate_rules
from sojourn.cliargs import iso_date


class Command(BaseCommand):
    help = "Evaluate every rule over the operational store and store new findings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb",
                            help="batch engine for the crossing store")
        parser.add_argument("--as-of", type=iso_date, default=None,
                            help="evaluation date in SOJOURN_TIME_ZONE (default: today)")

    def handle(self, *args: Any, **opts: Any) -> None:
        as_of = opts["as_of"] or timezone.localdate()
        result = evaluate_rules(as_of=as_of, actor="system:reconcile")
        table = Table(title=f"Rules evaluated as of {as_of} (ruleset {result.ruleset})")
        table.add_column("rule")
        table.add_column("raised", justify="right")
        for code, n in sorted(result.by_code.items()):
            table.add_row(code, str(n))
        console = Console(file=cast(IO[str], self.stderr))
        console.print(table)
        console.print(f"{result.stored.created} new findings, {result.stored.already_known} already known")
