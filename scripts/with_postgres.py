"""Run a command against a throwaway PostgreSQL cluster, then drop the cluster.

    python scripts/with_postgres.py -- pytest -m "not browser"

The cluster lives in a temporary folder, listens on a private socket folder and a free
loopback port, and is removed when the command ends (also on failure). As root, initdb and
the server run as the ``postgres`` user, since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path


def pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    path = shutil.which(name)
    if path is None:
        sys.exit(f"with_postgres: {name} not found; install Debian's postgresql (make test does, as root)")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def as_server_user(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1:]
    if not argv:
        sys.exit("usage: with_postgres.py -- COMMAND ...")
    root = Path(tempfile.mkdtemp(prefix="sojourn-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
    root.chmod(0o755)
    port = free_port()
    try:
        subprocess.run(as_server_user([pg_bin("initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                                       "-E", "UTF8", "--locale=C.UTF-8", "-N"]),
                       check=True, stdout=subprocess.DEVNULL)
        options = f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        subprocess.run(as_server_user([pg_bin("pg_ctl"), "-D", str(data), "-o", options, "-w", "-l",
                                       str(root / "server.log"), "start"]), check=True, stdout=subprocess.DEVNULL)
        env = dict(os.environ, SOJOURN_DATABASE_URL=f"postgresql://postgres@127.0.0.1:{port}/sojourn")
        print(f"with_postgres: PostgreSQL on 127.0.0.1:{port} (data in {data})", file=sys.stderr)
        return subprocess.call(argv, env=env)
    finally:
        if data.exists():
            subprocess.run(as_server_user([pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
