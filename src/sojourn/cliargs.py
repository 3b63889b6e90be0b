"""Argument types shared by Sojourn's commands."""

from __future__ import annotations

import argparse
from datetime import date


def iso_date(text: str) -> date:
    """A calendar date given as YYYY-MM-DD; anything else is a usage error (exit code 2)."""
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from exc
