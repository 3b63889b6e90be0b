"""The screening hot path as an ASGI application for uvicorn: ``sojourn.screening.asgi:app``.

Each uvicorn worker process imports this module: Django is set up (settings, the database),
then the Starlette app is made (``sojourn.screening.hotpath``).
"""

from __future__ import annotations

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sojourn.settings")
django.setup()

from sojourn.screening.hotpath import create_app  # noqa: E402  (needs Django set up first)

app = create_app()
