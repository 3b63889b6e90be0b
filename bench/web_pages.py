"""Registry pages at scale: p50/p95 per page against a synthetic registry, in process.

    .venv/bin/python bench/web_pages.py --officials 100000 [--requests 200] [--keep DIR]

Builds (or reuses, with --keep) a SQLite registry of the given size through `sojourn synth` and
the import path, logs in a registrar of a province unit and an inspector, and times each page
through Django's test client (no network; the same middleware, scope checks and audit writes
as a real request). The anchor is a bare request to /healthz through the same stack.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def setup(home: Path, officials: int) -> None:
    os.environ["SOJOURN_HOME"] = str(home)
    os.environ["SOJOURN_ALLOWED_HOSTS"] = "testserver"  # Django's test client
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sojourn.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from sojourn.registry.models import Official

    call_command("migrate", verbosity=0)
    if Official.objects.count() >= officials:
        return
    out = home / "synth"
    t0 = time.perf_counter()
    call_command("synth", out=str(out), scale="province", officials=officials, seed=11)
    print(f"synth: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    from sojourn.registry.services import import_registry_file

    for kind in ("units", "officials", "relatives", "posts"):
        t0 = time.perf_counter()
        report = import_registry_file(kind=kind, path=out / f"{kind}.csv", actor="bench", progress=True)
        assert report.ok, report.errors[:5]
        print(f"import {kind}: {report.rows} rows in {time.perf_counter() - t0:.1f} s", file=sys.stderr)


def timed(client: object, url: str, n: int) -> tuple[float, float]:
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        response = client.get(url)  # type: ignore[attr-defined]
        samples.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--officials", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--keep", type=Path, default=None, help="reuse/keep the database in this folder")
    args = parser.parse_args()
    home = args.keep or Path(tempfile.mkdtemp(prefix="sojourn-bench-web-"))
    home.mkdir(parents=True, exist_ok=True)
    setup(home, args.officials)

    from django.contrib.auth.models import User
    from django.test import Client

    from sojourn.accounts.services import create_user
    from sojourn.registry.models import Official, Unit

    province = Unit.objects.filter(parent__parent__isnull=True, parent__isnull=False).order_by("code").first()
    assert province is not None
    create_user(username="bench_registrar", password=None, role="registrar", unit_code=province.code)
    create_user(username="bench_inspector", password=None, role="inspector", unit_code=None)
    sample = Official.objects.filter(unit__path__startswith=province.path).order_by("official_id")[1234]
    clients = {}
    for name in ("bench_registrar", "bench_inspector"):
        c = Client()
        c.force_login(User.objects.get(username=name), backend="django.contrib.auth.backends.ModelBackend")
        clients[name] = c
    pages = [
        ("anchor: /healthz", "bench_registrar", "/healthz"),
        ("officials list, registrar (province scope)", "bench_registrar", "/registry/officials/"),
        ("officials list, inspector (all), page 100", "bench_inspector", "/registry/officials/?page=100"),
        ("search by characters", "bench_inspector", f"/registry/officials/?q={sample.name_zh}"),
        ("search by pinyin", "bench_inspector", f"/registry/officials/?q={sample.surname}+{sample.given_name}"),
        ("filter by unit and rank", "bench_registrar", f"/registry/officials/?unit={province.code}&rank=division"),
        ("official detail (audited read)", "bench_registrar", f"/registry/officials/{sample.official_id}/"),
        ("unit tree", "bench_inspector", "/registry/units/"),
        ("findings inbox", "bench_inspector", "/findings/"),
    ]
    total = Official.objects.count()
    print(f"\nregistry: {total} officials; {args.requests} requests per page\n")
    print("| page | p50 ms | p95 ms | p95 / anchor p95 |\n|---|---|---|---|")
    anchor = None
    for label, who, url in pages:
        timed(clients[who], url, 5)  # warm caches
        p50, p95 = timed(clients[who], url, args.requests)
        anchor = anchor or p95
        print(f"| {label} | {p50:.1f} | {p95:.1f} | {p95 / anchor:.1f}× |")


if __name__ == "__main__":
    main()
