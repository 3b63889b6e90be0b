"""The tables the engine's models read and write, as Arrow schemas.

The registry snapshot is taken from the operational store (``sojourn.engine.snapshot``) or written
by the synthetic generator for benchmarks; either way it has exactly these columns. Keys:
``*_pk`` are the operational store's primary keys. ``name_key`` is the upper-case Latin letters of
surname + given name with everything else removed (``name_key("Zhang", "Xiao-ming") == "ZHANGXIAOMING"``);
``number_key`` the document number upper-cased with spaces and hyphens removed.
"""

from __future__ import annotations

import re

import pyarrow as pa

OFFICIALS = pa.schema([
    ("official_pk", pa.int64()),
    ("official_id", pa.string()),
    ("unit_pk", pa.int64()),
    ("name_key", pa.string()),
    ("birth_date", pa.date32()),
    ("sex", pa.string()),
    ("id_number", pa.string()),
])

DOCUMENTS = pa.schema([
    ("document_pk", pa.int64()),
    ("official_pk", pa.int64()),
    ("doc_type", pa.string()),
    ("issuer", pa.string()),
    ("number_key", pa.string()),
    ("status", pa.string()),  # valid, cancelled, lost, expired
    ("lost_on", pa.date32()),  # date of the loss or cancellation event; null when unknown or not lost
])

# A document is in custody on every date strictly after held_from and strictly before held_to
# (held_to null: still held). held_from is an intake or return date, held_to the next checkout,
# loss or cancellation date: a document checked out on day d may cross on day d, and one handed
# back on day d may have crossed that morning.
CUSTODY_SPANS = pa.schema([
    ("document_pk", pa.int64()),
    ("held_from", pa.date32()),
    ("held_to", pa.date32()),
])

# Approved trips only.
TRIPS = pa.schema([
    ("trip_pk", pa.int64()),
    ("trip_id", pa.string()),
    ("official_pk", pa.int64()),
    ("purpose", pa.string()),
    ("depart_date", pa.date32()),
    ("return_date", pa.date32()),
    ("destinations", pa.string()),  # ";"-joined ISO 3166-1 alpha-3 codes
])

# The crossing store's columns (Parquet under SOJOURN_DATA_DIR/crossings/, hive-partitioned by local_date).
CROSSINGS = pa.schema([
    ("event_id", pa.string()),
    ("crossed_at", pa.timestamp("us", tz="UTC")),
    ("direction", pa.string()),
    ("port", pa.string()),
    ("doc_type", pa.string()),
    ("doc_issuer", pa.string()),
    ("doc_number", pa.string()),
    ("number_key", pa.string()),
    ("surname", pa.string()),
    ("given_name", pa.string()),
    ("name_key", pa.string()),
    ("birth_date", pa.date32()),
    ("sex", pa.string()),
    ("nationality", pa.string()),
    ("country", pa.string()),
    ("mrz", pa.string()),
    ("local_date", pa.date32()),  # the partition column: crossed_at's date in SOJOURN_TIME_ZONE
])

# The columns of a crossing feed (DESIGN.md §6), as the synthetic generator writes them to Parquet: the
# store's columns less those ingest derives (the two keys, the partition date) and the optional MRZ. CSV
# feeds carry the same columns as text (crossed_at ISO 8601 with its offset).
DERIVED = ("number_key", "name_key", "local_date")
FEED = pa.schema([f for f in CROSSINGS if f.name not in (*DERIVED, "mrz")])

_NOT_LETTERS = re.compile(r"[^A-Z]")
_NUMBER_NOISE = re.compile(r"[\s\-]")


def name_key(surname: str, given_name: str) -> str:
    return _NOT_LETTERS.sub("", f"{surname}{given_name}".upper())


def number_key(number: str) -> str:
    return _NUMBER_NOISE.sub("", number.upper())
