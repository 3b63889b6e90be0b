"""Importing Sojourn — every app, the URL map, the reconciliation — never starts PySpark."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import sys
import django
django.setup()
import sojourn.urls, sojourn.api, sojourn.crossings.services, sojourn.engine.base, sojourn.engine.reconcile
from django.core.management import get_commands
for name in ("reconcile", "import", "report", "demo"):
    __import__(f"sojourn.{get_commands()[name].split('.')[-1]}.management.commands.{name}")
assert "pyspark" not in sys.modules, sorted(m for m in sys.modules if m.startswith("pyspark"))
assert "sojourn.engine.spark" not in sys.modules
print("ok")
"""


def test_importing_sojourn_does_not_import_pyspark():
    done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                          env={"DJANGO_SETTINGS_MODULE": "sojourn.settings", "PATH": "/usr/bin:/bin",
                               "SOJOURN_HOME": "/tmp/sojourn-import-check"}, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
