"""``sojourn report families-abroad`` and ``sojourn report findings``: options and how each builds its report."""

from __future__ import annotations

import argparse
from typing import Any

from sojourn.cliargs import iso_date
from sojourn.reports.cli import ReportCommand
from sojourn.reports.framework import Report


def _families_arguments(parser: argparse.ArgumentParser) -> None:
    from sojourn.reports.families import BY_CHOICES

    parser.add_argument("--by", choices=BY_CHOICES, default="destination",
                        help="one row per destination group (default), period of emigration or category")
    parser.add_argument("--as-of", type=iso_date, default=None, metavar="D",
                        help="the periods run up to this date's year (default: SOJOURN_AS_OF or today)")


def _families_build(opts: dict[str, Any]) -> Report:
    from sojourn.registry.models import Relative
    from sojourn.reports.families import Params, families_abroad
    from sojourn.web.dates import default_as_of

    return families_abroad(Relative.objects.all(), Params(as_of=opts["as_of"] or default_as_of(), by=opts["by"]))


def _findings_arguments(parser: argparse.ArgumentParser) -> None:
    from sojourn.reports.findings_report import BY_CHOICES

    parser.add_argument("--by", choices=BY_CHOICES, default="code",
                        help="one row per rule code (default), severity, unit or month raised (a trend)")


def _findings_build(opts: dict[str, Any]) -> Report:
    from sojourn.alerts.models import Finding
    from sojourn.reports.findings_report import Params, findings_report

    return findings_report(Finding.objects.all(), Params(by=opts["by"]))


STATS_REPORTS: dict[str, ReportCommand] = {
    "families-abroad": ReportCommand(
        name="families-abroad",
        help="officials' spouses and children living abroad, as people and cases, by destination, period or "
             "category, with their foreign assets",
        add_arguments=_families_arguments,
        build=_families_build,
    ),
    "findings": ReportCommand(
        name="findings",
        help="findings by rule, severity, unit or month, open and closed",
        add_arguments=_findings_arguments,
        build=_findings_build,
    ),
}
