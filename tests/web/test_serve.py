"""`sojourn serve` starts the production server (gunicorn) and it answers, static files included."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, timeout: float = 30.0) -> bytes:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return bytes(response.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_serve_answers(tmp_path: Path) -> None:
    port = free_port()
    env = dict(os.environ, SOJOURN_HOME=str(tmp_path), SOJOURN_SERVE_WORKERS="1")
    env.pop("SOJOURN_DATABASE_URL", None)  # its own SQLite under tmp_path
    subprocess.run([sys.executable, "-m", "sojourn", "migrate", "--verbosity", "0"], env=env, check=True)
    server = subprocess.Popen([sys.executable, "-m", "sojourn", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        assert b'"ok"' in wait_for(f"http://127.0.0.1:{port}/healthz")
        assert b"font-family" in wait_for(f"http://127.0.0.1:{port}/static/sojourn/sojourn.css")
        login = wait_for(f"http://127.0.0.1:{port}/accounts/login/")
        assert b"csrfmiddlewaretoken" in login
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
