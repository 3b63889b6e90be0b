"""Reading tabular files into rows of strings, and checking them against a declared schema.

Row numbers count the header as row 1, so the first data row is row 2: the number a
spreadsheet program shows beside the row. Blank rows are skipped but still counted, so the
numbers stay those the user sees. (Parquet files have no header row, but are numbered the
same way, first record = row 2, to keep one convention.)

Problems are ``RowError`` values. A file that cannot be opened at all (missing, unknown
format, not a spreadsheet) raises ``FeedError`` instead.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

FORMATS = ("csv", "xlsx", "parquet")
_SUFFIXES = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".parquet": "parquet", ".pq": "parquet"}
_SHOWN_VALUE = 60  # longer values are cut in reports
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class FeedError(Exception):
    """The file cannot be read at all: missing, unreadable, of unknown format, or not a spreadsheet."""

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason


def show_value(value: str) -> str:
    """A cell value quoted for a report: control characters escaped, long values cut."""
    text = _CONTROL.sub(lambda m: repr(m.group())[1:-1], value)
    if len(text) > _SHOWN_VALUE:
        text = text[: _SHOWN_VALUE - 1] + "…"
    return f"'{text}'"


@dataclass(frozen=True)
class RowError:
    """One problem in an input file.

    ``row`` is None for problems with the file as a whole; ``column`` is empty for problems
    with a whole row; ``value`` is None when there is no cell to show (header problems).
    ``str()`` gives the line of the report, e.g.
    ``officials.csv row 7, birth_date '1970-13-01': not a date``.
    """

    file: str
    row: int | None
    column: str
    value: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file} row {self.row}"
        if self.column and self.value is not None:
            where += f", {self.column} {show_value(self.value)}"
        elif self.column:
            where += f", {self.column}"
        return f"{where}: {self.reason}"


@dataclass
class Table:
    """A file read into strings: the header (lower-cased, trimmed) and numbered rows."""

    file: str
    header: list[str]
    rows: list[tuple[int, list[str]]]
    errors: list[RowError] = field(default_factory=list)
    data_rows: int = 0  # non-blank rows after the header, including those too wide or too narrow


def detect_format(path: Path, fmt: str | None = None) -> str:
    """The format named by ``fmt``, or else by the file's extension; ``FeedError`` when neither says."""
    if fmt:
        if fmt.lower() not in FORMATS:
            raise FeedError(path.name, f"unknown format '{fmt}' (use csv, xlsx or parquet)")
        return fmt.lower()
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise FeedError(
            path.name, "XLS (Excel 97-2003) files are not supported; save the file as XLSX or CSV"
        )
    if suffix not in _SUFFIXES:
        raise FeedError(path.name, "cannot tell the format from the file name; use --format csv|xlsx|parquet")
    return _SUFFIXES[suffix]


def read_table(path: Path, *, fmt: str | None = None, name: str | None = None) -> Table:
    """Read a CSV, XLSX (first sheet) or Parquet file into strings; ``name`` is the file's name in reports."""
    name = name or path.name
    if not path.is_file():
        raise FeedError(name, "no such file")
    kind = detect_format(Path(name), fmt)
    if kind == "csv":
        return _read_csv(path, name)
    if kind == "xlsx":
        return _read_xlsx(path, name)
    return _read_parquet(path, name)


def _read_csv(path: Path, name: str) -> Table:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FeedError(name, f"cannot read the file ({exc.strerror})") from None
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = bom + exc.start
        line = data.count(b"\n", 0, offset) + 1
        reason = (
            f"not UTF-8: byte 0x{data[offset]:02X} at byte offset {offset} (line {line}) cannot be "
            'decoded; save the file as UTF-8 ("CSV UTF-8" in Excel)'
        )
        return Table(name, [], [], [RowError(name, None, "", None, reason)])
    table = Table(name, [], [])
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            _add_row(table, number, cells)
    except csv.Error as exc:
        table.errors.append(RowError(name, number + 1, "", None, f"not valid CSV: {exc}"))
    return table


def _add_row(table: Table, number: int, cells: list[str]) -> None:
    """Append one row (the first one is the header), checking its width against the header."""
    if number == 1:
        table.header = [c.strip().lower() for c in cells]
        while table.header and not table.header[-1]:
            table.header.pop()  # spreadsheets often carry empty columns to the right
        return
    if not any(c.strip() for c in cells):
        return
    table.data_rows += 1
    width = len(table.header)
    if len(cells) > width and not any(c.strip() for c in cells[width:]):
        cells = cells[:width]  # trailing empty cells, as spreadsheets write them
    if len(cells) != width:
        table.errors.append(
            RowError(
                table.file,
                number,
                "",
                None,
                f"row has {len(cells)} values but the header has {width} columns",
            )
        )
        return
    table.rows.append((number, cells))


def cell_text(value: Any) -> str:
    """A spreadsheet or Parquet cell as the string a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # Past 2**53 a float has lost digits (an 18-digit ID typed as a number): keep it visibly wrong.
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == time() and value.tzinfo is None else value.isoformat()
        )
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _read_xlsx(path: Path, name: str) -> Table:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise FeedError(name, f"not a readable XLSX file ({exc})") from None
    table = Table(name, [], [])
    try:
        if book.worksheets:
            for number, values in enumerate(book.worksheets[0].iter_rows(values_only=True), start=1):
                cells = [cell_text(v) for v in values]
                if number > 1:
                    cells += [""] * (len(table.header) - len(cells))
                _add_row(table, number, cells)
    except Exception as exc:  # a damaged sheet fails while it is read, with any of several types
        raise FeedError(name, f"not a readable XLSX file ({exc})") from None
    finally:
        book.close()
    return table


def _read_parquet(path: Path, name: str) -> Table:
    import pyarrow.parquet as pq

    try:
        data = pq.read_table(path)
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        raise FeedError(name, f"not a readable Parquet file ({exc})") from None
    table = Table(name, [str(c).strip().lower() for c in data.column_names], [])
    columns = [[cell_text(v) for v in data.column(i).to_pylist()] for i in range(data.num_columns)]
    for index, cells in enumerate(zip(*columns, strict=True)):
        _add_row(table, index + 2, list(cells))
    return table


# --- Schemas ---------------------------------------------------------------------------------

Parser = Callable[[str], Any]


@dataclass(frozen=True)
class Column:
    """A column of an input kind. ``required``: the column must be there and no cell may be blank.

    An optional column may be left out of the file (existing records then keep their value)
    or left blank (the value is ``default``).
    """

    name: str
    parse: Parser
    required: bool = False
    default: Any = ""


@dataclass(frozen=True)
class Schema:
    """The declared shape of one input kind: its columns and the natural key that identifies a row."""

    kind: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


@dataclass
class ParsedRow:
    row: int
    values: dict[str, Any]


@dataclass
class ParsedFile:
    """The rows of a file that passed the schema, typed; the columns present; every problem found."""

    kind: str
    file: str
    present: frozenset[str]
    rows: list[ParsedRow]
    errors: list[RowError]
    total: int = 0  # data rows in the file, good and bad

    @property
    def ok(self) -> bool:
        return not self.errors


def check_table(schema: Schema, table: Table) -> ParsedFile:
    """Check a table against a schema: header, every cell, and duplicate natural keys.

    Unknown and duplicate columns are reported (and make the file fail). When a required
    column is missing, rows are not checked further.
    """
    errors = list(table.errors)
    parsed = ParsedFile(schema.kind, table.file, frozenset(), [], errors, total=table.data_rows)
    if not table.header:
        if not errors:
            errors.append(RowError(table.file, None, "", None, "the file is empty: no header row"))
        return parsed
    errors += _check_header(schema, table)
    parsed.present = frozenset(table.header) & set(schema.names)
    if any(c.required and c.name not in parsed.present for c in schema.columns):
        return parsed
    parsed.rows = list(_parse_rows(schema, table, errors))
    return parsed


def _check_header(schema: Schema, table: Table) -> list[RowError]:
    errors: list[RowError] = []
    seen: set[str] = set()
    for name in table.header:
        if name in seen:
            errors.append(RowError(table.file, 1, name, None, "the column appears twice"))
        elif not name:
            errors.append(RowError(table.file, 1, "", None, "a column has no name"))
        elif name not in schema.names:
            expected = ", ".join(schema.names)
            errors.append(
                RowError(table.file, 1, name, None, f"unknown column ({schema.kind} columns: {expected})")
            )
        seen.add(name)
    for column in schema.columns:
        if column.required and column.name not in seen:
            errors.append(RowError(table.file, 1, column.name, None, "required column is missing"))
    return errors


def _parse_rows(schema: Schema, table: Table, errors: list[RowError]) -> Iterator[ParsedRow]:
    by_name = {c.name: c for c in schema.columns}
    used: set[str] = set()
    index: list[tuple[int, Column]] = []
    for i, name in enumerate(table.header):
        if name in by_name and name not in used:
            index.append((i, by_name[name]))
            used.add(name)
    first_seen: dict[tuple[Any, ...], int] = {}
    for number, cells in table.rows:
        values: dict[str, Any] = {}
        good = True
        for i, column in index:
            raw = cells[i].strip()
            if not raw:
                if column.required:
                    errors.append(RowError(table.file, number, column.name, cells[i], "a value is required"))
                    good = False
                values[column.name] = column.default
                continue
            try:
                values[column.name] = column.parse(raw)
            except ValueError as exc:
                errors.append(RowError(table.file, number, column.name, raw, str(exc)))
                good = False
        if not good:
            continue
        key = tuple(values[k] for k in schema.key)
        first = first_seen.setdefault(key, number)
        if first != number:
            shown = ", ".join(str(v) for v in key)
            errors.append(
                RowError(table.file, number, "+".join(schema.key), shown, f"duplicate of row {first}")
            )
            continue
        yield ParsedRow(number, values)


# --- Parsers: each takes a trimmed, non-blank cell and returns a value or raises ValueError(reason) ---

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_COUNTRY = re.compile(r"[A-Z]{3}")
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_ID_NUMBER = re.compile(r"\d{17}[\dX]|\d{15}")
_BOOLS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}


def iso_date(raw: str) -> date:
    """A calendar date written YYYY-MM-DD."""
    if not _DATE.fullmatch(raw):
        raise ValueError("not a date")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError("not a date") from None


def yes_no(raw: str) -> bool:
    """true/false, 1/0 or yes/no in any case (a blank cell is the column's default)."""
    try:
        return _BOOLS[raw.lower()]
    except KeyError:
        raise ValueError("not a yes/no value (true, false, 1, 0, yes, no)") from None


def country(raw: str) -> str:
    """An ISO 3166-1 alpha-3 code, three capital letters."""
    if not _COUNTRY.fullmatch(raw):
        raise ValueError("not an ISO 3166-1 alpha-3 country code (three capital letters, e.g. CHN)")
    return raw


def id_number(raw: str) -> str:
    """A PRC resident ID number: 18 characters (17 digits and a digit or X), or the old 15 digits."""
    value = raw.upper()
    if not _ID_NUMBER.fullmatch(value):
        raise ValueError("not a PRC ID number (17 digits and a check digit or X)")
    return value


def one_of(values: Iterable[str]) -> Parser:
    """A parser accepting exactly these values (in any letter case), returning the canonical spelling."""
    canonical = {v.lower(): v for v in values}
    reason = "not one of " + ", ".join(canonical.values())

    def parse(raw: str) -> str:
        try:
            return canonical[raw.lower()]
        except KeyError:
            raise ValueError(reason) from None

    return parse


def text(max_length: int) -> Parser:
    """Free text on one line, at most ``max_length`` characters."""

    def parse(raw: str) -> str:
        if len(raw) > max_length:
            raise ValueError(f"longer than {max_length} characters")
        if _CONTROL.search(raw):
            raise ValueError("contains a line break or control character")
        return raw

    return parse


def code(max_length: int) -> Parser:
    """An identifier: letters, digits, '.', '_' and '-', at most ``max_length`` characters."""

    def parse(raw: str) -> str:
        if len(raw) > max_length:
            raise ValueError(f"longer than {max_length} characters")
        if not _CODE.fullmatch(raw):
            raise ValueError("not a code (letters, digits, '.', '_' and '-' only)")
        return raw

    return parse
