"""``sojourn verify-declarations``: draw the year's sample and verify each declaration in it against the records."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser

from sojourn.declarations.services import DEFAULT_SHARE


def share(raw: str) -> float:
    value = float(raw)
    if not 0 <= value <= 1:
        raise ValueError(raw)
    return value


class Command(BaseCommand):
    help = ("Draw a reproducible random share of the year's annual reports (seeded; the seed and the drawn "
            "officials go to the audit trail) plus the targeted ones (officials under investigation, promotion "
            "candidates, officials named in complaints), verify each against the records, and store the "
            "discrepancies (omission or concealment) and their findings.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="the year the reports cover")
        parser.add_argument("--seed", type=int, default=None, help="seed of the random draw (default: a fresh one, "
                            "printed and audited)")
        parser.add_argument("--share", type=share, default=DEFAULT_SHARE,
                            help=f"share drawn at random, 0..1 (default {DEFAULT_SHARE})")
        parser.add_argument("--official", nargs="+", default=[], metavar="ID",
                            help="officials named in complaints: verified whatever the draw")
        parser.add_argument("--promotion", nargs="+", default=[], metavar="ID",
                            help="promotion candidates: verified whatever the draw")
        parser.add_argument("--json", action="store_true", help="print the outcome as JSON on stdout")

    def handle(self, *args: Any, **opts: Any) -> None:
        from sojourn.declarations.services import run_verification
        from sojourn.reports.cli import cli_actor

        try:
            run = run_verification(year=opts["year"], actor=cli_actor(), share=opts["share"], seed=opts["seed"],
                                   promotion=opts["promotion"], complaints=opts["official"])
        except ValidationError as exc:
            self.stderr.write("; ".join(exc.messages))
            raise SystemExit(2) from None
        sample = run.sample
        rows = [{"verification": v.pk, "official_id": v.declaration.official.official_id,
                 "declaration": v.declaration_id, "drawn": v.drawn_how,
                 "concealment": v.discrepancies.filter(klass="concealment").count(),
                 "omission": v.discrepancies.filter(klass="omission").count()} for v in run.verifications]
        if opts["json"]:
            self.stdout.write(json.dumps({"year": sample.year, "seed": sample.seed, "share": sample.share,
                                          "population": sample.population, "verifications": rows,
                                          "without_report": [o for o, _h in sample.without_report],
                                          "totals": run.counts}, ensure_ascii=False))
        else:
            for row in rows:
                self.stderr.write(f"{row['official_id']} ({row['drawn']}): {row['concealment']} concealment, "
                                  f"{row['omission']} omission — verification {row['verification']}")
        for oid, how in sample.without_report:
            self.stderr.write(f"{oid} ({how}): no report for {sample.year} to verify")
        self.stderr.write(f"{sample.year}: seed {sample.seed}, {len(rows)} of {sample.population} reports verified; "
                          f"{run.counts['concealment']} concealment, {run.counts['omission']} omission")
