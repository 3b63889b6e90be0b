"""The engine interface: tables in, SQL models run, Arrow out.

Models are SQL files in ``sojourn/engine/models/``, written once in a portable subset (equality and
range joins, window functions, ``DATE_DIFF('day', a, b)`` for date arithmetic — no ASOF, no
``INTERVAL`` syntax) in DuckDB's dialect. Each engine parses them with sqlglot and emits its own
dialect. sqlglot passes unsupported syntax through silently, so only running both engines on the
same fixtures (tests/engine) proves a model portable.
"""

from __future__ import annotations

import abc
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pyarrow as pa
import sqlglot

SOURCE_DIALECT = "duckdb"


@cache
def model_sql(name: str) -> str:
    """The text of a model as written (DuckDB dialect)."""
    return resources.files("sojourn.engine").joinpath("models", f"{name}.sql").read_text(encoding="utf-8")


def model_for(name: str, dialect: str, params: dict[str, Any] | None = None) -> str:
    """A model with its ``$name`` parameters bound to literals, emitted in ``dialect``."""
    sql = bind(model_sql(name), params or {})
    if dialect == SOURCE_DIALECT:
        return sql
    return _transpile(sql, dialect)


@cache
def _transpile(sql: str, dialect: str) -> str:
    statements = sqlglot.transpile(sql, read=SOURCE_DIALECT, write=dialect, unsupported_level=sqlglot.ErrorLevel.RAISE)
    if len(statements) != 1:
        raise ValueError("a model is exactly one SELECT statement")
    return statements[0]


def sql_literal(value: Any) -> str:
    """A parameter as a SQL literal: ints and dates only — models take no text from outside."""
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, date):
            return f"DATE '{value.isoformat()}'"
        raise TypeError(f"model parameters are ints or dates, not {type(value).__name__}")
    return str(value)


def bind(sql: str, params: dict[str, Any]) -> str:
    """Replace ``$name`` placeholders, longest names first so ``$a`` never eats ``$ab``."""
    for key in sorted(params, key=len, reverse=True):
        sql = sql.replace(f"${key}", sql_literal(params[key]))
    if "$" in sql:
        raise KeyError(f"unbound parameter in model: {sql[sql.index('$'):][:40]}")
    return sql


class Engine(abc.ABC):
    """What the reconciliation (and later the linkage) needs from a batch engine."""

    name: str
    dialect: str

    @abc.abstractmethod
    def register_arrow(self, name: str, table: pa.Table) -> None:
        """Make an Arrow table queryable as ``name``."""

    @abc.abstractmethod
    def register_parquet(self, name: str, paths: list[str], schema: pa.Schema) -> None:
        """Make Parquet files (hive-partitioned or not) queryable as ``name``; no files → an empty table."""

    @abc.abstractmethod
    def run_model(self, model: str, params: dict[str, Any] | None = None) -> None:
        """Run the named model and keep its result as a table called ``model``."""

    @abc.abstractmethod
    def fetch(self, name: str) -> pa.Table:
        """A registered table or model result as Arrow."""

    @abc.abstractmethod
    def count(self, name: str) -> int:
        """Rows of a table or model result."""

    @abc.abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def get_engine(name: str, *, work_dir: Path) -> Engine:
    """``duckdb`` (default) or ``spark``; PySpark is imported only here, when asked for."""
    if name == "duckdb":
        from sojourn.engine.duckdb import DuckDBEngine

        return DuckDBEngine(work_dir=work_dir)
    if name == "spark":
        from sojourn.engine.spark import SparkEngine

        return SparkEngine(work_dir=work_dir)
    raise ValueError(f"unknown engine {name!r} (use duckdb or spark)")
