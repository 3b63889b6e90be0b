"""Importing Sojourn — every app, the URL map, the reconciliation, `sojourn --help` — never starts PySpark, and
never loads followthemoney (only `sojourn export ftm` and `sojourn import ftm` do, docs/decisions/0006)."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import sys
import django
django.setup()
import sojourn.urls, sojourn.api, sojourn.crossings.services, sojourn.engine.base, sojourn.engine.reconcile
from django.core.management import get_commands
for name in ("reconcile", "import", "export", "report", "demo"):
    __import__(f"sojourn.{get_commands()[name].split('.')[-1]}.management.commands.{name}")
from sojourn.__main__ import main
try:
    main(["--help"])
except SystemExit:
    pass
assert "pyspark" not in sys.modules, sorted(m for m in sys.modules if m.startswith("pyspark"))
assert "sojourn.engine.spark" not in sys.modules
assert "followthemoney" not in sys.modules, sorted(m for m in sys.modules if m.startswith("sojourn.interop.ftm"))
print("ok")
"""


def test_importing_sojourn_does_not_import_pyspark_or_followthemoney():
    done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                          env={"DJANGO_SETTINGS_MODULE": "sojourn.settings", "PATH": "/usr/bin:/bin",
                               "SOJOURN_HOME": "/tmp/sojourn-import-check"}, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("ok")
