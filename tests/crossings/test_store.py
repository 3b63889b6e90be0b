"""The crossing store: Parquet and CSV feeds, reject files, idempotence, and resuming after a crash."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command

from sojourn.core.documents import make_td3
from sojourn.crossings import store
from sojourn.crossings.store import ingest_crossings, store_files
from sojourn.feeds.base import FeedError
from tests.travel_fixtures import FEED_1, write_feed


def stored_ids(root: Path) -> list[str]:
    files = store_files(root)
    if not files:
        return []
    listing = ", ".join(f"'{f}'" for f in files)
    return sorted(r[0] for r in duckdb.sql(f"SELECT event_id FROM read_parquet([{listing}])").fetchall())


def as_parquet(csv_path: Path, out: Path, *, mrz: bool = False) -> Path:
    """The feed as a Parquet file of text columns (times keep their offsets), with an empty MRZ column if asked."""
    header = csv_path.read_text(encoding="utf-8").splitlines()[0].split(",")
    table = pacsv.read_csv(csv_path, convert_options=pacsv.ConvertOptions(
        column_types={name: pa.string() for name in header}))
    if mrz:
        table = table.append_column("mrz", pa.array([None] * table.num_rows, pa.string()))
    pq.write_table(table, out)
    return out


def test_parquet_parts_with_and_without_mrz_store_the_same_rows(tmp_path):
    feed = write_feed(tmp_path / "feed.csv", FEED_1)
    plain = as_parquet(feed, tmp_path / "plain.parquet")
    with_mrz = as_parquet(feed, tmp_path / "with_mrz.parquet", mrz=True)
    a = ingest_crossings(plain, root=tmp_path / "a")
    b = ingest_crossings(with_mrz, root=tmp_path / "b")
    assert (a.read, a.stored, a.rejected) == (b.read, b.stored, b.rejected) == (8, 8, 0)
    assert stored_ids(tmp_path / "a") == stored_ids(tmp_path / "b")
    # The 07:50 +08:00 exit on 1 October is stored under 1 October although it is 30 September in UTC.
    assert any("local_date=2025-10-01" in f for f in store_files(tmp_path / "a"))
    assert not any("local_date=2025-09-30" in f for f in store_files(tmp_path / "a"))


def test_mrz_checked_through_the_batch_validator(tmp_path):
    zone = make_td3(surname="ZHANG", given_names="WEI", document_number="E10000001", nationality="CHN",
                    birth_date=date(1970, 5, 1), sex="M", expiry_date=date(2030, 1, 1), issuer="CHN").replace("\n", "|")
    line1, line2 = zone.split("|")
    broken = line1 + "|" + line2[:9] + ("0" if line2[9] != "0" else "1") + line2[10:]  # the number's check digit
    rows = [FEED_1[0] + "," + zone, FEED_1[1] + "," + broken, FEED_1[2] + ","]
    header = ("event_id,crossed_at,direction,port,doc_type,doc_issuer,doc_number,surname,given_name,birth_date,sex,"
              "nationality,country,mrz")
    feed = tmp_path / "mrz.csv"
    feed.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    report = ingest_crossings(feed, root=tmp_path / "s")
    assert (report.read, report.stored, report.rejected) == (3, 2, 1)
    assert ",3,A2,\"mrz: check_digit.document_number" in Path(report.reject_file).read_text(encoding="utf-8")


def test_missing_or_unknown_columns_refuse_the_feed(tmp_path):
    feed = tmp_path / "odd.csv"
    feed.write_text("event_id,crossed_at,gate\nE1,2025-10-01T07:50:00+08:00,3\n", encoding="utf-8")
    with pytest.raises(FeedError) as err:
        ingest_crossings(feed, root=tmp_path / "s")
    assert "missing columns: direction" in str(err.value) and "unknown columns: gate" in str(err.value)


def test_a_crash_while_storing_loses_nothing_and_the_next_run_finishes(tmp_path, monkeypatch):
    feed = write_feed(tmp_path / "feed.csv", FEED_1)
    root = tmp_path / "s"
    moved = []
    real_replace = os.replace

    def crash_after_one(src, dst):
        if str(src).endswith(".parquet") and moved:
            raise OSError("killed")
        moved.append(dst)
        real_replace(src, dst)

    monkeypatch.setattr(store.os, "replace", crash_after_one)
    with pytest.raises(OSError):
        ingest_crossings(feed, root=root)
    assert 0 < len(stored_ids(root)) < 8
    monkeypatch.setattr(store.os, "replace", real_replace)
    report = ingest_crossings(feed, root=root)
    assert not report.already_ingested
    assert stored_ids(root) == sorted(row.split(",", 1)[0] for row in FEED_1)  # each event exactly once
    assert ingest_crossings(feed, root=root).already_ingested


@pytest.mark.django_db
def test_import_command_exit_codes(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOJOURN_DATA_DIR", str(tmp_path / "data"))
    bad = write_feed(tmp_path / "bad.csv", [FEED_1[0], FEED_1[1].replace("entry", "sideways")])
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "crossings", str(bad))
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "1 stored" in err and "1 rejected" in err and "rejects.csv" in err
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "crossings", str(tmp_path / "nowhere.csv"))
    assert exit_.value.code == 2
