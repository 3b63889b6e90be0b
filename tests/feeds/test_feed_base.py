"""Reading CSV/XLSX/Parquet into strings, checking them against a schema, and the report lines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sojourn.feeds.base import (
    Column,
    FeedError,
    RowError,
    Schema,
    check_table,
    code,
    country,
    detect_format,
    id_number,
    iso_date,
    one_of,
    read_table,
    text,
    yes_no,
)

PEOPLE = Schema(
    "people",
    (
        Column("person_id", code(8), required=True),
        Column("birth_date", iso_date, required=True),
        Column("sex", one_of(["M", "F"])),
        Column("abroad", yes_no, default=False),
        Column("note", text(10)),
    ),
    key=("person_id",),
)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def check(tmp_path: Path, content: str | bytes, name: str = "people.csv") -> list[str]:
    parsed = check_table(PEOPLE, read_table(write(tmp_path, name, content)))
    return [str(e) for e in parsed.errors]


def test_report_line_names_file_row_column_value_and_reason():
    assert str(RowError("officials.csv", 7, "birth_date", "1970-13-01", "not a date")) == (
        "officials.csv row 7, birth_date '1970-13-01': not a date"
    )
    assert str(RowError("f.csv", 1, "foo", None, "unknown column")) == "f.csv row 1, foo: unknown column"
    assert str(RowError("f.csv", 3, "", None, "too wide")) == "f.csv row 3: too wide"
    assert str(RowError("f.csv", None, "", None, "not UTF-8")) == "f.csv: not UTF-8"
    assert str(RowError("f.csv", 2, "note", "a\nb", "bad")) == "f.csv row 2, note 'a\\nb': bad"


def test_good_file_gives_typed_rows_numbered_from_2(tmp_path):
    parsed = check_table(
        PEOPLE,
        read_table(
            write(tmp_path, "p.csv", "person_id,birth_date,sex\nP1,1970-01-02,m\n\nP2,1980-05-06,F\n")
        ),
    )
    assert parsed.ok and parsed.total == 2
    assert [(r.row, r.values) for r in parsed.rows] == [
        (2, {"person_id": "P1", "birth_date": date(1970, 1, 2), "sex": "M"}),
        (4, {"person_id": "P2", "birth_date": date(1980, 5, 6), "sex": "F"}),  # the blank row 3 still counts
    ]
    assert parsed.present == {"person_id", "birth_date", "sex"}


def test_bad_date_is_reported_with_row_column_value(tmp_path):
    errors = check(tmp_path, "person_id,birth_date\nP1,1970-01-01\nP2,1970-13-01\n")
    assert errors == ["people.csv row 3, birth_date '1970-13-01': not a date"]


def test_every_bad_cell_is_reported_not_only_the_first(tmp_path):
    errors = check(tmp_path, "person_id,birth_date,sex,abroad\nP 1,01/02/1970,X,maybe\n")
    assert errors == [
        "people.csv row 2, person_id 'P 1': not a code (letters, digits, '.', '_' and '-' only)",
        "people.csv row 2, birth_date '01/02/1970': not a date",
        "people.csv row 2, sex 'X': not one of M, F",
        "people.csv row 2, abroad 'maybe': not a yes/no value (true, false, 1, 0, yes, no)",
    ]


def test_required_value_missing(tmp_path):
    assert check(tmp_path, "person_id,birth_date\nP1,\n") == [
        "people.csv row 2, birth_date '': a value is required"
    ]


def test_unknown_column_is_reported_and_fails_the_file(tmp_path):
    errors = check(tmp_path, "person_id,birth_date,nickname\nP1,1970-01-01,Bob\n")
    assert errors == [
        "people.csv row 1, nickname: unknown column (people columns: person_id, birth_date, sex, abroad, note)"
    ]


def test_missing_required_column_stops_row_checks(tmp_path):
    parsed = check_table(PEOPLE, read_table(write(tmp_path, "p.csv", "person_id,sex\nP1,M\n")))
    assert [str(e) for e in parsed.errors] == ["p.csv row 1, birth_date: required column is missing"]
    assert parsed.rows == []


def test_duplicate_column_and_duplicate_key(tmp_path):
    assert check(tmp_path, "person_id,birth_date,birth_date\nP1,1970-01-01,1970-01-01\n") == [
        "people.csv row 1, birth_date: the column appears twice"
    ]
    assert check(tmp_path, "person_id,birth_date\nP1,1970-01-01\nP2,1970-01-01\nP1,1971-01-01\n") == [
        "people.csv row 4, person_id 'P1': duplicate of row 2"
    ]


def test_ragged_rows(tmp_path):
    errors = check(tmp_path, "person_id,birth_date\nP1,1970-01-01,extra\nP2\nP3,1970-01-01,,\n")
    assert errors == [
        "people.csv row 2: row has 3 values but the header has 2 columns",
        "people.csv row 3: row has 1 values but the header has 2 columns",
    ]


def test_utf8_with_bom_is_read(tmp_path):
    parsed = check_table(
        PEOPLE, read_table(write(tmp_path, "p.csv", b"\xef\xbb\xbfperson_id,birth_date\nP1,1970-01-01\n"))
    )
    assert parsed.ok and parsed.rows[0].values["person_id"] == "P1"


def test_not_utf8_names_file_and_byte_offset(tmp_path):
    content = "person_id,birth_date,note\nP1,1970-01-01,张伟\n".encode("gbk")
    errors = check(tmp_path, content)
    offset = content.index("张".encode("gbk"))
    assert errors == [
        f"people.csv: not UTF-8: byte 0xD5 at byte offset {offset} (line 2) cannot be decoded; "
        'save the file as UTF-8 ("CSV UTF-8" in Excel)'
    ]


def test_empty_file(tmp_path):
    assert check(tmp_path, "") == ["people.csv: the file is empty: no header row"]


def test_text_limits_and_control_characters(tmp_path):
    errors = check(tmp_path, 'person_id,birth_date,note\nP1,1970-01-01,"12345678901"\nP2,1970-01-01,"a\nb"\n')
    assert errors == [
        "people.csv row 2, note '12345678901': longer than 10 characters",
        "people.csv row 3, note 'a\\nb': contains a line break or control character",
    ]


def test_xlsx_is_read_like_csv(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["person_id", "birth_date", "abroad", "note"])
    sheet.append(["P1", date(1970, 1, 2), True, 42])
    sheet.append([None, None, None, None])
    sheet.append(["P2", "1970-13-01", None, None])
    path = tmp_path / "people.xlsx"
    book.save(path)
    parsed = check_table(PEOPLE, read_table(path))
    assert [str(e) for e in parsed.errors] == ["people.xlsx row 4, birth_date '1970-13-01': not a date"]
    assert parsed.rows[0].values == {
        "person_id": "P1",
        "birth_date": date(1970, 1, 2),
        "abroad": True,
        "note": "42",
    }


def test_unreadable_files_raise_feed_error(tmp_path):
    with pytest.raises(FeedError, match="no such file"):
        read_table(tmp_path / "missing.csv")
    with pytest.raises(FeedError, match="not a readable XLSX file"):
        read_table(write(tmp_path, "broken.xlsx", "not a zip"))
    with pytest.raises(FeedError, match="cannot tell the format"):
        read_table(write(tmp_path, "people.dat", "x"))
    with pytest.raises(FeedError, match="unknown format 'ods'"):
        detect_format(Path("people.csv"), "ods")
    assert detect_format(Path("people.dat"), "csv") == "csv"


def test_parquet_is_read(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(
        pa.table({"person_id": ["P1", "P2"], "birth_date": [date(1970, 1, 2), None]}), tmp_path / "p.parquet"
    )
    parsed = check_table(PEOPLE, read_table(tmp_path / "p.parquet"))
    assert [str(e) for e in parsed.errors] == ["p.parquet row 3, birth_date '': a value is required"]


@given(st.dates())
def test_iso_date_reads_every_date(day):
    assert iso_date(day.isoformat()) == day


@given(st.text(max_size=12))
def test_parsers_fail_only_with_a_reason(raw):
    for parse in (iso_date, yes_no, country, id_number, code(8), text(5), one_of(["a"])):
        try:
            parse(raw)
        except ValueError as exc:
            assert str(exc)


def test_small_parsers():
    assert country("CHN") == "CHN"
    with pytest.raises(ValueError, match="alpha-3"):
        country("chn")
    assert id_number("11010519700501001x") == "11010519700501001X"
    with pytest.raises(ValueError, match="ID number"):
        id_number("1.10101197001011e+17")
    assert [yes_no(v) for v in ("TRUE", "0", "yes", "No")] == [True, False, True, False]
    with pytest.raises(ValueError, match="not a date"):
        iso_date("19700102")


def test_empty_columns_right_of_the_header_are_ignored(tmp_path):
    parsed = check_table(
        PEOPLE, read_table(write(tmp_path, "p.csv", "person_id,birth_date,,\nP1,1970-01-02,,\n"))
    )
    assert parsed.ok and parsed.rows[0].values == {"person_id": "P1", "birth_date": date(1970, 1, 2)}
