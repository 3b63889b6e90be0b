"""``sojourn import KIND FILE``: load an import file (DESIGN.md §6), all or nothing for registry kinds.

Exit codes: 0 imported (or valid, with ``--dry-run``); 1 the file was read and has problems,
nothing was written; 2 bad usage or a file that cannot be read at all.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandParser

from sojourn.feeds.base import FORMATS, FeedError

if TYPE_CHECKING:
    from sojourn.registry.services import ImportReport

REGISTRY_KINDS = ("units", "officials", "relatives", "posts", "duties")
KINDS = (*REGISTRY_KINDS, "documents", "custody", "trips", "watchlist", "crossings", "declarations", "assets", "ftm")
MAX_SHOWN_ERRORS = 200


def cli_actor() -> str:
    """The audit trail's name for whoever runs a command on the server."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _plain(text: str) -> str:
    return text


class Command(BaseCommand):
    help = (
        "Import a file: KIND is one of units, officials, relatives, posts, duties, documents, custody, trips, "
        "watchlist, declarations, assets, or ftm (FollowTheMoney JSON lines: registry, documents, trips, assets "
        "and lists together, docs/interop.md). A file with "
        "any bad row changes nothing; the report names row, column, value and reason."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", metavar="KIND", help="what the file holds: " + ", ".join(KINDS))
        parser.add_argument("file", metavar="FILE", type=Path, help="CSV (UTF-8), XLSX or Parquet file")
        parser.add_argument(
            "--format", dest="fmt", choices=FORMATS, help="the file's format (default: from its extension)"
        )
        parser.add_argument("--dry-run", action="store_true", help="check the file only; write nothing")
        parser.add_argument("--list", dest="list_name", metavar="NAME",
                            help="ftm only: put every person of an external list on the watch list NAME "
                                 "(default: named by each Sanction's programId, program or authority)")

    def handle(self, *args: Any, **options: Any) -> None:
        from sojourn.custody.importing import import_custody_file, import_documents_file
        from sojourn.declarations.importing import import_assets_file, import_declarations_file
        from sojourn.registry.services import import_registry_file
        from sojourn.screening.importing import import_watchlist_file
        from sojourn.travel.importing import import_trips_file

        kind: str = options["kind"]
        if kind not in KINDS:
            self.stderr.write(f"unknown import kind '{kind}' (use one of: {', '.join(KINDS)})")
            raise SystemExit(2)
        if options["list_name"] is not None and kind != "ftm":
            self.stderr.write("--list is for ftm files")
            raise SystemExit(2)
        if kind == "crossings":
            self._crossings(options)
            return
        if kind == "ftm":
            self._ftm(options)
            return
        common: dict[str, Any] = {
            "path": options["file"],
            "actor": cli_actor(),
            "dry_run": options["dry_run"],
            "fmt": options["fmt"],
            "progress": self.stderr.isatty(),
        }
        try:
            if kind == "documents":
                report = import_documents_file(**common)
            elif kind == "custody":
                report = import_custody_file(**common)
            elif kind == "trips":
                report = import_trips_file(**common)
            elif kind == "watchlist":
                report = import_watchlist_file(**common)
            elif kind == "declarations":
                report = import_declarations_file(**common)
            elif kind == "assets":
                report = import_assets_file(**common)
            else:
                report = import_registry_file(kind=kind, **common)
        except FeedError as exc:
            self.stderr.write(str(exc))
            raise SystemExit(2) from None
        self._finish(report)

    def _finish(self, report: ImportReport, notes: Iterable[str] = ()) -> None:
        """Show the first errors, the notes and the summary; exit 1 when the import was refused."""
        for error in report.errors[:MAX_SHOWN_ERRORS]:
            self.stderr.write(str(error))
        if len(report.errors) > MAX_SHOWN_ERRORS:
            self.stderr.write(f"... and {len(report.errors) - MAX_SHOWN_ERRORS} more")
        for note in notes:
            self.stderr.write(note, style_func=_plain)
        self.stderr.write(report.summary(), style_func=None if not report.ok else _plain)
        if not report.ok:
            raise SystemExit(1)

    def _ftm(self, options: dict[str, Any]) -> None:
        """FtM JSON lines: every entity validated against the FtM model, then all kinds in one transaction."""
        from sojourn.feeds.base import code
        from sojourn.interop.ftm import import_ftm_file

        if options["fmt"] is not None:
            self.stderr.write("--format is for tabular files; an ftm file is JSON lines")
            raise SystemExit(2)
        list_name: str | None = options["list_name"]
        if list_name is not None:
            try:
                code(64)(list_name)
            except ValueError as exc:
                self.stderr.write(f"--list {list_name!r}: {exc}")
                raise SystemExit(2) from None
        try:
            report = import_ftm_file(path=options["file"], actor=cli_actor(), dry_run=options["dry_run"],
                                     list_name=list_name, progress=self.stderr.isatty())
        except FeedError as exc:
            self.stderr.write(str(exc))
            raise SystemExit(2) from None
        self._finish(report, report.notes())

    def _crossings(self, options: dict[str, Any]) -> None:
        """A crossing feed is a stream from outside: good rows are stored, bad rows go to a reject file."""
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from sojourn.crossings.services import import_crossings_file

        if options["dry_run"]:
            self.stderr.write("--dry-run is for registry files; a crossing feed stores its good rows")
            raise SystemExit(2)
        path: Path = options["file"]
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      disable=not self.stderr.isatty()) as bar:
            task = bar.add_task(f"validating {path.name}", total=None)
            try:
                report = import_crossings_file(path=path, actor=cli_actor(), fmt=options["fmt"],
                                               progress=lambda n: bar.advance(task, n))
            except FeedError as exc:
                self.stderr.write(str(exc))
                raise SystemExit(2) from None
        if report.already_ingested:
            self.stderr.write(f"{path.name}: already in the crossing store (sha256 {report.sha256[:12]}…); "
                              "nothing to do")
        self.stderr.write(
            f"{path.name}: {report.read} rows read, {report.stored} stored, {report.duplicates} already stored or "
            f"repeated, {report.rejected} rejected")
        if report.rejected:
            top = ", ".join(f"{k} {v}" for k, v in sorted(report.reasons.items(), key=lambda kv: -kv[1])[:6])
            self.stderr.write(f"rejected rows (row number and reason) are in {report.reject_file}; by field: {top}")
            raise SystemExit(1)
