"""The batch engine: SQL models over the crossing store and a registry snapshot, on DuckDB or Spark.

Importing this package imports neither engine; ``sojourn.engine.get_engine`` loads the one asked for.
"""
