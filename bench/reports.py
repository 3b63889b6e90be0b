"""The families-abroad report over the national-scale synthetic relatives, beside the 2006 report's table.

    .venv/bin/python bench/reports.py [--officials 1000000] [--runs 5] [--keep DIR]

Generates the national scale's units, officials and relatives with the generator's own functions
(``make_units``, ``make_officials``, ``make_relatives`` with the national plan) and writes them
straight into a fresh SQLite database (migrated with Django's migrations) with bulk
``executemany`` inserts — not through ``sojourn import``, whose checks and audit rows are not what
is measured here. Only what the report reads is generated: no documents, trips or crossings.
Then runs ``families_abroad`` by destination, period and category (the command line's scope:
every relative, read from the partial index of relatives abroad) several times and prints the median
of each, beside the same report through the general GROUP BY (the anchor, which must count the same),
and the report beside the 2006 table.
Target (DESIGN.md §8): ≤ 1 s over 1.2M relatives abroad on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def setup(home: Path) -> None:
    os.environ["SOJOURN_HOME"] = str(home)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sojourn.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _insert(model: Any, columns: dict[str, list[Any]], batch: int = 50_000) -> None:
    """Insert rows given as columns of database values; other columns get the field's default."""
    from django.db import connection, transaction

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    n = len(next(iter(columns.values())))
    values = []
    for f in fields:
        if f.column in columns:
            values.append(columns[f.column])
        else:
            default = f.get_default() if f.has_default() else ("" if not f.null else None)
            values.append([f.get_db_prep_save(default, connection)] * n)
    table, names = model._meta.db_table, ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"
    rows = zip(*values, strict=True)
    with transaction.atomic(), connection.cursor() as cursor:
        while chunk := [r for _i, r in zip(range(batch), rows, strict=False)]:
            cursor.executemany(sql, chunk)


def load(officials: int) -> dict[str, float]:
    """Generate and insert the national scale's units, officials and relatives; seconds per step."""
    import numpy as np
    from django.db import connection

    from sojourn.registry.models import Official, Relative, Unit
    from sojourn.synth.registry import SCALES, make_officials, make_units
    from sojourn.synth.relatives import PLANS, make_relatives

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    units = make_units(SCALES["national"])
    offs = make_officials(np.random.default_rng([0, 1]), officials, units, SCALES["national"].rank_share)
    rels = make_relatives(np.random.default_rng([0, 3]), offs, PLANS["national"])
    timings["generate"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    u = units.frame
    paths: dict[str, str] = {}
    for code, parent in zip(u["unit_code"], u["parent_code"], strict=True):
        paths[code] = (paths[parent] if parent else "/") + code + "/"
    Unit.objects.bulk_create([Unit(code=c, name=nm, region=rg, path=paths[c])
                              for c, nm, rg in zip(u["unit_code"], u["name"], u["region"], strict=True)])
    unit_pk = dict(Unit.objects.values_list("code", "pk"))
    for code, parent in zip(u["unit_code"], u["parent_code"], strict=True):
        if parent:
            Unit.objects.filter(code=code).update(parent_id=unit_pk[parent])
    o = offs.frame
    _insert(Official, {
        "official_id": o["official_id"], "unit_id": [unit_pk[c] for c in o["unit_code"]], "name_zh": o["name_zh"],
        "surname": o["surname"], "given_name": o["given_name"], "birth_date": o["birth_date"], "sex": o["sex"],
        "id_number": o["id_number"], "rank": o["rank"], "post": o["post"],
        "restricted_post": [v == "true" for v in o["restricted_post"]], "covered_since": o["covered_since"],
        "filed_on": [v or None for v in o["filed_on"]], "status": o["status"],
    })
    official_pk = dict(Official.objects.values_list("official_id", "pk"))
    r = rels.frame
    _insert(Relative, {
        "relative_id": r["relative_id"], "official_id": [official_pk[i] for i in r["official_id"]],
        "relationship": r["relationship"], "name_zh": r["name_zh"], "surname": r["surname"],
        "given_name": r["given_name"], "birth_date": [v or None for v in r["birth_date"]], "sex": r["sex"],
        "nationality": r["nationality"], "residence_country": r["residence_country"],
        "residence_status": r["residence_status"], "abroad_since": [v or None for v in r["abroad_since"]],
        "emigrated_on": [v or None for v in r["emigrated_on"]], "activity": r["activity"],
        "married_to_foreigner": [v == "true" for v in r["married_to_foreigner"]],
    })
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timings["insert"] = time.perf_counter() - t0
    return timings


def timed(by: str, runs: int, general: bool = False) -> tuple[list[float], Any]:
    """Seconds of each run of the report, and the last report. ``general``: through the general GROUP BY
    (a filter that keeps every relative makes the report skip the partial index)."""
    from sojourn.registry.models import Relative
    from sojourn.reports.families import Params, families_abroad
    from sojourn.synth.registry import AS_OF

    samples, report = [], None
    relatives = Relative.objects.filter(pk__gt=0) if general else Relative.objects.all()
    for _ in range(runs):
        t0 = time.perf_counter()
        report = families_abroad(relatives, Params(as_of=AS_OF, by=by))
        samples.append(time.perf_counter() - t0)
    return samples, report


def side_by_side(reports: dict[str, Any]) -> None:
    from sojourn.synth.relatives import TABLE_2006_CATEGORIES, TABLE_2006_DESTINATIONS, TABLE_2006_PERIODS

    rows = {r["group"]: r for r in reports["destination"].rows}
    print(f"\n{'destination':<18} {'2006 people':>12} {'report':>10} {'2006 cases':>11} {'report':>10}")
    for group, (people, cases) in TABLE_2006_DESTINATIONS.items():
        row = rows.get(group, {"people": 0, "cases": 0})
        print(f"{group:<18} {people:>12,} {row['people']:>10,} {cases:>11,} {row['cases']:>10,}")
    other = rows.get("Other", {"people": 0, "cases": 0})
    print(f"{'Other':<18} {'':>12} {other['people']:>10,} {'':>11} {other['cases']:>10,}")
    total = reports["destination"].totals
    print(f"{'total':<18} {sum(p for p, _c in TABLE_2006_DESTINATIONS.values()):>12,} {total['people']:>10,} "
          f"{sum(c for _p, c in TABLE_2006_DESTINATIONS.values()):>11,} {total['cases']:>10,}")
    rows = {r["group"]: r for r in reports["period"].rows}
    print(f"\n{'period':<18} {'2006 people':>12} {'report':>10}")
    for group in rows:
        people = TABLE_2006_PERIODS.get(group)
        print(f"{group:<18} {f'{people:,}' if people else '':>12} {rows[group]['people']:>10,}")
    rows = {r["group"]: r for r in reports["category"].rows}
    print(f"\n{'category':<18} {'2006 people':>12} {'report':>10}")
    for group in rows:
        people = TABLE_2006_CATEGORIES.get(group)
        print(f"{group:<18} {f'{people:,}' if people else '':>12} {rows[group]['people']:>10,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officials", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, default=None, help="reuse (or build) the database in this folder")
    args = parser.parse_args()
    home = args.keep or Path(tempfile.mkdtemp(prefix="sojourn-bench-reports-"))
    home.mkdir(parents=True, exist_ok=True)
    setup(home)
    from sojourn.registry.models import Relative

    if not Relative.objects.exists():
        timings = load(args.officials)
        print(f"generate {timings['generate']:.1f} s, insert {timings['insert']:.1f} s", file=sys.stderr)
    from sojourn.reports.families import relatives_abroad

    print(f"relatives {Relative.objects.count():,}, of whom spouses and children abroad "
          f"{relatives_abroad(Relative.objects.all()).count():,}")
    reports = {}
    for by in ("destination", "period", "category"):
        samples, reports[by] = timed(by, args.runs)
        anchor, general = timed(by, args.runs, general=True)
        assert general.rows == reports[by].rows, "the two paths disagree"
        print(f"families-abroad --by {by:<11}: median {statistics.median(samples):.3f} s "
              f"(min {min(samples):.3f}, max {max(samples):.3f}, {args.runs} runs); general GROUP BY "
              f"{statistics.median(anchor):.3f} s, {statistics.median(anchor) / statistics.median(samples):.1f}×")
    side_by_side(reports)


if __name__ == "__main__":
    main()
