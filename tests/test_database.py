"""The suite runs on the database SOJOURN_DATABASE_URL names: make sure it really does."""

from __future__ import annotations

import os

from django.db import connection


def test_backend_matches_the_configured_url(db):
    url = os.environ.get("SOJOURN_DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
    if expected == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version_num")
            assert int(cursor.fetchone()[0]) >= 150000
