"""The watchlist import file: people on watch lists, with the action a hit calls for (DESIGN.md §6).

Columns ``entry_id, list, name_zh, surname, given_name, aliases, birth_date, sex, nationality,
id_number, doc_numbers, reason, action, valid_from, valid_to``; the natural key is list +
entry_id. ``aliases`` and ``doc_numbers`` are lists separated by ``;`` and are stored in that
form, trimmed (``"E1; E2"`` → ``"E1;E2"``). A list named in the file that does not exist yet
is created by the import.

``check_watchlist_file`` checks a table against the schema and the rules between columns (a
name is needed; a window may not end before it starts) but never writes; writing is
``sojourn.screening.importing``' job.
"""

from __future__ import annotations

from sojourn.core.names.index import normalize_number
from sojourn.feeds.base import (
    Column,
    ParsedFile,
    RowError,
    Schema,
    Table,
    check_table,
    code,
    country,
    iso_date,
    one_of,
    text,
)
from sojourn.feeds.documents import document_number

MAX_ID_NUMBER = 32  # WatchlistEntry.id_number's max_length
MAX_LIST_TEXT = 2000


def id_number_any(raw: str) -> str:
    """An ID number of any state: letters and digits as compared (spaces and dashes dropped)."""
    value = normalize_number(raw)
    if not value:
        raise ValueError("not an ID number (no letters or digits)")
    if len(value) > MAX_ID_NUMBER:
        raise ValueError(f"longer than {MAX_ID_NUMBER} characters")
    return value


def names_list(raw: str) -> str:
    """Names separated by ``;``, each trimmed; empty items dropped."""
    text(MAX_LIST_TEXT)(raw)
    return ";".join(part.strip() for part in raw.split(";") if part.strip())


def numbers_list(raw: str) -> str:
    """Document numbers separated by ``;``, each normalized like the documents file's numbers."""
    if len(raw) > MAX_LIST_TEXT:
        raise ValueError(f"longer than {MAX_LIST_TEXT} characters")
    numbers = []
    for part in raw.split(";"):
        if part.strip():
            try:
                numbers.append(document_number(part))
            except ValueError as exc:
                raise ValueError(f"{part.strip()!r}: {exc}") from None
    return ";".join(dict.fromkeys(numbers))


WATCHLIST = Schema(
    "watchlist",
    (
        Column("entry_id", code(64), required=True),
        Column("list", code(64), required=True),
        Column("name_zh", text(64)),
        Column("surname", text(128)),
        Column("given_name", text(128)),
        Column("aliases", names_list),
        Column("birth_date", iso_date, default=None),
        Column("sex", one_of(("M", "F"))),
        Column("nationality", country),
        Column("id_number", id_number_any),
        Column("doc_numbers", numbers_list),
        Column("reason", text(1000)),
        Column("action", one_of(("hold", "refer", "notify")), default="refer"),
        Column("valid_from", iso_date, default=None),
        Column("valid_to", iso_date, default=None),
    ),
    key=("list", "entry_id"),
)
NAME_COLUMNS = ("name_zh", "surname", "given_name", "aliases")


def check_watchlist_file(table: Table) -> ParsedFile:
    """Check a watchlist file completely: the schema, then each row's name and validity window.

    Every problem is collected in ``errors``, sorted by row; the file is good when there is none.
    """
    parsed = check_table(WATCHLIST, table)
    if not parsed.present & set(NAME_COLUMNS) and not parsed.errors:
        parsed.errors.append(
            RowError(parsed.file, 1, "", None, "no name column (name_zh, surname, given_name or aliases)")
        )
    for row in parsed.rows:
        values = row.values
        if not any(values.get(c) for c in NAME_COLUMNS):
            parsed.errors.append(
                RowError(
                    parsed.file, row.row, "name_zh", "", "an entry needs a name (name_zh, surname or aliases)"
                )
            )
        start, end = values.get("valid_from"), values.get("valid_to")
        if start and end and end < start:
            parsed.errors.append(
                RowError(
                    parsed.file,
                    row.row,
                    "valid_to",
                    end.isoformat(),
                    f"before valid_from {start.isoformat()}",
                )
            )
    parsed.errors.sort(key=lambda e: e.row or 0)
    return parsed
