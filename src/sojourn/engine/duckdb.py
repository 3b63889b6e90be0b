"""The default engine: DuckDB in process, out of core from Parquet under a memory limit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from sojourn import conf
from sojourn.engine.base import Engine, model_for


class DuckDBEngine(Engine):
    name = "duckdb"
    dialect = "duckdb"

    def __init__(self, *, work_dir: Path, memory_limit: str | None = None, threads: int | None = None) -> None:
        work_dir.mkdir(parents=True, exist_ok=True)
        self.con = duckdb.connect(":memory:")
        limit = memory_limit or conf.env(conf.DUCKDB_MEMORY_LIMIT)
        self.con.execute(f"SET memory_limit = '{limit}'")
        self.con.execute(f"SET temp_directory = '{work_dir / 'duckdb-tmp'}'")
        self.con.execute("SET preserve_insertion_order = false")
        self.con.execute("SET TimeZone = 'UTC'")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        self._arrow: dict[str, pa.Table] = {}

    def register_arrow(self, name: str, table: pa.Table) -> None:
        self._arrow[name] = table  # DuckDB scans the Arrow memory in place; keep it alive
        self.con.register(name, table)

    def register_parquet(self, name: str, paths: list[str], schema: pa.Schema) -> None:
        if not paths:
            self.register_arrow(name, schema.empty_table())
            return
        files = ", ".join("'" + p.replace("'", "''") + "'" for p in paths)
        self.con.execute(
            f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet([{files}], hive_partitioning = true, "
            f"hive_types_autocast = false, hive_types = {{'local_date': DATE}}, union_by_name = true)"
            if "local_date" in schema.names else
            f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet([{files}])"
        )

    def run_model(self, model: str, params: dict[str, Any] | None = None) -> None:
        sql = model_for(model, self.dialect, params)
        self.con.execute(f"CREATE OR REPLACE TABLE {model} AS {sql}")

    def fetch(self, name: str) -> pa.Table:
        return self.con.sql(f"SELECT * FROM {name}").to_arrow_table()

    def count(self, name: str) -> int:
        row = self.con.execute(f"SELECT COUNT(*) FROM {name}").fetchone()
        return int(row[0]) if row else 0

    def sql(self, query: str) -> pa.Table:
        return self.con.sql(query).to_arrow_table()

    def close(self) -> None:
        self.con.close()
