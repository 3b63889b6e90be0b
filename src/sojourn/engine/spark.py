"""The scale-out engine: PySpark, local mode in CI, ``SOJOURN_SPARK_MASTER`` in production.

Only ``sojourn.engine.get_engine("spark")`` imports this module, so ``import sojourn`` never
starts a JVM. Small Arrow tables go in directly; large ones through Parquet in the work folder,
which is how a cluster reads them from a shared filesystem too.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from pyspark.sql import DataFrame, SparkSession
from splink.internals.spark.jar_location import similarity_jar_location

from sojourn import conf
from sojourn.engine.base import Engine, model_for

DIRECT_ROWS = 200_000  # above this an Arrow table travels through Parquet


def session() -> SparkSession:
    master = conf.env(conf.SPARK_MASTER)
    builder = SparkSession.builder.appName("sojourn")
    builder = builder.remote(master) if master.startswith("sc://") else builder.master(master)
    return (
        builder.config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.memory", "2g")
        # Splink's string-similarity UDFs (identity resolution); an extra jar on the classpath, no more.
        .config("spark.jars", similarity_jar_location())
        .getOrCreate()
    )


class SparkEngine(Engine):
    name = "spark"
    dialect = "spark"

    def __init__(self, *, work_dir: Path) -> None:
        self.work_dir = work_dir
        work_dir.mkdir(parents=True, exist_ok=True)
        self.spark = session()
        self.spark.sparkContext.setLogLevel("ERROR")
        self._tables: dict[str, DataFrame] = {}

    def _keep(self, name: str, df: DataFrame) -> None:
        self._tables[name] = df
        df.createOrReplaceTempView(name)

    def register_arrow(self, name: str, table: pa.Table) -> None:
        if table.num_rows <= DIRECT_ROWS:
            df = self.spark.createDataFrame(table) if table.num_rows else self.spark.createDataFrame(
                [], schema=_ddl(table.schema))
        else:
            path = self.work_dir / f"{name}-{uuid.uuid4().hex}.parquet"
            pq.write_table(table, path)
            df = self.spark.read.parquet(str(path))
        self._keep(name, df)

    def register_parquet(self, name: str, paths: list[str], schema: pa.Schema) -> None:
        if not paths:
            self.register_arrow(name, schema.empty_table())
            return
        reader = self.spark.read.option("mergeSchema", "false")
        if "local_date" in schema.names:
            roots = sorted({str(Path(p).parent.parent) for p in paths})
            df = reader.option("basePath", roots[0]).schema(_ddl(schema)).parquet(*paths)
        else:
            df = reader.parquet(*paths)
        self._keep(name, df)

    def run_model(self, model: str, params: dict[str, Any] | None = None) -> None:
        sql = model_for(model, self.dialect, params)
        df = self.spark.sql(sql).localCheckpoint(eager=True)
        self._keep(model, df)

    def fetch(self, name: str) -> pa.Table:
        return self._tables[name].toArrow()

    def count(self, name: str) -> int:
        return int(self._tables[name].count())

    def close(self) -> None:
        for name in list(self._tables):
            self.spark.catalog.dropTempView(name)
        self._tables.clear()


def _ddl(schema: pa.Schema) -> str:
    kinds = {pa.string(): "STRING", pa.int64(): "BIGINT", pa.int32(): "INT", pa.date32(): "DATE",
             pa.bool_(): "BOOLEAN", pa.float64(): "DOUBLE"}
    cols = []
    for field in schema:
        kind = "TIMESTAMP" if pa.types.is_timestamp(field.type) else kinds[field.type]
        cols.append(f"`{field.name}` {kind}")
    return ", ".join(cols)
