"""Running the screening hot path: worker processes, each with its own listening socket.

uvicorn's own ``--workers`` shares one listening socket between the workers, and the first
worker to wake takes every connection that is waiting: a checkpoint's keep-alive connections
then all land on one process while the others idle (measured: 16 connections, 2 workers, one
worker did all the work). Here each worker binds its own socket to the same address with
``SO_REUSEPORT``, and the kernel spreads new connections over them.

The supervisor starts ``workers`` processes (``python -m sojourn.screening.serve --worker``),
passes SIGTERM and SIGINT on to them (each flushes its audit queue on the way out, see
``hotpath``), and stops them all, exiting non-zero, when one of them dies: a process manager
(systemd, the container runtime) restarts the service.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import socket
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

APP = "sojourn.screening.asgi:app"
GRACEFUL_SECONDS = 30  # open connections get this long to finish before a worker stops
# How long a thread holding the GIL may keep it while another waits (Python's default: 5 ms). A
# worker's audit writer and index keeper are Python threads beside the event loop: with the
# default, a request ready to run could wait up to 5 ms behind a batch of audit rows. At 1M
# entries, paced at 1,500 requests/s, 0.5 ms took p99 from 30 ms to 14 ms at the same throughput
# (docs/benchmarks.md (d)).
SWITCH_SECONDS = 0.0005


class CoalescingTransport:
    """A transport whose writes within one turn of the event loop leave as one ``write``.

    uvicorn writes a response's status line and headers, then its body: two ``send`` calls, two
    TCP segments on a connection with ``TCP_NODELAY``, and on loopback two deliveries to the
    reader. Held together, a screening response costs the worker about 0.1 ms less CPU and the
    load generator beside it about 13 µs less (docs/benchmarks.md (d)). What is held goes out at
    the end of the turn (``call_soon``), or before the transport closes; the rest of the
    transport is the real one's.
    """

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: list[bytes] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self._held:
            self._loop.call_soon(self.flush)
        self._held.append(bytes(data))

    def flush(self) -> None:
        """Send what is held, unless the connection went meanwhile (uvicorn's own ``send`` drops
        a response to a peer that is gone; uvloop refuses a write to a closed transport)."""
        if self._held:
            data = b"".join(self._held)
            self._held.clear()
            if not self._transport.is_closing():
                self._transport.write(data)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class CoalescingHttpTools(HttpToolsProtocol):
    """uvicorn's httptools protocol over a ``CoalescingTransport``."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(CoalescingTransport(transport, self.loop))  # type: ignore[arg-type]


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` that other workers may bind too (``SO_REUSEPORT``)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def run_worker(host: str, port: int) -> None:
    """One worker: uvicorn serving the hot path on its own ``SO_REUSEPORT`` socket."""
    import uvicorn

    sys.setswitchinterval(SWITCH_SECONDS)
    config = uvicorn.Config(
        APP, host=host, port=port, access_log=False, timeout_graceful_shutdown=GRACEFUL_SECONDS,
        lifespan="on", proxy_headers=False, server_header=False, http=CoalescingHttpTools,
    )  # fmt: skip
    uvicorn.Server(config).run(sockets=[listening_socket(host, port)])


def supervise(host: str, port: int, workers: int) -> int:
    """Start the workers, pass stop signals on, and return when they are all gone."""
    argv = [sys.executable, "-m", "sojourn.screening.serve", "--worker", "--host", host, "--port", str(port)]
    procs = [subprocess.Popen(argv) for _ in range(workers)]
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while any(proc.poll() is None for proc in procs):
        if not stopping and any(proc.poll() is not None for proc in procs):
            print("a screening worker exited; stopping the others", file=sys.stderr)
            stop(signal.SIGTERM, None)
        time.sleep(0.2)
    # uvicorn re-raises the stop signal once it has shut down cleanly: -SIGTERM is a clean stop.
    clean = {0, -signal.SIGTERM, -signal.SIGINT}
    return 0 if stopping and all(proc.returncode in clean for proc in procs) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The screening hot path (use `sojourn serve-screening`).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker", action="store_true", help="run one worker in this process")
    args = parser.parse_args(argv)
    if args.worker:
        run_worker(args.host, args.port)
        return 0
    return supervise(args.host, args.port, args.workers)


if __name__ == "__main__":
    sys.exit(main())
