"""Input feeds: read CSV, XLSX and Parquet files, check them against a declared schema, report bad rows.

Each input kind declares its columns (``sojourn.feeds.base.Schema``). A feed takes the
columns it knows and reports the ones it does not; it never drops anything silently. Errors
are ``RowError`` values naming file, row, column, value and reason.
"""

from sojourn.feeds.base import FeedError, RowError

__all__ = ["FeedError", "RowError"]
