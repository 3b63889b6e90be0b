"""sojourn serve: the production server (gunicorn, gthread workers)."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sojourn import conf


class Command(BaseCommand):
    help = "Serve the web UI and API with gunicorn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, **opts: Any) -> None:
        # The interpreter running us has gunicorn installed beside Sojourn, whatever PATH says.
        argv = [
            sys.executable, "-m", "gunicorn", "sojourn.wsgi:application",
            "--bind", f"{opts['host']}:{opts['port']}",
            "--worker-class", "gthread",
            "--workers", conf.env(conf.SERVE_WORKERS),
            "--threads", conf.env(conf.SERVE_THREADS),
            "--access-logfile", "-",
        ]
        os.execvp(argv[0], argv)
