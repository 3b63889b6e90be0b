"""The ``sojourn`` command: every Django management command, plus Sojourn's own."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sojourn.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else ["sojourn", *argv])
    args[0] = "sojourn"
    if len(args) > 1 and not args[1].startswith("-"):
        # Commands are spelled with hyphens on the command line (check-document) and with
        # underscores as Django command modules (check_document).
        args[1] = args[1].replace("-", "_")
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
