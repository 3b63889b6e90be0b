"""The crossing store: border-crossing feeds as Parquet, partitioned by local date, append-only.

``ingest_crossings`` takes a feed (CSV, or Parquet as one file or a folder of part files) of any
size and works in two phases, so that a crash at any point loses nothing and the next run finishes
the job:

1. *validate*: the feed is read in batches (a progress bar on a terminal); each row is checked —
   event id, time with its offset, direction, port, document fields, birth date, sex, countries,
   and the MRZ through the batch validator when the feed carries one — and good rows go to a staging
   folder named after the feed's checksum, bad rows to a reject file with row number and reason.
2. *store*: the staged rows minus events already in the store (by ``event_id``) and minus repeats
   within the feed are written as new Parquet files under ``local_date=YYYY-MM-DD/`` folders; each
   file is moved into place whole, then the feed's checksum goes into the ledger.

Re-ingesting a feed whose checksum is in the ledger is a no-op; a feed that overlaps stored events
adds only the new ones. ``local_date`` is the crossing's date in ``SOJOURN_TIME_ZONE``: a 07:50
+08:00 exit on 3 October is stored under 3 October although it is 2 October in UTC.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from sojourn import conf
from sojourn.core.documents.batch import validate_mrz_batch
from sojourn.core.documents.codes import STATE_CODES
from sojourn.engine import schema
from sojourn.feeds.base import FeedError

REQUIRED = ("event_id", "crossed_at", "direction", "port", "doc_type", "doc_issuer", "doc_number", "surname",
            "given_name", "birth_date", "sex", "nationality", "country")
OPTIONAL = ("mrz",)
DOC_TYPES = ("passport_ordinary", "passport_official", "passport_service", "passport_diplomatic",
             "permit_hk_macau", "permit_taiwan", "id_card", "passport_foreign")
BATCH_ROWS = 1_000_000
Advance = Callable[[int], None]


@dataclass
class IngestReport:
    source: str
    sha256: str
    read: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    reject_file: str = ""
    already_ingested: bool = False
    partitions: int = 0
    reasons: dict[str, int] = field(default_factory=dict)


def store_root() -> Path:
    return conf.data_dir() / "crossings"


def store_files(root: Path | None = None) -> list[str]:
    """Every stored Parquet file, in a stable order."""
    root = root or store_root()
    return sorted(str(p) for p in root.glob("local_date=*/*.parquet"))


def _sources(path: Path, fmt: str | None) -> tuple[str, list[Path]]:
    if path.is_dir():
        parts = sorted(path.glob("*.parquet"))
        if not parts:
            raise FeedError(path.name, "the folder holds no .parquet files")
        return "parquet", parts
    if not path.is_file():
        raise FeedError(path.name, "no such file")
    kind = fmt or {".csv": "csv", ".parquet": "parquet"}.get(path.suffix.lower(), "")
    if kind not in {"csv", "parquet"}:
        raise FeedError(path.name, "a crossing feed is CSV or Parquet (use --format csv|parquet)")
    return kind, [path]


def _checksum(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.name.encode())
        with file.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _check_columns(name: str, columns: list[str]) -> None:
    names = [c.strip().lower() for c in columns]
    missing = [c for c in REQUIRED if c not in names]
    unknown = [c for c in names if c not in REQUIRED and c not in OPTIONAL]
    problems: list[str] = []
    if missing:
        problems.append("missing columns: " + ", ".join(missing))
    if unknown:
        problems.append("unknown columns: " + ", ".join(unknown))
    if problems:
        raise FeedError(name, "; ".join(problems))


def _batches(kind: str, file: Path, batch_rows: int) -> Iterator[tuple[int, pa.Table]]:
    """(row number of the batch's first row, batch); row 1 is the header, as in the other imports."""
    first = 2
    if kind == "csv":
        with file.open(newline="", encoding="utf-8-sig") as handle:
            header = next(csv.reader(handle), [])
        _check_columns(file.name, header)
        string = {c: pa.string() for c in header}
        try:
            reader = pacsv.open_csv(
                file, read_options=pacsv.ReadOptions(block_size=64 << 20),
                convert_options=pacsv.ConvertOptions(column_types=string, strings_can_be_null=False),
            )
            pending: list[pa.RecordBatch] = []
            size = 0
            for batch in reader:
                pending.append(batch)
                size += batch.num_rows
                if size >= batch_rows:
                    yield first, pa.Table.from_batches(pending)
                    first, pending, size = first + size, [], 0
            if pending:
                yield first, pa.Table.from_batches(pending)
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            raise FeedError(file.name, f"not valid CSV near row {first}: {exc}") from None
        return
    try:
        parquet = pq.ParquetFile(file)
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        raise FeedError(file.name, f"not a readable Parquet file ({exc})") from None
    _check_columns(file.name, parquet.schema_arrow.names)
    for batch in parquet.iter_batches(batch_size=batch_rows):
        table = pa.Table.from_batches([batch])
        yield first, table.rename_columns([c.strip().lower() for c in table.column_names])
        first += batch.num_rows


def _direct_parquet(file: Path) -> tuple[dict[str, pa.DataType], int] | None:
    """The columns and row count of a Parquet part DuckDB can check on its own (one without an ``mrz`` column)."""
    try:
        parquet = pq.ParquetFile(file)
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        raise FeedError(file.name, f"not a readable Parquet file ({exc})") from None
    names = parquet.schema_arrow.names
    _check_columns(file.name, names)
    if "mrz" in [n.strip().lower() for n in names]:
        return None
    return {f.name: f.type for f in parquet.schema_arrow}, parquet.metadata.num_rows


def _text(column: str, arrow_type: pa.DataType) -> str:
    return f"TRIM(CAST({column} AS VARCHAR))" if not pa.types.is_string(arrow_type) else f"TRIM({column})"


def _validation_sql(types: dict[str, pa.DataType], zone: str) -> str:
    """One SELECT over ``batch`` giving the store's columns, the row number and the reasons a row is bad."""
    t = {c: _text(c, types[c]) for c in REQUIRED}
    ts_type = types["crossed_at"]
    if pa.types.is_timestamp(ts_type) and ts_type.tz:
        ts, ts_bad = "crossed_at", "crossed_at IS NULL"
        ts_reason = "'crossed_at: missing'"
    elif pa.types.is_timestamp(ts_type):
        ts, ts_bad = "CAST(NULL AS TIMESTAMPTZ)", "TRUE"
        ts_reason = "'crossed_at: a time without an offset; the feed must say which time zone it means'"
    else:
        ts = (f"CASE WHEN regexp_matches({t['crossed_at']}, '^\\d{{4}}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?"
              f"(Z|[+-]\\d\\d(:?\\d\\d)?)$') THEN TRY_CAST({t['crossed_at']} AS TIMESTAMPTZ) END")
        ts_bad = "ts IS NULL"
        ts_reason = "'crossed_at: ''' || ts_text || ''' is not an ISO 8601 time with an offset'"
    bd_type = types["birth_date"]
    birth = ("birth_date" if pa.types.is_date(bd_type) else
             f"CASE WHEN regexp_matches({t['birth_date']}, '^\\d{{4}}-\\d\\d-\\d\\d$') "
             f"THEN TRY_CAST({t['birth_date']} AS DATE) END")
    has_mrz = "mrz" in types
    mrz = _text("mrz", types["mrz"]) if has_mrz else "CAST(NULL AS VARCHAR)"
    checks = [
        ("event_id IS NULL OR event_id = ''", "'event_id: missing'"),
        ("length(event_id) > 64", "'event_id: longer than 64 characters'"),
        (ts_bad, ts_reason),
        ("direction NOT IN ('exit', 'entry')", "'direction: ''' || direction || ''' is not exit or entry'"),
        ("port = ''", "'port: missing'"),
        ("length(port) > 64", "'port: longer than 64 characters'"),
        (f"doc_type NOT IN ({', '.join(repr(d) for d in DOC_TYPES)})",
         "'doc_type: ''' || doc_type || ''' is not a known document type'"),
        ("doc_issuer NOT IN (SELECT code FROM state_codes)",
         "'doc_issuer: ''' || doc_issuer || ''' is not an ISO 3166-1 alpha-3 or ICAO code'"),
        ("NOT regexp_matches(number_key, '^[A-Z0-9<]{1,20}$')",
         "'doc_number: ''' || doc_number || ''' is not a document number'"),
        ("surname = '' AND given_name = ''", "'surname, given_name: no name'"),
        ("birth IS NULL", "'birth_date: ''' || birth_text || ''' is not a date (YYYY-MM-DD)'"),
        ("birth IS NOT NULL AND ts IS NOT NULL AND birth > CAST(ts AS DATE)",
         "'birth_date: after the crossing'"),
        ("sex NOT IN ('M', 'F', 'X')", "'sex: ''' || sex || ''' is not M, F or X'"),
        ("nationality NOT IN (SELECT code FROM state_codes)",
         "'nationality: ''' || nationality || ''' is not an ISO 3166-1 alpha-3 or ICAO code'"),
        ("country NOT IN (SELECT code FROM state_codes)",
         "'country: ''' || country || ''' is not an ISO 3166-1 alpha-3 or ICAO code'"),
        ("mrz_problems <> ''", "'mrz: ' || mrz_problems"),
        ("mrz_problems = '' AND mrz_number IS NOT NULL AND mrz_number <> number_key",
         "'mrz: document number ''' || mrz_number || ''' differs from doc_number'"),
        ("mrz_problems = '' AND mrz_birth IS NOT NULL AND birth IS NOT NULL AND mrz_birth <> birth",
         "'mrz: birth date differs from birth_date'"),
    ]
    reasons = ", ".join(f"CASE WHEN {cond} THEN {text} END" for cond, text in checks)
    # The MRZ checks line up row by row with the batch; without MRZs there is nothing to join.
    mrz_columns = ("COALESCE(z.mrz_problems, '') AS mrz_problems, z.mrz_number, z.mrz_birth" if has_mrz else
                   "'' AS mrz_problems, CAST(NULL AS VARCHAR) AS mrz_number, CAST(NULL AS DATE) AS mrz_birth")
    mrz_join = "POSITIONAL JOIN mrz_checks z" if has_mrz else ""
    return f"""
    WITH cleaned AS (
        SELECT b.row_no,
               {t['event_id']} AS event_id, {ts} AS ts, {t['crossed_at']} AS ts_text, lower({t['direction']}) AS direction, {t['port']} AS port,
               lower({t['doc_type']}) AS doc_type, upper({t['doc_issuer']}) AS doc_issuer,
               {t['doc_number']} AS doc_number,
               regexp_replace(upper({t['doc_number']}), '[\\s\\-]', '', 'g') AS number_key,
               {t['surname']} AS surname, {t['given_name']} AS given_name,
               regexp_replace(upper({t['surname']} || {t['given_name']}), '[^A-Z]', '', 'g') AS name_key,
               {birth} AS birth, {t['birth_date']} AS birth_text, upper({t['sex']}) AS sex,
               upper({t['nationality']}) AS nationality, upper({t['country']}) AS country,
               NULLIF({mrz}, '') AS mrz,
               {mrz_columns}
        FROM batch b {mrz_join}
    )
    SELECT row_no, event_id, ts AS crossed_at, direction, port, doc_type, doc_issuer, doc_number, number_key,
           surname, given_name, name_key, birth AS birth_date, sex, nationality, country, mrz,
           CAST(timezone('{zone}', ts) AS DATE) AS local_date,
           concat_ws('; ', {reasons}) AS reason
    FROM cleaned
    """


def _mrz_checks(batch: pa.Table) -> pa.Table:
    """Error problems, number and birth date of each row's MRZ (nulls where the row has none)."""
    n = batch.num_rows
    if "mrz" not in batch.column_names:
        return pa.table({"mrz_problems": pa.nulls(n, pa.string()), "mrz_number": pa.nulls(n, pa.string()),
                         "mrz_birth": pa.nulls(n, pa.date32())})
    zones = pa.array([(z or "").replace("|", "\n") or None for z in batch.column("mrz").to_pylist()],
                     pa.string())
    result = validate_mrz_batch(zones, allow_specimen=False)
    problems: list[str | None] = []
    for zone, valid, codes in zip(zones.to_pylist(), result.column("valid").to_pylist(),
                                  result.column("problems").to_pylist(), strict=True):
        if zone is None or valid:
            problems.append(None)
        else:
            errors = [c for c in (codes or "").split(";") if c and not c.startswith(("date.expired", "sex.nonstandard",
                                                                                        "series."))]
            problems.append(", ".join(errors) or None)
    numbers = [None if z is None else (v or None) for z, v in
               zip(zones.to_pylist(), result.column("document_number").to_pylist(), strict=True)]
    return pa.table({"mrz_problems": pa.array(problems, pa.string()), "mrz_number": pa.array(numbers, pa.string()),
                     "mrz_birth": result.column("birth_date")})


class _Staging:
    """The staging folder of one feed: validated batches, rejects, and the marker that phase 1 ended."""

    def __init__(self, root: Path, sha: str) -> None:
        self.dir = root / "_staging" / sha
        self.marker = self.dir / "validated.json"

    def reset(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
        (self.dir / "good").mkdir(parents=True)

    def good_files(self) -> list[str]:
        return sorted(str(p) for p in (self.dir / "good").glob("*.parquet"))


def ingest_crossings(
    path: Path,
    *,
    fmt: str | None = None,
    batch_rows: int = BATCH_ROWS,
    root: Path | None = None,
    progress: Advance | None = None,
    time_zone: str | None = None,
) -> IngestReport:
    """Store a crossing feed; see the module docstring. Raises FeedError when the feed cannot be read at all."""
    root = root or store_root()
    kind, files = _sources(path, fmt)
    sha = _checksum(files)
    report = IngestReport(source=path.name, sha256=sha)
    ledger = root / "_ledger" / f"{sha}.json"
    if ledger.exists():
        stored = json.loads(ledger.read_text(encoding="utf-8"))
        return IngestReport(**{**stored, "already_ingested": True})
    zone = time_zone or conf.env(conf.TIME_ZONE)
    staging = _Staging(root, sha)
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(f"SET memory_limit = '{conf.env(conf.DUCKDB_MEMORY_LIMIT)}'")
        con.execute(f"SET temp_directory = '{root / '_tmp'}'")
        con.register("state_codes", pa.table({"code": sorted(STATE_CODES)}))
        if staging.marker.exists():
            phase1 = json.loads(staging.marker.read_text(encoding="utf-8"))
        else:
            phase1 = _validate(con, kind, files, staging, zone, batch_rows, progress, root, path.name, sha)
        report.read, report.rejected = phase1["read"], phase1["rejected"]
        report.reject_file, report.reasons = phase1["reject_file"], phase1["reasons"]
        report.stored, report.partitions = _store(con, staging, root, sha)
    finally:
        con.close()
    report.duplicates = report.read - report.rejected - report.stored
    ledger.parent.mkdir(parents=True, exist_ok=True)
    tmp = ledger.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(report)), encoding="utf-8")
    os.replace(tmp, ledger)
    shutil.rmtree(staging.dir, ignore_errors=True)
    return report


def _validate(con: duckdb.DuckDBPyConnection, kind: str, files: list[Path], staging: _Staging, zone: str,
              batch_rows: int, progress: Advance | None, root: Path, name: str, sha: str) -> dict[str, object]:
    staging.reset()
    rejects_dir = root / "rejects"
    rejects_dir.mkdir(parents=True, exist_ok=True)
    reject_path = rejects_dir / f"{Path(name).stem}.{sha[:12]}.rejects.csv"
    read = rejected = 0
    reasons: dict[str, int] = {}
    part = 0
    with reject_path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["file", "row", "event_id", "reason"])
        columns = ", ".join(schema.CROSSINGS.names)

        def check(types: dict[str, pa.DataType], file: Path, n: int) -> None:
            nonlocal part, read, rejected
            con.execute(f"CREATE OR REPLACE TEMP TABLE checked AS {_validation_sql(types, zone)}")
            bad = con.execute(
                "SELECT row_no, event_id, reason FROM checked WHERE reason <> '' ORDER BY row_no").fetchall()
            for row_no, event_id, reason in bad:
                writer.writerow([file.name, row_no, event_id or "", reason])
                for one in reason.split("; "):
                    key = one.split(":", 1)[0]
                    reasons[key] = reasons.get(key, 0) + 1
            target = staging.dir / "good" / f"part-{part:05d}.parquet"
            con.execute(f"COPY (SELECT row_no, {columns} FROM checked WHERE reason = '') TO '{target}' "
                        "(FORMAT parquet)")
            part += 1
            read += n
            rejected += len(bad)
            if progress:
                progress(n)

        for file in files:
            direct = _direct_parquet(file) if kind == "parquet" else None
            if direct is not None:
                # A Parquet part without MRZs: DuckDB reads and checks it in one parallel pass.
                types, n = direct
                listing = ", ".join(f'"{name}" AS {name.strip().lower()}' for name in types)
                con.execute(f"CREATE OR REPLACE TEMP VIEW batch AS SELECT {listing}, file_row_number + 2 AS row_no "
                            f"FROM read_parquet('{file}', file_row_number = true)")
                check({name.strip().lower(): t for name, t in types.items()}, file, n)
                continue
            for first, batch in _batches(kind, file, batch_rows):
                n = batch.num_rows
                batch = batch.append_column("row_no", pa.array(np.arange(first, first + n, dtype=np.int64)))
                con.register("batch", batch)
                con.register("mrz_checks", _mrz_checks(batch))
                check({f.name: f.type for f in batch.schema}, file, n)
                con.unregister("batch")
                con.unregister("mrz_checks")
    result: dict[str, object] = {"read": read, "rejected": rejected, "reasons": reasons,
                                 "reject_file": str(reject_path) if rejected else ""}
    if not rejected:
        reject_path.unlink()
    staging.marker.write_text(json.dumps(result), encoding="utf-8")
    return result


def _store(con: duckdb.DuckDBPyConnection, staging: _Staging, root: Path, sha: str) -> tuple[int, int]:
    """Write staged rows not yet stored; returns (rows stored, partitions touched)."""
    good = staging.good_files()
    if not good:
        return 0, 0
    listing = ", ".join(f"'{g}'" for g in good)
    con.execute(f"CREATE OR REPLACE VIEW staged AS SELECT * FROM read_parquet([{listing}])")
    dates = [d for (d,) in con.execute("SELECT DISTINCT local_date FROM staged").fetchall()]
    existing = [f for d in dates for f in sorted(str(p) for p in (root / f"local_date={d}").glob("*.parquet"))]
    if existing:
        files = ", ".join(f"'{f}'" for f in existing)
        con.execute(f"CREATE OR REPLACE TEMP TABLE known AS SELECT DISTINCT event_id FROM read_parquet([{files}])")
    else:
        con.execute("CREATE OR REPLACE TEMP TABLE known (event_id VARCHAR)")
    columns = ", ".join(schema.CROSSINGS.names)
    out = staging.dir / "out"
    shutil.rmtree(out, ignore_errors=True)
    # Repeats within the feed keep their first row; events already stored are skipped.
    row = con.execute("SELECT COUNT(*) - COUNT(DISTINCT event_id) FROM staged").fetchone()
    repeats = bool(row and row[0])
    fresh = "staged s ANTI JOIN known k ON k.event_id = s.event_id"
    source = (f"SELECT {columns} FROM (SELECT s.*, ROW_NUMBER() OVER (PARTITION BY s.event_id ORDER BY s.row_no) "
              f"AS rn FROM {fresh}) WHERE rn = 1" if repeats else f"SELECT {columns} FROM {fresh}")
    con.execute(f"""
        COPY ({source}) TO '{out}' (FORMAT parquet, PARTITION_BY (local_date), FILENAME_PATTERN 'part-{sha[:12]}-{uuid.uuid4().hex[:8]}-{{i}}',
                      OVERWRITE_OR_IGNORE true)
    """)
    stored = 0
    partitions = 0
    for folder in sorted(out.glob("local_date=*")):
        target = root / folder.name
        target.mkdir(parents=True, exist_ok=True)
        partitions += 1
        for file in sorted(folder.glob("*.parquet")):
            stored += pq.ParquetFile(file).metadata.num_rows
            os.replace(file, target / file.name)
    return stored, partitions
