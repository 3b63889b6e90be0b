"""sojourn audit verify: check the hash chain of the audit trail."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sojourn.audit.services import verify_chain


class Command(BaseCommand):
    help = "Audit trail tools. `verify` walks the hash chain and names the first broken row."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **opts: Any) -> None:
        report = verify_chain()
        if report.ok:
            self.stderr.write(f"audit chain intact: {report.checked} rows verified")
            return
        self.stderr.write(f"audit chain BROKEN at row #{report.broken_seq}: {report.reason} "
                          f"({report.checked} rows verified before it)")
        raise SystemExit(1)
