"""The ``sojourn`` command: every Django management command, plus Sojourn's own."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sojourn.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["sojourn", *argv])
    args[0] = "sojourn"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
