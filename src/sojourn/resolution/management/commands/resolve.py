"""sojourn resolve: identity resolution over registry, relatives, travellers and lists; raise what it finds."""

from __future__ import annotations

import json
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table


def probability(text: str) -> float:
    value = float(text)
    if not 0.0 < value < 1.0:
        raise ValueError(text)
    return value


probability.__name__ = "probability"  # argparse names the type in its error message


class Command(BaseCommand):
    help = ("Link officials, relatives, travellers on documents the registry does not know, and watch-list "
            "entries into persons (Splink); store the pairs and clusters and raise findings for review. "
            "Incremental unless --full (or the data, model or threshold changed).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb", help="batch engine")
        parser.add_argument("--full", action="store_true", help="re-link every record, not only new ones")
        parser.add_argument("--train", action="store_true",
                            help="retrain the model on the current records with inspectors' judgements as labels, "
                                 "save it under SOJOURN_DATA_DIR/linkage and use it")
        parser.add_argument("--threshold", type=probability, default=None, metavar="P",
                            help="match probability at which pairs are kept and clustered (default: the linkage engine's)")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON on stdout")

    def handle(self, *args: Any, **opts: Any) -> None:
        from sojourn.resolution.services import resolve

        console = Console(file=cast(IO[str], self.stderr))
        try:
            with console.status("resolving identities…") as status:
                result = resolve(engine=opts["engine"], full=opts["full"], train=opts["train"],
                                 threshold=opts["threshold"], actor="system:resolve",
                                 step=lambda label: status.update(f"resolving identities… {label} done"))
        except FileNotFoundError as exc:
            raise CommandError(f"no linkage model: {exc}") from exc
        summary = result.summary()
        if opts["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, default=str))
            return
        console.print(
            f"{result.run.engine} ({result.mode}{', ' + result.reason if result.reason else ''}), model "
            f"{result.run.model_version}, threshold {result.run.threshold}: {result.records} records, "
            f"{result.linked} linked this run, {result.pairs} pairs scored ({result.pairs_new} new), "
            f"{result.clusters} clusters of two or more")
        table = Table(title=f"Findings raised by run {result.run.pk}")
        table.add_column("rule")
        table.add_column("raised", justify="right")
        for code, n in sorted(result.by_code.items()):
            table.add_row(code, str(n))
        console.print(table)
        stored = result.stored
        console.print(f"{stored.created} new findings, {stored.already_known} already known; times (s): "
                      + ", ".join(f"{k} {v}" for k, v in result.seconds.items()))
