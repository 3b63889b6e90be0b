"""ICAO Doc 9303 machine-readable zones, and the one-line MRZ of the PRC card permit to HK/Macau.

Layouts (specs/documents.md §1.1, §2.1): TD3 (2×44), TD2 (2×36), TD1 (3×30), MRV-A (2×44),
MRV-B (2×36) and ``CN-PERMIT-HKMO`` (1×30, document code ``CS``). A zone whose shape fits
none of them gets the kind ``MRZ`` and a ``format.length`` error.

``parse_mrz`` reads every field and checks layout, charset, every check digit and the
composite; it never raises on bad input. ``make_mrz`` builds a valid zone from fields, for
tests and the synthetic data generator. The CS layout is unverified (the spec asks for a
test on real cards), so everything that depends on it is reported as a warning.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from sojourn.core.documents.codes import (
    SPECIMEN_CODE,
    PartialDate,
    Problem,
    add_years,
    canonical_order,
    is_state_code,
    iso_alpha3,
    local_today,
    problem,
)

CHARSET = frozenset(string.ascii_uppercase + string.digits + "<")
DIGITS = "0123456789"
FILLER = "<"

# Character values for the 7-3-1 check: digits 0-9, A-Z 10-35, filler 0. Characters outside
# the MRZ charset count 0 here; they are reported as ``format.charset`` on their own.
CHAR_VALUES: dict[str, int] = {c: i for i, c in enumerate(DIGITS + string.ascii_uppercase)} | {FILLER: 0}
WEIGHTS = (7, 3, 1)


def check_digit(text: str) -> int:
    """The Doc 9303 check digit of ``text``: Σ value·weight (7, 3, 1 repeating) mod 10."""
    return sum(CHAR_VALUES.get(c, 0) * WEIGHTS[i % 3] for i, c in enumerate(text)) % 10


@dataclass(frozen=True)
class Span:
    """Characters ``start`` (0-based, inclusive) to ``end`` (exclusive) of zone line ``line``."""

    line: int
    start: int
    end: int

    def read(self, lines: list[str]) -> str:
        return lines[self.line][self.start : self.end]


def _s(line: int, start: int, end: int | None = None) -> Span:
    return Span(line, start, start + 1 if end is None else end)


@dataclass(frozen=True)
class Layout:
    """Where each field of one MRZ format sits. Shared with the batch validator."""

    kind: str
    lines: int
    width: int
    code: Span
    number: Span
    number_cd: Span
    birth: Span
    birth_cd: Span
    expiry: Span
    expiry_cd: Span
    issuer: Span | None = None
    name: Span | None = None
    nationality: Span | None = None
    sex: Span | None = None
    optional: tuple[Span, ...] = ()
    personal_cd: Span | None = None  # TD3: check digit of the personal-number field
    overflow: Span | None = None  # TD1/TD2: where a long document number continues
    composite: tuple[Span, ...] = ()
    composite_cd: Span | None = None
    fillers: tuple[Span, ...] = ()  # positions that must hold `<`
    unverified: bool = False  # the layout itself is unverified: its problems are warnings


def _two_line(kind: str, width: int, optional_end: int, *, composite: bool) -> Layout:
    """TD3, TD2, MRV-A and MRV-B share line 2 up to the optional field."""
    optional = _s(1, 28, optional_end)
    return Layout(
        kind=kind, lines=2, width=width, code=_s(0, 0, 2), issuer=_s(0, 2, 5), name=_s(0, 5, width),
        number=_s(1, 0, 9), number_cd=_s(1, 9), nationality=_s(1, 10, 13), birth=_s(1, 13, 19),
        birth_cd=_s(1, 19), sex=_s(1, 20), expiry=_s(1, 21, 27), expiry_cd=_s(1, 27),
        optional=(optional,),
        composite=(_s(1, 0, 10), _s(1, 13, 20), _s(1, 21, width - 1)) if composite else (),
        composite_cd=_s(1, width - 1) if composite else None,
    )  # fmt: skip


_TD3 = _two_line("TD3", 44, 42, composite=True)
_TD2 = _two_line("TD2", 36, 35, composite=True)
LAYOUTS: dict[str, Layout] = {
    "TD3": replace(_TD3, personal_cd=_s(1, 42)),
    "TD2": replace(_TD2, overflow=_s(1, 28, 35)),
    "TD1": Layout(
        kind="TD1",
        lines=3,
        width=30,
        code=_s(0, 0, 2),
        issuer=_s(0, 2, 5),
        number=_s(0, 5, 14),
        number_cd=_s(0, 14),
        optional=(_s(0, 15, 30), _s(1, 18, 29)),
        overflow=_s(0, 15, 30),
        birth=_s(1, 0, 6),
        birth_cd=_s(1, 6),
        sex=_s(1, 7),
        expiry=_s(1, 8, 14),
        expiry_cd=_s(1, 14),
        nationality=_s(1, 15, 18),
        name=_s(2, 0, 30),
        composite=(_s(0, 5, 30), _s(1, 0, 7), _s(1, 8, 15), _s(1, 18, 29)),
        composite_cd=_s(1, 29),
    ),  # fmt: skip
    "MRV-A": _two_line("MRV-A", 44, 44, composite=False),
    "MRV-B": _two_line("MRV-B", 36, 36, composite=False),
    "CN-PERMIT-HKMO": Layout(
        kind="CN-PERMIT-HKMO",
        lines=1,
        width=30,
        code=_s(0, 0, 2),
        number=_s(0, 2, 11),
        number_cd=_s(0, 11),
        expiry=_s(0, 13, 19),
        expiry_cd=_s(0, 19),
        birth=_s(0, 21, 27),
        birth_cd=_s(0, 27),
        composite=(_s(0, 2, 12), _s(0, 13, 20), _s(0, 21, 28)),
        composite_cd=_s(0, 29),
        fillers=(_s(0, 12), _s(0, 20), _s(0, 28)),
        unverified=True,
    ),  # fmt: skip
}
UNKNOWN_KIND = "MRZ"

# Line whitespace that is trimmed; anything else inside a line is a charset error.
_LINE_TRIM = " \t\r\f\v"


def split_lines(text: str) -> list[str]:
    """Zone lines from text whose lines are separated by newlines or `|`; blank lines dropped."""
    return [s for s in (part.strip(_LINE_TRIM) for part in re.split(r"[\n|]", text)) if s]


def detect_kind(lines: list[str]) -> str:
    """The format a zone claims by its line count, first-line length and first character."""
    first = lines[0] if lines else ""
    shape = (len(lines), len(first))
    if shape == (1, 30) and first.startswith("CS"):
        return "CN-PERMIT-HKMO"
    if shape == (2, 44):
        return "MRV-A" if first.startswith("V") else "TD3"
    if shape == (2, 36):
        return "MRV-B" if first.startswith("V") else "TD2"
    if shape == (3, 30):
        return "TD1"
    return UNKNOWN_KIND


@dataclass(frozen=True)
class MrzResult:
    """What the zone says and what is wrong with it."""

    kind: str
    fields: dict[str, object]
    problems: tuple[Problem, ...]


def parse_mrz(text: str, *, today: date | None = None, allow_specimen: bool = False) -> MrzResult:
    """Parse and check one machine-readable zone (lines separated by newlines or `|`).

    Never raises on bad input: every defect becomes a problem. ``today`` anchors century
    inference and expiry; ``allow_specimen`` accepts the specimen state ``UTO``.
    """
    lines = split_lines(text)
    kind = detect_kind(lines)
    if kind == UNKNOWN_KIND:
        shape = " + ".join(str(len(line)) for line in lines) or "no"
        message = (
            f"The zone has {len(lines)} line(s) of {shape} characters; expected 2×44 (TD3, MRV-A), "
            "2×36 (TD2, MRV-B), 3×30 (TD1) or 1×30 (CS permit)."
        )
        return MrzResult(kind, {}, (problem("format.length", message),))
    layout = LAYOUTS[kind]
    bad = [len(line) for line in lines if len(line) != layout.width]
    if bad:
        message = (
            f"A {kind} zone has {layout.lines} lines of {layout.width} characters; found a line of {bad[0]}."
        )
        return MrzResult(kind, {}, (problem("format.length", message),))
    reader = _Reader(lines, layout, today or local_today(), allow_specimen)
    reader.run()
    return MrzResult(kind, reader.fields, canonical_order(reader.problems))


@dataclass
class _Reader:
    """Reads one zone of a known layout field by field, collecting fields and problems."""

    lines: list[str]
    layout: Layout
    today: date
    allow_specimen: bool
    fields: dict[str, object] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    overflow_rest: str | None = None  # the optional data left after a long document number

    def read(self, span: Span) -> str:
        return span.read(self.lines)

    def add(self, code: str, message: str, *, warn_only: bool = False) -> None:
        self.problems.append(problem(code, message, warn_only=warn_only or self.layout.unverified))

    def run(self) -> None:
        self.fields["document_code"] = self.read(self.layout.code).rstrip(FILLER) or None
        self.check_charset()
        self.check_code()
        self.read_states()
        self.read_name()
        self.read_number()
        self.read_dates()
        self.read_sex()
        self.read_optional()
        self.check_fillers()
        self.check_composite()

    def check_charset(self) -> None:
        for i, line in enumerate(self.lines, 1):
            odd = sorted({c for c in line if c not in CHARSET})
            if odd:
                shown = ", ".join(repr(c) for c in odd)
                # Charset is Doc 9303 itself, verified even on the CS card: always an error.
                self.problems.append(
                    problem(
                        "format.charset",
                        f"Line {i} of the zone holds {shown}; only A-Z, 0-9 and < are allowed.",
                    )
                )

    def check_code(self) -> None:
        code = self.read(self.layout.code)
        kind = self.layout.kind
        if kind == "TD3" and not code.startswith("P"):
            self.add("format.layout", f"The document code {code!r} of a TD3 zone must start with P.")
        if kind in ("TD1", "TD2"):
            if code[0] not in "ACI":
                self.add(
                    "format.layout", f"The document code {code!r} of a {kind} zone must start with A, C or I."
                )
            if code[1] == "V":
                self.add(
                    "format.layout", f"The document code {code!r} may not have V as its second character."
                )

    def read_states(self) -> None:
        specimen = False
        for key, span in (("issuer", self.layout.issuer), ("nationality", self.layout.nationality)):
            if span is None:
                continue
            code = self.read(span).rstrip(FILLER)
            self.fields[key] = code or None
            self.fields[f"{key}_iso"] = iso_alpha3(code)
            if code == SPECIMEN_CODE:
                specimen = True
            elif not is_state_code(code):
                self.add(
                    "code.unknown_state", f"The {key} code {self.read(span)!r} is not a known state code."
                )
        if specimen:
            allowed = "allowed here" if self.allow_specimen else "not accepted outside specimen mode"
            self.add(
                "code.specimen",
                f"The state code UTO (Utopia) marks a specimen document, {allowed}.",
                warn_only=self.allow_specimen,
            )

    def read_name(self) -> None:
        if self.layout.name is None:
            return
        raw = self.read(self.layout.name)
        surname, given = parse_name(raw)
        self.fields.update(surname=surname, given_names=given, name_truncated=not raw.endswith(FILLER))
        if any(c in DIGITS for c in raw):
            self.add(
                "format.charset",
                f"The name field {raw.rstrip(FILLER)!r} holds digits; names use only A-Z and <.",
            )

    def read_number(self) -> None:
        layout = self.layout
        first = self.read(layout.number)
        cd = self.read(layout.number_cd)
        if cd == FILLER and layout.overflow is not None:
            self.read_long_number(first)
            return
        number = first.rstrip(FILLER)
        self.fields["document_number"] = number or None
        self.check_cd("check_digit.document_number", f"document number {number!r}", first, cd)

    def read_long_number(self, first: str) -> None:
        """A number longer than 9: the rest, its check digit and `<` follow in the optional field."""
        assert self.layout.overflow is not None
        overflow = self.read(self.layout.overflow)
        end = overflow.find(FILLER)
        end = len(overflow) if end < 0 else end
        if end < 2:
            self.fields["document_number"] = first.rstrip(FILLER) or None
            self.overflow_rest = overflow
            self.add(
                "check_digit.document_number",
                "The document-number check digit holds '<' (a long number), but the optional data "
                "carries no continuation and check digit.",
            )
            return
        number = (first + overflow[: end - 1]).rstrip(FILLER)
        self.fields["document_number"] = number
        self.overflow_rest = overflow[end + 1 :]
        self.check_cd(
            "check_digit.document_number",
            f"document number {number!r}",
            first + overflow[: end - 1],
            overflow[end - 1],
        )

    def check_cd(self, code: str, what: str, data: str, cd: str, *, empty_ok: bool = False) -> bool:
        expected = check_digit(data)
        if cd in DIGITS and int(cd) == expected:
            return True
        if empty_ok and cd == FILLER and set(data) <= {FILLER}:
            return True
        self.add(code, f"The check digit of the {what} should be {expected}, but the zone has {cd!r}.")
        return False

    def read_dates(self) -> None:
        layout = self.layout
        expiry_raw, birth_raw = self.read(layout.expiry), self.read(layout.birth)
        expiry = read_expiry(expiry_raw, self.today)
        if expiry is None:
            self.add("date.invalid", f"The expiry date {expiry_raw!r} is not a valid YYMMDD date.")
        elif expiry < self.today:
            self.add("date.expired", f"The document expired on {expiry.isoformat()}.")
        ok, birth = read_birth(birth_raw, self.today, expiry)
        if not ok:
            self.add(
                "date.invalid", f"The birth date {birth_raw!r} is neither a YYMMDD date nor a partial one."
            )
        self.fields.update(birth_date=birth, expiry_date=expiry)
        self.check_cd(
            "check_digit.birth_date", f"birth date {birth_raw!r}", birth_raw, self.read(layout.birth_cd)
        )
        self.check_cd(
            "check_digit.expiry_date", f"expiry date {expiry_raw!r}", expiry_raw, self.read(layout.expiry_cd)
        )

    def read_sex(self) -> None:
        if self.layout.sex is None:
            return
        sex = self.read(self.layout.sex)
        self.fields["sex"] = sex if sex in ("M", "F", "X") else None
        if sex == "X":
            self.add(
                "sex.nonstandard", "The sex field holds X, a visual-zone value; a zone allows only M, F or <."
            )
        elif sex not in ("M", "F", FILLER):
            self.add("sex.invalid", f"The sex field holds {sex!r}; a zone allows only M, F or <.")

    def read_optional(self) -> None:
        layout = self.layout
        for i, span in enumerate(layout.optional):
            raw = self.overflow_rest if (i == 0 and self.overflow_rest is not None) else self.read(span)
            self.fields["optional_data" if i == 0 else "optional_data_2"] = raw.rstrip(FILLER) or None
        if layout.personal_cd is not None:
            personal = self.read(layout.optional[0])
            what = f"personal number {personal.rstrip(FILLER)!r}"
            self.check_cd(
                "check_digit.personal_number", what, personal, self.read(layout.personal_cd), empty_ok=True
            )

    def check_fillers(self) -> None:
        for span in self.layout.fillers:
            if self.read(span) != FILLER:
                self.add(
                    "format.layout",
                    f"Position {span.start + 1} of the zone should hold '<', not {self.read(span)!r}.",
                )

    def check_composite(self) -> None:
        if self.layout.composite_cd is None:
            return
        data = "".join(self.read(span) for span in self.layout.composite)
        self.check_cd("check_digit.composite", "zone (composite)", data, self.read(self.layout.composite_cd))


def parse_name(raw: str) -> tuple[str | None, str | None]:
    """Primary and secondary identifiers: ``ERIKSSON<<ANNA<MARIA<<<`` → ``ERIKSSON``, ``ANNA MARIA``."""
    primary, _, secondary = raw.rstrip(FILLER).partition("<<")
    surname = re.sub("<+", " ", primary).strip(" ")
    given = re.sub("<+", " ", secondary).strip(" ")
    return surname or None, given or None


def _key(year: int, month: int, day: int) -> int:
    return year * 10000 + month * 100 + day


def _day_key(day: date) -> int:
    return _key(day.year, day.month, day.day)


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def read_expiry(raw: str, today: date) -> date | None:
    """An expiry date: 20YY unless that is more than 50 years after ``today``, then 19YY."""
    if len(raw) != 6 or any(c not in DIGITS for c in raw):
        return None
    yy, month, day = int(raw[:2]), int(raw[2:4]), int(raw[4:])
    year = 2000 + yy
    if _key(year, month, day) > _day_key(add_years(today, 50)):
        year -= 100
    return _make_date(year, month, day)


_MISSING = ("<<", "00")


def read_birth(raw: str, today: date, expiry: date | None) -> tuple[bool, date | PartialDate | None]:
    """A date of birth, possibly partial; ``(False, None)`` when it is no date at all.

    Century: 20YY unless that falls after ``today`` or after the expiry date, then 19YY.
    Month and day may be unknown (`<<` or `00`); a fully unknown date is all `<`.
    """
    if raw == FILLER * 6:
        return True, None
    if len(raw) != 6 or any(c not in DIGITS for c in raw[:2]):
        return False, None
    mm, dd = raw[2:4], raw[4:]
    if mm in _MISSING and dd in _MISSING:
        month, day = None, None
    elif all(c in DIGITS for c in mm) and dd in _MISSING:
        month, day = int(mm), None
    elif all(c in DIGITS for c in mm + dd):
        month, day = int(mm), int(dd)
    else:
        return False, None
    if month is not None and not 1 <= month <= 12:
        return False, None
    year = 2000 + int(raw[:2])
    latest = min(_day_key(today), _day_key(expiry) if expiry else _day_key(today))
    if _key(year, month or 1, day or 1) > latest:
        year -= 100
    if day is None:
        return True, PartialDate(year, month)
    found = _make_date(year, month or 1, day)
    return found is not None, found


# ---- building zones -------------------------------------------------------------------

DEFAULT_CODES = {"TD3": "P", "TD2": "I", "TD1": "I", "MRV-A": "V", "MRV-B": "V", "CN-PERMIT-HKMO": "CS"}


def encode_name(surname: str | None, given_names: str | None) -> str:
    """Names in zone form: upper case, apostrophes dropped, spaces and hyphens as `<`."""

    def part(text: str | None) -> str:
        text = (text or "").upper().replace("'", "")
        return re.sub(r"[^A-Z]+", FILLER, text).strip(FILLER)

    primary, secondary = part(surname), part(given_names)
    return f"{primary}<<{secondary}" if secondary else primary


def _encode_date(value: object) -> str:
    if isinstance(value, date):
        return value.strftime("%y%m%d")
    if isinstance(value, PartialDate):
        month = "<<" if value.month is None else f"{value.month:02d}"
        return f"{value.year % 100:02d}{month}<<"
    if isinstance(value, str) and len(value) == 6:
        return value
    if value is None:
        return FILLER * 6
    raise ValueError(f"cannot write {value!r} as a zone date")


def make_mrz(kind: str, fields: Mapping[str, object], *, empty_personal_cd: str = FILLER) -> str:
    """Build a zone with correct check digits from fields; lines joined by newlines.

    ``fields`` takes the keys ``parse_mrz`` returns (``document_code``, ``issuer``,
    ``surname``, ``given_names``, ``document_number``, ``nationality``, ``birth_date``,
    ``sex``, ``expiry_date``, ``optional_data``, ``optional_data_2``); dates are ``date``
    objects, ``PartialDate`` or raw YYMMDD text. Long numbers overflow into the optional
    field in TD1 and TD2. Names longer than the field are cut. Raises ValueError when a
    field does not fit.
    """
    layout = LAYOUTS[kind]
    grid = [[FILLER] * layout.width for _ in range(layout.lines)]

    def put(span: Span | None, text: object, *, cut: bool = False) -> None:
        if span is None:
            return
        value = "" if text is None else str(text)
        width = span.end - span.start
        if len(value) > width and not cut:
            raise ValueError(f"{value!r} does not fit {width} characters of a {kind} zone")
        grid[span.line][span.start : span.start + min(len(value), width)] = value[:width]

    def get(span: Span) -> str:
        return "".join(grid[span.line][span.start : span.end])

    put(layout.code, fields.get("document_code") or DEFAULT_CODES[kind])
    put(layout.issuer, fields.get("issuer") or fields.get("nationality"))
    put(layout.nationality, fields.get("nationality"))
    put(layout.name, encode_name(_opt_str(fields, "surname"), _opt_str(fields, "given_names")), cut=True)
    put(layout.birth, _encode_date(fields.get("birth_date")))
    put(layout.expiry, _encode_date(fields.get("expiry_date")))
    put(layout.sex, fields.get("sex") or FILLER)
    number = str(fields.get("document_number") or "")
    optional = str(fields.get("optional_data") or "")
    if len(number) > 9 and layout.overflow is not None:
        put(layout.number, number[:9])
        optional = f"{number[9:]}{check_digit(number)}<{optional}"
    else:
        put(layout.number, number)
        put(layout.number_cd, check_digit(get(layout.number)))
    if layout.optional:
        put(layout.optional[0], optional)
    if len(layout.optional) > 1:
        put(layout.optional[1], fields.get("optional_data_2"))
    for data, cd in ((layout.birth, layout.birth_cd), (layout.expiry, layout.expiry_cd)):
        put(cd, check_digit(get(data)))
    if layout.personal_cd is not None:
        personal = get(layout.optional[0])
        put(layout.personal_cd, empty_personal_cd if set(personal) == {FILLER} else check_digit(personal))
    if layout.composite_cd is not None:
        put(layout.composite_cd, check_digit("".join(get(span) for span in layout.composite)))
    return "\n".join("".join(line) for line in grid)


def _opt_str(fields: Mapping[str, object], key: str) -> str | None:
    value = fields.get(key)
    return None if value is None else str(value)


def make_td3(
    *,
    surname: str,
    given_names: str | None,
    document_number: str,
    nationality: str,
    birth_date: date | PartialDate | str,
    sex: str,
    expiry_date: date | str,
    issuer: str | None = None,
    document_code: str = "P",
    optional_data: str = "",
) -> str:
    """A valid TD3 (passport) zone built from its fields; ``issuer`` defaults to ``nationality``."""
    return make_mrz(
        "TD3",
        {
            "document_code": document_code, "issuer": issuer or nationality, "surname": surname,
            "given_names": given_names, "document_number": document_number, "nationality": nationality,
            "birth_date": birth_date, "sex": sex, "expiry_date": expiry_date, "optional_data": optional_data,
        },
    )  # fmt: skip
