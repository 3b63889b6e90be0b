"""Reconciliation at scale: the engine's models over synthetic crossings, against a bare scan of the same columns.

    .venv/bin/python bench/reconcile.py --officials 1000000 --crossings 10000000 [--spark] [--repeat 3]
    .venv/bin/python bench/reconcile.py --officials 10000000 --crossings 100000000 --repeat 1
    .venv/bin/python bench/reconcile.py --officials 1000000 --crossings 10000000 --covered-share 1.0   # worst case

The data comes from ``sojourn.synth.travel.write_engine_inputs`` (cached under ``bench/.data/``):
the registry snapshot as Parquet in the engine's schemas and a crossing feed in which about
``--covered-share`` of travellers are covered officials, with injected anomalies. The feed is
ingested into a crossing store once (timed, as ``sojourn import crossings`` does it). Then, each in
its own process so peak RSS is its own:

* ``scan``: a bare scan of the store's Parquet columns the models read (DuckDB, same settings);
* ``duckdb``: the reconciliation — matched crossings, custody facts, journeys — on DuckDB, then the
  travel rules over its output;
* ``spark`` (with ``--spark``): the same on PySpark local mode, whose totals must equal DuckDB's.

Reported: median wall time of each step over ``--repeat`` runs, peak RSS, the ratio to the bare
scan, and the totals (matched crossings, journeys by approval, findings by rule) with the
generator's expected anomaly counts beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT / "bench" / ".data"
SCAN_COLUMNS = ("event_id", "crossed_at", "local_date", "direction", "port", "country", "doc_type", "doc_issuer",
                "doc_number", "number_key", "name_key", "birth_date", "sex")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def inputs_dir(args: argparse.Namespace) -> Path:
    return DATA / f"reconcile-{args.officials}-{args.crossings}-{args.covered_share}-{args.seed}"


def prepare(args: argparse.Namespace) -> dict[str, Any]:
    from sojourn.synth.engine_inputs import write_engine_inputs

    out = inputs_dir(args)
    manifest = out / "manifest.json"
    if not manifest.exists():
        started = time.perf_counter()
        write_engine_inputs(out, officials=args.officials, crossings=args.crossings, seed=args.seed,
                            covered_share=args.covered_share)
        print(f"generated inputs in {time.perf_counter() - started:.1f} s → {out}", file=sys.stderr)
    result: dict[str, Any] = json.loads(manifest.read_text(encoding="utf-8"))
    return result


def child(step: str, args: argparse.Namespace, *, skip_rules: bool = False) -> dict[str, Any]:
    """Run one step in a fresh process and return what it printed (JSON)."""
    cmd = [sys.executable, __file__, "--child", step, "--officials", str(args.officials), "--crossings",
           str(args.crossings), "--covered-share", str(args.covered_share), "--seed", str(args.seed),
           "--memory-limit", args.memory_limit, *(["--skip-rules"] if skip_rules else [])]
    env = {**os.environ, "SOJOURN_DUCKDB_MEMORY_LIMIT": args.memory_limit,
           "SOJOURN_HOME": str(DATA / "home")}
    done = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def store_dir(args: argparse.Namespace) -> Path:
    return inputs_dir(args) / "store"


def run_ingest(args: argparse.Namespace) -> dict[str, Any]:
    from sojourn.crossings.store import ingest_crossings

    store = store_dir(args)
    started = time.perf_counter()
    report = ingest_crossings(inputs_dir(args) / "feed", root=store)
    return {"seconds": time.perf_counter() - started, "rss_mb": peak_rss_mb(), "stored": report.stored,
            "rejected": report.rejected, "already": report.already_ingested}


def run_scan(args: argparse.Namespace) -> dict[str, Any]:
    from sojourn.crossings.store import store_files
    from sojourn.engine import schema
    from sojourn.engine.duckdb import DuckDBEngine

    files = store_files(store_dir(args))
    engine = DuckDBEngine(work_dir=DATA / "work")
    engine.register_parquet("crossings", files, schema.CROSSINGS)
    started = time.perf_counter()
    row = engine.con.execute(
        f"SELECT COUNT(*), SUM(hash({', '.join(SCAN_COLUMNS)}) % 1000) FROM crossings").fetchone()
    seconds = time.perf_counter() - started
    engine.close()
    return {"seconds": seconds, "rss_mb": peak_rss_mb(), "rows": int(row[0]) if row else 0}


def run_engine(name: str, args: argparse.Namespace) -> dict[str, Any]:
    import pyarrow.parquet as pq

    from sojourn.core.rules import Ruleset
    from sojourn.core.rules.travel import TRAVEL_RULES
    from sojourn.crossings.store import store_files
    from sojourn.engine import schema
    from sojourn.engine.base import get_engine
    from sojourn.engine.reconcile import reconcile, rule_inputs

    base = inputs_dir(args)
    names = {"officials": schema.OFFICIALS, "documents": schema.DOCUMENTS, "custody_spans": schema.CUSTODY_SPANS,
             "trips": schema.TRIPS}
    files = store_files(store_dir(args))
    started = time.perf_counter()
    with get_engine(name, work_dir=DATA / "work" / name) as engine:
        # The snapshot as Parquet views: the engine streams it within its memory limit, as it would an
        # Arrow snapshot handed over through ADBC in batches.
        for table, table_schema in names.items():
            engine.register_parquet(table, [str(base / f"{table}.parquet")], table_schema)
        output = reconcile(engine, snapshot=None, crossing_files=files, deviation_days=7)
    engine_seconds = time.perf_counter() - started
    engine_rss = peak_rss_mb()
    snapshot = {"officials": pq.read_table(base / "officials.parquet", columns=["official_pk", "official_id"])}
    coverage = Counter(output.journeys.column("coverage").to_pylist())
    totals = {"seconds": engine_seconds, "rss_mb": engine_rss, "matched": output.matched.num_rows,
              "journeys": output.journeys.num_rows, "coverage": dict(sorted(coverage.items()))}
    if args.skip_rules:
        return totals
    started = time.perf_counter()
    as_of = date.fromisoformat(json.loads((base / "manifest.json").read_text(encoding="utf-8"))["as_of"])
    found = list(Ruleset("bench", TRAVEL_RULES).evaluate(rule_inputs(output, snapshot["officials"]), as_of=as_of))
    rules_seconds = time.perf_counter() - started
    flags = Counter(f.code for f in found if not f.resolution or f.raise_if_new)
    return {**totals, "rules_seconds": rules_seconds, "rss_with_rules_mb": peak_rss_mb(),
            "findings": dict(sorted(flags.items()))}


def runs_text(runs: list[dict[str, Any]]) -> str:
    return ", ".join(f"{r['seconds']:.1f}" for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--officials", type=int, default=1_000_000)
    parser.add_argument("--crossings", type=int, default=10_000_000)
    parser.add_argument("--covered-share", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory-limit", default="3GB", help="DuckDB memory limit (SOJOURN_DUCKDB_MEMORY_LIMIT)")
    parser.add_argument("--spark", action="store_true", help="also run on PySpark local mode and compare totals")
    parser.add_argument("--prepare-only", action="store_true", help="generate and ingest the data, then stop")
    parser.add_argument("--child", choices=["ingest", "scan", "duckdb", "spark"], help=argparse.SUPPRESS)
    parser.add_argument("--skip-rules", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        runners = {"ingest": run_ingest, "scan": run_scan,
                   "duckdb": lambda a: run_engine("duckdb", a), "spark": lambda a: run_engine("spark", a)}
        print(json.dumps(runners[args.child](args)))
        return

    manifest = prepare(args)
    ingest = child("ingest", args)
    print(f"ingest: {ingest['stored']:,} stored in {ingest['seconds']:.1f} s, peak RSS {ingest['rss_mb']:.0f} MB"
          + (" (already in the store)" if ingest["already"] else ""))
    if args.prepare_only:
        return
    results: dict[str, list[dict[str, Any]]] = {"scan": [], "duckdb": []}
    if args.spark:
        results["spark"] = []
    for run in range(args.repeat):
        for step in results:
            # The travel rules (Python, over the engine's output) run once, in the first run of each engine.
            results[step].append(child(step, args, skip_rules=run > 0))
    scan = statistics.median(r["seconds"] for r in results["scan"])
    print(f"\n{args.crossings:,} crossings against {args.officials:,} officials "
          f"(covered share {args.covered_share}), {args.repeat} run(s), medians:")
    print(f"  bare scan of {len(SCAN_COLUMNS)} columns: {scan:.2f} s (runs "
          f"{runs_text(results['scan'])} s), peak RSS "
          f"{max(r['rss_mb'] for r in results['scan']):.0f} MB")
    for step in [s for s in results if s != "scan"]:
        runs = results[step]
        seconds = statistics.median(r["seconds"] for r in runs)
        print(f"  {step}: {seconds:.2f} s ({seconds / scan:.2f}× the scan; runs "
              f"{runs_text(runs)} s), peak RSS {max(r['rss_mb'] for r in runs):.0f} MB; "
              f"then the travel rules in Python over its output {runs[0]['rules_seconds']:.2f} s "
              f"(peak RSS with them {runs[0]['rss_with_rules_mb']:.0f} MB)")
    first = results["duckdb"][0]
    print(f"  totals: matched {first['matched']:,}, journeys {first['journeys']:,} {first['coverage']}")
    print(f"  findings: {first['findings']}")
    print(f"  injected (generator): {manifest.get('anomaly_counts', manifest.get('anomalies'))}")
    if args.spark:
        same = all(results["spark"][0][k] == first[k] for k in ("matched", "journeys", "coverage", "findings"))
        print(f"  spark totals identical to duckdb: {same}")
        if not same:
            print(f"  spark: {results['spark'][0]}")
            raise SystemExit(1)


if __name__ == "__main__":
    main()
