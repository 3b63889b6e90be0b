"""The Spark engine links the same records into the same clusters as DuckDB."""

from __future__ import annotations

from datetime import date

import pytest

from sojourn.resolution.models import ClusterMember, LinkPair
from sojourn.resolution.services import resolve

pytestmark = pytest.mark.slow


def state() -> tuple[dict[str, str], set[tuple[str, str]]]:
    clusters = dict(ClusterMember.objects.values_list("unique_id", "cluster_id"))
    pairs = set(LinkPair.objects.filter(active=True).values_list("unique_id_l", "unique_id_r"))
    return clusters, pairs


def test_spark_and_duckdb_agree(resolution_world):
    duck = resolve(engine="duckdb", actor="test", today=date(2026, 3, 1))
    expected = state()
    spark = resolve(engine="spark", full=True, actor="test", today=date(2026, 3, 1))
    assert spark.run.engine == "spark" and spark.mode == "full"
    assert state() == expected
    assert spark.by_code == duck.by_code and spark.stored.created == 0
