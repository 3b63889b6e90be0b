"""``sojourn export KIND [--out FILE]``: write the store in an exchange format; ``ftm`` (FollowTheMoney JSON lines).

Exit codes: 0 written; 1 a stored value the FtM model refuses (nothing is written to ``--out``);
2 bad usage or an output file that cannot be written. Each export writes one audit row.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandParser

if TYPE_CHECKING:
    from sojourn.interop.ftm import ExportSummary

KINDS = ("ftm",)


class Command(BaseCommand):
    help = ("Export the registry (units, officials, relatives, posts), travel documents, trips, assets and "
            "watch lists: KIND ftm writes FollowTheMoney entities, one JSON object per line (docs/interop.md).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", metavar="KIND", help="the format: " + ", ".join(KINDS))
        parser.add_argument("--out", type=Path, default=None, metavar="FILE",
                            help="write to FILE instead of stdout (replaced only when the export succeeds)")

    def handle(self, *args: Any, **options: Any) -> None:
        kind: str = options["kind"]
        if kind not in KINDS:
            self.stderr.write(f"unknown export kind '{kind}' (use one of: {', '.join(KINDS)})")
            raise SystemExit(2)
        from sojourn.interop.ftm import export_ftm
        from sojourn.interop.ftm_export import ExportError
        from sojourn.reports.cli import cli_actor

        out: Path | None = options["out"]
        progress = self.stderr.isatty()
        try:
            if out is None:
                # Every line ends with a newline, so the wrapper adds nothing to it.
                stream = cast(TextIO, self.stdout)
                summary = export_ftm(out=stream, actor=cli_actor(), target="stdout", progress=progress)
            else:
                summary = self._to_file(out, progress)
        except ExportError as exc:
            self.stderr.write(f"export {kind}: {exc}")
            raise SystemExit(1) from None
        except OSError as exc:
            self.stderr.write(f"export {kind}: cannot write {out}: {exc.strerror}")
            raise SystemExit(2) from None
        counts = ", ".join(f"{schema} {n}" for schema, n in summary.by_schema.items())
        where = f" to {out}" if out else ""
        self.stderr.write(f"{summary.entities} entities written{where}: {counts or 'none'}", style_func=str)

    def _to_file(self, out: Path, progress: bool) -> ExportSummary:
        """Write beside ``out`` and rename at the end: a failed export leaves ``out`` as it was."""
        from sojourn.interop.ftm import export_ftm
        from sojourn.reports.cli import cli_actor

        partial = out.with_name(f".{out.name}.partial")
        try:
            with partial.open("w", encoding="utf-8", newline="\n") as handle:
                summary = export_ftm(out=handle, actor=cli_actor(), target=str(out), progress=progress)
            partial.replace(out)
        finally:
            partial.unlink(missing_ok=True)
        return summary
