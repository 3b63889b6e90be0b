"""Screening over HTTP: the hot path (`sojourn serve-screening`) beside Django's /api/v1/screen.

    .venv/bin/python bench/screening_http.py --entries 100000 [--seconds 20] [--connections 16] [--keep DIR]
        [--rate R] [--documents]

Writes a synthetic list of N entries into a fresh SQLite database (people from bench/screening.py's
generator: a quarter each in characters, characters again, passport pinyin, Hong Kong spellings;
every eighth with a character alias), a checkpoint user and its screening token. Then, one server at
a time on this machine, drives each target with the same keep-alive load generator (asyncio, raw
HTTP/1.1 over 16 connections, one request in flight per connection) for --seconds after a warm-up:

1. the hot path: POST /screen with 2 workers;
2. the generator's ceiling: GET /healthz of the same hot-path server (uvicorn, no database, no index),
   after the screening runs: run first, its million requests slowed the screening run after it by
   10-15% (server CPU per request 0.80 -> 0.95 ms at 1M entries), recovering over a minute;
3. Django: POST /api/v1/screen under `sojourn serve` (gunicorn, 2 workers x 8 threads).

The queries are those of bench/screening.py's speed part (40% characters + birth date, 30% variant
spellings, 20% no hit, 10% ID number); with --documents each also carries a document number that is on
no list, so that every request runs the lost-document check, as a checkpoint reading passports does. Reported per target: decisions/s, p50/p99 latency as the
client sees it, CPU per request of the server processes and of the generator, and the decisions.
Audit rows written by each server are counted after it stops, and the chain is verified.

Two modes. Closed loop (always run): each connection sends its next request as soon as the previous
answer arrives, so the figure is the server's saturation throughput. Its latency is tied to that
throughput (Little's law: 16 requests in flight at X/s is a mean latency of 16/X), so its p99 says
how long a request waits at saturation, not what a client sees at a given load.

Paced, open loop (--rate R, wrk2-style; hot path only): after the closed-loop run, the same server
is driven at R requests/s in all, request k due at t0 + k/R, still one request in flight per
connection. The 16 connections are a pool, as a checkpoint gateway's client would keep: request k
goes on the first connection free (if none is free when it is due, it goes as soon as one is).
A fixed schedule per connection would measure how the kernel happened to split the connections
between the workers (SO_REUSEPORT hashes them: 10 and 6 or worse in 56% of splits) rather than the
server: the worker with more connections falls behind while the other idles. Latency is measured from the intended send time, not the actual one, which corrects
coordinated omission: a server that falls behind shows latency growing with the backlog instead of
a stalled client hiding it. Reported: target and achieved rate, p50/p99/p99.9/max latency and the
requests that went out more than 1 ms after their intended time, and of those how many had waited on
the previous answer (the server behind; the rest are the generator's own timer and scheduling slop,
a few % on a shared machine). The generator sleeps until each intended time (no busy-waiting: it
shares the 2 cores with the server); it may send up to 0.5 ms early to stay on the event loop's
millisecond timers, in which case latency counts from the actual send.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/screening.py: the same generator
from screening import _forms, _hk_text, _people
from sojourn.core.names import passport_pinyin

CLK_TCK = os.sysconf("SC_CLK_TCK")
HOST = "127.0.0.1"
WESTERN = ["Olaf Scholz", "Maria Gonzalez", "John Smith", "Ahmed Hassan", "Anna Kowalska"]


def setup(home: Path, entries: int, seed: int) -> str:
    """Migrate a fresh database in ``home``, write the list, return a checkpoint's screening token."""
    os.environ["SOJOURN_HOME"] = str(home)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sojourn.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from sojourn.accounts.services import create_user, issue_token
    from sojourn.screening.models import Watchlist, WatchlistEntry

    call_command("migrate", verbosity=0)
    user = create_user(username="bench_checkpoint", password=None, role="checkpoint", unit_code=None)
    token = issue_token(user=user, name="bench device", scope="screening")
    if WatchlistEntry.objects.count() < entries:
        t0 = time.perf_counter()
        WatchlistEntry.objects.all().delete()
        watchlist, _ = Watchlist.objects.get_or_create(name="synthetic")
        rows = []
        for row in _rows(entries, seed):
            rows.append(WatchlistEntry(watchlist=watchlist, **row))
            if len(rows) == 20_000:
                WatchlistEntry.objects.bulk_create(rows)
                rows = []
        WatchlistEntry.objects.bulk_create(rows)
        watchlist.save()  # bumps changed_at
        print(f"list: {entries:,} entries written in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    connection.close()
    return token


def _rows(n: int, seed: int) -> Any:
    """bench/screening.py's entries as stored rows (the index reads them back through ``list_entry``)."""
    surnames, givens, sexes, births = _people(n, seed)
    for k in range(n):
        s, g, kind = surnames[k], givens[k], ("han", "han", "pinyin", "hk")[k % 4]
        row: dict[str, Any] = {"entry_id": f"E{k:07d}", "name_zh": "", "surname": "", "given_name": "", "aliases": ""}
        if kind == "han":
            row["name_zh"] = s + g
        else:
            text = " ".join(passport_pinyin(s, g)) if kind == "pinyin" else _hk_text(s, g)
            row["surname"], _, row["given_name"] = text.partition(" ")
            if k % 8 == 0:
                row["aliases"] = s + g
        born = date.fromordinal(int(births[k]))
        row.update(
            birth_date=born if k % 5 else None, sex=str(sexes[k]), nationality="CHN",
            id_number=f"{k:018d}" if k % 2 else "", doc_numbers=f"E{k:08d}" if k % 3 == 0 else "",
            action=("hold", "refer", "notify")[k % 3],
        )  # fmt: skip
        yield row


def bodies(entries: int, n: int, seed: int, documents: bool = False) -> list[dict[str, Any]]:
    """The speed part's query mix (bench/screening.py ``_queries``) as JSON bodies.

    ``documents``: each body also carries a document number, as a checkpoint that reads passports
    sends (one of the traveller's own, on no list: the lost-document check runs for every request).
    """
    surnames, givens, _, births = _people(entries, seed)
    rng = random.Random(seed + 1)
    out: list[dict[str, Any]] = []
    for q in range(n):
        k = rng.randrange(entries)
        s, g, born = surnames[k], givens[k], date.fromordinal(int(births[k])).isoformat()
        kind = q % 10
        if kind < 4:
            out.append({"name": s + g, "birth_date": born})
        elif kind < 7:
            out.append({"name": list(_forms(s, g).values())[q % 7], "birth_date": born})
        elif kind < 9:
            out.append({"name": f"{WESTERN[q % 5]} {rng.choice('ABCDEFGH')}", "birth_date": "1970-01-01"})
        else:
            out.append({"id_number": f"{k:018d}"})
        if documents:
            out[-1]["document_number"] = f"G{q:08d}"
    return out


def requests(path: str, token: str, payloads: list[dict[str, Any]] | None) -> list[bytes]:
    """Raw HTTP/1.1 keep-alive requests, ready to write."""
    if payloads is None:
        return [f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode()]
    out = []
    for payload in payloads:
        body = json.dumps(payload, ensure_ascii=False).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        out.append(head.encode() + body)
    return out


_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)
_DECISION = re.compile(rb'"decision":\s*"(\w+)"')


async def _response(reader: asyncio.StreamReader) -> str:
    """Read one HTTP/1.1 response; its decision, or its status if it has none."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = _LENGTH.search(head)
    if length is None:
        raise RuntimeError(f"no Content-Length in {head[:200]!r}")
    body = await reader.readexactly(int(length.group(1)))
    status = head[9:12].decode()
    found = _DECISION.search(body) if status == "200" else None
    return found.group(1).decode() if found else status


async def _connection(port: int, reqs: list[bytes], start: int, step: int, until: float,
                      samples: list[int], outcomes: Counter[str]) -> None:  # fmt: skip
    reader, writer = await asyncio.open_connection(HOST, port)
    k = start
    try:
        while time.perf_counter() < until:
            t0 = time.perf_counter_ns()
            writer.write(reqs[k % len(reqs)])
            outcome = await _response(reader)
            samples.append(time.perf_counter_ns() - t0)
            outcomes[outcome] += 1
            k += step
    finally:
        writer.close()


EARLY_NS = 500_000  # send up to 0.5 ms early rather than sleep again (uvloop's timers are in whole ms)
LATE_NS = 1_000_000  # a request sent more than 1 ms after its intended time counts as late


async def _paced_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, reqs: list[bytes],
                            schedule: Iterator[int], t0_ns: int, interval_ns: float, until_ns: int,
                            samples: list[int], late: list[bool], outcomes: Counter[str]) -> None:  # fmt: skip
    """Send request k (the next of ``schedule`` once this connection is free) at ``t0 + k * interval``;
    latency from that time.

    ``late`` gets one entry per request sent more than 1 ms late: whether it waited on this connection's
    previous answer (the server behind) rather than on the generator's own timer.
    """
    answered = 0
    try:
        while True:
            k = next(schedule)
            intended = t0_ns + round(k * interval_ns)
            if intended >= until_ns or time.perf_counter_ns() >= until_ns:
                break
            while (wait := intended - time.perf_counter_ns()) > EARLY_NS:
                await asyncio.sleep(wait / 1e9)
            sent = time.perf_counter_ns()
            writer.write(reqs[k % len(reqs)])
            outcome = await _response(reader)
            samples.append(time.perf_counter_ns() - min(intended, sent))  # early only by EARLY_NS
            if sent - intended > LATE_NS:
                late.append(answered > intended)
            answered = time.perf_counter_ns()
            outcomes[outcome] += 1
    finally:
        writer.close()


def drive(
    port: int, reqs: list[bytes], connections: int, seconds: float, rate: float | None = None
) -> dict[str, Any]:
    """``connections`` keep-alive clients, one request in flight each, for ``seconds``.

    Closed loop without ``rate``; with it, paced at ``rate`` requests/s in all (see the module's doc).
    """
    if rate is not None:
        return _drive_paced(port, reqs, connections, seconds, rate)
    samples: list[int] = []
    outcomes: Counter[str] = Counter()

    async def run() -> None:
        until = time.perf_counter() + seconds
        await asyncio.gather(*(
            _connection(port, reqs, c, connections, until, samples, outcomes) for c in range(connections)
        ))  # fmt: skip

    cpu0, t0 = os.times(), time.perf_counter()
    _event_loop_run(run())
    elapsed, cpu1 = time.perf_counter() - t0, os.times()
    lat = np.array(samples) / 1e6
    return {
        "n": len(samples), "rate": len(samples) / elapsed, "p50": float(np.percentile(lat, 50)),
        "p99": float(np.percentile(lat, 99)), "outcomes": dict(outcomes),
        "client_cpu_us": (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / len(samples) * 1e6,
    }  # fmt: skip


def _drive_paced(
    port: int, reqs: list[bytes], connections: int, seconds: float, rate: float
) -> dict[str, Any]:
    """Open loop at ``rate``/s: connections opened first, then the schedule starts; requests due
    before the end of ``seconds`` are sent (late if need be) until then, and their answers awaited."""
    samples: list[int] = []
    late: list[bool] = []
    outcomes: Counter[str] = Counter()
    span: list[int] = []

    async def run() -> None:
        streams = await asyncio.gather(*(asyncio.open_connection(HOST, port) for _ in range(connections)))
        t0_ns = time.perf_counter_ns() + 5_000_000  # the first requests are not late for the set-up
        until_ns = t0_ns + round(seconds * 1e9)
        schedule = itertools.count()  # shared: each request goes on the first connection free
        await asyncio.gather(*(
            _paced_connection(reader, writer, reqs, schedule, t0_ns, 1e9 / rate, until_ns, samples, late, outcomes)
            for reader, writer in streams
        ))  # fmt: skip
        span.extend((t0_ns, time.perf_counter_ns()))

    cpu0 = os.times()
    _event_loop_run(run())
    cpu1 = os.times()
    lat = np.array(samples) / 1e6
    return {
        "n": len(samples), "target": rate, "rate": len(samples) / ((span[1] - span[0]) / 1e9),
        "p50": float(np.percentile(lat, 50)), "p99": float(np.percentile(lat, 99)),
        "p999": float(np.percentile(lat, 99.9)), "max": float(lat.max()), "late": len(late),
        "late_behind": sum(late), "outcomes": dict(outcomes),
        "client_cpu_us": (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / len(samples) * 1e6,
    }  # fmt: skip


def _event_loop_run(coro: Any) -> None:
    try:
        import uvloop
    except ImportError:  # pragma: no cover
        asyncio.run(coro)
    else:
        uvloop.run(coro)


def _tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its children still running."""
    total = 0.0
    pids = [pid]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            pids.append(int(stat.parent.name))
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / CLK_TCK
    return total


class Server:
    """A server process in its own process group, its log in ``home``."""

    def __init__(self, argv: list[str], home: Path, name: str, ready: str, workers: int) -> None:
        self.log = home / f"{name}.log"
        env = {**os.environ, "SOJOURN_ALLOWED_HOSTS": f"{HOST},localhost", "GUNICORN_CMD_ARGS": "--timeout 900"}
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self.ready, self.workers = ready, workers

    def wait_ready(self, timeout: float) -> float:
        t0 = time.perf_counter()
        while self.log.read_text().count(self.ready) < self.workers:
            if self.proc.poll() is not None or time.perf_counter() - t0 > timeout:
                raise RuntimeError(f"server did not start; see {self.log}")
            time.sleep(0.5)
        return time.perf_counter() - t0

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=120)


def measure(label: str, server: Server, port: int, reqs: list[bytes], args: argparse.Namespace,
            rate: float | None = None) -> dict[str, Any]:  # fmt: skip
    warm = drive(port, reqs, args.connections, args.warmup, rate)
    cpu0 = _tree_cpu(server.proc.pid)
    result = drive(port, reqs, args.connections, args.seconds, rate)
    result["calls"] = warm["n"] + result["n"]
    result["server_cpu_ms"] = (_tree_cpu(server.proc.pid) - cpu0) / result["n"] * 1e3
    result["label"] = label
    print(f"{label}: {result}", file=sys.stderr)
    return result


def audit_rows() -> tuple[int, bool]:
    from django.db import connection

    from sojourn.audit.models import AuditEvent
    from sojourn.audit.services import verify_chain

    rows = AuditEvent.objects.filter(object_type="screening").count()
    ok = verify_chain().ok
    connection.close()
    return rows, ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--queries", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--port", type=int, default=18411)
    parser.add_argument("--skip-django", action="store_true")
    parser.add_argument("--keep", type=Path, default=None, help="reuse/keep the database in this folder")
    parser.add_argument("--documents", action="store_true",
                        help="every query also carries a document number (on no list), as a passport read sends")  # fmt: skip
    parser.add_argument("--rate", type=float, default=None,
                        help="also drive the hot path paced at this many requests/s in all (open loop)")  # fmt: skip
    args = parser.parse_args()
    if args.rate is not None and args.rate <= 0:
        parser.error("--rate must be positive")
    home = args.keep or Path(tempfile.mkdtemp(prefix="sojourn-bench-screen-http-"))
    home.mkdir(parents=True, exist_ok=True)
    token = setup(home, args.entries, args.seed)
    screens = requests("/screen", token, bodies(args.entries, args.queries, args.seed, args.documents))
    sojourn = str(Path(sys.executable).parent / "sojourn")
    results = []
    paced = []

    hot = Server([sojourn, "serve-screening", "--port", str(args.port), "--workers", str(args.workers)],
                 home, "hotpath", "Application startup complete.", args.workers)  # fmt: skip
    try:
        print(f"hot path: {args.workers} workers ready in {hot.wait_ready(1800):.0f} s", file=sys.stderr)
        before = audit_rows()[0]
        screened = measure(f"hot path POST /screen, {args.workers} workers", hot, args.port, screens, args)
        if args.rate is not None:
            paced.append(measure(f"hot path POST /screen, {args.workers} workers, paced", hot, args.port, screens,
                                 args, args.rate))  # fmt: skip
        results.append(measure("generator ceiling: GET /healthz (uvicorn)", hot, args.port,
                               requests("/healthz", token, None), args))  # fmt: skip
        results.append(screened)
    finally:
        hot.stop()
    rows, ok = audit_rows()
    calls = screened["calls"] + sum(r["calls"] for r in paced)
    print(f"hot path: {calls:,} calls, {rows - before:,} audit rows after shutdown "
          f"(chain verifies: {ok})", file=sys.stderr)  # fmt: skip

    if not args.skip_django:
        os.environ["SOJOURN_SERVE_WORKERS"], os.environ["SOJOURN_SERVE_THREADS"] = str(args.workers), "8"
        django = Server([sojourn, "serve", "--port", str(args.port + 1)], home, "django", "Booting worker", args.workers)
        try:
            django.wait_ready(300)
            api = [r.replace(b"POST /screen ", b"POST /api/v1/screen ", 1) for r in screens]
            t0 = time.perf_counter()
            first = drive(args.port + 1, api[:32], args.connections, 1.0)  # each worker builds its index on first use
            print(f"django: first requests (index build) {time.perf_counter() - t0:.0f} s", file=sys.stderr)
            results.append(measure(f"Django POST /api/v1/screen, gunicorn {args.workers}x8", django,
                                   args.port + 1, api, args))  # fmt: skip
        finally:
            django.stop()
        rows2, ok = audit_rows()
        calls = first["n"] + results[-1]["calls"]
        print(f"django: {calls:,} calls, {rows2 - rows:,} audit rows (chain verifies: {ok})", file=sys.stderr)

    print(f"\n## Screening over HTTP: {args.entries:,} entries, {args.connections} connections, {args.seconds:.0f} s each")
    print("| target | decisions/s | p50 ms | p99 ms | server CPU ms/req | generator CPU µs/req | outcomes |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['label']} | {r['rate']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['server_cpu_ms']:.2f} "
              f"| {r['client_cpu_us']:.0f} | {r['outcomes']} |")  # fmt: skip
    if paced:
        print(f"\n## Paced (open loop, latency from the intended send time): {args.entries:,} entries, "
              f"{args.connections} connections, {args.seconds:.0f} s")  # fmt: skip
        print("| target | target /s | achieved /s | p50 ms | p99 ms | p99.9 ms | max ms | sent > 1 ms late "
              "| of which behind an answer | server CPU ms/req | generator CPU µs/req | outcomes |")  # fmt: skip
        print("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for r in paced:
            print(f"| {r['label']} | {r['target']:,.0f} | {r['rate']:,.0f} | {r['p50']:.2f} | {r['p99']:.2f} "
                  f"| {r['p999']:.2f} | {r['max']:.2f} | {r['late']:,} of {r['n']:,} | {r['late_behind']:,} "
                  f"| {r['server_cpu_ms']:.2f} | {r['client_cpu_us']:.0f} | {r['outcomes']} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
