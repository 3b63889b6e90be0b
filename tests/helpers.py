"""Small helpers several test modules share: reading generated files, running `sojourn import`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from django.core.management import call_command


def csv_rows(directory: Path, name: str) -> list[dict[str, str]]:
    """The rows of ``directory/name.csv`` as dicts (a synthetic dataset's file)."""
    with (directory / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest a synthetic dataset was written with."""
    return json.loads((directory / "manifest.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def run_import(*args: str) -> tuple[int, str]:
    """Run ``sojourn import ARGS``; return its exit code and what it wrote to stderr."""
    err = io.StringIO()
    try:
        call_command("import", *args, stderr=err, stdout=io.StringIO())
    except SystemExit as exc:
        return int(exc.code or 0), err.getvalue()
    return 0, err.getvalue()
