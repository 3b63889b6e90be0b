"""Vectorised validation of whole feeds of machine-readable zones.

``validate_mrz_batch`` gives, for every zone, the verdict ``check_document(mrz=...)`` would
give (same ``valid``, ``kind``, problem codes and fields), without a Python loop over rows:
the zones become a fixed-width ``uint8`` matrix per format, character classes and values
come from wrapping ``uint8`` arithmetic and 256-entry lookup tables, the 7-3-1 sums of all
check digits are float32 matrix products against a weight matrix, in row blocks small
enough to stay on one thread (exact: the largest sum is far below 2**24), and every rule
is a mask over the matrix; spans are tested eight bytes at a time as ``uint64`` words. String
columns are cut from the matrix and finished with Arrow compute kernels.

Rows are processed per format in chunks so that the float matrices stay in cache-sized
pieces; a homogeneous feed (one format, one separator) is read as a zero-copy view.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from sojourn.core.documents.cn import G_SERIES_LAST_EXPIRY
from sojourn.core.documents.codes import (
    ERROR,
    PROBLEM_CODES,
    SEVERITY,
    SPECIMEN_CODE,
    STATE_CODES,
    add_years,
    local_today,
)
from sojourn.core.documents.mrz import LAYOUTS, WEIGHTS, Layout, Span

U8 = npt.NDArray[np.uint8]
I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
Bools = npt.NDArray[np.bool_]
U64 = npt.NDArray[np.uint64]

KINDS = ("MRZ", "TD3", "TD2", "TD1", "MRV-A", "MRV-B", "CN-PERMIT-HKMO")
BIT = {code: np.uint32(1 << i) for i, code in enumerate(PROBLEM_CODES)}
CHUNK = 1 << 15
# Rows per matrix product: below OpenBLAS's threading threshold, so no thread hand-off per chunk.
GEMM_ROWS = 1 << 10
SEP, LT = ord("|"), ord("<")
_FILLER8, _HIGH = np.uint64(0x3C3C3C3C3C3C3C3C), np.uint64(0xF0F0F0F0F0F0F0F0)
# Longest number 9 + 15 (TD1), longest name 39 (TD3); widths are multiples of 8 for ``_nonblank``.
NUMBER_WIDTH, NAME_WIDTH = 24, 40


def _lut(chars: bytes) -> Bools:
    """A 256-entry membership table: ``_lut(b"MF")[column]`` is a vectorised ``in``."""
    table = np.zeros(256, np.bool_)
    table[np.frombuffer(chars, np.uint8)] = True
    return table


_DIGIT = np.full(256, 255, np.uint8)  # digit value, 255 for anything else
_DIGIT[48:58] = np.arange(10)
_IS_DIGIT = _lut(b"0123456789")
_IS_LETTER = _lut(bytes(range(65, 91)))
_SEX_OK, _SEX_SHOWN, _TD_CODE = _lut(b"MFX<"), _lut(b"MFX"), _lut(b"ACI")
_IO, _EK, _45, _DSP, _DS = (_lut(chars) for chars in (b"IO", b"EK", b"45", b"DSP", b"DS"))

# State codes as a table over three zone characters, each mapped to 0..36 (37 = other).
_SLOT = np.full(256, 37, np.int32)
_SLOT[np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<", np.uint8)] = np.arange(37)


def _key3(text: str) -> int:
    a, b, c = (int(_SLOT[byte]) for byte in text.ljust(3, "<").encode())
    return (a * 38 + b) * 38 + c


_KNOWN_STATE = np.zeros(38**3, np.bool_)
_KNOWN_STATE[[_key3(code) for code in STATE_CODES]] = True
_UTO = _key3(SPECIMEN_CODE)


def _keys(raw: U8) -> npt.NDArray[np.int32]:
    slots = _SLOT[raw]
    result: npt.NDArray[np.int32] = (slots[:, 0] * 38 + slots[:, 1]) * 38 + slots[:, 2]
    return result


def _start(layout: Layout, span: Span) -> int:
    """Column of a span's first character in the raw row (lines joined by `|`)."""
    return span.line * (layout.width + 1) + span.start


@dataclass(frozen=True)
class _Plan:
    """Where one format's fields sit in the raw row, and its check-digit weight matrix."""

    layout: Layout
    width: int  # raw row: lines × width plus the separators
    seps: npt.NDArray[np.intp]
    weights: npt.NDArray[np.float32]  # columns lo..hi × checks
    lo: int
    hi: int
    cds: npt.NDArray[np.intp]  # the check-digit column of each check
    checks: tuple[str, ...]  # the problem code of each check

    def col(self, span: Span) -> int:
        return _start(self.layout, span)

    def sl(self, span: Span) -> slice:
        return slice(self.col(span), self.col(span) + span.end - span.start)


def _plan(layout: Layout) -> _Plan:
    width = layout.lines * (layout.width + 1) - 1
    checks: list[tuple[str, tuple[Span, ...], Span]] = [
        ("check_digit.document_number", (layout.number,), layout.number_cd),
        ("check_digit.birth_date", (layout.birth,), layout.birth_cd),
        ("check_digit.expiry_date", (layout.expiry,), layout.expiry_cd),
    ]
    if layout.personal_cd is not None:
        checks.append(("check_digit.personal_number", layout.optional[:1], layout.personal_cd))
    if layout.composite_cd is not None:
        checks.append(("check_digit.composite", layout.composite, layout.composite_cd))
    weights = np.zeros((width, len(checks)), np.float32)
    for j, (_, spans, _) in enumerate(checks):
        cols = np.concatenate(
            [np.arange(_start(layout, s), _start(layout, s) + s.end - s.start) for s in spans]
        )
        weights[cols, j] = np.resize(np.array(WEIGHTS, np.float32), len(cols))
    cds = np.array([_start(layout, cd) for _, _, cd in checks], np.intp)
    used = np.flatnonzero(weights.any(axis=1))
    lo, hi = int(used[0]), int(used[-1]) + 1
    seps = np.arange(layout.width, width, layout.width + 1)
    return _Plan(layout, width, seps, weights[lo:hi], lo, hi, cds, tuple(code for code, _, _ in checks))


PLANS = {KINDS.index(name): _plan(layout) for name, layout in LAYOUTS.items()}


@dataclass(frozen=True)
class _Context:
    today: int  # days since 1970-01-01
    today_key: int  # YYYYMMDD
    expiry_limit_key: int  # today + 50 years, YYYYMMDD
    g_last_expiry: int
    allow_specimen: bool


Rows = slice | I64


class _Out:
    """Per-row results, filled format by format."""

    def __init__(self, n: int) -> None:
        self.bits = np.zeros(n, np.uint32)
        self.kind = np.zeros(n, np.int8)
        self.present = np.zeros(n, np.bool_)  # fields were read
        # Short fields are padded to 8 bytes with `<` so that emptiness is one uint64 compare.
        self.code = np.full((n, 8), LT, np.uint8)
        self.number = np.full((n, NUMBER_WIDTH), LT, np.uint8)
        self.issuer = np.full((n, 8), LT, np.uint8)
        self.nationality = np.full((n, 8), LT, np.uint8)
        self.sex = np.full((n, 8), LT, np.uint8)
        self.surname = np.full((n, NAME_WIDTH), 32, np.uint8)  # `<` as spaces
        self.runs = np.zeros(n, np.bool_)  # given names that may hold a run of blanks
        self.given = np.full((n, NAME_WIDTH), 32, np.uint8)
        self.birth = np.zeros(n, np.int32)
        self.birth_ok = np.zeros(n, np.bool_)
        self.expiry = np.zeros(n, np.int32)
        self.expiry_ok = np.zeros(n, np.bool_)


def validate_mrz_batch(
    lines: pa.Array | pa.ChunkedArray | npt.NDArray[Any] | Sequence[str | None],
    *,
    today: date | None = None,
    allow_specimen: bool = False,
) -> pa.Table:
    """Validate many zones at once; one output row per input row, in input order.

    Columns: ``valid`` (bool), ``kind``, ``document_code``, ``document_number``, ``issuer``,
    ``nationality``, ``birth_date`` (date32; null when invalid or partial), ``sex``,
    ``expiry_date`` (date32), ``surname``, ``given_names`` and ``problems`` (the problem
    codes, each once, in canonical order, joined by `;`). Null input rows are empty zones.
    """
    today = today or local_today()
    epoch, limit = date(1970, 1, 1), add_years(today, 50)
    ctx = _Context(
        today=(today - epoch).days,
        today_key=today.year * 10000 + today.month * 100 + today.day,
        expiry_limit_key=limit.year * 10000 + limit.month * 100 + limit.day,
        g_last_expiry=(G_SERIES_LAST_EXPIRY - epoch).days,
        allow_specimen=allow_specimen,
    )
    offsets, data, seps = _normalise(_as_array(lines))
    kind, length_ok = _shapes(offsets, seps, data)
    out = _Out(len(kind))
    out.kind[:] = kind
    out.bits[~length_ok] = BIT["format.length"]
    for code, plan in PLANS.items():
        rows = np.flatnonzero((kind == code) & length_ok)
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            _evaluate(plan, _matrix(data, offsets[chunk], plan.width), ctx, out, _rows(chunk))
    return _table(out, ctx)


def _rows(chunk: I64) -> Rows:
    """A slice when the rows are consecutive (a homogeneous feed): far cheaper to write through."""
    if len(chunk) and chunk[-1] - chunk[0] == len(chunk) - 1:
        return slice(int(chunk[0]), int(chunk[-1]) + 1)
    return chunk


def _pick(rows: Rows, mask: Bools) -> I64:
    """The output rows of the chunk rows selected by ``mask``."""
    if isinstance(rows, slice):
        picked: I64 = np.flatnonzero(mask) + rows.start
        return picked
    return rows[mask]


def _as_array(lines: pa.Array | pa.ChunkedArray | npt.NDArray[Any] | Sequence[str | None]) -> pa.Array:
    if isinstance(lines, pa.ChunkedArray):
        lines = lines.combine_chunks()
    if not isinstance(lines, pa.Array):
        lines = pa.array(lines if isinstance(lines, np.ndarray) else list(lines), type=pa.large_string())
    return pc.fill_null(lines.cast(pa.large_string()), "")


def _buffers(arr: pa.Array) -> tuple[I64, U8]:
    offsets = np.frombuffer(arr.buffers()[1], np.int64)[arr.offset : arr.offset + len(arr) + 1]
    buffer = arr.buffers()[2]
    data = np.frombuffer(buffer, np.uint8) if buffer is not None else np.zeros(0, np.uint8)
    return offsets - offsets[0], data[offsets[0] : offsets[-1]]


def _normalise(arr: pa.Array) -> tuple[I64, U8, I64]:
    """Offsets, bytes and separator positions of the zones, lines joined by one `|`.

    Reads lines as ``mrz.split_lines`` does. One pass finds the bytes that need care
    (controls, blanks, non-ASCII); the regular expressions run only when some row has
    blanks around its lines or empty lines.
    """
    offsets, data = _buffers(arr)
    blank = False
    if len(data) and (data.min() < 33 or data.max() > 126):  # SIMD reductions, no temporaries
        if data.max() > 127:
            # One byte per character, so that lengths are counted as the scalar parser counts them.
            offsets, data = _buffers(pc.replace_substring_regex(arr, r"[^\x00-\x7f]", "?"))
        data = np.where(data == 10, np.uint8(SEP), data)
        blank = bool(_BLANK[data[data < 33]].any())
    seps = _separators(data)
    starts, ends = offsets[:-1], offsets[1:]
    nonempty = ends > starts
    edges = (data[starts[nonempty]] == SEP).any() or (data[ends[nonempty] - 1] == SEP).any()
    if not (blank or edges or (np.diff(seps) == 1).any()):
        return offsets, data, seps
    buffers = [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    text = pa.Array.from_buffers(pa.large_string(), len(starts), buffers)
    text = pc.replace_substring_regex(text, r"[ \t\r\f\v]*\|[ \t\r\f\v|]*", "|")
    offsets, data = _buffers(pc.utf8_trim(text, characters=" \t\r\f\v|"))
    return offsets, data, _separators(data)


def _separators(data: U8) -> I64:
    """Positions of `|`, found block by block so that no feed-sized temporary is touched."""
    block = 1 << 22
    found = [np.flatnonzero(data[i : i + block] == SEP) + i for i in range(0, len(data), block)]
    result: I64 = np.concatenate(found) if found else np.zeros(0, np.int64)
    return result


_BLANK = _lut(b" \t\r\x0b\x0c")


def _shapes(offsets: I64, seps: I64, data: U8) -> tuple[npt.NDArray[np.int8], Bools]:
    """Each row's kind (index into KINDS) and whether all its lines have the format's length."""
    starts, length = offsets[:-1], np.diff(offsets)
    n = len(starts)
    row = np.searchsorted(offsets, seps, side="right") - 1
    lines = np.bincount(row, minlength=n) + 1
    first = length.copy()
    is_first = np.ones(len(row), np.bool_)
    is_first[1:] = row[1:] != row[:-1]
    first[row[is_first]] = seps[is_first] - starts[row[is_first]]
    c0, c1 = np.zeros(n, np.uint8), np.zeros(n, np.uint8)
    if len(data):
        c0 = np.where(length > 0, data[np.minimum(starts, len(data) - 1)], c0)
        c1 = np.where(length > 1, data[np.minimum(starts + 1, len(data) - 1)], c1)
    kind = np.zeros(n, np.int8)
    kind[(lines == 1) & (first == 30) & (c0 == ord("C")) & (c1 == ord("S"))] = KINDS.index("CN-PERMIT-HKMO")
    for width, plain, visa in ((44, "TD3", "MRV-A"), (36, "TD2", "MRV-B")):
        mask = (lines == 2) & (first == width)
        kind[mask] = np.where(c0[mask] == ord("V"), KINDS.index(visa), KINDS.index(plain))
    kind[(lines == 3) & (first == 30)] = KINDS.index("TD1")
    line_width = np.array([0] + [LAYOUTS[k].width for k in KINDS[1:]])[kind]
    line_count = np.array([1] + [LAYOUTS[k].lines for k in KINDS[1:]])[kind]
    bad_sep = (seps - starts[row] + 1) % (line_width[row] + 1) != 0
    ok = (kind > 0) & (length == line_count * (line_width + 1) - 1)
    ok &= np.bincount(row[bad_sep], minlength=n) == 0
    return kind, ok


def _matrix(data: U8, starts: I64, width: int) -> U8:
    """The rows as an n × width matrix: a view when they lie back to back, else a gather."""
    n = len(starts)
    if n and starts[-1] - starts[0] == (n - 1) * width and np.all(np.diff(starts) == width):
        return data[starts[0] : starts[0] + n * width].reshape(n, width)
    result: U8 = data[starts[:, None] + np.arange(width)]
    return result


def _flag(mask: Bools, code: str) -> npt.NDArray[np.uint32]:
    return mask.astype(np.uint32) * BIT[code]


def _evaluate(plan: _Plan, m: U8, ctx: _Context, out: _Out, rows: Rows) -> None:
    """Every check of one format on one chunk; results written into ``out`` at ``rows``."""
    layout = plan.layout
    digits = (m - np.uint8(48)) < 10  # uint8 arithmetic wraps, so one compare per class
    bad = ~(((m - np.uint8(65)) < 26) | digits | (m == LT))
    bad[:, plan.seps] = False
    if layout.name is not None:  # names hold letters and `<` only; also a charset problem
        bad[:, plan.sl(layout.name)] |= digits[:, plan.sl(layout.name)]
    charset = np.zeros(len(m), np.bool_)  # rows with a bad byte: few, so found from the flat mask
    charset[np.flatnonzero(bad) // m.shape[1]] = True
    bits = _flag(charset, "format.charset")
    bits |= _layout_bits(plan, m)
    bits |= _state_bits(plan, m, out, rows)
    bits |= _check_digit_bits(plan, m, out, rows)
    bits |= _date_bits(plan, m, ctx, out, rows)
    if layout.sex is not None:
        sex = m[:, plan.col(layout.sex)]
        bits |= _flag(sex == ord("X"), "sex.nonstandard") | _flag(~_SEX_OK[sex], "sex.invalid")
        out.sex[rows, 0] = sex
    if layout.name is not None:
        _split_names(m[:, plan.sl(layout.name)], out, rows)
    bits |= _series_bits(plan, m, out, rows, ctx)
    out.code[rows, :2] = m[:, plan.sl(layout.code)]
    out.present[rows] = True
    out.bits[rows] |= bits


def _layout_bits(plan: _Plan, m: U8) -> npt.NDArray[np.uint32]:
    name = plan.layout.kind
    if name == "TD3":
        return _flag(m[:, 0] != ord("P"), "format.layout")
    if name in ("TD1", "TD2"):
        return _flag(~_TD_CODE[m[:, 0]] | (m[:, 1] == ord("V")), "format.layout")
    if plan.layout.fillers:
        cols = [plan.col(span) for span in plan.layout.fillers]
        return _flag((m[:, cols] != LT).any(axis=1), "format.layout")
    return np.zeros(len(m), np.uint32)


def _state_bits(plan: _Plan, m: U8, out: _Out, rows: Rows) -> npt.NDArray[np.uint32]:
    bits = np.zeros(len(m), np.uint32)
    specimen = np.zeros(len(m), np.bool_)
    for span, target in ((plan.layout.issuer, out.issuer), (plan.layout.nationality, out.nationality)):
        if span is None:
            continue
        raw = m[:, plan.sl(span)]
        key = _keys(raw)
        uto = key == _UTO
        specimen |= uto
        bits |= _flag(~uto & ~_KNOWN_STATE[key], "code.unknown_state")
        target[rows, :3] = raw
    return bits | _flag(specimen, "code.specimen")


def _values(m: U8, letters: Bools, digits: Bools) -> U8:
    """7-3-1 character values: digits 0-9, letters 10-35, `<` and anything else 0."""
    values: U8 = (m - np.uint8(48) - np.uint8(7) * letters) * (letters | digits)
    return values


def _check_digit_bits(plan: _Plan, m: U8, out: _Out, rows: Rows) -> npt.NDArray[np.uint32]:
    """All check digits at once: one matrix product gives every 7-3-1 sum."""
    layout = plan.layout
    covered = np.ascontiguousarray(m[:, plan.lo : plan.hi])  # contiguous: the arithmetic runs faster
    values = _values(covered, (covered - np.uint8(65)) < 26, (covered - np.uint8(48)) < 10).astype(np.float32)
    sums = np.empty((len(m), len(plan.checks)), np.float32)
    for i in range(0, len(m), GEMM_ROWS):  # small products: OpenBLAS keeps them on this thread
        np.matmul(values[i : i + GEMM_ROWS], plan.weights, out=sums[i : i + GEMM_ROWS])
    good = (sums.astype(np.int16) % np.int16(10)) == _DIGIT[m[:, plan.cds]]
    bits = np.zeros(len(m), np.uint32)
    out.number[rows, :9] = m[:, plan.sl(layout.number)]
    for j, code in enumerate(plan.checks):
        if code == "check_digit.personal_number":
            personal = m[:, plan.sl(layout.optional[0])]
            good[:, j] |= _all_filler(personal) & (m[:, plan.cds[j]] == LT)
        if code == "check_digit.document_number" and layout.overflow is not None:
            long = m[:, plan.cds[j]] == LT
            if long.any():
                good[long, j] = _long_numbers(plan, m[long], sums[long, j], out, _pick(rows, long))
        bits |= _flag(~good[:, j], code)
    return bits


def _long_numbers(plan: _Plan, m: U8, first_sum: npt.NDArray[np.int32], out: _Out, rows: I64) -> Bools:
    """TD1/TD2 numbers longer than 9: continuation, check digit and `<` in the optional field."""
    assert plan.layout.overflow is not None
    tail = m[:, plan.sl(plan.layout.overflow)]
    width = tail.shape[1]
    filler = tail == LT
    end = np.where(filler.any(axis=1), filler.argmax(axis=1), width)
    inside = np.arange(width) < (end - 1)[:, None]
    weights = np.array([WEIGHTS[(9 + j) % 3] for j in range(width)], np.int32)
    values = _values(tail, _IS_LETTER[tail], _IS_DIGIT[tail]).astype(np.int32)
    total = first_sum + (values * weights * inside).sum(axis=1)
    cd = _DIGIT[tail[np.arange(len(tail)), np.maximum(end - 1, 0)]]
    out.number[rows, 9 : 9 + width] = np.where(inside, tail, np.uint8(LT))
    result: Bools = (end >= 2) & (cd == total % 10)
    return result


def _digits(raw: U8) -> tuple[I32, I32, I32, Bools]:
    d = raw.astype(np.int32) - 48
    return d[:, 0] * 10 + d[:, 1], d[:, 2] * 10 + d[:, 3], d[:, 4] * 10 + d[:, 5], _IS_DIGIT[raw]


# Calendar tables for the years a zone can name (1900-2099): day numbers by lookup.
_YEARS = np.arange(1900, 2100)
_LEAP = ((_YEARS % 4 == 0) & ((_YEARS % 100 != 0) | (_YEARS % 400 == 0))).astype(np.int32)
_YEAR_START = np.array([(date(int(y), 1, 1) - date(1970, 1, 1)).days for y in _YEARS], np.int32)
_MONTH_LEN = np.zeros(32, np.int32)  # [leap * 16 + month]; month 0 and 13-15 have no days
_MONTH_LEN[1:13] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
_MONTH_LEN[17:29] = _MONTH_LEN[1:13] + (np.arange(1, 13) == 2)
_MONTH_START = np.zeros(32, np.int32)
_MONTH_START[1:13] = np.cumsum(_MONTH_LEN[1:13]) - _MONTH_LEN[1:13]
_MONTH_START[17:29] = np.cumsum(_MONTH_LEN[17:29]) - _MONTH_LEN[17:29]


def _calendar(year: I32, month: I32, day: I32) -> tuple[Bools, I32]:
    """Whether each (year, month, day) is a date, and its day number since 1970-01-01."""
    y = np.clip(year - 1900, 0, len(_YEARS) - 1)
    slot = _LEAP[y] * 16 + np.clip(month, 0, 15)
    ok: Bools = (day >= 1) & (day <= _MONTH_LEN[slot])
    days: I32 = _YEAR_START[y] + _MONTH_START[slot] + day - 1
    return ok, days


def _date_bits(plan: _Plan, m: U8, ctx: _Context, out: _Out, rows: Rows) -> npt.NDArray[np.uint32]:
    """Expiry (20YY unless beyond today + 50 years) and birth (possibly partial), as ``mrz.read_*``."""
    yy, mm, dd, dig = _digits(m[:, plan.sl(plan.layout.expiry)])
    year = 2000 + yy - 100 * ((2000 + yy) * 10000 + mm * 100 + dd > ctx.expiry_limit_key)
    exp_ok, expiry = _calendar(year, mm, dd)
    exp_ok &= dig.all(axis=1)
    expiry_key = np.where(exp_ok, year * 10000 + mm * 100 + dd, ctx.today_key)
    raw = m[:, plan.sl(plan.layout.birth)]
    yy, mm, dd, dig = _digits(raw)
    missing_m = ((raw[:, 2] == LT) & (raw[:, 3] == LT)) | ((raw[:, 2] == 48) & (raw[:, 3] == 48))
    missing_d = ((raw[:, 4] == LT) & (raw[:, 5] == LT)) | ((raw[:, 4] == 48) & (raw[:, 5] == 48))
    year_known = dig[:, 0] & dig[:, 1]
    year_only = year_known & missing_m & missing_d
    month_ok = dig[:, 2] & dig[:, 3] & ~year_only & (mm >= 1) & (mm <= 12)
    full = year_known & dig[:, 2] & dig[:, 3] & dig[:, 4] & dig[:, 5] & ~missing_d
    key = (2000 + yy) * 10000 + np.where(year_only, 1, mm) * 100 + np.where(full, dd, 1)
    year = 2000 + yy - 100 * (key > np.minimum(ctx.today_key, expiry_key))
    day_ok, days = _calendar(year, mm, dd)
    full_ok = full & month_ok & day_ok
    birth = plan.sl(plan.layout.birth)
    birth_ok = (
        _all_filler(m, birth.start, birth.stop) | year_only | (year_known & month_ok & missing_d) | full_ok
    )
    out.expiry[rows], out.expiry_ok[rows] = expiry, exp_ok
    out.birth[rows], out.birth_ok[rows] = days, full_ok
    bits = _flag(~exp_ok, "date.invalid") | _flag(~birth_ok, "date.invalid")
    return bits | _flag(exp_ok & (expiry < ctx.today), "date.expired")


def _series_bits(plan: _Plan, m: U8, out: _Out, rows: Rows, ctx: _Context) -> npt.NDArray[np.uint32]:
    """Number-series plausibility of PRC passports (TD3, issuer CHN) and CS permits."""
    layout = plan.layout
    number = m[:, plan.sl(layout.number)]
    if layout.kind == "TD3" and layout.issuer is not None:
        issuer = m[:, plan.sl(layout.issuer)]
        applies = (issuer[:, 0] == ord("C")) & (issuer[:, 1] == ord("H")) & (issuer[:, 2] == ord("N"))
        applies &= m[:, 0] == ord("P")
        implausible = _passport_series(number, out.expiry[rows], out.expiry_ok[rows], ctx)
    elif layout.kind == "CN-PERMIT-HKMO":
        applies = np.ones(len(m), np.bool_)
        implausible = _permit_series(number)
    else:
        return np.zeros(len(m), np.uint32)
    applies &= ~_all_filler(number)
    return _flag(applies & implausible, "series.implausible")


def _word(m: U8, col: int) -> U64:
    """Bytes ``col`` to ``col + 7`` of every row as one uint64 (byte k in bits 8k to 8k + 7)."""
    word: U64 = m[:, col : col + 8].view("<u8")[:, 0]
    return word


def _all_filler(m: U8, start: int = 0, stop: int | None = None) -> Bools:
    """Rows whose columns ``start`` to ``stop - 1`` are all `<` (``m`` 8 or more wide):
    a few uint64 compares per row, bytes outside the span masked off."""
    stop = m.shape[1] if stop is None else stop
    other = np.zeros(len(m), np.uint64)
    for col in range(start, stop, 8):
        lo, end = min(col, m.shape[1] - 8), min(col + 8, stop)
        keep = ((1 << 8 * (end - lo)) - 1) ^ ((1 << 8 * (col - lo)) - 1)
        other |= (_word(m, lo) ^ _FILLER8) & np.uint64(keep)
    result: Bools = other == 0
    return result


def _not_digits(word: U64) -> U64:
    """Non-zero in exactly the bytes that are not ASCII digits (high nibble 3, low nibble ≤ 9)."""
    high = (word & _HIGH) ^ np.uint64(0x3030303030303030)
    result: U64 = high | (((word & ~_HIGH) + np.uint64(0x0606060606060606)) & _HIGH)
    return result


def _passport_series(n: U8, expiry: I32, expiry_ok: Bools, ctx: _Context) -> Bools:
    """``cn.PASSPORT_SERIES`` as masks: True where no series fits or the series flags the number."""
    other, c0, c1 = _not_digits(_word(n, 1)), n[:, 0], n[:, 1]  # characters 1-8 of the number
    tail8, tail7, seven = other == 0, (other >> np.uint64(8)) == 0, (other << np.uint64(8)) == 0
    digit8 = (other >> np.uint64(56)) == 0
    g = (c0 == ord("G")) & tail8
    e_letter = (c0 == ord("E")) & _IS_LETTER[c1] & tail7
    two_letters = ((c0 == ord("M")) & (c1 == ord("A"))) | (_DSP[c0] & (c1 == ord("E")))
    found = (
        g
        | (_EK[c0] & tail8)  # E + 8 digits, HKSAR K + 8 digits
        | e_letter
        | ((c0 == ord("1")) & _45[c1] & tail7)  # old booklets 14/15 + 7
        | (two_letters & tail7)  # MA, DE, SE, PE + 7
        | (_DS[c0] & seven & (digit8 | (n[:, 8] == LT)))  # D/S + 7 or 8
        | ((c0 == ord("P")) & seven & (n[:, 8] == LT))  # P + 7
    )
    late_g = g & expiry_ok & (expiry > ctx.g_last_expiry)
    result: Bools = ~found | (e_letter & _IO[c1]) | late_g
    return result


def _permit_series(n: U8) -> Bools:
    """``cn.PERMIT_HKMO_SERIES`` as masks: C + 8 digits or C + letter + 7 digits."""
    d = _IS_DIGIT[n]
    c = n[:, 0] == ord("C")
    letter = c & _IS_LETTER[n[:, 1]] & d[:, 2:].all(axis=1)
    below_start = (n[:, 1] == ord("A")) & (n[:, 2:] == ord("0")).all(axis=1)
    result: Bools = ~((c & d[:, 1:].all(axis=1)) | letter) | (letter & (_IO[n[:, 1]] | below_start))
    return result


def _text(matrix: U8, keep: Bools) -> pa.Array:
    """Fixed-width byte rows as an Arrow string array over the same bytes; null where not ``keep``."""
    n, width = matrix.shape
    large = (n + 1) * width >= 2**31
    offsets = np.arange(n + 1, dtype=np.int64 if large else np.int32) * width
    validity = pa.py_buffer(np.packbits(keep, bitorder="little"))
    buffers = [validity, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(matrix))]
    return pa.Array.from_buffers(pa.large_string() if large else pa.string(), n, buffers)


def _nonblank(matrix: U8, pad: int) -> Bools:
    """Rows holding anything but ``pad``; eight bytes per compare when the width allows."""
    if matrix.shape[1] % 8:
        result: Bools = (matrix != pad).any(axis=1)
        return result
    words = np.ascontiguousarray(matrix).view(np.uint64)
    result = (words != np.uint64(int.from_bytes(bytes([pad]) * 8, "little"))).any(axis=1)
    return result


def _field(matrix: U8, present: Bools) -> pa.Array:
    """A zone field without its trailing `<`; null when it is all `<` or was not read."""
    return pc.ascii_rtrim(_text(matrix, present & _nonblank(matrix, LT)), characters="<")


def _split_names(raw: U8, out: _Out, rows: Rows) -> None:
    """Part primary from secondary identifiers at the first `<<`, as ``mrz.parse_name`` does.

    Both stay in place in full-width rows that start out blank, so copying the letters of
    each part (not its `<`) gives the names with `<` as spaces, without shifting any bytes.
    """
    width = raw.shape[1]
    letters = raw != LT
    pair = ~letters[:, :-1] & ~letters[:, 1:]
    first = pair.argmax(axis=1)
    split = np.where(pair[np.arange(len(pair)), first], first, width).astype(np.int16)[:, None]
    cols = np.arange(width, dtype=np.int16)
    # Rows whose given names may hold a run of blanks between two names (collapsed later):
    # the run that parts surname and given names ends in two blanks and a name character,
    # and so does each run between given names, so such rows have two or more such ends.
    blank = ~letters | (raw == 32)
    ends = np.flatnonzero(blank[:, :-2] & blank[:, 1:-1] & ~blank[:, 2:]) // (width - 2)
    runs = np.zeros(len(raw), np.bool_)
    runs[ends[1:][ends[1:] == ends[:-1]]] = True
    out.runs[_pick(rows, runs)] = True
    for target, part in ((out.surname, cols < split), (out.given, cols >= split + 2)):
        if isinstance(rows, slice):
            np.copyto(target[rows, :width], raw, where=part & letters)
        else:
            target[rows, :width] = np.where(part & letters, raw, np.uint8(32))


def _names(out: _Out) -> tuple[pa.Array, pa.Array]:
    """Surname and given names; runs of `<` inside the given names collapse to one space.

    Such runs are rare, so the regex runs on the rows that may hold one alone.
    """
    surname = _text(out.surname, out.present & _nonblank(out.surname, 32))
    given = _text(out.given, out.present & _nonblank(out.given, 32))
    # Normalised zones are ASCII, so the ASCII kernels apply (several times faster).
    surname, given = pc.ascii_trim(surname, characters=" "), pc.ascii_trim(given, characters=" ")
    runs = pa.array(out.runs)
    if out.runs.any():
        given = pc.replace_with_mask(given, runs, pc.replace_substring_regex(given.filter(runs), " +", " "))
    return surname, given


def _problem_text(bits: npt.NDArray[np.uint32]) -> pa.Array:
    """Each row's codes joined by `;`: one text per distinct set of codes, then a take.

    The problem bits that occur at all (a handful) are packed into a small code, so that
    the distinct sets are found with a lookup table rather than a sort of the whole feed.
    """
    occurring = int(np.bitwise_or.reduce(bits)) if len(bits) else 0
    used = [i for i in range(len(PROBLEM_CODES)) if occurring >> i & 1]  # at most the 15 set here
    code = np.zeros(len(bits), np.int32)
    for j, i in enumerate(used):
        code |= ((bits >> np.uint32(i)) & np.uint32(1)).astype(np.int32) << j
    present = np.zeros(1 << len(used), np.bool_)
    present[code] = True
    index = (np.cumsum(present, dtype=np.int32) - 1)[code]
    sets = np.flatnonzero(present).tolist()
    texts = [";".join(PROBLEM_CODES[i] for j, i in enumerate(used) if s >> j & 1) for s in sets]
    return pa.array(texts, pa.string()).take(pa.array(index))


def _error_bits(ctx: _Context) -> tuple[np.uint32, np.uint32]:
    """Error bits of the verified formats, and of the unverified CS layout (charset, length)."""
    codes = [code for code, severity in SEVERITY.items() if severity == ERROR]
    if ctx.allow_specimen:
        codes.remove("code.specimen")
    strict = np.uint32(sum(int(BIT[code]) for code in codes))
    return strict, BIT["format.charset"] | BIT["format.length"]


def _table(out: _Out, ctx: _Context) -> pa.Table:
    strict, loose = _error_bits(ctx)
    cs = out.kind == KINDS.index("CN-PERMIT-HKMO")
    valid = (out.bits & np.where(cs, loose, strict)) == 0
    surname, given = _names(out)
    sex = out.sex
    sex[:, 0] = np.where(_SEX_SHOWN[sex[:, 0]], sex[:, 0], np.uint8(LT))
    return pa.table(
        {
            "valid": pa.array(valid),
            "kind": pa.array(KINDS, pa.string()).take(pa.array(out.kind.astype(np.int32))),
            "document_code": _field(out.code, out.present),
            "document_number": _field(out.number, out.present),
            "issuer": _field(out.issuer, out.present),
            "nationality": _field(out.nationality, out.present),
            "birth_date": pa.array(out.birth, mask=~out.birth_ok).cast(pa.date32()),
            "sex": _field(sex, out.present),
            "expiry_date": pa.array(out.expiry, mask=~out.expiry_ok).cast(pa.date32()),
            "surname": surname,
            "given_names": given,
            "problems": _problem_text(out.bits),
        }
    )
