"""Hypothesis strategies: valid zones of every format, built from fields, and their corruptions."""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import strategies as st

from sojourn.core.documents.codes import STATE_CODES
from sojourn.core.documents.mrz import CHAR_VALUES, CHARSET, LAYOUTS, Layout, Span, make_mrz

TODAY = date(2026, 3, 1)
ALNUM = string.ascii_uppercase + string.digits
KINDS = ("TD3", "TD2", "TD1", "MRV-A", "MRV-B", "CN-PERMIT-HKMO")

# Room for the optional data, and for a long number's continuation (TD1, TD2).
OPTIONAL_ROOM = {"TD3": 14, "TD2": 7, "TD1": 15, "MRV-A": 16, "MRV-B": 8}
NAME_ROOM = {"TD3": 39, "TD2": 31, "TD1": 30, "MRV-A": 39, "MRV-B": 31}


@dataclass(frozen=True)
class Zone:
    kind: str
    fields: dict[str, object]
    text: str
    empty_personal_cd: str = "<"

    @property
    def long_number(self) -> bool:
        return len(str(self.fields["document_number"])) > 9


def days(start: date, end: date) -> st.SearchStrategy[date]:
    return st.integers(0, (end - start).days).map(lambda n: start + timedelta(days=n))


words = st.text(string.ascii_uppercase, min_size=1, max_size=10)
names = st.lists(words, min_size=1, max_size=3).map(" ".join)
states = st.sampled_from(sorted(STATE_CODES))
sexes = st.sampled_from(["M", "F", None])


@st.composite
def document_codes(draw: st.DrawFn, kind: str) -> str:
    second = draw(st.sampled_from(string.ascii_uppercase + "<"))
    first = {"TD3": "P", "MRV-A": "V", "MRV-B": "V"}.get(kind) or draw(st.sampled_from("ACI"))
    if kind in ("TD1", "TD2") and second == "V":
        second = "<"
    return (first + second).rstrip("<")


@st.composite
def numbers(draw: st.DrawFn, kind: str, *, long_ok: bool = True) -> tuple[str, int]:
    """A document number and the optional-data room it leaves."""
    room = OPTIONAL_ROOM.get(kind, 0)
    if long_ok and kind in ("TD1", "TD2") and draw(st.booleans()):
        extra = draw(st.integers(1, room - 2))
        return draw(st.text(ALNUM, min_size=9 + extra, max_size=9 + extra)), room - extra - 2
    return draw(st.text(ALNUM, min_size=1, max_size=9)), room


@st.composite
def zones(draw: st.DrawFn, kinds: tuple[str, ...] = KINDS, *, long_ok: bool = True) -> Zone:
    """A valid zone of one of ``kinds`` with the fields it was built from (dates round-trip)."""
    kind = draw(st.sampled_from(kinds))
    expiry = draw(days(date(2006, 1, 1), date(2046, 1, 1)))
    birth = draw(days(date(1927, 3, 2), min(TODAY, expiry)))
    number, room = draw(numbers(kind, long_ok=long_ok))
    fields: dict[str, object] = {"document_number": number, "birth_date": birth, "expiry_date": expiry}
    if kind == "CN-PERMIT-HKMO":
        fields["document_code"] = "CS"
        return Zone(kind, fields, make_mrz(kind, fields))
    surname, given = draw(names), draw(st.none() | names)
    if len(surname) + 2 + len(given or "") > NAME_ROOM[kind]:
        given = None
        surname = surname[: NAME_ROOM[kind]].strip()
    fields.update(
        document_code=draw(document_codes(kind)), issuer=draw(states), nationality=draw(states),
        surname=surname, given_names=given, sex=draw(sexes),
        optional_data=draw(st.text(string.ascii_uppercase, max_size=room)) or None,
    )  # fmt: skip
    if kind == "TD1":
        fields["optional_data_2"] = draw(st.text(ALNUM, max_size=11)) or None
    cd = draw(st.sampled_from("<0"))
    return Zone(kind, fields, make_mrz(kind, fields, empty_personal_cd=cd), cd)


def positions(span: Span, layout: Layout) -> list[tuple[int, int]]:
    return [(span.line, col) for col in range(span.start, span.end)]


def protected_positions(layout: Layout) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """Data positions some check digit covers, and the check-digit positions themselves."""
    data: set[tuple[int, int]] = set()
    for span in (layout.number, layout.birth, layout.expiry, *layout.composite):
        data.update(positions(span, layout))
    if layout.personal_cd is not None:
        data.update(positions(layout.optional[0], layout))
    cds = [layout.number_cd, layout.birth_cd, layout.expiry_cd, layout.personal_cd, layout.composite_cd]
    digits = {(span.line, span.start) for span in cds if span is not None}
    return data - digits, digits


def congruent(a: str, b: str) -> bool:
    """Characters the 7-3-1 scheme cannot tell apart (values congruent mod 10)."""
    return CHAR_VALUES[a] % 10 == CHAR_VALUES[b] % 10


def replace(text: str, line: int, col: int, char: str) -> str:
    lines = text.split("\n")
    lines[line] = lines[line][:col] + char + lines[line][col + 1 :]
    return "\n".join(lines)


@st.composite
def substitutions(draw: st.DrawFn, zone: Zone) -> tuple[int, int, str, str]:
    """A protected position of the zone and a different zone character to put there."""
    data, cds = protected_positions(LAYOUTS[zone.kind])
    line, col = draw(st.sampled_from(sorted(data | cds)))
    old = zone.text.split("\n")[line][col]
    twins = sorted(c for c in CHARSET - {old} if congruent(c, old))
    # Congruent substitutions are the interesting limitation: draw them half the time.
    use_twins: bool = draw(st.booleans())
    pool = twins if twins and use_twins else sorted(CHARSET - {old})
    return line, col, old, draw(st.sampled_from(pool))
