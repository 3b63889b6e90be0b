"""sojourn check-document: validate one MRZ, ID number or numbered document."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sojourn.cliargs import iso_date
from sojourn.core.documents import check_document


class Command(BaseCommand):
    help = "Validate one document: an MRZ (lines separated by newlines or |), an ID number, or a type and number."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--mrz", help="the machine-readable zone")
        group.add_argument("--id-number", help="a PRC Resident Identity Card number")
        group.add_argument("--doc-type", help="passport_ordinary, passport_official, passport_service, "
                           "passport_diplomatic, permit_hk_macau, permit_taiwan, id_card (with --number)")
        parser.add_argument("--number", help="the document number (with --doc-type)")
        parser.add_argument("--issuer", help="issuing state, ISO 3166-1 alpha-3")
        parser.add_argument("--issue-date", type=iso_date, help="issue date, enables validity and series checks")
        parser.add_argument("--allow-specimen", action="store_true", help="accept specimen codes such as UTO")
        parser.add_argument("--json", action="store_true", help="print the result as JSON on stdout")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["doc_type"] and not opts["number"]:
            raise CommandError("--doc-type needs --number", returncode=2)
        try:
            result = check_document(mrz=opts["mrz"], id_number=opts["id_number"], doc_type=opts["doc_type"],
                                    number=opts["number"], issuer=opts["issuer"], issue_date=opts["issue_date"],
                                    allow_specimen=opts["allow_specimen"])
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if opts["json"]:
            self.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=1))
        else:
            self.stderr.write(f"{result.kind}: {'valid' if result.valid else 'INVALID'}")
            for key, value in result.fields.items():
                if value not in (None, ""):
                    self.stderr.write(f"  {key}: {value}")
            for p in result.problems:
                self.stderr.write(f"  [{p.severity}] {p.code}: {p.message}")
        if not result.valid:
            raise SystemExit(1)
