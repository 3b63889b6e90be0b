"""The same models on DuckDB and on PySpark (local mode) give the same rows and the same findings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from sojourn.core.rules import Ruleset
from sojourn.core.rules.travel import TRAVEL_RULES
from sojourn.crossings.store import ingest_crossings, store_files
from sojourn.engine.base import get_engine, model_for
from sojourn.engine.reconcile import ReconcileOutput, reconcile, rule_inputs
from sojourn.engine.snapshot import registry_snapshot
from tests.travel_fixtures import FEED_1, FEED_2, write_feed

pytestmark = pytest.mark.slow


def run(engine_name: str, snapshot: dict[str, pa.Table], files: list[str], work: Path) -> ReconcileOutput:
    with get_engine(engine_name, work_dir=work / engine_name) as engine:
        return reconcile(engine, snapshot=snapshot, crossing_files=files, deviation_days=7)


def findings(output: ReconcileOutput, officials: pa.Table) -> list[tuple[str, str, str]]:
    ruleset = Ruleset("test", TRAVEL_RULES)
    found = ruleset.evaluate(rule_inputs(output, officials), as_of=date(2026, 3, 1))
    return sorted((f.code, f.dedupe_key, f.text) for f in found)


def assert_engines_agree(snapshot: dict[str, pa.Table], files: list[str], work: Path) -> ReconcileOutput:
    duck = run("duckdb", snapshot, files, work)
    spark = run("spark", snapshot, files, work)
    assert duck.matched.equals(spark.matched), (duck.matched.to_pylist(), spark.matched.to_pylist())
    assert duck.journeys.equals(spark.journeys), (duck.journeys.to_pylist(), spark.journeys.to_pylist())
    assert findings(duck, snapshot["officials"]) == findings(spark, snapshot["officials"])
    return duck


def test_models_transpile_to_spark():
    for model in ("matched_raw", "matched", "journeys"):
        sql = model_for(model, "spark", {"deviation_days": 7})
        assert "DATEDIFF" in sql or model != "journeys"
        assert "$" not in sql


def test_engines_agree_on_the_travel_fixture(travel_world):
    world, tmp = travel_world
    root = tmp / "store"
    ingest_crossings(write_feed(tmp / "f1.csv", FEED_1), root=root)
    ingest_crossings(write_feed(tmp / "f2.csv", FEED_2), root=root)
    output = assert_engines_agree(registry_snapshot(), store_files(root), tmp)
    assert output.matched.num_rows == 8 and output.journeys.num_rows == 4
    assert findings(output, registry_snapshot()["officials"])


def test_engines_agree_on_an_empty_store(transactional_db, world, tmp_path):
    output = assert_engines_agree(registry_snapshot(), [], tmp_path)
    assert output.matched.num_rows == 0
