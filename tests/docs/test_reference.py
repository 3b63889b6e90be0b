"""Generated reference and settings documentation stay true to the code."""

from __future__ import annotations

import re
from pathlib import Path

from scripts import gen_docs

from sojourn import conf

ROOT = Path(__file__).resolve().parent.parent.parent


def test_generated_reference_is_current():
    for path, text in gen_docs.outputs().items():
        assert path.exists(), f"{path.name} missing; run `make docs`"
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is out of date; run `make docs`"


def test_cli_reference_names_every_command():
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in gen_docs.COMMANDS:
        assert f"## `sojourn {name.replace('_', '-')}`" in text


def test_every_setting_is_documented():
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    undocumented = [name for name in conf.SETTINGS if f"`{name}`" not in doc]
    assert not undocumented, f"add these to docs/settings.md: {undocumented}"


def test_every_setting_read_in_the_code_is_declared():
    """A SOJOURN_* name used anywhere in src/ must be declared in sojourn.conf (and so documented)."""
    used: set[str] = set()
    for path in (ROOT / "src" / "sojourn").rglob("*.py"):
        used |= set(re.findall(r"\b(SOJOURN_[A-Z0-9_]+?)(?:_FILE)?\b", path.read_text(encoding="utf-8")))
    django_names = {"SOJOURN_FILING_DEADLINE_DAYS"}  # also the name of a Django setting
    assert used - set(conf.SETTINGS) - django_names == set()
