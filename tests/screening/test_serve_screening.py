"""`sojourn serve-screening` as a real server: two workers answer, and SIGTERM writes every audit row."""

from __future__ import annotations

import http.client
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.screening.test_screening import GOOD
from tests.web.test_serve import free_port

pytestmark = pytest.mark.slow

SETUP = """
from django.contrib.auth.models import User
from sojourn.accounts.services import create_user, issue_token
from sojourn.screening.importing import import_watchlist_file
import pathlib
assert import_watchlist_file(path=pathlib.Path({path!r}), actor="test").ok
user = create_user(username="port-1", password=None, role="checkpoint", unit_code=None)
print(issue_token(user=user, name="device", scope="screening"))
"""


def test_workers_answer_and_a_stop_flushes_the_audit_queue(tmp_path: Path) -> None:
    env = dict(os.environ, SOJOURN_HOME=str(tmp_path))
    env.pop("SOJOURN_DATABASE_URL", None)  # its own SQLite under tmp_path
    sojourn = [sys.executable, "-m", "sojourn"]
    subprocess.run([*sojourn, "migrate", "--verbosity", "0"], env=env, check=True)
    (tmp_path / "list.csv").write_text(GOOD, encoding="utf-8")
    shell = SETUP.format(path=str(tmp_path / "list.csv"))
    token = subprocess.run([*sojourn, "shell", "-c", shell], env=env, check=True, capture_output=True,
                           text=True).stdout.strip().splitlines()[-1]  # fmt: skip
    port, log = free_port(), tmp_path / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen([*sojourn, "serve-screening", "--port", str(port), "--workers", "2"], env=env,
                                  stdout=out, stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while log.read_text().count("Application startup complete") < 2:
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        decisions = []
        for _ in range(4):  # a few keep-alive connections, spread over both workers by the kernel
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            for _ in range(5):
                conn.request("POST", "/screen", body=json.dumps({"name": "CHEUNG Wai", "birth_date": "1970-05-01"}),
                             headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
                response = conn.getresponse()
                assert response.status == 200
                decisions.append(json.loads(response.read())["decision"])
            conn.close()
        assert decisions == ["hold"] * 20
    finally:
        server.send_signal(signal.SIGTERM)  # the supervisor only: it stops the workers
        assert server.wait(timeout=60) == 0, log.read_text()
    with sqlite3.connect(tmp_path / "sojourn.db") as db:
        rows = db.execute("SELECT COUNT(*) FROM audit_auditevent WHERE object_type = 'screening'").fetchone()[0]
    assert rows == 20
    verify = subprocess.run([*sojourn, "audit", "verify"], env=env, capture_output=True, text=True)
    assert verify.returncode == 0, verify.stdout + verify.stderr
