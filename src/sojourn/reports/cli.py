"""The reports ``sojourn report`` knows, each a subcommand with its own options and the shared output ones.

A new report (families-abroad, naked-officials, findings) adds one ``ReportCommand`` to ``REPORTS``:
its options, and how to compute the ``Report`` from the parsed options. Output, chart and the
audit row are the command's business, the same for every report.
"""

from __future__ import annotations

import argparse
import getpass
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sojourn.cliargs import iso_date
from sojourn.reports.framework import Report


class UsageError(Exception):
    """Options that parse but make no sense together (exit code 2)."""


@dataclass(frozen=True)
class ReportCommand:
    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    build: Callable[[dict[str, Any]], Report]


def cli_actor() -> str:
    """The audit trail's name for whoever runs a command on the server."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _non_returns_arguments(parser: argparse.ArgumentParser) -> None:
    from sojourn.reports.nonreturns import BY_CHOICES

    parser.add_argument("--from", dest="date_from", type=iso_date, required=True, metavar="D",
                        help="first exit date of the window (YYYY-MM-DD)")
    parser.add_argument("--to", dest="date_to", type=iso_date, required=True, metavar="D",
                        help="last exit date of the window (YYYY-MM-DD)")
    parser.add_argument("--as-of", type=iso_date, default=None, metavar="D",
                        help="judge returns as of this date (default: SOJOURN_AS_OF or today)")
    parser.add_argument("--by", choices=BY_CHOICES, default="unit",
                        help="one row per unit (default), rank, destination or port")


def _non_returns_build(opts: dict[str, Any]) -> Report:
    from sojourn.reports.nonreturns import Params, Window, non_returns
    from sojourn.reports.selectors import all_journeys
    from sojourn.web.dates import default_as_of

    try:
        window = Window(opts["date_from"], opts["date_to"])
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    params = Params(window=window, as_of=opts["as_of"] or default_as_of(), by=opts["by"])
    return non_returns(all_journeys(), params)


def _naked_arguments(parser: argparse.ArgumentParser) -> None:
    from sojourn.reports.naked import BY_CHOICES

    parser.add_argument("--by", choices=BY_CHOICES, default="unit", help="one row per unit (default) or rank")


def _naked_build(opts: dict[str, Any]) -> Report:
    from sojourn.registry.models import Official
    from sojourn.reports.naked import Params, naked_officials

    return naked_officials(Official.objects.all(), Params(by=opts["by"]))


REPORTS: dict[str, ReportCommand] = {
    "non-returns": ReportCommand(
        name="non-returns",
        help="officials who left in a window: back on time, late, still abroad, overdue, missing, unapproved",
        add_arguments=_non_returns_arguments,
        build=_non_returns_build,
    ),
    "naked-officials": ReportCommand(
        name="naked-officials",
        help="officials whose spouse, or all of whose children, have emigrated: in restricted posts, moved since",
        add_arguments=_naked_arguments,
        build=_naked_build,
    ),
}

# The statistics of the families abroad and of the findings live in their own module, which needs
# ReportCommand from this one.
from sojourn.reports.cli_stats import STATS_REPORTS  # noqa: E402

REPORTS.update(STATS_REPORTS)
