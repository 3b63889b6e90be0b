"""sojourn screen: screen one person against the watch lists, as a checkpoint's API call does."""

from __future__ import annotations

import getpass
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sojourn.cliargs import iso_date
from sojourn.screening.services import screen_person


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


class Command(BaseCommand):
    help = "Screen one person against the watch lists: the decision (clear, refer, hold) and the matches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="the name in any script or spelling")
        parser.add_argument("--birth-date", type=iso_date, help="date of birth, YYYY-MM-DD")
        parser.add_argument("--sex", choices=("M", "F"), help="M or F")
        parser.add_argument("--nationality", help="ISO 3166-1 alpha-3 code")
        parser.add_argument("--id-number", help="an ID number")
        parser.add_argument("--document", help="a travel document's number")
        parser.add_argument("--json", action="store_true", help="print the result as JSON on stdout")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            result = screen_person(
                actor=_actor(), name=opts["name"], birth_date=opts["birth_date"], sex=opts["sex"],
                nationality=opts["nationality"], id_number=opts["id_number"], document_number=opts["document"],
            )  # fmt: skip
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if opts["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=1))
            return
        self.stderr.write(f"decision: {result['decision']} (ruleset {result['ruleset']})")
        for match in result["matches"]:
            flag = "MATCH" if match["match"] else "     "
            self.stderr.write(
                f"  {flag} {match['score']:.2f}  {match['list']}:{match['entry_id']}  action {match['action']}"
            )
            for line in match["explanations"]:
                self.stderr.write(f"        {line}")
        if not result["matches"]:
            self.stderr.write("  no list entry comes close")
