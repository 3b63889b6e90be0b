"""Models and migrations agree: a model change without its migration fails here, not in production."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:
        pytest.fail(f"models changed without a migration (run `sojourn makemigrations`):\n{out.getvalue()}"
                    f" exit {exc.code}")
