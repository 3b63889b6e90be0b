"""sojourn serve-screening: the screening hot path (POST /screen) under uvicorn."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Serve the screening hot path (POST /screen, same JSON and token as /api/v1/screen) with uvicorn. "
        "Each worker process has its own socket (SO_REUSEPORT) and builds the watch-list index before it "
        "answers; audit rows are group-committed; SIGTERM flushes them and stops."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8001, help="TCP port (default 8001)")
        parser.add_argument("--workers", type=int, default=2, help="worker processes, each with its own index (default 2)")

    def handle(self, *args: Any, **opts: Any) -> None:
        # The interpreter running us has uvicorn installed beside Sojourn, whatever PATH says.
        argv = [
            sys.executable, "-m", "sojourn.screening.serve",
            "--host", opts["host"], "--port", str(opts["port"]), "--workers", str(opts["workers"]),
        ]  # fmt: skip
        os.execvp(argv[0], argv)
