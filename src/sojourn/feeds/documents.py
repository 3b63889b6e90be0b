"""The documents import file: officials' travel documents and their custody state (DESIGN.md §6).

Columns ``official_id, doc_type, issuer, number, issue_date, expiry_date, mrz, status,
custody``; the natural key is official + type + issuer + number. ``mrz`` holds the zone's
lines joined by ``|`` and is stored with the lines joined by newlines, as the desk stores a
pasted zone. A zone that is malformed or fails its check digits is not an import error: it
is what the validator flags, and its verdict is stored with the document.

``check_documents_file`` checks a table against the schema and the registry (the official
must exist, and be in the importing registrar's scope) but never writes; writing is
``sojourn.custody.importing``' job.
"""

from __future__ import annotations

import re

from sojourn.accounts.scope import Scope
from sojourn.core.documents.cn import normalise_number
from sojourn.core.documents.mrz import split_lines
from sojourn.custody.models import CustodyState, DocStatus, DocType
from sojourn.feeds.base import Column, Schema, Table, check_table, code, country, iso_date, one_of
from sojourn.feeds.registry import CheckedFile, check_official_refs

MAX_NUMBER = 20  # TravelDocument.number's max_length
MAX_ZONE = 200  # three 44-character lines and their separators, with room for stray spaces
_NUMBER = re.compile(r"[A-Z0-9]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def document_number(raw: str) -> str:
    """A document number: letters and digits, spaces dropped, upper-cased (as a zone writes it)."""
    value = normalise_number(raw)
    if len(value) > MAX_NUMBER:
        raise ValueError(f"longer than {MAX_NUMBER} characters")
    if not _NUMBER.fullmatch(value):
        raise ValueError("not a document number (letters A-Z and digits only)")
    return value


def zone(raw: str) -> str:
    """A machine-readable zone, lines joined by ``|`` (or newlines); returned with newlines.

    Only the shape of the cell is checked here; the zone's content is the validator's business.
    """
    if len(raw) > MAX_ZONE:
        raise ValueError(f"longer than {MAX_ZONE} characters")
    lines = split_lines(raw)
    if any(_CONTROL.search(line) for line in lines):
        raise ValueError("contains a control character")
    if len(lines) > 3:
        raise ValueError(f"a zone has at most 3 lines, joined by '|'; this cell has {len(lines)}")
    return "\n".join(lines)


DOCUMENTS = Schema(
    "documents",
    (
        Column("official_id", code(32), required=True),
        Column("doc_type", one_of(DocType.values), required=True),
        Column("issuer", country, required=True),
        Column("number", document_number, required=True),
        Column("issue_date", iso_date, default=None),
        Column("expiry_date", iso_date, default=None),
        Column("mrz", zone),
        Column("status", one_of(DocStatus.values), default=DocStatus.VALID.value),
        Column("custody", one_of(CustodyState.values), required=True),
    ),
    key=("official_id", "doc_type", "issuer", "number"),
)


def check_documents_file(table: Table, *, scope: Scope | None = None) -> CheckedFile:
    """Check a documents file completely; ``scope`` limits the officials whose documents it may touch.

    ``refs`` of the result maps each official ID of the file onto the official's database id.
    Every problem is collected in ``errors``, sorted by row.
    """
    parsed = check_table(DOCUMENTS, table)
    checked = CheckedFile(parsed)
    if scope is not None and scope.everything:
        scope = None
    if parsed.rows:  # empty when a required column is missing: nothing to check against
        check_official_refs(checked, scope, None)
    parsed.errors.sort(key=lambda e: e.row or 0)
    return checked
