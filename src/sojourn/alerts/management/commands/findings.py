"""sojourn findings: list findings (all statuses unless --status narrows it)."""

from __future__ import annotations

import json
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console
from rich.table import Table

from sojourn.alerts.api import finding_out
from sojourn.alerts.models import Finding
from sojourn.alerts.selectors import filter_findings


class Command(BaseCommand):
    help = "List findings; --json prints one JSON list on stdout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--code", default="", help="rule code, e.g. registry.filing_gap")
        parser.add_argument("--official", default="", help="the registry's official_id")
        parser.add_argument("--status", default="", help="new, acknowledged, assigned, dismissed, confirmed, escalated")
        parser.add_argument("--severity", default="", help="critical, high, medium, low, info")
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")

    def handle(self, *args: Any, **opts: Any) -> None:
        qs = filter_findings(Finding.objects.select_related("unit"), code=opts["code"], status=opts["status"],
                             severity=opts["severity"], official_id=opts["official"])
        rows = [finding_out(f) for f in qs.iterator(chunk_size=2000)]
        if opts["json"]:
            for row in rows:
                row["created_at"] = row["created_at"].isoformat()
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        table = Table(title=f"{len(rows)} findings")
        for col in ("id", "severity", "code", "official", "status", "text"):
            table.add_column(col)
        for r in rows[:500]:
            table.add_row(str(r["id"]), r["severity"], r["code"], r["official_id"], r["status"], r["text"])
        Console(file=cast(IO[str], self.stdout)).print(table)
        if len(rows) > 500:
            self.stderr.write(f"... {len(rows) - 500} more; use --json or narrow with --code/--status")
